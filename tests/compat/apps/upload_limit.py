"""Upload size limit: a Space-style app.py whose unguarded launch caps uploads at 100 kB."""
import gradio as gr
import numpy as np


def loudness(audio):
    sr, data = audio
    samples = data.astype(np.float32) / 32768.0
    rms = float(np.sqrt(np.mean(samples**2)))
    return f"{len(samples) / sr:.2f} s at {sr} Hz, {20 * np.log10(max(rms, 1e-9)):.1f} dBFS RMS"


demo = gr.Interface(loudness, gr.Audio(label="Clip (up to 100 kB)"), gr.Textbox(label="Level"))
demo.launch(max_file_size="100kb", share=True, server_name="0.0.0.0", server_port=7861)
