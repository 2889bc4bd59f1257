"""A Dataset of audio samples: click a sample to load it into the player, then measure its pitch."""
import os

import gradio as gr
import numpy as np

AUDIO = os.path.join(os.path.dirname(__file__), "audio")
SAMPLES = [
    [os.path.join(AUDIO, "piano_a4.wav"), "piano, A4"],
    [os.path.join(AUDIO, "duet_stereo.wav"), "duet, E5 and G5"],
    [os.path.join(AUDIO, "rising_chirp.wav"), "chirp, 200 Hz to 2 kHz"],
]


def dominant_pitch(audio):
    sr, data = audio
    mono = data.astype(np.float32)
    if mono.ndim == 2:
        mono = mono[:, 0]
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono))))
    return float(np.fft.rfftfreq(len(mono), 1 / sr)[int(np.argmax(spectrum))])


with gr.Blocks() as demo:
    with gr.Row():
        player = gr.Audio(label="Sample", type="numpy")
        description = gr.Textbox(label="Description")
    samples = gr.Dataset(
        components=[gr.Audio(visible=False), gr.Textbox(visible=False)],
        samples=SAMPLES,
        label="Audio samples",
        type="index",
    )
    pitch = gr.Number(label="Dominant frequency (Hz)")
    measure = gr.Button("Measure")

    def load_sample(index):
        return SAMPLES[index][0], SAMPLES[index][1]

    samples.click(load_sample, samples, [player, description], api_name="load_sample")
    measure.click(dominant_pitch, player, pitch, api_name="measure")

if __name__ == "__main__":
    demo.launch()
