"""A batched listener: up to four calls are processed together (batch=True, max_batch_size=4)."""
import gradio as gr
import numpy as np


def gain(audios, factors):
    out = []
    for (sr, y), f in zip(audios, factors, strict=True):
        out.append((sr, (y.astype(np.float32) * f).astype(np.int16)))
    return [out]


with gr.Blocks() as demo:
    audio = gr.Audio(label="Sound")
    factor = gr.Number(value=0.5, label="Factor")
    out = gr.Audio(label="Scaled")
    gr.Button("Scale").click(gain, [audio, factor], out, batch=True, max_batch_size=4,
                             api_name="scale")

if __name__ == "__main__":
    demo.launch()
