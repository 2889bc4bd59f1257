"""Edits kept in gr.State: reverse or halve the volume, then undo them one by one."""
import gradio as gr


def apply(audio, history, effect):
    history = history + [audio]
    sr, y = audio
    y = y[::-1] if effect == "reverse" else (y // 2).astype(y.dtype)
    return (sr, y), history, f"{len(history)} edit(s)"


def undo(history):
    if not history:
        raise gr.Error("Nothing to undo")
    *history, last = history
    return last, history, f"{len(history)} edit(s)"


with gr.Blocks() as demo:
    audio = gr.Audio(label="Audio")
    history = gr.State([])
    effect = gr.Radio(["reverse", "halve"], value="reverse", label="Effect")
    count = gr.Textbox(label="History")
    with gr.Row():
        gr.Button("Apply").click(apply, [audio, history, effect], [audio, history, count],
                                 api_name="apply")
        gr.Button("Undo").click(undo, history, [audio, history, count], api_name="undo")

if __name__ == "__main__":
    demo.launch()
