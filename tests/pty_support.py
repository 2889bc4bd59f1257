"""Run `python -m audiotui run APP` on a real pseudo-terminal, as a terminal emulator would.

The child is a session leader whose controlling terminal is the pty, so closing the master
side is exactly what an SSH drop or a killed tmux does to it: the kernel hangs the terminal
up (SIGHUP to the session, EIO/EOF on reads). Tests use generous waits for start-up (a busy
2-core machine imports Textual slowly) and strict bounds only for the exit.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT = 60.0
"""Seconds the first frame may take (imports on a loaded machine); not what is tested."""


def _make_controlling_terminal() -> None:
    """In the child, after setsid(): take fd 0 (the pty) as the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _make_controlling_terminal_ignoring_sighup() -> None:
    """As `nohup` would: the hang-up is then seen only as EOF/EIO on the terminal.

    Also what a process that is not the one the kernel signals sees (a job whose shell
    died without passing SIGHUP on).
    """
    _make_controlling_terminal()
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


class PtyProcess:
    """One child on a fresh 80x24 pty; a reader thread keeps everything it draws."""

    def __init__(self, argv: list[str], *, env: dict[str, str] | None = None,
                 cwd: Path | None = None, cols: int = 80, rows: int = 24,
                 sighup_ignored: bool = False) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {**os.environ, **(env or {}), "TERM": "xterm"}
        for name in ("COLUMNS", "LINES", "TEXTUAL", "TEXTUAL_DRIVER"):
            full_env.pop(name, None)
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=cwd,
            start_new_session=True, close_fds=True,
            preexec_fn=(_make_controlling_terminal_ignoring_sighup if sighup_ignored
                        else _make_controlling_terminal),
        )
        os.close(slave)
        self.master: int | None = master
        self._data = bytearray()
        self._lock = threading.Lock()
        self._close_requested = threading.Event()
        self._closed = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.closed_at: float | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        """Keep what the child draws; close the master here when asked (see `hang_up`)."""
        fd = self.master
        assert fd is not None
        while True:
            if self._close_requested.is_set():
                self.master = None
                os.close(fd)
                self.closed_at = time.monotonic()
                self._closed.set()
                return
            ready, _, _ = select.select([fd], [], [], 0.02)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:  # the child closed its side; wait for the close request
                self._close_requested.wait()
                continue
            with self._lock:
                self._data.extend(chunk)

    def output(self) -> str:
        with self._lock:
            return self._data.decode("utf-8", "replace")

    def wait_for(self, text: str, timeout: float = STARTUP_TIMEOUT) -> None:
        """Until `text` was drawn (or the child died / time ran out: AssertionError)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.proc.poll() is not None:
                time.sleep(0.2)
                if text in self.output():
                    return
                raise AssertionError(
                    f"exited ({self.proc.returncode}) before {text!r} appeared; "
                    f"output tail: {self.output()[-2000:]!r}"
                )
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; output tail: {self.output()[-2000:]!r}")

    def wait_until(self, check: Callable[[], bool], what: str,
                   timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"exited ({self.proc.returncode}) before {what}")
            time.sleep(0.05)
        raise AssertionError(f"{what} never happened; output tail: {self.output()[-1500:]!r}")

    def press_until(self, key: str, check: Callable[[str], bool], what: str, *,
                    tries: int = 6, each: float = 5.0) -> None:
        """Press `key` until `check(output drawn since)` holds.

        A key pressed before the widget could act on it (the hardware probe still running
        on a busy machine) is pressed again; `each` is long enough that a toggle that did
        work is seen before the next press.
        """
        for _ in range(tries):
            before = len(self.output())
            self.send(key)
            deadline = time.monotonic() + each
            while time.monotonic() < deadline:
                if check(self.output()[before:]):
                    return
                if self.proc.poll() is not None:
                    raise AssertionError(f"exited ({self.proc.returncode}) before {what}")
                time.sleep(0.05)
        raise AssertionError(f"{what} never happened; output tail: {self.output()[-1500:]!r}")

    def send(self, data: str | bytes) -> None:
        assert self.master is not None
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def hang_up(self) -> float:
        """Close the master side: the terminal is gone. Returns the moment it happened.

        The reader thread closes it between two reads: a close() while another thread sits
        in read() on the same fd is deferred by the kernel until that read returns, so the
        terminal would not really hang up while the child draws nothing.
        """
        self._close_requested.set()
        if not self._closed.wait(5.0):
            raise AssertionError("the master fd could not be closed")
        assert self.closed_at is not None
        return self.closed_at

    def exit_time(self, since: float, limit: float) -> float:
        """Seconds from `since` until the child was gone; AssertionError beyond `limit`."""
        try:
            self.proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"still running {limit} s later; threads: {threads_of(self.pid)}"
            ) from None
        return time.monotonic() - since

    def session_members(self) -> list[int]:
        """Processes still in the child's session (its children included), the child too."""
        return session_members(self.pid)

    def kill(self) -> None:
        for pid in [*self.session_members(), self.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._close_requested.set()
        self._closed.wait(5.0)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)


def session_members(sid: int) -> list[int]:
    """Pids whose session id is `sid` (zombies excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        state, session = fields[0], int(fields[3])
        if session == sid and state != "Z":
            found.append(int(entry.name))
    return found


def threads_of(pid: int) -> list[str]:
    try:
        return [(t / "comm").read_text().strip() for t in Path(f"/proc/{pid}/task").iterdir()]
    except OSError:
        return []


def audiotui_argv(app: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "audiotui", "run", str(app), *args]


def wait_for_file(path: Path, timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")
