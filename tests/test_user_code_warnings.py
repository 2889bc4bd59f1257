"""Warnings raised by an app's own code never take the UI down (issue 8).

`audiotui run` installs a one-line `warnings.showwarning` that writes through click; inside the
TUI, stderr is Textual's print capture, and click's probe for a binary stream (`write(b"")`)
used to reach the print log as bytes and crash it (`str + bytes`), ending the app with exit 0.
In the TUI a warning raised by a user function is a warning notice naming the app's file:line
(once per distinct message) plus a print log line; headless (Client) it is Python's stderr
warning, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import subprocess
import sys
import textwrap
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_tui_support import app_for, settle
from textual import events

import audiotui as gr
from audiotui.cli import _one_line_warning
from audiotui.tui.widgets.print_log import PrintLog

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HERE = Path(__file__).name


def _sync(x: str) -> str:
    level = np.log10(np.zeros(3))  # numpy's divide-by-zero RuntimeWarning
    warnings.warn("sync says x", stacklevel=1)
    return f"{x}:{level[0]}"


async def _async(x: str) -> str:
    await asyncio.sleep(0)
    warnings.warn("async says y", stacklevel=1)
    return x.upper()


def _gen(x: str) -> Iterator[str]:
    yield x
    warnings.warn("generator says z", stacklevel=1)
    yield x + x


async def _agen(x: str) -> AsyncIterator[str]:
    warnings.warn("async generator says w", stacklevel=1)
    yield x + "!"


def _loaded() -> str:
    warnings.warn("load says v", stacklevel=1)
    return "loaded"


def _demo() -> tuple[gr.Blocks, dict[str, Any]]:
    with gr.Blocks() as demo:
        text = gr.Textbox("a", label="in")
        outs = {name: gr.Textbox(label=name) for name in ("sync", "async", "gen", "agen")}
        on_load = gr.Textbox(_loaded, label="load")
        buttons = {name: gr.Button(name) for name in outs}
        for name, fn in (("sync", _sync), ("async", _async), ("gen", _gen), ("agen", _agen)):
            buttons[name].click(fn, text, outs[name])
    return demo, {"text": text, "outs": outs, "buttons": buttons, "load": on_load}


def _line_of(fn: Any, needle: str) -> int:
    import inspect

    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, line in enumerate(lines) if needle in line)


@pytest.fixture
def cli_warning_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    """What `audiotui run` installs before the UI starts (engine/cli/__init__.py main())."""
    monkeypatch.setattr(warnings, "showwarning", _one_line_warning)


async def test_warnings_in_every_kind_of_function_become_notices_not_a_crash(
    cli_warning_hook: None,
) -> None:
    demo, parts = _demo()
    app = app_for(demo)
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # every call warns: the notice still shows once
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            for name in ("sync", "sync", "async", "gen", "agen"):
                button = app.component_widgets[parts["buttons"][name].id]
                button.query_one("Button").press()  # a tall form: some are off-screen
                await settle(pilot)
            await pilot.pause(0.3)  # the print log takes in text at most ten times a second
            log = app.query_one(PrintLog)
            # Results are what they would be without any warning.
            values = {n: app.session.get_value(c) for n, c in parts["outs"].items()}
            assert values == {"sync": "a:-inf", "async": "A", "gen": "aa", "agen": "a!"}
            assert app.session.get_value(parts["load"]) == "loaded"
            assert app.return_code is None and app._exception is None  # still running
            notes = [n for n in app._notifications if n.severity == "warning"]
            messages = [n.message for n in notes]
            for text in ("divide by zero encountered in log10", "sync says x", "async says y",
                         "generator says z", "async generator says w", "load says v"):
                found = [m for m in messages if text in m]
                assert len(found) == 1, (text, messages)  # once per distinct message
            numpy_note = next(n for n in notes if "log10" in n.message)
            assert f"{HERE}:{_line_of(_sync, 'np.log10')}" in numpy_note.message
            assert "RuntimeWarning" in numpy_note.title + numpy_note.message
            load_note = next(n for n in notes if "load says v" in n.message)
            assert f"{HERE}:{_line_of(_loaded, 'load says v')}" in load_note.message
            # ...and the print log has a line for each warning, the numpy one with file:line.
            logged = "\n".join(log.history)
            assert "RuntimeWarning: divide by zero encountered in log10" in logged
            assert f"{HERE}:{_line_of(_sync, 'np.log10')}" in logged
            assert "UserWarning: generator says z" in logged
            assert "audiotui: warning" not in logged  # never the CLI's stderr line


async def test_bytes_written_to_stderr_reach_the_print_log_as_text() -> None:
    """click probes a stream with `write(b"")`, and then writes bytes; neither may crash."""
    with gr.Blocks() as demo:
        gr.Textbox("a")
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        log = app.query_one(PrintLog)
        # What Textual's capture posts for click's writes (headless Textual would also echo
        # them to the real stderr, which takes only str, so post as the terminal app does).
        for text in (b"", b"raw bytes line\n", "text line\n"):
            log.post_message(events.Print(text, stderr=True))  # type: ignore[arg-type]
        await settle(pilot)
        await pilot.pause(0.3)
        assert log.history[-2:] == ["raw bytes line", "text line"]
        assert app._exception is None


def test_client_headless_warning_goes_to_stderr_once_and_result_is_unchanged(
    tmp_path: Path,
) -> None:
    app = tmp_path / "warn_app.py"
    app.write_text(textwrap.dedent("""
        import warnings
        import numpy as np
        import gradio as gr

        def go(x):
            level = np.log10(np.zeros(2))
            warnings.warn("from the app")
            return f"{x}:{level[0]}"

        demo = gr.Interface(go, "text", "text")
    """))
    script = textwrap.dedent(f"""
        import audiotui as gr
        with gr.Client({str(app)!r}) as c:
            print(c.predict("a"))
            print(c.predict("b"))
    """)
    proc = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["a:-inf", "b:-inf"]
    assert proc.stderr.count("RuntimeWarning: divide by zero encountered in log10") == 1
    assert proc.stderr.count("UserWarning: from the app") == 1
    assert "warn_app.py:" in proc.stderr


WARN_APP = """
import warnings
import numpy as np
import audiotui as gr

