"""A generator with gr.Progress: yields a growing chord, one note at a time, into a streaming output."""
import time

import gradio as gr
import numpy as np


def chord(root, progress=gr.Progress()):  # noqa: B008 - Gradio's idiom
    sr = 16000
    t = np.arange(sr // 2) / sr
    steps = [0, 4, 7, 12]
    for i in progress.tqdm(range(len(steps)), desc="notes"):
        hz = root * 2 ** (steps[i] / 12)
        time.sleep(0.01)
        yield sr, (0.4 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


demo = gr.Interface(
    chord,
    gr.Slider(110, 440, value=220, label="Root (Hz)"),
    gr.Audio(label="Arpeggio", streaming=True),
    api_name="chord",
)

if __name__ == "__main__":
    demo.launch()
