"""A `.stream` listener on a microphone built without streaming=True: the listener makes it stream."""
import gradio as gr
import numpy as np


def measure(chunk, heard):
    sr, y = chunk
    heard = heard + len(y) / sr
    peak = int(np.abs(y).max()) if len(y) else 0
    return heard, f"{heard:.2f} s heard, last peak {peak}"


with gr.Blocks() as demo:
    mic = gr.Audio(sources=["microphone"], label="Microphone")
    heard = gr.State(0.0)
    status = gr.Textbox(label="Status")
    mic.stream(measure, [mic, heard], [heard, status])

if __name__ == "__main__":
    demo.launch()
