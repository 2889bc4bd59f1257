"""Arguments Gradio 4.34 stores without checking: format="bytes", autoplay=1, a float scale..."""
import gradio as gr


def stream_file(path):
    with open(path, "rb") as f:
        while chunk := f.read(10_000):
            yield chunk


with gr.Blocks() as demo:
    with gr.Row():
        with gr.Column(scale=1.5):
            inp = gr.Audio(type="filepath", label="Input", sources=["upload"], min_width=-1)
        out = gr.Audio(label="Streamed", streaming=True, autoplay=1, format="bytes")
    note = gr.Textbox(label="Note", lines=0, max_length=0)
    rate = gr.Slider(10, 1, label="Rate", step=0)
    gr.Button("Stream", variant="danger", size="huge").click(
        stream_file, inp, out, api_name="stream"
    )

if __name__ == "__main__":
    demo.launch()
