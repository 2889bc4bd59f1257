"""An audio debugger: every Audio event appends a line to a log, so you can see what fires."""

import audiotui as gr

EVENTS = [
    "change", "clear", "play", "pause", "stop", "upload",
    "start_recording", "pause_recording", "stop_recording",
]


def make_logger(event):
    def log(text):
        return (text or "") + f"{event}\n"

    log.__name__ = f"on_{event}"
    return log


def log_stream(text, chunk):
    sr, data = chunk
    return (text or "") + f"stream: {len(data)} samples at {sr} Hz\n"


with gr.Blocks(title="Audio debugger") as demo:
    gr.Markdown("Use the player and the recorder; each event is logged below.")
    with gr.Row():
        audio = gr.Audio(sources=["upload", "microphone"], label="Audio", interactive=True)
        mic = gr.Audio(sources=["microphone"], streaming=True, label="Streaming microphone")
    log = gr.Textbox(label="Event log", lines=12)
    clear_log = gr.Button("Clear log")
    for event in EVENTS:
        getattr(audio, event)(make_logger(event), inputs=log, outputs=log)
    mic.stream(log_stream, inputs=[log, mic], outputs=log)
    clear_log.click(lambda: "", None, log, api_name="clear_log")

if __name__ == "__main__":
    demo.launch()
