"""Audio debugger: every Audio event bumps its own counter (Gradio's audio_component_events demo)."""
import gradio as gr

with gr.Blocks() as demo:
    with gr.Row():
        with gr.Column():
            input_audio = gr.Audio(
                type="filepath", label="Input Audio", sources=["upload", "microphone"]
            )
        with gr.Column():
            output_audio = gr.Audio(label="Output Audio", sources=["upload", "microphone"])
    with gr.Row():
        with gr.Column():
            input_num_change = gr.Number(label="# Input Change Events", value=0)
            input_num_input = gr.Number(label="# Input Input Events", value=0)
            input_num_upload = gr.Number(label="# Input Upload Events", value=0)
            input_num_clear = gr.Number(label="# Input Clear Events", value=0)
        with gr.Column():
            input_num_play = gr.Number(label="# Input Play Events", value=0)
            input_num_pause = gr.Number(label="# Input Pause Events", value=0)
            input_num_stop = gr.Number(label="# Input Stop Events", value=0)
        with gr.Column():
            input_num_start_recording = gr.Number(label="# Input Start Recording Events", value=0)
            input_num_pause_recording = gr.Number(label="# Input Pause Recording Events", value=0)
            input_num_stop_recording = gr.Number(label="# Input Stop Recording Events", value=0)
        with gr.Column():
            output_num_play = gr.Number(label="# Output Play Events", value=0)
            output_num_stop = gr.Number(label="# Output Stop Events", value=0)
            stream_num = gr.Number(label="# Stream Events", value=0)
    mic = gr.Audio(sources=["microphone"], streaming=True, label="Streaming microphone")
    last_chunk = gr.Textbox(label="Last streamed chunk")

    input_audio.upload(lambda x: x + 1, input_num_upload, input_num_upload)
    input_audio.change(lambda x: x + 1, input_num_change, input_num_change)
    input_audio.input(lambda x: x + 1, input_num_input, input_num_input)
    input_audio.clear(lambda x: x + 1, input_num_clear, input_num_clear)
    input_audio.play(lambda x: x + 1, input_num_play, input_num_play)
    input_audio.pause(lambda x: x + 1, input_num_pause, input_num_pause)
    input_audio.stop(lambda x: x + 1, input_num_stop, input_num_stop)
    input_audio.start_recording(
        lambda x: x + 1, input_num_start_recording, input_num_start_recording
    )
    input_audio.pause_recording(
        lambda x: x + 1, input_num_pause_recording, input_num_pause_recording
    )
    input_audio.stop_recording(
        lambda x: x + 1, input_num_stop_recording, input_num_stop_recording
    )
    input_audio.change(lambda x: x, input_audio, output_audio, api_name="copy")
    output_audio.play(lambda x: x + 1, output_num_play, output_num_play)
    output_audio.stop(lambda x: x + 1, output_num_stop, output_num_stop)

    def describe_chunk(count, chunk):
        sr, data = chunk
        return count + 1, f"{len(data)} samples at {sr} Hz"

    mic.stream(describe_chunk, [stream_num, mic], [stream_num, last_chunk])

if __name__ == "__main__":
    demo.launch()
