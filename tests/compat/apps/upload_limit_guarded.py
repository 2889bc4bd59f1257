"""Upload size limit, set the way Gradio's own demos launch: inside the `__main__` guard."""
import gradio as gr
import numpy as np


def peak(audio):
    sr, data = audio
    return float(np.abs(data.astype(np.float32) / 32768.0).max())


demo = gr.Interface(peak, gr.Audio(label="Clip (up to 100 kB)"), gr.Number(label="Peak"))

if __name__ == "__main__":
    demo.launch(max_file_size="100kb")
