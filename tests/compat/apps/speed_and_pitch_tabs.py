"""Two tools in tabs: change speed by resampling, or transpose by octaves (Blocks + gr.Tab)."""
import gradio as gr
import numpy as np


def change_speed(audio, factor):
    sr, y = audio
    idx = np.arange(0, len(y), factor).astype(int)
    return sr, y[idx[idx < len(y)]]


def octave_up(audio):
    sr, y = audio
    return sr, y[::2]


with gr.Blocks(title="Speed and pitch") as demo:
    gr.Markdown("# Speed and pitch")
    with gr.Tab("Speed"):
        speed_in = gr.Audio(label="Speed input")
        factor = gr.Slider(0.5, 2.0, value=2.0, step=0.25, label="Factor")
        speed_out = gr.Audio(label="Faster")
        gr.Button("Change speed").click(change_speed, [speed_in, factor], speed_out,
                                        api_name="speed")
    with gr.Tab("Octave"):
        octave_in = gr.Audio(label="Octave input")
        octave_out = gr.Audio(label="Octave up")
        gr.Button("Octave up").click(octave_up, octave_in, octave_out, api_name="octave")

if __name__ == "__main__":
    demo.launch()
