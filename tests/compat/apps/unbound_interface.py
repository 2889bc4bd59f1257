"""An app that is only `gr.Interface(...).launch()`: no variable holds it."""
import gradio as gr
import numpy as np


def fade_out(audio):
    sr, y = audio
    ramp = np.linspace(1.0, 0.0, len(y))
    if y.ndim == 2:
        ramp = ramp[:, None]
    return sr, (y * ramp).astype(np.int16)


gr.Interface(fade_out, gr.Audio(label="Input"), gr.Audio(label="Faded")).launch()
