"""The spectrogram face of WaveformView: lanes of colour cells, a frequency axis, a dB legend.

WaveformView owns the view (zoom, scroll, playhead, lanes) for both faces; this part asks the
engine's SpectrumPyramid for exactly the columns on screen (cached until the view or the
audio changes, so a moving playhead costs only the drawing) and hands them to the pure
renderer in tui/spectrogram.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style

from audiotui.tui.lanes import Lane
from audiotui.tui.spectrogram import (
    Charset,
    ColourDepth,
    legend,
    overlay,
    render_spectrogram,
)
from audiotui.tui.waveform import time_ruler

_LABEL = Style(color="white", bold=True)


def mark_cells(line: list[Segment], cells: tuple[int, int], style: Style) -> list[Segment]:
    """`style` added to cells [a, b) of a line (the selection on the ruler)."""
    out: list[Segment] = []
    x = 0
    a, b = cells
    for seg in line:
        end = x + len(seg.text)
        cuts = sorted({x, min(max(a, x), end), min(max(b, x), end), end})
        for left, right in zip(cuts, cuts[1:], strict=False):
            piece = seg.text[left - x : right - x]
            inside = a <= left < b
            out.append(Segment(piece, (seg.style or Style()) + style if inside else seg.style))
        x = end
    return out


class SegmentLines:
    """A Rich renderable of prepared lines (Textual crops it to the widget)."""

    def __init__(self, lines: list[list[Segment]]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        for i, line in enumerate(self.lines):
            if i:
                yield Segment.line()
            yield from line


class SpectrogramPainter:
    """Draws a spectrum window for a WaveformView; keeps the last columns it asked for."""

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._columns: list[Any] = []

    def columns(self, spectrum: Any, lanes: list[Lane], start: float, end: float,
                width: int) -> list[Any]:
        """dB `(width, bands)` per lane for the view `start..end` seconds (cached)."""
        key = (id(spectrum), spectrum.frames, tuple(lanes), start, end, width)
        if key != self._key:
            rate = float(spectrum.sample_rate)
            first = int(start * rate)
            last = max(int(end * rate), first + 1)
            self._columns = [spectrum.columns(first, last, width, channel=lane.channel)
                             for lane in lanes]
            self._key = key
        return self._columns

    def lines(self, spectrum: Any, lanes: list[Lane], start: float, end: float, width: int,
              *, playhead: int | None, depth: ColourDepth, charset: Charset
              ) -> list[list[Segment]]:
        """Every lane's lines, top lane first, with labels, playhead and lane separators."""
        out: list[list[Segment]] = []
        for lane, db in zip(lanes, self.columns(spectrum, lanes, start, end, width),
                            strict=True):
            lines = render_spectrogram(
                db, lane.rows, depth=depth, charset=charset, playhead=playhead,
                edges=spectrum.edges if lane.rows >= 3 else None,
            )
            if spectrum.channels > 1 and lines and width > 12:  # which channel this lane is
                label = "mix" if lane.channel is None else f"ch{lane.channel + 1}"
                lines[0] = overlay(lines[0], width - len(label), label, _LABEL)
            out.extend(lines)
        return out

    def footer(self, start: float, end: float, width: int, *, depth: ColourDepth,
               charset: Charset) -> list[Segment]:
        """The time ruler with the dB colour scale at its right end (when there is room)."""
        scale = legend(depth=depth, charset=charset)
        scale_width = sum(len(s.text) for s in scale)
        if width < scale_width + 20:
            return [Segment(time_ruler(start, end, width), Style(dim=True))]
        ruler = time_ruler(start, end, width - scale_width - 1)
        return [Segment(ruler + " ", Style(dim=True)), *scale]
