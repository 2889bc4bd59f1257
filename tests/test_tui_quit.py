"""Leaving the UI (issue 8): quit is never held up by user code, signals restore the
terminal, Ctrl+C's hint is readable, fd 1 writes stay off the screen, a UI crash is one line.

All on a real pty running `python -m audiotui run APP`.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf
from pty_support import PtyProcess, audiotui_argv, wait_for_file
from test_tui_hangup import ASYNC_APP, BLOCKING_ASYNC_APP, SYNC_APP

pytestmark = pytest.mark.slow

QUIT_LIMIT = 1.0

ALT_SCREEN_OFF = "\x1b[?1049l"
MOUSE_OFF = ("\x1b[?1000l", "\x1b[?1003l", "\x1b[?1006l")
CURSOR_ON = "\x1b[?25h"


def _spawn(tmp_path: Path, source: str, argv: list[str] | None = None) -> PtyProcess:
    app = tmp_path / "app.py"
    app.write_text(source)
    env = {"AUDIOTUI_TEST_MARK": str(tmp_path / "mark"), "XDG_STATE_HOME": str(tmp_path / "state")}
    return PtyProcess(argv or audiotui_argv(app), env=env, cwd=tmp_path)


def _restored(output: str) -> None:
    """After the last time the UI took the terminal, it gave everything back."""
    tail = output[output.rindex("\x1b[?1049h"):]
    assert ALT_SCREEN_OFF in tail
    for sequence in (*MOUSE_OFF, CURSOR_ON):
        assert sequence in tail, repr(sequence)


@pytest.mark.parametrize("source", [SYNC_APP, ASYNC_APP, BLOCKING_ASYNC_APP],
                         ids=["sync", "async", "async-blocking-the-loop"])
def test_ctrl_q_ends_the_process_while_a_function_runs(tmp_path: Path, source: str) -> None:
    ui = _spawn(tmp_path, source)
    try:
        ui.wait_for("GOSLOW")
        ui.send("\t\r")
        wait_for_file(tmp_path / "mark")
        time.sleep(0.3)
        pressed = time.monotonic()
        ui.send("\x11")  # ctrl+q
        seconds = ui.exit_time(pressed, QUIT_LIMIT)
        print(f"\nctrl+q with a running function: exit after {seconds:.3f} s")
        time.sleep(0.2)
        _restored(ui.output())
        assert ui.proc.returncode == 0
    finally:
        ui.kill()


THREAD_APP = """
import os, threading, time
from pathlib import Path
import audiotui as gr

def start_worker():
    threading.Thread(target=time.sleep, args=(60,)).start()  # non-daemon: Python joins it
    Path(os.environ["AUDIOTUI_TEST_MARK"]).write_text("started")
    return "started"

with gr.Blocks() as demo:
    go = gr.Button("GOSLOW")
    out = gr.Textbox(label="OUTBOX")
    go.click(start_worker, None, out)
"""


def test_ctrl_q_is_not_held_up_by_a_thread_user_code_started(tmp_path: Path) -> None:
    ui = _spawn(tmp_path, THREAD_APP)
    try:
        ui.wait_for("GOSLOW")
        ui.send("\t\r")
        wait_for_file(tmp_path / "mark")
        time.sleep(0.5)
        pressed = time.monotonic()
        ui.send("\x11")
        seconds = ui.exit_time(pressed, QUIT_LIMIT)
        print(f"\nctrl+q with a user's non-daemon thread alive: exit after {seconds:.3f} s")
        time.sleep(0.2)
        _restored(ui.output())
        assert ui.proc.returncode == 0
    finally:
        ui.kill()


def test_ctrl_q_when_idle_exits_cleanly(tmp_path: Path) -> None:
    ui = _spawn(tmp_path, SYNC_APP)
    try:
        ui.wait_for("GOSLOW")
        time.sleep(0.3)
        pressed = time.monotonic()
        ui.send("\x11")
        seconds = ui.exit_time(pressed, QUIT_LIMIT)
        print(f"\nctrl+q idle: exit after {seconds:.3f} s")
        time.sleep(0.2)
        _restored(ui.output())
        assert ui.proc.returncode == 0
    finally:
        ui.kill()


@pytest.mark.parametrize(("signum", "source"), [
    (signal.SIGTERM, SYNC_APP), (signal.SIGINT, SYNC_APP), (signal.SIGTERM, BLOCKING_ASYNC_APP),
], ids=["SIGTERM", "SIGINT", "SIGTERM-loop-blocked"])
def test_a_signal_from_outside_restores_the_terminal(
    tmp_path: Path, signum: int, source: str
) -> None:
    ui = _spawn(tmp_path, source)
    try:
        ui.wait_for("GOSLOW")
        ui.send("\t\r")  # a function is running: nothing may hold the exit up
        wait_for_file(tmp_path / "mark")
        sent = time.monotonic()
        ui.proc.send_signal(signum)
        seconds = ui.exit_time(sent, 2.0)
        print(f"\n{signal.Signals(signum).name}: exit after {seconds:.3f} s")
        time.sleep(0.2)
        _restored(ui.output())
        assert ui.proc.returncode == -signum  # it still dies of the signal, as parents expect
    finally:
        ui.kill()


def test_ctrl_c_says_how_to_quit_without_markup(tmp_path: Path) -> None:
    ui = _spawn(tmp_path, SYNC_APP)
    try:
        ui.wait_for("GOSLOW")
        time.sleep(0.3)
        ui.send("\x03")
        ui.wait_for("to quit the app", timeout=15)
        time.sleep(0.3)
        assert "[b]" not in ui.output() and "[/b]" not in ui.output()
        assert ui.proc.poll() is None  # only a hint; the app goes on
    finally:
        ui.kill()


FD_APP = """
import os, subprocess, sys
import audiotui as gr

