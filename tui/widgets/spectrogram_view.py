"""The spectrogram face of WaveformView: lanes of colour cells, a frequency axis, a dB legend.

WaveformView owns the view (zoom, scroll, playhead, lanes) for both faces; this part asks the
engine's SpectrumPyramid for exactly the columns on screen (cached until the view or the
audio changes, so a moving playhead costs only the drawing) and hands them to the pure
renderer in tui/spectrogram.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
ExactRequest = Callable[[Any, Callable[[], list[Any]]], None]
"""How the painter asks its view to compute exact (re-read) columns in a worker thread."""


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
                width: int, request_exact: ExactRequest | None = None) -> list[Any]:
        """dB `(width, bands)` per lane for the view `start..end` seconds (cached).

        Zoomed in past the pyramid, the exact columns need a read of the file: with
        `request_exact`, the level-0 columns are returned at once and `request_exact(key,
        compute)` is asked to run `compute` off the UI thread and `deliver` its result.
        """
        key = (id(spectrum), spectrum.frames, tuple(lanes), start, end, width)
        if key != self._key:
            rate = float(spectrum.sample_rate)
            first = int(start * rate)
            last = max(int(end * rate), first + 1)

            def compute(exact: bool = True) -> list[Any]:
                return [spectrum.columns(first, last, width, channel=lane.channel, exact=exact)
                        for lane in lanes]

            later = request_exact is not None and spectrum.needs_samples(first, last, width)
            self._columns = compute(exact=not later)
            self._key = key
            if later and request_exact is not None:
                request_exact(key, compute)
        return self._columns

    def deliver(self, key: Any, columns: list[Any]) -> bool:
        """Exact columns computed off the UI thread; True if they are still the view's."""
        if key != self._key:
            return False
        self._columns = columns
        return True

    def lines(self, spectrum: Any, lanes: list[Lane], start: float, end: float, width: int,
              *, playhead: int | None, depth: ColourDepth, charset: Charset,
              request_exact: ExactRequest | None = None) -> list[list[Segment]]:
        """Every lane's lines, top lane first, with labels, playhead and lane separators."""
        out: list[list[Segment]] = []
        columns = self.columns(spectrum, lanes, start, end, width, request_exact)
        for lane, db in zip(lanes, columns, strict=True):
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
