"""Streaming output: a generator yields an uploaded file back in one-second chunks as it reads them."""
import time

import gradio as gr
from gradio.processing_utils import audio_from_file


def stream_audio(audio_file, chunk_seconds):
    sr, data = audio_from_file(audio_file)
    step = max(1, int(sr * chunk_seconds))
    for start in range(0, len(data), step):
        yield sr, data[start : start + step]
        time.sleep(0.01)


with gr.Blocks() as demo:
    with gr.Column():
        input_audio = gr.Audio(label="Input Audio", type="filepath", format="wav")
        chunk = gr.Slider(0.1, 2, value=0.25, step=0.05, label="Chunk length (s)")
        with gr.Row():
            stream_btn = gr.Button("Stream", variant="primary")
            stop_btn = gr.Button("Stop", variant="stop")
        output_audio = gr.Audio(label="Streamed Audio", streaming=True, autoplay=True)

    stream_event = stream_btn.click(
        stream_audio, [input_audio, chunk], output_audio, api_name="stream"
    )
    stop_btn.click(None, None, None, cancels=[stream_event])

if __name__ == "__main__":
    demo.launch()
