"""`with demo.clear():` rebuilds an app, and `demo(...)` calls it like a function (Gradio's Blocks API)."""
import gradio as gr
import numpy as np


def louder(audio, gain):
    sr, y = audio
    return sr, np.clip(y.astype(np.float32) * gain / 32768, -1, 1)


with gr.Blocks() as demo:
    gr.Markdown("a first draft that is thrown away")
    gr.Textbox(label="Draft")

with demo.clear():
    inp = gr.Audio(label="Input", type="numpy")
    gain = gr.Slider(0, 2, value=0.5, label="Gain")
    out = gr.Audio(label="Output")
    gr.Button("Apply").click(louder, [inp, gain], out, api_name="louder")

if __name__ == "__main__":
    demo.launch()
