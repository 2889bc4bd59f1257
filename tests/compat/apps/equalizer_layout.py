"""Blocks with Group, Row and Column: a three-band equaliser laid out like a mixing desk."""
import gradio as gr
import numpy as np

BANDS = {"low": (0, 300), "mid": (300, 3000), "high": (3000, None)}


def equalise(audio, low_db, mid_db, high_db):
    sr, data = audio
    samples = data.astype(np.float32) / 32768.0
    if samples.ndim == 1:
        samples = samples[:, None]
    spectrum = np.fft.rfft(samples, axis=0)
    freqs = np.fft.rfftfreq(len(samples), 1 / sr)
    for (lo, hi), db in zip(BANDS.values(), (low_db, mid_db, high_db), strict=True):
        band = (freqs >= lo) & (freqs < (hi if hi is not None else np.inf))
        spectrum[band] *= 10 ** (db / 20)
    out = np.fft.irfft(spectrum, n=len(samples), axis=0)
    # int16 keeps the levels: Gradio peak-normalises float arrays it writes
    return sr, (np.clip(out, -1, 1) * 32767).astype(np.int16).squeeze()


with gr.Blocks(title="Three-band EQ") as demo:
    gr.Markdown("## Three-band equaliser")
    with gr.Row():
        with gr.Column(scale=2), gr.Group():
            source = gr.Audio(label="Source", sources=["upload", "microphone"])
            result = gr.Audio(label="Equalised", interactive=False)
        with gr.Column(scale=1):
            with gr.Group():
                low = gr.Slider(-24, 12, value=0, step=1, label="Low (< 300 Hz) dB")
                mid = gr.Slider(-24, 12, value=0, step=1, label="Mid dB")
                high = gr.Slider(-24, 12, value=0, step=1, label="High (> 3 kHz) dB")
            with gr.Row():
                reset = gr.Button("Flat")
                apply = gr.Button("Apply", variant="primary")
    apply.click(equalise, [source, low, mid, high], result, api_name="equalise")
    reset.click(lambda: (0, 0, 0), None, [low, mid, high], api_name="flat")

if __name__ == "__main__":
    demo.launch()
