"""Voice memos: record 0.5 to 5 seconds, keep it as an MP3 and list every memo of the session."""
import os
import shutil
import tempfile

import gradio as gr

MEMO_DIR = os.path.join(tempfile.gettempdir(), "voice-memos")
os.makedirs(MEMO_DIR, exist_ok=True)


def save_memo(recording, title, memos):
    if recording is None:
        raise gr.Error("Record a memo first")
    name = (title or "memo").strip().replace(" ", "_") + ".mp3"
    target = os.path.join(MEMO_DIR, name)
    shutil.copy(recording, target)
    memos = memos + [target]
    return target, memos, gr.update(value=f"{len(memos)} memo(s) saved"), memos


with gr.Blocks() as demo:
    memos = gr.State([])
    with gr.Row():
        recording = gr.Microphone(
            type="filepath", format="mp3", min_length=0.5, max_length=5, label="Memo"
        )
        title = gr.Textbox(label="Title", placeholder="groceries")
    save = gr.Button("Save memo")
    status = gr.Markdown()
    saved = gr.Audio(label="Saved memo", format="mp3", interactive=False)
    files = gr.File(label="All memos", file_count="multiple")
    save.click(save_memo, [recording, title, memos], [saved, memos, status, files],
               api_name="save")

if __name__ == "__main__":
    demo.launch()
