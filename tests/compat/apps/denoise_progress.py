"""Noise gate with gr.Progress, gr.Info/gr.Warning and gr.Error for bad input."""
import gradio as gr
import numpy as np
from gradio.components import Audio, Slider


def noise_gate(audio, threshold_db, progress=gr.Progress()):  # noqa: B008 - Gradio's idiom
    if audio is None:
        raise gr.Error("Record or upload something to gate")
    sr, data = audio
    samples = data.astype(np.float32) / 32768.0
    block = max(1, sr // 100)
    threshold = 10 ** (threshold_db / 20)
    gated = 0
    for start in progress.tqdm(range(0, len(samples), block), desc="Gating"):
        chunk = samples[start : start + block]
        if np.sqrt(np.mean(chunk**2)) < threshold:
            samples[start : start + block] = 0
            gated += 1
    if gated == 0:
        gr.Warning("Nothing was below the threshold; raise it to gate more")
    else:
        gr.Info(f"Silenced {gated} blocks of 10 ms")
    # int16 keeps the levels: Gradio peak-normalises float arrays it writes
    return sr, np.clip(samples * 32768, -32768, 32767).astype(np.int16)


demo = gr.Interface(
    noise_gate,
    [Audio(), Slider(-80, 0, value=-30, label="Threshold (dB)")],
    Audio(),
    allow_flagging="never",
)

if __name__ == "__main__":
    demo.queue().launch()
