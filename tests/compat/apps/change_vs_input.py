"""Change vs input: `.input` fires only for the user's edits, `.change` for programmatic ones too."""
import os

import gradio as gr

SAMPLE = os.path.join(os.path.dirname(__file__), "audio/piano_a4.wav")

with gr.Blocks() as demo:
    set_button = gr.Button("Set Values")
    with gr.Row():
        with gr.Column(min_width=200):
            gr.Markdown("# Enter Here")
            text = gr.Textbox()
            slider = gr.Slider()
            audio = gr.Audio(elem_id="audio-original")
        with gr.Column(min_width=200):
            gr.Markdown("# ON:INPUT/UPLOAD")
            text_in = gr.Textbox()
            slider_in = gr.Slider()
            audio_in = gr.Audio()
        with gr.Column(min_width=200):
            gr.Markdown("# ON:CHANGE")
            text_ch = gr.Textbox()
            slider_ch = gr.Slider()
            audio_ch = gr.Audio()
        with gr.Column(min_width=200):
            gr.Markdown("# ON:CHANGE x2")
            text_ch2 = gr.Textbox()
            slider_ch2 = gr.Slider()
            audio_ch2 = gr.Audio()

    for component, c_in, c_ch, c_ch2 in [
        (text, text_in, text_ch, text_ch2),
        (slider, slider_in, slider_ch, slider_ch2),
    ]:
        component.input(lambda x: x, component, c_in)
        component.change(lambda x: x, component, c_ch)
        c_ch.change(lambda x: x, c_ch, c_ch2)

    audio.upload(lambda x: x, audio, audio_in)
    audio.change(lambda x: x, audio, audio_ch)
    audio_ch.change(lambda x: x, audio_ch, audio_ch2)

    set_button.click(
        lambda: ["asdf", 35, SAMPLE], None, [text, slider, audio], api_name="set_values"
    )

if __name__ == "__main__":
    demo.launch()
