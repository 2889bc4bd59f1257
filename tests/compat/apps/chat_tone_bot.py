"""Gradio 5 idioms: a ChatInterface (type="messages") that answers in text, and with audio on request."""
import gradio as gr
import numpy as np

NOTES = {"a": 440.0, "c": 261.63, "e": 329.63}


def bot(message, history, seconds):
    note = message.strip().lower()
    if note in NOTES:
        t = np.arange(int(16000 * seconds)) / 16000
        tone = (0.5 * np.sin(2 * np.pi * NOTES[note] * t)).astype(np.float32)
        return [f"Here is {note.upper()}:", gr.Audio(value=(16000, tone))]
    earlier = sum(1 for m in history if m["role"] == "user")
    return f"Ask for a note (a, c or e). You wrote {message!r}; {earlier} message(s) before."


demo = gr.ChatInterface(
    bot,
    type="messages",
    title="Tone bot",
    additional_inputs=[gr.Slider(0.25, 2, value=0.5, label="Seconds")],
    examples=[["a", 0.5], ["hello", 0.5]],
)

if __name__ == "__main__":
    demo.launch()
