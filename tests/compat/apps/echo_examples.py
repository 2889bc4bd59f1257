"""Echo with gr.Examples inside Blocks: two example rows whose outputs are cached at start."""
import os

import gradio as gr
import numpy as np

AUDIO = os.path.join(os.path.dirname(__file__), "audio")
runs = []


def echo(audio, delay):
    runs.append(delay)
    sr, data = audio
    if data.ndim == 2:
        data = data[:, 0]
    dry = data.astype(np.float32)
    offset = int(sr * delay)
    wet = np.zeros(len(dry) + offset, dtype=np.float32)
    wet[: len(dry)] += dry
    wet[offset:] += 0.5 * dry
    return sr, np.clip(wet, -32768, 32767).astype(np.int16)


with gr.Blocks(title="Echo") as demo:
    with gr.Row():
        source = gr.Audio(label="Source", type="numpy")
        delay = gr.Slider(0.05, 1.0, value=0.25, step=0.05, label="Delay (s)")
    result = gr.Audio(label="With echo")
    gr.Button("Add echo").click(echo, [source, delay], result, api_name="echo")
    gr.Examples(
        examples=[
            [os.path.join(AUDIO, "piano_a4.wav"), 0.1],
            [os.path.join(AUDIO, "rising_chirp.wav"), 0.5],
        ],
        inputs=[source, delay],
        outputs=result,
        fn=echo,
        cache_examples=True,
    )

if __name__ == "__main__":
    demo.launch()
