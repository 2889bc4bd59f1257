"""gr.Error stops a chain: .success() runs only after a call that did not fail; gr.Warning/gr.Info toast."""
import gradio as gr
import numpy as np


def check(audio):
    if audio is None:
        raise gr.Error("Upload a sound first")
    sr, y = audio
    if len(y) < sr:
        gr.Warning(f"Only {len(y) / sr:.2f} s: short sounds give rough estimates")
    return f"{len(y) / sr:.2f} s"


def estimate_pitch(audio):
    sr, y = audio
    mono = y if y.ndim == 1 else y[:, 0]
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono))))
    hz = np.fft.rfftfreq(len(mono), 1 / sr)[int(np.argmax(spectrum[1:])) + 1]
    gr.Info("pitch estimated")
    return f"{hz:.0f} Hz"


with gr.Blocks() as demo:
    audio = gr.Audio(label="Sound")
    length = gr.Textbox(label="Length")
    pitch = gr.Textbox(label="Pitch")
    btn = gr.Button("Analyse")
    btn.click(check, audio, length).success(estimate_pitch, audio, pitch)

if __name__ == "__main__":
    demo.launch()
