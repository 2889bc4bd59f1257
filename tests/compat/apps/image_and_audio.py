"""An audio app with image inputs and outputs (type="numpy" and "pil"), examples cached at start."""
from pathlib import Path

import gradio as gr
import numpy as np

HERE = Path(__file__).parent / "audio"


def analyse(audio, picture):
    sr, y = audio
    mono = y.astype(np.float32) if y.ndim == 1 else y.astype(np.float32).mean(axis=1)
    frames = np.lib.stride_tricks.sliding_window_view(mono, 256)[::128]
    spec = np.log1p(np.abs(np.fft.rfft(frames * np.hanning(256), axis=1))).T
    spectrogram = np.flipud(spec / spec.max())  # float image in [0, 1]
    flipped = np.flipud(picture)  # a path would fail here, as in Gradio
    from PIL import Image

    return spectrogram, Image.fromarray(flipped), f"{picture.shape[0]}x{picture.shape[1]} at {sr} Hz"


demo = gr.Interface(
    analyse,
    [gr.Audio(label="Sound"), gr.Image(type="numpy", label="Picture")],
    [gr.Image(label="Spectrogram"), gr.Image(type="pil", label="Flipped"), gr.Textbox(label="Info")],
    examples=[[str(HERE / "piano_a4.wav"), str(HERE / "red_over_blue.png")]],
    cache_examples=True,
)

if __name__ == "__main__":
    demo.launch()
