"""A live Interface: loudness statistics update as soon as the audio or threshold changes."""

import numpy as np

import audiotui as gr


def loudness(audio, threshold_db):
    if audio is None:
        return {}, "No audio yet."
    sr, data = audio
    x = data.astype(np.float32) / 32768.0
    if x.ndim == 2:
        x = x.mean(axis=1)
    peak = float(np.abs(x).max(initial=0.0))
    rms = float(np.sqrt(np.mean(x**2))) if len(x) else 0.0
    peak_db = 20 * np.log10(max(peak, 1e-6))
    rms_db = 20 * np.log10(max(rms, 1e-6))
    frame = max(1, sr // 10)
    frames = [x[i : i + frame] for i in range(0, len(x), frame)]
    loud = sum(1 for f in frames if 20 * np.log10(max(np.sqrt(np.mean(f**2)), 1e-6)) > threshold_db)
    share = loud / len(frames) if frames else 0.0
    verdict = "too quiet" if rms_db < -30 else "clipping" if peak >= 0.999 else "fine"
    stats = {
        "duration_s": round(len(x) / sr, 3),
        "peak_dbfs": round(peak_db, 1),
        "rms_dbfs": round(rms_db, 1),
        "above_threshold": round(share, 3),
    }
    return stats, verdict


demo = gr.Interface(
    fn=loudness,
    inputs=[
        gr.Audio(sources=["microphone", "upload"], label="Audio"),
        gr.Slider(-60, 0, value=-30, step=1, label="Threshold (dBFS)"),
    ],
    outputs=[gr.JSON(label="Statistics"), gr.Textbox(label="Verdict")],
    live=True,
    title="Live loudness meter",
)

if __name__ == "__main__":
    demo.launch()
