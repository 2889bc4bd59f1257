"""The terminal under the UI: notice when it is gone, give it back on exit, keep fds 1/2 off it.

Textual's `LinuxDriver` reads the terminal in a thread that, on EOF, leaves its read loop but
keeps selecting a descriptor that is readable forever (a core spent on a dead pty, the
process never ending), and on EIO asks the app to panic. After an SSH drop or a killed tmux
both happen. `TerminalDriver` reports either as "the terminal is gone" to the app, which
runs the one shutdown path (`audiotui.tui.shutdown`). Its output side stops writing once the
terminal is gone, so a drawing never blocks or raises on a dead pty.

User code runs in this process and writes to fd 1 and fd 2 (`os.write`, C libraries,
subprocesses inheriting them) where the screen is drawn. `OutputCapture` points both at a
pipe whose text goes to the print log; Textual draws on its own duplicate of the terminal.

POSIX only: imported by `tui/app.py` where Textual would use `LinuxDriver`.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fcntl
import os
import selectors
import sys
import termios
import threading
from collections.abc import Callable
from typing import Any, TextIO

from textual import events
from textual.drivers.linux_driver import LinuxDriver

RESTORE_SEQUENCE = (
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"  # mouse tracking off
    "\x1b[?2004l"  # bracketed paste off
    "\x1b[?2048l"  # in-band resize reports off
    "\x1b[?7h"  # line wrap back on
    "\x1b[<u"  # kitty keyboard protocol off (before leaving the alternate screen)
    "\x1b[?1049l"  # leave the alternate screen
    "\x1b[?25h"  # cursor on
    "\x1b[?1004l"  # focus reports off
)
"""Everything Textual's application mode turned on, turned off (its stop order)."""


class TerminalOutput:
    """The file Textual's writer thread draws to, until the terminal is gone.

    A failed write (EIO on a hung-up pty, EPIPE) reports the loss once and turns every later
    write into a no-op: the writer thread must never die (its queue would fill and block the
    event loop) nor keep failing.
    """

    def __init__(self, file: TextIO, on_gone: Callable[[str], None]) -> None:
        self._file = file
        self._on_gone = on_gone
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self._file.write(text)
            except (OSError, ValueError) as exc:
                self._lost(exc)
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._file.flush()
            except (OSError, ValueError) as exc:
                self._lost(exc)

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return True

    def _lost(self, exc: BaseException) -> None:
        self.gone = True
        self._on_gone(f"writing to the terminal failed ({exc})")


