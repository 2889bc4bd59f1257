"""Gain, speed and echo on an uploaded file, each controlled by a slider."""

import numpy as np

import audiotui as gr


def apply_effects(audio, gain_db, speed, echo_ms, echo_decay):
    if audio is None:
        raise gr.Error("Upload an audio file first.")
    sr, data = audio
    x = data.astype(np.float32) / 32768.0
    x = x * (10 ** (gain_db / 20))
    if speed != 1.0:
        # tape-style speed change: resample the time axis (pitch moves with speed)
        n_out = max(1, int(len(x) / speed))
        positions = np.linspace(0, len(x) - 1, n_out)
        if x.ndim == 1:
            x = np.interp(positions, np.arange(len(x)), x)
        else:
            x = np.stack(
                [np.interp(positions, np.arange(len(x)), x[:, c]) for c in range(x.shape[1])],
                axis=1,
            )
    delay = int(sr * echo_ms / 1000)
    if delay > 0 and echo_decay > 0:
        padded = np.concatenate([x, np.zeros((delay,) + x.shape[1:], dtype=x.dtype)])
        padded[delay:] += echo_decay * x
        x = padded
    # keep the chosen gain audible: clip rather than re-normalise to the peak
    return sr, np.clip(x, -1.0, 1.0).astype(np.float32)


demo = gr.Interface(
    fn=apply_effects,
    inputs=[
        gr.Audio(sources=["upload"], label="Input file"),
        gr.Slider(-24, 12, value=0, step=1, label="Gain (dB)"),
        gr.Slider(0.5, 2.0, value=1.0, step=0.05, label="Speed"),
        gr.Slider(0, 1000, value=0, step=10, label="Echo delay (ms)"),
        gr.Slider(0.0, 0.9, value=0.4, step=0.05, label="Echo decay"),
    ],
    outputs=gr.Audio(label="Processed", normalize=False),
    title="Audio effects",
    allow_flagging="never",
)

if __name__ == "__main__":
    demo.launch()
