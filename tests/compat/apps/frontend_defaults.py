"""Components built without a value start where Gradio's front end starts them (0, "", False, [])."""
import gradio as gr
import numpy as np


def tone(steps, note, loud, effects, level, history):
    history = history + [[f"{steps + 1} step(s) {note!r}", ", ".join(effects) or "dry"]]
    hz = 220.0 * 2 ** ((steps + 1) / 12)
    t = np.arange(8000) / 8000
    wave = np.sin(2 * np.pi * hz * t) * (0.9 if loud else 0.3) * (level / 10)
    return steps + 1, note + "♪", history, (8000, (wave * 32767).astype(np.int16))


with gr.Blocks() as demo:
    steps = gr.Number(label="Steps")
    doubled = gr.Number(label="Doubled")
    note = gr.Textbox(label="Note")
    loud = gr.Checkbox(label="Loud")
    effects = gr.CheckboxGroup(["echo", "reverb"], label="Effects")
    level = gr.Slider(1, 10, label="Level")
    chat = gr.Chatbot(label="Log")
    out = gr.Audio(label="Tone")
    gr.Button("Step").click(tone, [steps, note, loud, effects, level, chat], [steps, note, chat, out])
    steps.change(lambda n: n * 2, steps, doubled)

if __name__ == "__main__":
    demo.launch()
