"""@gr.render draws one gain slider per layer; a button mixes the layers into one tone."""
import gradio as gr
import numpy as np

PITCHES = [220.0, 330.0, 440.0, 550.0]


def mix(*gains):
    t = np.arange(16000) / 16000
    wave = sum(g * np.sin(2 * np.pi * hz * t) for g, hz in zip(gains, PITCHES, strict=False))
    return 16000, (np.asarray(wave, dtype=np.float32) / 4).clip(-1, 1)


with gr.Blocks() as demo:
    layers = gr.Slider(1, 4, value=2, step=1, label="Layers")
    out = gr.Audio(label="Mix")

    @gr.render(inputs=layers)
    def draw(n):
        gains = [gr.Slider(0, 1, value=1.0 if i == int(n) - 1 else 0.0, label=f"Layer {i + 1}")
                 for i in range(int(n))]
        gr.Button("Mix").click(mix, gains, out)

if __name__ == "__main__":
    demo.launch()