def shout():
    os.write(1, b"FDONE" + b"-WROTE\\n")
    subprocess.run([sys.executable, "-c", "print('SUBPROC' + '-SAID')"], check=True)
    code = "import sys; sys.stderr.write('ERRPROC' + '-SAID' + chr(10))"
    subprocess.run([sys.executable, "-c", code], check=True)
    os.write(2, b"FDTWO" + b"-WROTE\\n")
    return "done"

with gr.Blocks() as demo:
    go = gr.Button("GOSLOW")
    out = gr.Textbox(label="OUTBOX")
    go.click(shout, None, out)
"""


def test_writes_to_fd_1_and_2_go_to_the_print_log_not_the_screen(tmp_path: Path) -> None:
    ui = _spawn(tmp_path, FD_APP)
    try:
        ui.wait_for("GOSLOW")
        ui.send("\t\r")
        ui.wait_for("done", timeout=30)
        time.sleep(0.5)
        markers = ("FDONE-WROTE", "SUBPROC-SAID", "ERRPROC-SAID", "FDTWO-WROTE")
        for marker in markers:
            assert marker not in ui.output(), f"{marker} reached the screen"
        before = len(ui.output())
        ui.send("\x0c")  # ctrl+l: the print log shows what the function wrote
        for marker in markers:
            ui.wait_until(lambda m=marker: m in ui.output()[before:], f"{marker} in the log",
                          timeout=15)
    finally:
        ui.kill()


CRASH_RUNNER = """
import sys
from audiotui.tui import app as tui_app

def broken(self):
    raise RuntimeError("widget exploded")

tui_app.AudiotuiApp.action_toggle_log = broken
from audiotui.cli import main
sys.argv = ["audiotui", "run", sys.argv[1]]
main()
"""


def test_a_crash_of_the_ui_is_one_line_and_a_saved_traceback(tmp_path: Path) -> None:
    runner = tmp_path / "runner.py"
    runner.write_text(CRASH_RUNNER)
    app = tmp_path / "app.py"
    ui = _spawn(tmp_path, SYNC_APP, [sys.executable, str(runner), str(app)])
    try:
        ui.wait_for("GOSLOW")
        time.sleep(0.3)
        ui.send("\x0c")  # ctrl+l runs the broken action
        ui.exit_time(time.monotonic(), 10.0)
        time.sleep(0.3)
        assert ui.proc.returncode == 1
        tail = ui.output()[ui.output().rindex(ALT_SCREEN_OFF):]
        match = re.search(r"audiotui: error: the UI crashed: (.*); traceback saved to (\S+)", tail)
        assert match, repr(tail)
        assert "widget exploded" in match.group(1)
        saved = Path(match.group(2))
        assert saved.is_relative_to(tmp_path / "state" / "audiotui")
        assert "RuntimeError: widget exploded" in saved.read_text()
        assert "Traceback" not in tail  # one line, not Textual's full-screen traceback
    finally:
        ui.kill()


MIC_APP = """
import audiotui as gr

def got(chunk):
    return None

with gr.Blocks() as demo:
    mic = gr.Audio(sources=["microphone"], streaming=STREAMING, label="AUDIOBOX")
    if STREAMING:
        mic.stream(got, mic, None)
"""


@pytest.mark.hardware
@pytest.mark.parametrize("how", ["ctrl+q", "SIGTERM"])
@pytest.mark.parametrize("streaming", [False, True], ids=["recording", "streaming"])
def test_leaving_while_recording_saves_the_take_and_is_prompt(
    tmp_path: Path, virtual_audio: Any, how: str, streaming: bool
) -> None:
    takes_dir = Path(os.environ["AUDIOTUI_RECORDINGS_DIR"])
    before = set(takes_dir.glob("take-*"))
    source = MIC_APP.replace("STREAMING", repr(streaming))
    ui = _spawn(tmp_path, source,
                audiotui_argv(tmp_path / "app.py", "--input-device", virtual_audio.mic))
    try:
        ui.wait_for("AUDIOBOX")
        # focus starts in the audio widget (the first input)
        time.sleep(2.0)  # the hardware probe answers meanwhile
        ui.press_until("r", lambda drawn: "REC" in drawn, "recording started")
        started = time.monotonic()
        time.sleep(2.0)
        recorded = time.monotonic() - started
        sent = time.monotonic()
        if how == "ctrl+q":
            ui.send("\x11")
        else:
            ui.proc.send_signal(signal.SIGTERM)
        seconds = ui.exit_time(sent, QUIT_LIMIT if how == "ctrl+q" else 2.0)
        print(f"\n{how} while {'streaming' if streaming else 'recording'}: "
              f"exit after {seconds:.3f} s")
        time.sleep(0.2)
        _restored(ui.output())
    finally:
        ui.kill()
    takes = set(takes_dir.glob("take-*")) - before
    if streaming:
        return  # a streamed microphone hands chunks to its listener; no take is kept
    assert len(takes) == 1
    info = sf.info(str(takes.pop()))
    assert info.format == "WAV"
    assert recorded - 0.3 <= info.duration <= recorded + 1.5
