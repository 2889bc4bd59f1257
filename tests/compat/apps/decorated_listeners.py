"""Listeners as decorators and gr.on with several triggers: any edit rebuilds the tone."""
import gradio as gr
import numpy as np

with gr.Blocks() as demo:
    hz = gr.Number(value=440, label="Frequency")
    seconds = gr.Slider(0.1, 2, value=0.5, label="Seconds")
    wave = gr.Radio(["sine", "square"], value="sine", label="Wave")
    out = gr.Audio(label="Tone")
    info = gr.JSON(label="Settings")

    @gr.on([hz.submit, seconds.release, wave.change], inputs=[hz, seconds, wave], outputs=out)
    def tone(f, s, kind):
        t = np.arange(int(16000 * s)) / 16000
        y = np.sin(2 * np.pi * f * t)
        return 16000, (np.sign(y) if kind == "square" else y).astype(np.float32) * 0.5

    @out.change(inputs=[hz, seconds, wave], outputs=info)
    def describe(f, s, kind):
        return {"hz": f, "seconds": s, "wave": kind}

if __name__ == "__main__":
    demo.launch()
