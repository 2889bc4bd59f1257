"""A live Interface: moving the threshold reruns the noise gate at once (no Submit button)."""
import gradio as gr
import numpy as np


def gate(audio, threshold):
    if audio is None:
        return None, "no audio"
    sr, y = audio
    level = np.abs(y.astype(np.float32)) / 32768
    kept = np.where(level >= threshold, y, 0).astype(y.dtype)
    return (sr, kept), f"{int((level < threshold).sum())} samples gated"


demo = gr.Interface(
    gate,
    [gr.Audio(label="Sound"), gr.Slider(0, 1, value=0.1, label="Threshold")],
    [gr.Audio(label="Gated"), gr.Textbox(label="Report")],
    live=True,
)

if __name__ == "__main__":
    demo.launch()
