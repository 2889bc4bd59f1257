"""WaveformView's two faces as renderables: the coloured waveform and the spectrogram.

WaveformView decides what is on screen (which lanes, which seconds, where the playhead
is); these functions only draw and colour it, so a frame's look can be read and tested
without a widget, and the view stays about state and input.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from rich.style import Style
from rich.text import Text

from audiotui.tui.lanes import lane_layout
from audiotui.tui.spectrogram import ColourDepth
from audiotui.tui.waveform import Charset, peaks_per_cell, progress_column, render_waveform
from audiotui.tui.widgets.spectrogram_view import SegmentLines, SpectrogramPainter, mark_cells
from audiotui.tui.widgets.waveform_colours import WaveformColours


def colour_depth(app: Any) -> ColourDepth:
    """The spectrogram's palette: 256 colours unless the terminal has 16 (or NO_COLOR
    asked for none).

    A headless app (tests, SVG snapshots) has no terminal to ask and reports 16
    colours; it draws what a 256-colour SSH terminal shows.
    """
    if getattr(app, "no_color", False) or "NO_COLOR" in os.environ:
        return "mono"
    if getattr(app, "is_headless", False):
        return "256"
    system = getattr(getattr(app, "console", None), "color_system", None)
    return "16" if system in ("standard", "windows") else "256"


def centred(message: str, width: int, height: int, style: Style | str) -> Text:
    """`message` in the middle of an empty view ("no audio", "reading waveform…")."""
    pad = "\n" * max((height - 1) // 2, 0)
    return Text(pad + message.center(width), style=style)


def waveform_lines(peaks: Any, start: float, end: float, width: int, height: int,
                   charset: Charset, page: int) -> list[list[str]]:
    """Each lane's lines for `start`..`end` seconds: exactly the peak columns on screen,
    so a frame costs the same at any zoom of any length."""
    rate = float(peaks.sample_rate)
    first = int(start * rate)
    last = max(int(end * rate), first + 1)
    columns = width * peaks_per_cell(charset)
    out: list[list[str]] = []
    for lane in lane_layout(max(int(peaks.channels), 1), height, page):
        mins, maxs, _rms = peaks.columns(first, last, columns, channel=lane.channel)
        out.append(render_waveform(mins, maxs, width, lane.rows, charset=charset))
    return out


def lane_labels(channels: int, rows: int, page: int) -> dict[int, str]:
    """Line index -> channel label (`ch2`, `mix`) for the first line of each lane.

    Only when the lanes are not simply "the one channel there is": several lanes, or a
    picker page that shows a part (or the mix) of many channels.
    """
    if channels == 1:
        return {}
    out: dict[int, str] = {}
    line = 0
    for lane in lane_layout(channels, rows, page):
        out[line] = "mix" if lane.channel is None else f"ch{lane.channel + 1}"
        line += lane.rows
    return out


def selection_cells(selection: tuple[float, float] | None, start: float, end: float,
                    width: int) -> tuple[int, int] | None:
    """First and past-last column of a selection (in either order), at least one cell."""
    if selection is None:
        return None
    a, b = sorted(selection)
    first = progress_column(a, start, end, width)
    return first, max(progress_column(b, start, end, width), first + 1)


def waveform_face(rows: list[str], labels: dict[int, str], width: int, *, played: int,
                  head: int | None, selection: tuple[int, int] | None,
                  colours: WaveformColours, ruler: str | None) -> Text:
    """The lanes' lines coloured, each `width` cells, then the time ruler (when given).

    Args:
        rows: every lane's lines, top to bottom.
        labels: row index -> channel label (`ch2`), drawn at that row's right end.
        played: cells left of this column are played (bold, in the progress colour).
        head: the playhead's column (reversed), or None when it is out of view.
        selection: first and past-last column of the selection, or None.
    """
    # Played is bold and unplayed plain, so the two differ without colour (NO_COLOR, 16).
    wave = Style(color=colours.waveform)
    prog = Style(color=colours.progress, bold=True)
    text = Text(no_wrap=True, overflow="crop")
    for index, line in enumerate(rows):
        label = labels.get(index)
        if label and len(label) < width:  # which channel this lane is, at its right end
            line = line[: width - len(label)] + label
        text.append(line[:played], prog)
        text.append(line[played:], wave)
        if head is not None and head < width:
            text.stylize("reverse", len(text) - width + head, len(text) - width + head + 1)
        if selection is not None:
            text.stylize(Style(bgcolor=colours.selection, underline=True),
                         len(text) - width + selection[0], len(text) - width + selection[1])
        if label and len(label) < width:
            text.stylize("dim reverse", len(text) - len(label), len(text))
        text.append("\n")
    if ruler is not None:
        text.append(ruler, style="dim")
    return text


def spectrogram_face(painter: SpectrogramPainter, spectrum: Any, lanes: list[Any], start: float,
                     end: float, width: int, height: int, *, playhead: int | None,
                     selection: tuple[int, int] | None, colours: WaveformColours,
                     depth: ColourDepth, charset: Charset,
                     request_exact: Callable[[Any, Callable[[], list[Any]]], Any]) -> Any:
    """The lanes' spectra for `start`..`end` seconds, then the frequency/time footer.

    `request_exact(key, compute)` is asked to analyse the samples themselves (in a
    worker) when the view is zoomed in past what the pyramid holds.
    """
    if spectrum is None or spectrum.frames == 0:
        return centred("no spectrogram for this audio", width, height, "dim")
    lines = painter.lines(spectrum, lanes, start, end, width, playhead=playhead, depth=depth,
                          charset=charset, request_exact=request_exact)
    if height > 1:
        footer = painter.footer(start, end, width, depth=depth, charset=charset)
        if selection is not None:  # cells keep their colours; the ruler under them is marked
            footer = mark_cells(footer, selection, Style(bgcolor=colours.selection))
        lines.append(footer)
    return SegmentLines(lines)
