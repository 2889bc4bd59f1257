"""Streaming input: microphone chunks arrive through the `stream` event and pile up in State."""

import numpy as np

import audiotui as gr


def accumulate(history, chunk):
    sr, data = chunk
    samples = data.astype(np.float32) / 32768.0
    if samples.ndim == 2:
        samples = samples.mean(axis=1)
    history = history or {"sr": sr, "samples": 0, "peak": 0.0, "chunks": 0}
    history["samples"] += len(samples)
    history["chunks"] += 1
    history["peak"] = max(history["peak"], float(np.abs(samples).max(initial=0.0)))
    rms = float(np.sqrt(np.mean(samples**2))) if len(samples) else 0.0
    level = 20 * np.log10(max(rms, 1e-6))
    report = (
        f"{history['chunks']} chunks, {history['samples'] / sr:.2f} s heard, "
        f"peak {history['peak']:.2f}, current level {level:.1f} dBFS"
    )
    return history, report


with gr.Blocks(title="Listening meter") as demo:
    mic = gr.Audio(sources=["microphone"], streaming=True, label="Microphone")
    state = gr.State()
    report = gr.Textbox(label="What I heard")
    mic.stream(accumulate, inputs=[state, mic], outputs=[state, report], api_name="listen")

if __name__ == "__main__":
    demo.launch()
