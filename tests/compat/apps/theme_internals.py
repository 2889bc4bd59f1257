"""A themed app that reads Gradio's private theme API (as some demos do) before building."""
import gradio as gr
import numpy as np

theme = gr.themes.Soft(primary_hue=gr.themes.colors.teal, font=[gr.themes.GoogleFont("Inter")])
theme = theme.set(button_primary_background_fill="*primary_500")
css = theme._get_theme_css() + "\n#pad {padding: 4px}"
accent = theme.primary_hue.c500 or "teal"
settings = theme.to_dict()
stylesheets = list(theme._stylesheets)


def beep(hz):
    t = np.arange(16000) / 16000
    return 16000, (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


with gr.Blocks(theme=theme, css=css) as demo:
    gr.Markdown(f"Accent: {accent}; {len(stylesheets)} stylesheet(s)", elem_id="pad")
    hz = gr.Slider(200, 1000, value=440, label="Pitch")
    out = gr.Audio(label="Beep")
    gr.Button("Beep", variant="primary").click(beep, hz, out, api_name="beep")

if __name__ == "__main__":
    demo.launch()
