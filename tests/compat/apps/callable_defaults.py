"""Callable default values: each session starts with fresh white noise, a new seed and the time."""
import datetime
import random

import gradio as gr
import numpy as np

SR = 16000


def new_seed():
    return random.randint(0, 2**31 - 1)


def noise_from_seed(seed):
    rng = np.random.default_rng(int(seed))
    return SR, (rng.uniform(-0.5, 0.5, SR // 2) * 32767).astype(np.int16)


def fresh_noise():
    return noise_from_seed(new_seed())


with gr.Blocks() as demo:
    started = gr.Textbox(
        value=lambda: datetime.datetime.now().isoformat(timespec="seconds"), label="Started at"
    )
    seed = gr.Number(value=new_seed, precision=0, label="Seed")
    noise = gr.Audio(value=fresh_noise, label="Noise")
    regenerate = gr.Button("Noise from this seed")
    regenerate.click(noise_from_seed, seed, noise, api_name="noise")

if __name__ == "__main__":
    demo.launch()
