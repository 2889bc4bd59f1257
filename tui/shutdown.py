"""One way out of the UI, bounded in time, whatever ends it.

Quit (ctrl+q), a closed terminal (EOF/EIO on input, a failed write, SIGHUP), SIGTERM or
SIGINT from outside and a crash of the UI all end here. The rules (issue 8):

- takes in progress are saved first (`temp.run_signal_hooks()`: the recorder closes its
  files with everything received) - on a thread of their own, so a stuck UI cannot delay it;
- the app is asked to exit, so Textual restores the terminal and the session runs its
  unload listeners as usual;
- nothing may hold the exit up: a user's function running in a thread cannot be
  interrupted, so it is abandoned (its outputs dropped). A deadline thread ends the process
  with `os._exit` (after the atexit handlers: temp store removal) when the UI has not
  finished in time - `QUIT_GRACE` after a quit, `HANGUP_GRACE` after the terminal or a
  signal - restoring the terminal itself when it is still there and Textual could not;
- a signal still ends the process *by that signal* (the exit status tells the parent), and
  a lost terminal ends it as SIGHUP would have.

Signal handlers only start the shutdown thread and return: they run on the main thread
between two bytecodes, possibly inside a lock the shutdown needs.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from types import FrameType
from typing import Any

QUIT_GRACE = 0.6
"""Seconds after ctrl+q before the process is ended even if the UI has not finished."""
HANGUP_GRACE = 1.2
"""Seconds after the terminal went away (or a signal) before the process is ended anyway."""
LOOP_RESPONSE = 0.4
"""Seconds the event loop has to run a callback before it counts as held (see `_watch`)."""
EXIT_GRACE = 0.2
"""Seconds the interpreter may spend joining threads after the UI has finished."""
ATEXIT_SECONDS = 0.4
"""Longest wait for the atexit handlers (takes, temp store removal) before `os._exit`."""

_SIGNALS = ("SIGHUP", "SIGTERM", "SIGINT")


def crash_dir() -> Path:
    """Where crash reports go: `$XDG_STATE_HOME/audiotui` (`~/.local/state/audiotui`).

    State, not cache: a report must survive a cache clean until someone reads it.
    """
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "audiotui"


def save_crash_report(text: str) -> Path | None:
    """Write `text` to a new crash file; the system temp dir if the state dir is unwritable."""
    name = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    for folder in (crash_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def describe_exception(exc: BaseException) -> tuple[str, str]:
    """(one-line summary, full traceback text) of an exception."""
    summary = " ".join(f"{type(exc).__name__}: {exc}".split())
    return summary, "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def save_takes() -> None:
    """Close every recording in progress properly (what SIGTERM/SIGHUP would do)."""
    from audiotui.media import temp

    temp.run_signal_hooks()


class Shutdown:
    """Coordinates the end of one UI run; `run_app` owns one, the app and driver report to it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.reason: str | None = None
        self.code = 0
        self.signum: int | None = None
        self.terminal_lost = False
        self.app: Any = None
        self.loop: Any = None
        self._finished = threading.Event()
        self._deadline = 0.0
        self._ending = False
        self._previous: dict[int, Any] = {}
        self._takes: threading.Thread | None = None
        self._signal_pipe: tuple[int, int] | None = None

    # -- wiring ------------------------------------------------------------------------------
    def attach(self, app: Any, loop: Any) -> None:
        self.app = app
        self.loop = loop

    def install_signal_handlers(self) -> None:
        """SIGHUP/SIGTERM/SIGINT start the shutdown (main thread; ignored signals stay so).

        The handler only writes the signal number to a pipe (async-signal-safe, no lock);
        a thread started here reads it and begins the shutdown. Starting a thread inside the
        handler could deadlock on a lock the interrupted main thread holds.
        """
        if threading.current_thread() is not threading.main_thread():
            return
        if self._signal_pipe is None:
            read_fd, write_fd = os.pipe()
            os.set_blocking(write_fd, False)
            self._signal_pipe = (read_fd, write_fd)
            threading.Thread(target=self._read_signals, args=(read_fd,),
                             name="audiotui-signals", daemon=True).start()
        for name in _SIGNALS:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            previous = signal.getsignal(signum)
            if previous is signal.SIG_IGN:
                continue  # e.g. started under nohup: the process chose to survive it
            self._previous[signum] = previous
            signal.signal(signum, self._on_signal)

    def restore_signal_handlers(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for signum, previous in self._previous.items():
            with contextlib.suppress(TypeError, ValueError):
                signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        self._previous.clear()
        if self._signal_pipe is not None:  # the reader sees EOF, closes its end and ends
            with contextlib.suppress(OSError):
                os.close(self._signal_pipe[1])
            self._signal_pipe = None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._signal_pipe is not None:
            with contextlib.suppress(OSError):
                os.write(self._signal_pipe[1], bytes([signum]))
                return
        self._from_signal(signum)  # no pipe (or it is full): begin here after all

    def _read_signals(self, read_fd: int) -> None:
        try:
            while True:
                data = os.read(read_fd, 16)
                if not data:
                    return
                for signum in data:
                    self._from_signal(signum)
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                os.close(read_fd)

    def _from_signal(self, signum: int) -> None:
        self.begin(f"signal {signal.Signals(signum).name}", code=128 + signum, signum=signum,
                   terminal_lost=signum == getattr(signal, "SIGHUP", None))

    def terminal_gone(self, why: str) -> None:
        """The terminal is gone (any thread): end as SIGHUP would have."""
        hup = getattr(signal, "SIGHUP", None)
        self.begin(f"terminal gone: {why}", code=129, signum=hup, terminal_lost=True)

    # -- the path ----------------------------------------------------------------------------
    def begin(self, reason: str, *, code: int = 0, signum: int | None = None,
              terminal_lost: bool = False) -> None:
        """Start ending the UI (idempotent; a later signal only sets how the process dies)."""
        with self._lock:
            if terminal_lost:
                self.terminal_lost = True
                self._mark_output_gone()
            if self.reason is not None:
                if signum is not None and self.signum is None:
                    self.signum, self.code = signum, code
                    # A signal during a slow quit: the shorter of the two deadlines holds.
                    self._deadline = min(self._deadline, time.monotonic() + HANGUP_GRACE)
                return
            self.reason, self.code, self.signum = reason, code, signum
            grace = QUIT_GRACE if reason == "quit" else HANGUP_GRACE
            self._deadline = time.monotonic() + grace
        self._takes = threading.Thread(target=_quietly, args=(save_takes,),
                                       name="audiotui-save-takes", daemon=True)
        self._takes.start()
        threading.Thread(target=self._watch, name="audiotui-shutdown", daemon=True).start()
        if reason != "quit":
            self._ask_app_to_exit()

    def _mark_output_gone(self) -> None:
        driver = getattr(self.app, "_driver", None)
        output = getattr(driver, "output", None)
        if output is not None:
            output.gone = True

    def _ask_app_to_exit(self) -> None:
        app, loop = self.app, self.loop
        if app is None or loop is None:
            return  # not running yet: run_app sees `reason` and does not start it
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            loop.call_soon_threadsafe(app.exit, None, self.code)

    def _watch(self) -> None:
        """The deadline: end the process unless the UI finished in time.

        A loop that does not even run a callback within `LOOP_RESPONSE` is held (a blocking
        call in an `async def`, a stuck write): waiting for it to finish is pointless, so the
        process ends as soon as the takes are saved.
        """
        responsive = threading.Event()
        loop = self.loop
        try:
            if loop is None:
                raise RuntimeError("no loop")
            loop.call_soon_threadsafe(responsive.set)
        except RuntimeError:  # not created yet, or closed: nothing will answer
            pass
        if not responsive.wait(LOOP_RESPONSE) and not self._finished.is_set():
            with self._lock:
                self._deadline = min(self._deadline, time.monotonic())
        while True:
            remaining = self._deadline - time.monotonic()
            if self._finished.wait(max(remaining, 0.0)):
                return
            if time.monotonic() >= self._deadline:
                break
        self.end_process()

    def finished(self) -> None:
        """The UI has finished on the main thread: the deadline no longer applies."""
        self._finished.set()

    @property
    def ends_process(self) -> bool:
        """True when the process must end now (a lost terminal or a signal), not return."""
        return self.reason is not None and self.reason != "quit"

    def end_process(self) -> None:
        """Restore what can be restored, save takes, run atexit handlers, then leave.

        Bounded: each step that may block runs with a timeout; then `os._exit`, or death by
        the signal that started the shutdown.
        """
        with self._lock:
            if self._ending:
                return
            self._ending = True
        if not self.terminal_lost:
            driver = getattr(self.app, "_driver", None)
            restore = getattr(driver, "restore_now", None)
            if restore is not None:
                _quietly(restore)
        if self._takes is not None:
            self._takes.join(timeout=max(self._deadline + 0.3 - time.monotonic(), 0.1))
        leave_after_atexit(self.code, self.signum)

    def arm_exit_watchdog(self) -> None:
        """After a normal end: if the interpreter's own exit hangs, end the process.

        Python first joins every non-daemon thread (a thread a user's function started may
        never end), then runs the atexit handlers (PortAudio's Pa_Terminate was seen to hang
        on a sound server). `EXIT_GRACE` after the main thread has finished, threads still
        holding the exit up get the atexit handlers run here and `os._exit`; handlers the
        interpreter is running get `ATEXIT_SECONDS`, then `os._exit`. The status is the UI's,
        or 1 if the main thread died of an exception. Nothing happens when the exit goes ahead
        on its own, and a script that goes on after `demo.launch()` keeps its main thread
        alive and is never cut short.
        """
        code = self.code
        atexit_started = threading.Event()
        atexit.register(atexit_started.set)  # registered last, so the first to run

        def blocking_threads() -> list[threading.Thread]:
            main = threading.main_thread()
            return [t for t in threading.enumerate()
                    if t is not main and not t.daemon and t.is_alive()
                    and not isinstance(t, threading._DummyThread)]

        def status() -> int:
            return code or (1 if getattr(sys, "last_value", None) is not None else 0)

        def watch() -> None:
            threading.main_thread().join()
            deadline = time.monotonic() + EXIT_GRACE
            while not atexit_started.is_set():
                if time.monotonic() >= deadline and blocking_threads():
                    leave_after_atexit(status(), None)
                time.sleep(0.02)
            time.sleep(ATEXIT_SECONDS)
            os._exit(status())

        threading.Thread(target=watch, name="audiotui-exit-watchdog", daemon=True).start()


def leave_after_atexit(code: int, signum: int | None) -> None:
    """Run the atexit handlers (bounded), flush, then end: by `signum`, else `os._exit(code)`."""

    def last_rites() -> None:
        _quietly(atexit._run_exitfuncs)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()

    rites = threading.Thread(target=last_rites, name="audiotui-atexit", daemon=True)
    rites.start()
    rites.join(timeout=ATEXIT_SECONDS)
    if signum is not None:
        with contextlib.suppress(OSError, ValueError, TypeError):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signum})
            if threading.current_thread() is threading.main_thread():
                signal.signal(signum, signal.SIG_DFL)
            else:  # signal.signal() is main-thread only; the default disposition is what
                # makes the kill below end the process by that signal
                _set_default_from_thread(signum)
            os.kill(os.getpid(), signum)
            time.sleep(0.2)
    os._exit(code)


def _set_default_from_thread(signum: int) -> None:
    """Reset a signal to SIG_DFL from a non-main thread (via the C library)."""
    import ctypes
    import ctypes.util

    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    libc.signal.restype = ctypes.c_void_p
    libc.signal.argtypes = (ctypes.c_int, ctypes.c_void_p)
    libc.signal(signum, ctypes.c_void_p(0))  # SIG_DFL is 0


def _quietly(fn: Any) -> None:
    with contextlib.suppress(BaseException):
        fn()
