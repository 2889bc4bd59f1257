"""The first key typed goes somewhere: a key pressed the moment the screen appears (issue 10).

Focus used to reach the first input only after the first refresh; a user (or a script) who
typed as soon as the form was drawn lost those keys to the scroll view. This drives the real
program on a real pty and types the instant the first frame shows the input's label.
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest
from pty_support import STARTUP_TIMEOUT, PtyProcess, audiotui_argv

APP = textwrap.dedent("""
    import gradio as gr

    def shout(text):
        return text.upper()

    demo = gr.Interface(shout, gr.Textbox(label="Words in"), gr.Textbox(label="Words out"))
""")


@pytest.mark.parametrize("attempt", range(3))
def test_keys_typed_as_the_first_frame_appears_reach_the_first_input(
    tmp_path: Path, attempt: int
) -> None:
    app = tmp_path / "first_key.py"
    app.write_text(APP)
    term = PtyProcess(audiotui_argv(app, "--no-mouse"), cwd=tmp_path)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while "Words in" not in term.output():  # poll tightly: type in the first instant
            assert time.monotonic() < deadline and term.proc.poll() is None, term.output()[-800:]
            time.sleep(0.001)
        term.send("zebra")
        # Typed into the Textbox, the word is drawn there; lost keys never draw it. Submit
        # (ctrl+s) proves it was the input's value, not just an echo somewhere.
        term.wait_for("zebra", timeout=30)
        term.send("\x13")
        term.wait_for("ZEBRA", timeout=30)
    finally:
        term.kill()
