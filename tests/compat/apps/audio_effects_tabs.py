"""A TabbedInterface of audio effects: gain, reverse, echo and speed, one Interface per tab."""
import gradio as gr
import numpy as np


def as_float(data):
    return data.astype(np.float32) / 32768.0


def gain(audio, db):
    sr, data = audio
    out = as_float(data) * (10 ** (db / 20))
    return sr, (np.clip(out, -1, 1) * 32767).astype(np.int16)


def reverse(audio):
    sr, data = audio
    return sr, data[::-1]


def echo(audio, delay, decay):
    sr, data = audio
    dry = as_float(data)
    shift = int(sr * delay)
    wet = np.concatenate([dry, np.zeros((shift,) + dry.shape[1:], dtype=np.float32)])
    wet[shift:] += decay * dry
    return sr, wet


def speed(audio, factor):
    sr, data = audio
    return int(sr * factor), data


gain_app = gr.Interface(
    gain, [gr.Audio(), gr.Slider(-24, 12, value=-6, label="Gain (dB)")], gr.Audio()
)
reverse_app = gr.Interface(reverse, gr.Audio(), gr.Audio())
echo_app = gr.Interface(
    echo,
    [gr.Audio(), gr.Slider(0.05, 1, value=0.25, label="Delay (s)"), gr.Slider(0, 1, value=0.5)],
    gr.Audio(),
)
speed_app = gr.Interface(speed, [gr.Audio(), gr.Slider(0.5, 2, value=1.5, step=0.25)], "audio")

demo = gr.TabbedInterface(
    [gain_app, reverse_app, echo_app, speed_app], ["Gain", "Reverse", "Echo", "Speed"]
)

if __name__ == "__main__":
    demo.launch()
