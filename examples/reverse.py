"""Reverse a recording: speak into the microphone (or upload a file) and hear it backwards."""

import numpy as np

import audiotui as gr


def reverse_audio(audio):
    if audio is None:
        raise gr.Error("Record or upload something first.")
    sr, data = audio
    return sr, np.flipud(data)


demo = gr.Interface(
    fn=reverse_audio,
    inputs=gr.Audio(sources=["microphone", "upload"], label="Recording"),
    outputs=gr.Audio(label="Reversed"),
    title="Reverse audio",
    description="Record a phrase and play it back in reverse.",
)

if __name__ == "__main__":
    demo.launch()
