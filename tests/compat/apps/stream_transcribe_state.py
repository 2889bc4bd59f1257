"""Microphone streaming into State: every chunk is appended to the running recording (live Interface)."""
import gradio as gr
import numpy as np


def transcribe(stream, new_chunk):
    sr, y = new_chunk
    y = y.astype(np.float32)
    if y.ndim == 2:
        y = y.mean(axis=1)
    y /= 32768.0
    stream = y if stream is None else np.concatenate([stream, y])
    rms = float(np.sqrt(np.mean(stream**2))) if len(stream) else 0.0
    return stream, f"heard {len(stream) / sr:.2f} s, RMS {rms:.3f}"


demo = gr.Interface(
    transcribe,
    ["state", gr.Audio(sources=["microphone"], streaming=True)],
    ["state", "text"],
    live=True,
)

if __name__ == "__main__":
    demo.launch()
