"""What `audiotui record` shows while it runs: the live status line, human lines, JSON events.

Three audiences. A person at a terminal gets one status line redrawn in place a few times a
second (elapsed `[h:]mm:ss.f`, file, size, a level per channel with a clip marker); it never
wraps, so 16 or 32 channels do not scroll the terminal: each channel gets what the width
allows (a bar and its dBFS figure, or one level glyph). Lines that must stay (alarms, a new
file, a gap) are printed above it. A script gets `--json` events on stdout (one JSON object
per line, `"event"` first) and nothing drawn. A log file or pipe on stderr gets the human
lines and no status line: nothing extra (stdout, which only carries saved paths, may be
redirected while the terminal still shows the live line).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
from typing import IO, Any

from audiotui.media.diskspace import human

_GLYPHS = " ▁▂▃▄▅▆▇█"
_ASCII_GLYPHS = " .:-=+*#%@"
FLOOR_DBFS = -60.0


def clock(seconds: float) -> str:
    """`mm:ss.f`, `h:mm:ss.f` past an hour (as sox and arecord print durations)."""
    seconds = max(0.0, seconds)
    tenths = int(seconds * 10)
    hours, rest = divmod(tenths, 36000)
    minutes, rest = divmod(rest, 600)
    secs, tenth = divmod(rest, 10)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}.{tenth}"
    return f"{minutes:02d}:{secs:02d}.{tenth}"


def _fraction(dbfs: float) -> float:
    return (min(0.0, max(FLOOR_DBFS, dbfs)) - FLOOR_DBFS) / -FLOOR_DBFS


def channel_cells(
    peaks_dbfs: list[float], clipping: list[bool], room: int, unicode: bool = True
) -> str:
    """Every channel's level in at most `room` columns (the widest form that fits)."""
    n = len(peaks_dbfs)
    if n == 0 or room <= 0:
        return ""
    per = room // n
    glyphs = _GLYPHS if unicode else _ASCII_GLYPHS
    cells: list[str] = []
    for dbfs, clip in zip(peaks_dbfs, clipping, strict=False):
        mark = "!" if clip else " "
        if per >= 14:  # [#####---] -12!
            width = per - 8
            fill = int(round(width * _fraction(dbfs)))
            figure = f"{max(dbfs, -99.0):3.0f}" if dbfs > -99.5 else "-oo"
            cells.append(f"[{'#' * fill}{'-' * (width - fill)}]{figure}{mark} ")
        elif per >= 6:  # -12!
            figure = f"{max(dbfs, -99.0):3.0f}" if dbfs > -99.5 else "-oo"
            cells.append(f"{figure}{mark}".ljust(per))
        else:  # one glyph (+ clip mark when there is room)
            glyph = glyphs[int(round(_fraction(dbfs) * (len(glyphs) - 1)))]
            if per >= 3:
                cells.append(f"{glyph}{mark} ")
            elif per == 2:
                cells.append(f"{glyph}{mark}")
            else:
                cells.append("!" if clip else glyph)
    return "".join(cells)[:room].rstrip()


def status_line(
    *,
    elapsed: float,
    file_name: str,
    size: int,
    peaks_dbfs: list[float],
    clipping: list[bool],
    width: int,
    note: str = "",
    unicode: bool = True,
) -> str:
    """The whole status line, never longer than `width - 1` (no wrap, so no scroll)."""
    limit = max(10, width - 1)
    head = f"{clock(elapsed)} {file_name} {human(size)}"
    if note:
        head += f" {note}"
    min_cells = 2 * len(peaks_dbfs)
    if len(head) + 2 + min_cells > limit:  # the name goes before the levels do
        head = f"{clock(elapsed)} {human(size)}" + (f" {note}" if note else "")
    room = limit - len(head) - 2
    line = f"{head} |{channel_cells(peaks_dbfs, clipping, room, unicode)}"
    return line[:limit]


class StatusLine:
    """One line on a terminal, redrawn in place; `print` puts a lasting line above it."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self._last = ""
        encoding = (getattr(self.stream, "encoding", "") or "").lower()
        self.unicode = "utf" in encoding

    def width(self) -> int:
        """The columns of the terminal drawn on (stdout may be a file: its size is not ours)."""
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or 80
        except (AttributeError, OSError, ValueError):
            return shutil.get_terminal_size((80, 24)).columns

    def draw(self, text: str) -> None:
        self._last = text
        self._write(f"\r{text}\033[K")

    def clear(self) -> None:
        self._write("\r\033[K")

    def print(self, line: str) -> None:
        self._write(f"\r\033[K{line}\n" + (f"{self._last}\033[K" if self._last else ""))

    def _write(self, text: str) -> None:
        with contextlib.suppress(OSError, ValueError):  # an SSH drop must not stop the take
            self.stream.write(text)
            self.stream.flush()


class RecordOutput:
    """Where `record` says things: human lines (stderr), saved paths or JSON events (stdout)."""

    def __init__(self, *, as_json: bool, live: bool) -> None:
        self.as_json = as_json
        self.status = StatusLine() if live else None

    def say(self, line: str) -> None:
        """A human line on stderr (above the status line when there is one)."""
        if self.status is not None:
            self.status.print(line)
            return
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(line + "\n")
            sys.stderr.flush()

    def event(self, name: str, **fields: Any) -> None:
        """One JSON event on stdout (only with --json)."""
        if not self.as_json:
            return
        record = {"event": name, "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **fields}
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.write(json.dumps(record) + "\n")
            sys.stdout.flush()

    def saved(self, path: str, **fields: Any) -> None:
        """A finished file: its path on stdout (scripts), or a `saved` event."""
        if self.as_json:
            self.event("saved", path=path, **fields)
            return
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.write(path + "\n")
            sys.stdout.flush()

    def done(self) -> None:
        if self.status is not None:
            self.status.clear()
            self.status = None
