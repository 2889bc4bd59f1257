"""Upload several files; a Dropdown's choices are replaced by their names, then one is played back."""
from pathlib import Path

import gradio as gr


def list_files(files):
    names = [Path(f).name for f in files or []]
    return gr.Dropdown(choices=names, value=names[0] if names else None), files


def pick(name, files):
    for f in files or []:
        if Path(f).name == name:
            return f
    raise gr.Error(f"{name!r} is not among the uploaded files")


with gr.Blocks() as demo:
    files = gr.File(file_count="multiple", file_types=["audio"], label="Sounds")
    stored = gr.State([])
    chooser = gr.Dropdown(label="Play")
    player = gr.Audio(label="Player", type="filepath")
    files.change(list_files, files, [chooser, stored])
    chooser.change(pick, [chooser, stored], player, api_name="pick")

if __name__ == "__main__":
    demo.launch()
