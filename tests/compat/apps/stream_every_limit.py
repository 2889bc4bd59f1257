"""Gradio 5 idioms: a microphone `.stream` listener with stream_every= and time_limit=."""
import gradio as gr
import numpy as np


def level(chunk, peaks):
    sr, y = chunk
    peaks = peaks + [int(np.abs(y).max()) if len(y) else 0]
    return peaks, f"{len(peaks)} chunk(s) of {len(y) / sr:.2f} s, loudest {max(peaks)}"


with gr.Blocks() as demo:
    mic = gr.Audio(sources=["microphone"], label="Mic", recording=False)
    peaks = gr.State([])
    status = gr.Textbox(label="Level")
    mic.stream(level, [mic, peaks], [peaks, status], stream_every=0.25, time_limit=3,
               concurrency_limit=None, show_progress_on=status)

if __name__ == "__main__":
    demo.launch()
