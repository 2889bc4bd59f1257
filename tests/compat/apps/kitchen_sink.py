"""Kitchen sink: audio next to components a terminal cannot draw (Image, Chatbot, HTML, Dataframe...)."""
import os

import gradio as gr
import numpy as np

AUDIO = os.path.join(os.path.dirname(__file__), "audio")


def analyse(audio, cover, history, notes):
    sr, data = audio
    mono = data.astype(np.float32) / 32768.0
    if mono.ndim == 2:
        mono = mono.mean(axis=1)
    peak = float(np.abs(mono).max())
    seconds = len(mono) / sr
    history = (history or []) + [[notes, f"{seconds:.2f} s, peak {peak:.2f}"]]
    table = [[i, round(float(v), 4)] for i, v in enumerate(mono[: sr // 100 * 5 : sr // 100])]
    html = f"<h3>{notes}</h3><p>{sr} Hz, {seconds:.2f} s</p>"
    highlighted = [(notes, "title"), (" is ", None), (f"{seconds:.1f} s", "length")]
    quiet = (sr, (mono * 0.5 * 32767).astype(np.int16))
    return quiet, cover, history, html, table, highlighted, {"sr": sr, "peak": peak}


demo = gr.Interface(
    analyse,
    inputs=[
        gr.Audio(label="Sound"),
        gr.Image(type="filepath", label="Cover art"),
        gr.Chatbot(label="Session log"),
        gr.Textbox(label="Title"),
    ],
    outputs=[
        gr.Audio(label="Half volume"),
        gr.Image(label="Cover art (unchanged)"),
        gr.Chatbot(label="Session log"),
        gr.HTML(),
        gr.Dataframe(headers=["sample", "value"]),
        gr.HighlightedText(),
        gr.JSON(label="Stats"),
    ],
    examples=[[os.path.join(AUDIO, "piano_a4.wav"), None, [], "piano"]],
    theme=gr.themes.Soft(),
)

if __name__ == "__main__":
    demo.launch()