class TerminalDriver(LinuxDriver):
    """`LinuxDriver` that ends the app when its terminal goes away, and can restore it.

    The app passed in may define `terminal_gone(why: str)` (called from the input or writer
    thread); `AudiotuiApp` hands it to its shutdown coordinator.
    """

    def __init__(self, app: Any, *, debug: bool = False, mouse: bool = True,
                 size: tuple[int, int] | None = None) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self.output = TerminalOutput(self._file, self._report_gone)  # type: ignore[arg-type]
        self._file = self.output  # type: ignore[assignment]
        self.in_application_mode = False
        self._gone_reported = False

    def _report_gone(self, why: str) -> None:
        if self._gone_reported:
            return
        self._gone_reported = True
        self.output.gone = True
        hook = getattr(self._app, "terminal_gone", None)
        if hook is not None:
            hook(why)

    def process_message(self, message: Any) -> None:
        """Keys are shown to the app's `key_from_terminal(key)` on this (the input) thread
        first: ctrl+q must work even while a blocking user function holds the event loop."""
        if isinstance(message, events.Key):
            hook = getattr(self._app, "key_from_terminal", None)
            if hook is not None:
                hook(message.key)
        super().process_message(message)

    def _get_terminal_size(self) -> tuple[int, int]:
        """Ask the terminal Textual draws on: fd 1 is a pipe while `OutputCapture` runs."""
        try:
            size = os.get_terminal_size(self.output.fileno())
        except (OSError, ValueError):
            return super()._get_terminal_size()
        columns = int(os.environ.get("COLUMNS", "0") or 0) or size.columns or 80
        lines = int(os.environ.get("LINES", "0") or 0) or size.lines or 25
        return columns, lines

    def start_application_mode(self) -> None:
        super().start_application_mode()  # type: ignore[no-untyped-call]
        self.in_application_mode = True

    def stop_application_mode(self) -> None:
        super().stop_application_mode()
        self.in_application_mode = False

    def restore_now(self) -> None:
        """Give the terminal back from any thread when Textual cannot (its loop is stuck).

        Written straight to the terminal, non-blocking (a terminal that stopped reading must
        not hold the exit up), after which the writer thread draws nothing more.
        """
        if not self.in_application_mode or self.output.gone:
            return
        self.output.gone = True
        self.in_application_mode = False
        with contextlib.suppress(OSError, ValueError):
            fd = self.output.fileno()
            flags = fcntl.fcntl(fd, fcntl.F_GETFL)
            # The flag belongs to the open file the shell shares: put it back afterwards.
            fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)
            try:
                os.write(fd, RESTORE_SEQUENCE.encode())
            finally:
                fcntl.fcntl(fd, fcntl.F_SETFL, flags)
        if self.attrs_before is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.fileno, termios.TCSANOW, self.attrs_before)

    def run_input_thread(self) -> None:
        """Textual's input loop, except that EOF and EIO mean "the terminal is gone".

        (Textual `break`s out of its event loop on EOF but keeps selecting a descriptor that
        is readable forever, and panics on EIO.) A piped, non-terminal stdin that ends is
        only the end of input: the loop then waits for the exit without reading.
        """
        from textual._xterm_parser import XTermParser

        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        reading = True
        try:
            while not self.exit_event.is_set():
                if not reading:
                    self.exit_event.wait(0.1)
                    continue
                if selector.select(0.1):
                    try:
                        data = os.read(self.fileno, 4096)
                    except OSError as exc:
                        if exc.errno in (errno.EINTR, errno.EAGAIN):
                            continue
                        self._report_gone(f"reading the terminal failed ({exc.strerror})")
                        return
                    if not data:
                        if self.input_tty:
                            self._report_gone("the terminal was closed")
                            return
                        reading = False
                        continue
                    for event in parser.feed(decode(data)):
                        self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()


class OutputCapture:
    """Points fds 1 and 2 at a pipe and hands what arrives to `sink(text)` (print log).

    Started once the UI owns the terminal (Textual draws on a duplicate, never fd 1/2);
    `stop()` puts the old descriptors back, so whatever is written after the UI has gone
    (an error line, an atexit print) reaches the terminal again. The reader is a daemon
    thread: a subprocess still holding the pipe never holds the exit up.
    """

    def __init__(self, sink: Callable[[str], None]) -> None:
        self._sink = sink
        self._saved: dict[int, int] = {}
        self._reader: threading.Thread | None = None
        self._read_fd: int | None = None

    def start(self, keep: int) -> bool:
        """Capture fds 1 and 2, except `keep` (the fd Textual draws on). False: nothing done."""
        targets = [fd for fd in (1, 2) if fd != keep]
        if not targets:
            return False
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return False
        try:
            for fd in targets:
                self._saved[fd] = os.dup(fd)
                os.dup2(write_fd, fd)
        except OSError:
            self.stop()
            os.close(read_fd)
            os.close(write_fd)
            return False
        os.close(write_fd)
        self._read_fd = read_fd
        self._reader = threading.Thread(target=self._read, name="audiotui-fd-capture",
                                        daemon=True)
        self._reader.start()
        return True

    def _read(self) -> None:
        fd = self._read_fd
        assert fd is not None
        decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return
            if not data:
                return
            text = decode(data)
            if text:
                with contextlib.suppress(Exception):  # the log is best effort, never fatal
                    self._sink(text)

    def stop(self) -> None:
        """Back to the previous fds 1/2 (idempotent).

        The reader is not waited for: it ends when the last copy of the pipe's write end
        closes, which a subprocess or a `quiet_stderr()` in progress may hold a while.
        """
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        saved, self._saved = self._saved, {}
        for fd, copy in saved.items():
            with contextlib.suppress(OSError):
                os.dup2(copy, fd)
            with contextlib.suppress(OSError):
                os.close(copy)
