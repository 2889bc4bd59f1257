"""gr.Request and demo.load: greet the terminal user and tag recordings with the session."""
import gradio as gr
import numpy as np


def whoami(request: gr.Request):
    return f"session {request.session_hash}, client {request.client.host}"


def tag_recording(audio, request: gr.Request):
    sr, data = audio
    return {"session": request.session_hash, "seconds": round(len(data) / sr, 3),
            "channels": 1 if data.ndim == 1 else int(data.shape[1]),
            "peak": float(np.abs(data).max()) / 32768.0}


with gr.Blocks() as demo:
    who = gr.Textbox(label="You are")
    mic = gr.Microphone(label="Say something")
    info = gr.JSON(label="Recording")
    mic.stop_recording(tag_recording, mic, info, api_name="tag")
    demo.load(whoami, None, who)

if __name__ == "__main__":
    demo.launch()
