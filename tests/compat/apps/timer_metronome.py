"""Gradio 5 idioms: a gr.Timer metronome that clicks into an Audio, in a gr.Sidebar, fill_height."""
import gradio as gr
import numpy as np


def click(count, bpm):
    count += 1
    t = np.arange(800) / 16000
    pitch = 1760 if count % 4 == 1 else 880
    return count, f"beat {count}", (16000, (0.6 * np.sin(2 * np.pi * pitch * t)).astype(np.float32))


with gr.Blocks(fill_height=True, fill_width=True) as demo:
    with gr.Sidebar(position="left"):
        bpm = gr.Slider(40, 240, value=120, label="BPM")
        running = gr.Checkbox(value=True, label="Running")
    count = gr.State(0)
    beat = gr.Textbox(label="Beat")
    tick = gr.Audio(label="Click", autoplay=True, loop=False, buttons=["download"])
    timer = gr.Timer(0.05)
    timer.tick(click, [count, bpm], [count, beat, tick])
    running.change(lambda on: gr.Timer(active=on), running, timer)

if __name__ == "__main__":
    demo.launch()
