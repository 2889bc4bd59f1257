"""The private temp store: one 0700 directory per process, removed at exit and on signals.

Every audio value the engine writes (returned arrays, conversions for `type="filepath"`,
downloads) lands here, so a user's own files are never touched and nothing is left behind.

Cleanup runs from `atexit` (normal exit, uncaught exceptions, KeyboardInterrupt) and from
handlers for SIGINT, SIGTERM and SIGHUP. Those handlers *chain*: after (or instead of) cleaning
up they hand the signal to whatever handler was installed before, so Ctrl-C still raises
`KeyboardInterrupt` and an application's own SIGTERM handler still runs. When the previous
handler was Python's default SIGINT handler the directory is *not* removed in the handler,
because a program may catch `KeyboardInterrupt` and carry on using its files; `atexit` removes
it when the interpreter really exits. A forked child never removes its parent's directory.

A SIGKILLed process cannot clean up, so each directory holds an owner marker (`.owner`: pid and
the process's start time) and creating a store removes the `audiotui-*` directories of this user
whose owner is dead (a live pid with another start time is a reused pid: dead too). A directory
without the marker (an older version's, or not ours) is never touched.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

_lock = threading.RLock()
_dir: Path | None = None
_owner_pid: int | None = None
_atexit_registered = False
_signals_installed = False
_previous: dict[int, Any] = {}
_signal_hooks: list[Callable[[], None]] = []

_CLEANUP_SIGNALS: tuple[str, ...] = ("SIGINT", "SIGTERM", "SIGHUP")
PREFIX = "audiotui-"
OWNER_FILE = ".owner"


def process_start(pid: int) -> str:
    """An identifier of when process `pid` started ("" if unknown), to tell a reused pid apart.

    Linux: field 22 of /proc/<pid>/stat (clock ticks since boot). Elsewhere "" and liveness
    falls back to the pid alone.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The command name (field 2) is in parentheses and may contain spaces: split after it.
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else ""


def process_alive(pid: int, start: str) -> bool:
    """Is process `pid` still the one that started at `start` (see `process_start`)?"""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    except OSError:
        return False
    # A different start time means the pid was reused by a later process.
    return not start or process_start(pid) in ("", start)


def _remove_stale_dirs(root: Path) -> None:
    """Remove this user's `audiotui-*` stores whose owner process is gone (SIGKILL, power cut)."""
    try:
        candidates = list(root.glob(PREFIX + "*"))
    except OSError:
        return
    uid = os.getuid() if hasattr(os, "getuid") else None
    for folder in candidates:
        with contextlib.suppress(OSError, ValueError):
            info = folder.lstat()
            if not folder.is_dir() or folder.is_symlink():
                continue
            if uid is not None and info.st_uid != uid:
                continue
            marker = (folder / OWNER_FILE).read_text().split()
            pid, start = int(marker[0]), (marker[1] if len(marker) > 1 else "")
            if pid != os.getpid() and not process_alive(pid, start):
                shutil.rmtree(folder, ignore_errors=True)


def temp_dir() -> Path:
    """The process's private directory (mode 0700), created on first use.

    Creating it first sweeps away the stores of dead processes (see the module docstring).

    Signal handlers can only be installed from the main thread; if the first call comes from a
    worker thread, installation is retried on later calls from the main thread (`atexit`
    covers normal exits meanwhile).
    """
    global _dir, _owner_pid, _atexit_registered
    with _lock:
        if _dir is None or _owner_pid != os.getpid() or not _dir.is_dir():
            _remove_stale_dirs(Path(tempfile.gettempdir()))
            _dir = Path(tempfile.mkdtemp(prefix=PREFIX))
            os.chmod(_dir, 0o700)
            _owner_pid = os.getpid()
            with contextlib.suppress(OSError):
                (_dir / OWNER_FILE).write_text(f"{_owner_pid} {process_start(_owner_pid)}\n")
        if not _atexit_registered:
            atexit.register(cleanup)
            _atexit_registered = True
        _install_signal_handlers()
        return _dir


def temp_path(suffix: str, prefix: str = "audiotui-") -> Path:
    """A new, empty, uniquely named file (mode 0600) inside `temp_dir()`.

    The file is created (not just named) so two threads can never be handed the same path.
    """
    if suffix and not suffix.startswith("."):
        suffix = "." + suffix
    fd, name = tempfile.mkstemp(suffix=suffix, prefix=prefix, dir=temp_dir())
    os.close(fd)
    os.chmod(name, 0o600)
    return Path(name)


def cleanup() -> None:
    """Remove the temp directory now (only in the process that created it)."""
    global _dir
    with _lock:
        if _dir is not None and _owner_pid == os.getpid():
            shutil.rmtree(_dir, ignore_errors=True)
            _dir = None


def add_signal_hook(hook: Callable[[], None]) -> None:
    """Run `hook` when SIGTERM/SIGHUP ends the process, before the temp store is removed.

    The recorder uses this to close its files properly (a final header with everything
    received) when an SSH session drops, instead of dying mid-write.
    """
    with _lock:
        if hook not in _signal_hooks:
            _signal_hooks.append(hook)


def run_signal_hooks() -> None:
    """Run the signal hooks now (close takes...), without cleaning up or ending anything.

    For a front end that handles SIGTERM/SIGHUP itself (the TUI ends through one shutdown
    path that also restores the terminal) and still owes the hooks their run.
    """
    with _lock:
        hooks = list(_signal_hooks)
    for hook in hooks:
        with contextlib.suppress(Exception):  # ending anyway: the others must still run
            hook()


def install_signal_handlers() -> None:
    """Install the cleanup handlers now (main thread only; later calls do nothing)."""
    with _lock:
        _install_signal_handlers()


def _install_signal_handlers() -> None:
    global _signals_installed
    if _signals_installed or threading.current_thread() is not threading.main_thread():
        return
    for name in _CLEANUP_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is None:  # SIGHUP does not exist on Windows
            continue
        previous = signal.getsignal(signum)
        if previous is signal.SIG_IGN:
            continue  # the process chose to survive this signal, so its files must too
        _previous[signum] = previous
        signal.signal(signum, _on_signal)
    _signals_installed = True


def _on_signal(signum: int, frame: FrameType | None) -> None:
    previous = _previous.get(signum, signal.SIG_DFL)
    if previous is signal.default_int_handler:
        # KeyboardInterrupt may be caught and the program go on; atexit cleans up at real exit.
        previous(signum, frame)
        return
    for hook in list(_signal_hooks):
        with contextlib.suppress(Exception):  # dying anyway: the others and cleanup must run
            hook()
    cleanup()
    if callable(previous):
        handler: Callable[[int, FrameType | None], Any] = previous
        handler(signum, frame)
        return
    # SIG_DFL or None (a handler installed from C): die of the signal as we would have,
    # so the exit status still tells the parent what happened.
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
