"""PrintLog: the user's print() output, captured so it never writes over the screen.

Bounded. An app that prints in a loop used to keep every line twice (a Python list and
RichLog's deferred renders, which pile up while the log is hidden and its size unknown):
200k lines took the process from 90 MB to over 1 GB. Now the widget keeps a ring of the last
`RING_LINES` lines and appends everything to a file in the private temp store, whose path the
log's title shows (`path`). Writes are batched and drawn at most every `REDRAW_INTERVAL`
seconds, and only while the log is open, so a print storm costs a list append per write.

Text arrives from any thread: `print()` in a function running on a worker thread reaches us
through Textual's print capture, and subprocess output (fd 1/fd 2) through `write_text`.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from pathlib import Path
from typing import IO, Any

from textual import events
from textual.message import Message
from textual.widgets import RichLog

RING_LINES = 2000
"""Lines kept in memory and shown; older ones are only in the file."""

REDRAW_INTERVAL = 0.1
"""At most ten batches (and redraws) a second, however fast the app prints."""

PENDING_CHARS = 256 * 1024
"""Queued text beyond this is moved to the file by the writing thread (bounds memory)."""

BURST_LINES = 200
"""A batch with more lines than this draws only its newest lines: rendering a 2,000-line tail
ten times a second kept the UI thread busy (1M lines: 68 s with the log open against 16 s
hidden, in one run on a loaded machine). Nobody reads a burst; the ten visible rows show its
end, and once the burst is over the whole ring is drawn once, for scrolling back."""

SETTLE_DELAY = 0.3
"""Seconds without a burst batch before the whole ring is drawn again."""

PARTIAL_CHARS = 64 * 1024
"""The unfinished last line keeps at most this much (the file has all of it)."""


def _after_return(line: str) -> str:
    """What a terminal shows of a line rewritten with carriage returns (a tqdm bar): the
    last part. Without this a bar that never prints a newline grew one line forever."""
    return line.rstrip("\r").rpartition("\r")[2]


class PrintLog(RichLog):
    """Hidden until toggled (ctrl+l); counts lines that arrived while hidden.

    Attributes:
        unseen: lines that arrived while the log was hidden.
        total_lines: every complete line written so far.
        path: the file holding every line, or None before the first line (or when the temp
            store could not be written).
    """

    DEFAULT_CSS = """
    PrintLog { height: 10; dock: bottom; border-top: solid $panel; display: none; }
    PrintLog.-open { display: block; }
    """
    """Docked at the bottom, ten lines, hidden by default."""

    def __init__(self, *, ring_lines: int = RING_LINES, **kwargs: Any) -> None:
        super().__init__(wrap=True, markup=False, highlight=False, max_lines=ring_lines,
                         **kwargs)
        self.ring_lines = ring_lines
        self.unseen = 0
        self.total_lines = 0
        self.path: Path | None = None
        self._ring: deque[str] = deque(maxlen=ring_lines)
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self._pending_chars = 0
        self._undrawn: deque[str] = deque(maxlen=ring_lines)  # lines not drawn yet
        self._undrawn_count = 0
        self._armed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._last_drain = 0.0
        self._partial = ""
        self._file: IO[str] | None = None
        self._file_failed = False
        self._stale = False  # lines came while hidden: the drawn lines lag behind the ring
        self._bursting = False  # only a burst's newest lines are drawn; the ring follows
        self._last_burst = 0.0
        self._stop_warnings: Any = None
        self._closed = False

    # -- writing ------------------------------------------------------------------------------
    @property
    def history(self) -> list[str]:
        """The last `ring_lines` complete lines, oldest first (the whole log is in `path`)."""
        with self._lock:
            return list(self._ring)

    def write_text(self, text: str | bytes) -> None:
        """Append `text` (any chunk of output: partial lines, several lines) to the log.

        Thread-safe and cheap: callable from any thread (the user's worker threads, a thread
        reading a subprocess's fd 1/fd 2); the UI thread draws what arrived at most every
        `REDRAW_INTERVAL` seconds. Bytes are decoded as UTF-8 (click, for one, writes bytes
        to a stream it takes as binary). Text queued beyond `PENDING_CHARS` is moved to the
        file and the ring by the writing thread itself, so memory stays bounded even while
        the UI thread cannot keep up (a tight print loop holds the GIL).
        """
        if isinstance(text, (bytes, bytearray)):
            text = bytes(text).decode("utf-8", "replace")
        if not text or self._closed:
            return
        with self._lock:
            self._pending.append(text)
            self._pending_chars += len(text)
            if self._pending_chars > PENDING_CHARS:
                self._absorb_locked()
            if self._armed or self._loop is None:
                return
            self._armed = True
            loop = self._loop
        with contextlib.suppress(RuntimeError):  # the loop closed: the app is gone
            loop.call_soon_threadsafe(self._arm)

    def post_message(self, message: Message) -> bool:
        """Captured prints are handled here, on the printing thread, not queued one by one.

        Textual posts one `Print` event per `write()` (two per `print()` call); a million of
        them queued as messages is what made a print storm slow and large.
        """
        if isinstance(message, events.Print):
            self.write_text(message.text)
            return True
        return super().post_message(message)

    def on_print(self, event: events.Print) -> None:
        """A Print that reached the queue anyway (posted around `post_message`)."""
        self.write_text(event.text)

    def flush(self) -> None:
        """Draw everything written so far now (on the UI thread; tests, benchmarks)."""
        self._drain()

    def _arm(self) -> None:
        delay = max(0.0, self._last_drain + REDRAW_INTERVAL - time.monotonic())
        if self._loop is not None:
            self._loop.call_later(delay, self._drain)

    def _absorb_locked(self) -> None:
        """Pending text -> file, complete lines -> ring and the not-yet-drawn lines (any
        thread, lock held)."""
        if not self._pending:
            return
        joined = "".join(self._pending)
        self._pending = []
        self._pending_chars = 0
        self._to_file(joined)
        *lines, partial = (self._partial + joined).split("\n")
        if "\r" in joined:  # progress bars redraw one line: show what the terminal would
            lines = [_after_return(line) for line in lines]
            partial = _after_return(partial)
        self._partial = partial[-PARTIAL_CHARS:]
        if lines:
            self.total_lines += len(lines)
            self._ring.extend(lines)
            self._undrawn.extend(lines)
            self._undrawn_count += len(lines)

    def _drain(self) -> None:
        with self._lock:
            self._armed = False
            if self._closed:
                return
            self._absorb_locked()
            lines, count = list(self._undrawn), self._undrawn_count
            self._undrawn.clear()
            self._undrawn_count = 0
        self._last_drain = time.monotonic()
        if not count:
            return
        if self.is_open and not self._stale:
            if count > BURST_LINES:
                self.clear()
                self.write("\n".join(lines[-BURST_LINES:]))
                self._last_burst = self._last_drain
                if not self._bursting and self._loop is not None:
                    self._bursting = True
                    self._loop.call_later(SETTLE_DELAY, self._settle)
            else:
                self.write("\n".join(lines))
        else:
            self._stale = True
            if not self.is_open:
                self.unseen += count
        self._update_title()

    def _to_file(self, text: str) -> None:
        if self._file is None and not self._file_failed:
            try:
                from audiotui.media.temp import temp_path

                self.path = temp_path(".log", prefix="audiotui-print-")
                self._file = open(self.path, "a", encoding="utf-8", errors="replace")  # noqa: SIM115
            except OSError:
                self._file_failed = True  # the ring still works; the title says so
                self.path = None
        if self._file is not None:
            try:
                self._file.write(text)
                self._file.flush()  # so `tail -f` on the shown path follows along
            except (OSError, ValueError):
                self._file = None
                self._file_failed = True

    def _update_title(self) -> None:
        kept = min(self.total_lines, self.ring_lines)
        if self.path is not None:
            where = f" (all in {self.path})"
        elif self._file_failed:
            where = " (the log file could not be written)"
        else:
            where = ""
        if self.total_lines == 0:  # an empty pane must not look broken
            self.border_title = "print log: nothing printed yet (ctrl+l closes)"
        elif self.total_lines > kept:
            self.border_title = f"print log: last {kept} of {self.total_lines} lines{where}"
        else:
            self.border_title = f"print log: {self.total_lines} lines{where}"

    # -- showing ------------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def _settle(self) -> None:
        """A burst is over: draw the whole ring once (the log can be scrolled back again)."""
        if not self._bursting or self._closed:
            return
        wait = self._last_burst + SETTLE_DELAY - time.monotonic()
        if wait > 0 and self._loop is not None:
            self._loop.call_later(wait, self._settle)
            return
        self._bursting = False
        if self.is_open:
            self._redraw_all()
        else:
            self._stale = True

    def _redraw_all(self) -> None:
        """Draw the ring from scratch; lines taken in but not drawn yet are part of it."""
        with self._lock:
            self._absorb_locked()
            ring = list(self._ring)
            self._undrawn.clear()
            self._undrawn_count = 0
        self._stale = False
        self.clear()
        if ring:
            self.write("\n".join(ring))
        self._update_title()

    def toggle(self) -> None:
        self.toggle_class("-open")
        if self.is_open:
            self.unseen = 0
            if self._stale:
                self._redraw_all()

    # -- lifetime -----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self._update_title()
        with self._lock:
            self._loop = asyncio.get_running_loop()
            if self._pending and not self._armed:
                self._armed = True
                self._loop.call_soon(self._arm)
        # Warnings raised inside this app's functions are notices and print log lines, never
        # text on the terminal (where the UI draws): see audiotui.user_warnings.
        session = getattr(self.app, "session", None)
        if session is not None:
            from audiotui.user_warnings import route_warnings

            self._stop_warnings = route_warnings(session, self.write_text)

    def on_unmount(self) -> None:
        if self._stop_warnings is not None:
            self._stop_warnings()
            self._stop_warnings = None
        with self._lock:
            self._loop = None
        self._drain()
        with self._lock:
            self._closed = True
            if self._file is not None:
                with contextlib.suppress(OSError):
                    self._file.close()
                self._file = None
