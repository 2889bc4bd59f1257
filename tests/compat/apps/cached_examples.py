"""Examples with cached outputs: each example is shifted an octave up once, when the app starts."""
import os

import gradio as gr
import numpy as np

AUDIO = os.path.join(os.path.dirname(__file__), "audio")
calls = []


def octave_shift(audio, octaves):
    calls.append(octaves)
    sr, data = audio
    factor = 2 ** int(octaves)
    if data.ndim == 2:
        data = data[:, 0]
    positions = np.arange(0, len(data) - 1, factor)
    return sr, np.interp(positions, np.arange(len(data)), data.astype(np.float32)).astype(np.int16)


demo = gr.Interface(
    octave_shift,
    [gr.Audio(label="Input"), gr.Radio([-1, 0, 1], value=1, label="Octaves")],
    gr.Audio(label="Shifted"),
    examples=[
        [os.path.join(AUDIO, "piano_a4.wav"), 1],
        [os.path.join(AUDIO, "duet_stereo.wav"), -1],
    ],
    cache_examples=True,
)

if __name__ == "__main__":
    demo.launch()
