"""Opening the UI: `make_app` (what tests drive) and `run_app` (`audiotui run`, `launch()`).

Kept apart from the App class: running in a real terminal is about signals, the one bounded
shutdown, fds 1/2 and a terminal that may already be gone - none of which a Pilot test or
the widgets need to read.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import Any, TypedDict

from typing_extensions import Unpack

from audiotui.tui.app import AudiotuiApp


class UIOptions(TypedDict, total=False):
    """What `audiotui run` (and `demo.launch()`) may say about the UI; all optional."""

    input_device: int | str | None
    output_device: int | str | None
    ascii: bool
    fps: int
    mouse: bool
    startup_notices: list[tuple[str, str]] | None


def make_app(blocks: Any, **options: Unpack[UIOptions]) -> AudiotuiApp:
    """The app `audiotui run` and `demo.launch()` open; tests drive exactly this."""
    return AudiotuiApp(blocks, **options)


def run_app(blocks: Any, **options: Unpack[UIOptions]) -> None:
    """Open the UI in this terminal until the user quits (or the terminal goes away).

    Every way out goes through one `Shutdown` (tui/shutdown.py): takes are saved, the
    terminal is restored when it is still there, and nothing - a function that never
    returns, a dead pty - keeps the process alive past its deadline. A lost terminal or a
    signal ends the process here; a crash of the UI prints one line and exits with status 1.
    """
    from audiotui.media.temp import install_signal_handlers
    from audiotui.tui.shutdown import Shutdown

    # The temp store's handlers stay the fallback outside the UI's run (and chain to it).
    install_signal_handlers()
    shutdown = Shutdown()
    shutdown.install_signal_handlers()
    _keep_native_stderr_off_screen()
    app = make_app(blocks, **options)
    app.shutdown = shutdown
    loop = asyncio.new_event_loop()
    shutdown.attach(app, loop)
    if _terminal_hung_up():  # gone before the UI started (SIGHUP ignored, as under nohup)
        shutdown.terminal_gone("the terminal was closed before the UI started")
    try:
        if shutdown.reason is None:  # a signal may already have come
            # Our own loop: asyncio.run() would join the default executor's threads.
            app.run(mouse=options.get("mouse", True), loop=loop)
    finally:
        if app.output_capture is not None:
            app.output_capture.stop()
        shutdown.finished()
    if shutdown.ends_process:
        shutdown.end_process()  # a lost terminal or a signal: never returns
    shutdown.restore_signal_handlers()
    with contextlib.suppress(Exception):
        loop.close()
    if app.crash is not None:
        summary, path = app.crash
        where = f"traceback saved to {path}" if path is not None else "no traceback saved"
        print(f"audiotui: error: the UI crashed: {summary}; {where}", file=sys.stderr,
              flush=True)
        shutdown.code = 1
    else:
        shutdown.code = app.return_code or 0
    if getattr(app, "_driver", None) is not None:  # the UI really ran (not a stubbed run)
        shutdown.arm_exit_watchdog()
    if shutdown.code:
        raise SystemExit(shutdown.code)


def _terminal_hung_up() -> bool:
    """True when stdin is a terminal that has already hung up (poll says POLLHUP)."""
    import select

    try:
        if not sys.__stdin__ or not sys.__stdin__.isatty():
            return False
        poller = select.poll()
        poller.register(sys.__stdin__.fileno(), select.POLLIN)
        return any(mask & select.POLLHUP for _, mask in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def _keep_native_stderr_off_screen() -> None:
    """ALSA/JACK print from C straight to fd 2, where Textual draws; give them /dev/null.

    `divert_native_stderr` moves Python's stderr onto a duplicate of the terminal; Textual
    writes to `sys.__stderr__`, so point that at the duplicate too.
    """
    if not sys.__stderr__ or not sys.__stderr__.isatty():
        return
    from audiotui.media.devices import divert_native_stderr

    divert_native_stderr()
    sys.__stderr__ = sys.stderr  # type: ignore[misc]