def go(x):
    level = np.log10(np.zeros(3))
    warnings.warn("x")
    return f"{x}:{level[0]}"

with gr.Blocks() as demo:
    t = gr.Textbox("a", label="in")
    o = gr.Textbox(label="out")
    b = gr.Button("go")
    b.click(go, t, o)
"""


def _read_until(fd: int, out: bytearray, seconds: float) -> bool:
    import select

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return False
            if not data:
                return False
            out.extend(data)
    return True


def _plain(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return re.sub(r"\x1b\[[0-9;?<>=]*[a-zA-Z]|\x1b[()][0-9A-Z]|\x1b\][^\x07]*\x07", "", text)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_real_terminal_warning_is_a_toast_and_the_app_keeps_running(tmp_path: Path) -> None:
    """`audiotui run` in a real pty: click the button, the app survives and shows the toast."""
    import fcntl
    import pty
    import struct
    import termios

    app = tmp_path / "warnapp.py"
    app.write_text(WARN_APP)
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        env["TERM"] = "xterm-256color"
        os.execve(PYTHON, [PYTHON, "-m", "audiotui", "run", str(app)], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    out = bytearray()
    try:
        _read_until(fd, out, 4)
        for key in (b"\t", b"\r"):  # focus starts in the Textbox: one Tab to the button
            os.write(fd, key)
            _read_until(fd, out, 1.0)
        _read_until(fd, out, 2)
        screen = _plain(bytes(out))
        ended, _ = os.waitpid(pid, os.WNOHANG)
        assert ended == 0, "the app ended after the warning:\n" + screen[-3000:]
        assert "Traceback" not in screen, screen[-3000:]
        assert "divide by zero encountered in log10" in screen
        os.write(fd, b"\x11")  # ctrl+q
        _read_until(fd, out, 5)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, 9)  # only if ctrl+q did not end it
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        os.close(fd)
