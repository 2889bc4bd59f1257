"""Streaming output: a generator yields half-second chunks of a rising sweep as it makes them."""

import numpy as np

import audiotui as gr

SR = 24000


def sweep(start_hz, end_hz, seconds):
    n_chunks = max(1, int(seconds * 2))
    phase = 0.0
    for i in range(n_chunks):
        t = np.arange(SR // 2) / SR
        f0 = start_hz + (end_hz - start_hz) * i / n_chunks
        f1 = start_hz + (end_hz - start_hz) * (i + 1) / n_chunks
        freq = f0 + (f1 - f0) * t / 0.5
        phases = phase + 2 * np.pi * np.cumsum(freq) / SR
        phase = float(phases[-1])
        chunk = (0.3 * np.sin(phases) * 32767).astype(np.int16)
        yield SR, chunk


demo = gr.Interface(
    fn=sweep,
    inputs=[
        gr.Number(220, label="Start (Hz)"),
        gr.Number(880, label="End (Hz)"),
        gr.Slider(0.5, 10, value=3, step=0.5, label="Length (s)"),
    ],
    outputs=gr.Audio(streaming=True, autoplay=True, label="Sweep"),
    title="Streaming sweep",
)

if __name__ == "__main__":
    demo.launch()
