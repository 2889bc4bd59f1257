"""Examples cached lazily: each row runs once, on its first click (cache_examples="lazy")."""
from pathlib import Path

import gradio as gr
import numpy as np

HERE = Path(__file__).parent / "audio"
calls = []


def louder(audio, db):
    calls.append(db)
    sr, y = audio
    gain = 10 ** (db / 20)
    return sr, np.clip(y.astype(np.float32) * gain, -32768, 32767).astype(np.int16)


demo = gr.Interface(
    louder,
    [gr.Audio(label="Sound"), gr.Number(label="Gain (dB)")],
    gr.Audio(label="Louder"),
    examples=[[str(HERE / "piano_a4.wav"), -6], [str(HERE / "rising_chirp.wav"), -12]],
    cache_examples="lazy",
)

if __name__ == "__main__":
    demo.launch()
