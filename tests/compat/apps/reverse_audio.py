"""Record yourself and hear it backwards (Gradio's reverse_audio demo, microphone in, audio out)."""
import os

import gradio as gr
import numpy as np


def reverse_audio(audio):
    sr, data = audio
    return (sr, np.flipud(data))


input_audio = gr.Audio(
    sources=["microphone"],
    waveform_options=gr.WaveformOptions(
        waveform_color="#01C6FF",
        waveform_progress_color="#0066B4",
        skip_length=2,
        show_controls=False,
    ),
)
demo = gr.Interface(
    fn=reverse_audio,
    inputs=input_audio,
    outputs="audio",
    examples=[
        os.path.join(os.path.dirname(__file__), "audio/rising_chirp.wav"),
    ],
    cache_examples=False,
)

if __name__ == "__main__":
    demo.launch()
