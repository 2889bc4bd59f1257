"""WaveformView: draws a PeakPyramid window with progress colour, playhead, selection, ruler.

It asks the pyramid for exactly the columns on screen, so a frame costs the same at any
zoom of any length; it redraws only when the view, the size or the playhead cell changes.
The same view has a spectrogram face (`mode`), drawn by SpectrogramPainter from the
SpectrumPyramid built in the same pass, and one lane per channel (tui/lanes.py) with a
channel picker (`next_channels`) when they do not all fit.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.message import Message
from textual.widget import Widget

from audiotui.tui.lanes import Lane, describe_page, lane_layout, page_count
from audiotui.tui.spectrogram import ColourDepth
from audiotui.tui.waveform import (
    Charset,
    column_time,
    peaks_per_cell,
    progress_column,
    render_waveform,
    time_ruler,
)
from audiotui.tui.widgets.spectrogram_view import (
    SegmentLines,
    SpectrogramPainter,
    mark_cells,
)
from audiotui.tui.widgets.waveform_colours import WaveformColours as WaveformColours

MIN_VIEW_SECONDS = 0.05
MAX_LANE_LINES = 16
"""A multi-channel value grows the view up to this many lines of lanes (2 per channel)."""
ViewMode = Literal["waveform", "spectrogram"]


class WaveformView(Widget, can_focus=True):
    """A zoomable, scrollable waveform of one audio value (or of a live recording)."""

    DEFAULT_CSS: ClassVar[str] = """
    WaveformView { height: 7; width: 1fr; }
    WaveformView:focus { background: $boost; }
    """
    """Six waveform lines plus the time ruler by default."""

    class Clicked(Message):
        """The user clicked (or dragged to) `seconds`; `drag_from` is set while dragging."""

        def __init__(self, seconds: float, drag_from: float | None) -> None:
            super().__init__()
            self.seconds = seconds
            self.drag_from = drag_from

    class Loaded(Message):
        """The peaks of `value` were read and are shown (`peaks.truncation` tells of a file
        shorter than its header claims)."""

        def __init__(self, value: Any, peaks: Any) -> None:
            super().__init__()
            self.value = value
            self.peaks = peaks

    class LoadFailed(Message):
        """A value could not be drawn; `message` is the engine's (names file and reason)."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, *, charset: Charset = "braille", colours: WaveformColours | None = None,
                 id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.charset: Charset = charset
        self.colours = colours or WaveformColours()
        self.peaks: Any = None
        self.view_start = 0.0
        self.view_end = 0.0
        self.position: float | None = None
        self.selection: tuple[float, float] | None = None
        self.placeholder = "no audio"
        self.spectrum: Any = None
        self.mode: ViewMode = "waveform"
        self.channel_page = 0
        self._painter = SpectrogramPainter()
        self._cache_key: tuple[Any, ...] | None = None
        self._cache_lines: list[list[str]] = []
        self._drag_from: float | None = None
        self._drawn: tuple[Any, ...] | None = None  # what follow_end last asked to paint
        self._loading: Any = None

    # -- what to show ---------------------------------------------------------------------
    @property
    def duration(self) -> float:
        return float(self.peaks.duration) if self.peaks is not None else 0.0

    def show(self, peaks: Any, spectrum: Any = None) -> None:
        """Show a new pyramid (and its spectra, for the spectrogram face), fully zoomed out."""
        self.peaks = peaks
        self.spectrum = spectrum
        self.view_start, self.view_end = 0.0, self.duration
        self.selection = None
        self._cache_key = None
        self.channel_page = 0
        channels = int(getattr(peaks, "channels", 1) or 1)
        if channels > 3:  # two lines a lane; CSS max-height still caps it
            self.styles.height = 1 + min(2 * channels, MAX_LANE_LINES)
        elif peaks is not None:
            self.styles.height = None  # back to DEFAULT_CSS
        self.refresh()

    def load(self, value: Any) -> None:
        """Show a value (a FileData) from 0:00: its peaks and spectra are read in a worker,
        "reading waveform…" meanwhile, then `Loaded` (or `LoadFailed`) is posted."""
        self._loading = value
        self.set_position(0.0)  # a new file or take starts at 0:00, not the old position
        self.placeholder = "no audio" if value is None else "reading waveform…"
        self.show(None)
        if value is not None:
            self._read_peaks(value)

    @work(thread=True, exclusive=True, group="peaks", exit_on_error=False)
    def _read_peaks(self, value: Any) -> None:
        from audiotui.media.spectrum import summarise_file

        try:  # peaks and spectra from one read of the file
            peaks, spectrum = summarise_file(value.path)
        except Exception as exc:  # the engine's AudioFormatError names file and reason
            self.app.call_from_thread(self._read_failed, str(exc))
            return
        self.app.call_from_thread(self._read, value, peaks, spectrum)

    def _read(self, value: Any, peaks: Any, spectrum: Any) -> None:
        if value is self._loading:  # else a newer value is being read
            self.show(peaks, spectrum)
            self.post_message(self.Loaded(value, peaks))

    def _read_failed(self, message: str) -> None:
        self.placeholder = "cannot draw this file"
        self.refresh()
        self.post_message(self.LoadFailed(message))

    # -- faces and channels -------------------------------------------------------------------
    def toggle_mode(self) -> ViewMode:
        """Switch between the waveform and the spectrogram; returns the new mode."""
        self.mode = "spectrogram" if self.mode == "waveform" else "waveform"
        self._drawn = None
        self.refresh()
        return self.mode

    def lane_plan(self) -> list[Lane]:
        """The lanes drawn now (channel and lines each), for the current picker page."""
        channels = int(getattr(self.peaks, "channels", 1) or 1)
        return lane_layout(channels, max(self.size.height - 1, 1), self.channel_page)

    def channel_pages(self) -> int:
        channels = int(getattr(self.peaks, "channels", 1) or 1)
        return page_count(channels, max(self.size.height - 1, 1))

    def next_channels(self, step: int = 1) -> str:
        """The channel picker: show the next group of channels (the last page mixes all).

        Returns what is shown now (`ch 4-6 of 6`), "" when every channel fits anyway.
        """
        pages = self.channel_pages()
        self.channel_page = (self.channel_page + step) % pages if pages > 1 else 0
        self._cache_key = None
        self.refresh()
        return self.channels_shown()

    def lane_labels(self, rows: int) -> dict[int, str]:
        """Line index -> channel label (`ch 2`) for the first line of each lane.

        Only when the lanes are not simply "the one channel there is": several lanes, or a
        picker page that shows a part (or the mix) of many channels.
        """
        channels = int(getattr(self.peaks, "channels", 1) or 1)
        lanes = lane_layout(channels, rows, self.channel_page)
        if channels == 1:
            return {}
        out: dict[int, str] = {}
        line = 0
        for lane in lanes:
            out[line] = "mix" if lane.channel is None else f"ch{lane.channel + 1}"
            line += lane.rows
        return out

    def channels_shown(self) -> str:
        channels = int(getattr(self.peaks, "channels", 1) or 1)
        return describe_page(channels, max(self.size.height - 1, 1), self.channel_page)

    def follow_end(self, window: float) -> None:
        """Keep the last `window` seconds in view (a growing recording scrolls left).

        Called at the fps rate while recording, so it repaints only when the drawn lines
        actually differ: the view scrolls in whole peak columns (a fractional shift would
        re-bin every column on every tick), and new frames mostly land in columns that
        already look the same.
        """
        end = self.duration
        start = max(0.0, end - window)
        columns = self.size.width * peaks_per_cell(self.charset)
        if start > 0 and columns > 0:
            step = window / columns
            start = math.floor(start / step) * step
        self.view_start, self.view_end = start, start + window
        self._refresh_if_changed()

    def _refresh_if_changed(self) -> None:
        width, height = self.size.width, self.size.height
        if self.peaks is None or width <= 0 or height <= 0:
            self.refresh()
            return
        if self.mode == "spectrogram" and self.spectrum is not None:
            columns = self._painter.columns(self.spectrum, self.lane_plan(), self.view_start,
                                            self.view_end, width, self._request_exact)
            lines: Any = [c.tobytes() for c in columns]
        else:
            lines = self._lanes(width, max(height - 1, 1))
        drawn = (self.mode, lines, self.view_start, self.view_end, self.position, self.selection)
        if drawn != self._drawn:
            self._drawn = drawn
            self.refresh()

    def set_position(self, seconds: float | None) -> None:
        """Move the playhead; repaints only when it crosses into another cell."""
        old = self._playhead_cell(self.position)
        self.position = seconds
        if self._playhead_cell(seconds) != old:
            self.refresh()

    def follow(self, seconds: float) -> None:
        """The player's playhead: a zoomed view scrolls to keep it in sight."""
        if not self.view_start <= seconds <= self.view_end:
            span = self.view_end - self.view_start
            if span > 0:
                self.scroll_view((seconds - self.view_start) / span - 0.1)
        self.set_position(seconds)

    def zoom(self, factor: float, around: float | None = None) -> None:
        """Zoom by `factor` (<1 zooms in) around `around` seconds (the playhead by default)."""
        if self.peaks is None or self.duration <= 0:
            return
        span = self.view_end - self.view_start
        new_span = min(max(span * factor, MIN_VIEW_SECONDS), self.duration)
        centre = around if around is not None else (
            self.position if self.position is not None else self.view_start + span / 2
        )
        start = min(max(centre - new_span / 2, 0.0), self.duration - new_span)
        self.view_start, self.view_end = start, start + new_span
        self.refresh()

    def scroll_view(self, fraction: float) -> None:
        """Scroll by `fraction` of the visible span (negative = towards the start)."""
        span = self.view_end - self.view_start
        start = min(max(self.view_start + fraction * span, 0.0), max(self.duration - span, 0.0))
        self.view_start, self.view_end = start, start + span
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------
    def _playhead_cell(self, seconds: float | None) -> int | None:
        if seconds is None or not (self.view_start <= seconds <= self.view_end):
            return None
        return progress_column(seconds, self.view_start, self.view_end, self.size.width)

    def _lanes(self, width: int, height: int) -> list[list[str]]:
        peaks = self.peaks
        key = (width, height, self.view_start, self.view_end, peaks.frames, self.charset, id(peaks),
               self.channel_page)
        if key == self._cache_key:
            return self._cache_lines
        channels = max(int(peaks.channels), 1)
        rate = float(peaks.sample_rate)
        start = int(self.view_start * rate)
        end = max(int(self.view_end * rate), start + 1)
        columns = width * peaks_per_cell(self.charset)
        out: list[list[str]] = []
        for lane in lane_layout(channels, height, self.channel_page):
            mins, maxs, _rms = peaks.columns(start, end, columns, channel=lane.channel)
            out.append(render_waveform(mins, maxs, width, lane.rows, charset=self.charset))
        self._cache_key, self._cache_lines = key, out
        return out

    def colour_depth(self) -> ColourDepth:
        """256 colours unless the terminal has 16 (or NO_COLOR asked for none).

        A headless app (tests, SVG snapshots) has no terminal to ask and reports 16
        colours; it draws what a 256-colour SSH terminal shows.
        """
        app = self.app
        if getattr(app, "no_color", False) or "NO_COLOR" in os.environ:
            return "mono"
        if getattr(app, "is_headless", False):
            return "256"
        system = getattr(getattr(app, "console", None), "color_system", None)
        return "16" if system in ("standard", "windows") else "256"

    def _render_spectrogram(self, width: int, height: int) -> Any:
        if self.spectrum is None or self.spectrum.frames == 0:
            pad = "\n" * max((height - 1) // 2, 0)
            return Text(pad + "no spectrogram for this audio".center(width), style="dim")
        depth, charset = self.colour_depth(), self.charset
        lines = self._painter.lines(
            self.spectrum, self.lane_plan(), self.view_start, self.view_end, width,
            playhead=self._playhead_cell(self.position), depth=depth, charset=charset,
            request_exact=self._request_exact,
        )
        if height > 1:
            footer = self._painter.footer(self.view_start, self.view_end, width,
                                          depth=depth, charset=charset)
            sel = self._selection_cells(width)
            if sel is not None:  # cells keep their colours; the ruler under them is marked
                footer = mark_cells(footer, sel, Style(bgcolor=self.colours.selection))
            lines.append(footer)
        return SegmentLines(lines)

    def _request_exact(self, key: Any, compute: Callable[[], list[Any]]) -> None:
        """Zoomed in past the pyramid: read and analyse the samples in a worker thread."""
        self.run_worker(functools.partial(self._exact_in_thread, key, compute), thread=True,
                        exclusive=True, group="spectrogram", exit_on_error=False)

    def _exact_in_thread(self, key: Any, compute: Callable[[], list[Any]]) -> None:
        columns = compute()
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self._exact_ready, key, columns)

    def _exact_ready(self, key: Any, columns: list[Any]) -> None:
        if self._painter.deliver(key, columns):
            self.refresh()

    def _selection_cells(self, width: int) -> tuple[int, int] | None:
        if self.selection is None:
            return None
        a, b = sorted(self.selection)
        first = progress_column(a, self.view_start, self.view_end, width)
        return first, max(progress_column(b, self.view_start, self.view_end, width), first + 1)

    def render(self) -> Any:
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return Text()
        if self.peaks is None or self.peaks.frames == 0:
            pad = "\n" * max((height - 1) // 2, 0)
            # In the waveform's own colour, not dim: a dimmed placeholder could be drawn in
            # the background's colour (fg == bg) and vanish.
            return Text(pad + self.placeholder.center(width),
                        style=Style(color=self.colours.waveform, italic=True))
        if self.mode == "spectrogram":
            return self._render_spectrogram(width, height)
        wave_height = max(height - 1, 1)
        lanes = self._lanes(width, wave_height)
        played = (
            progress_column(self.position, self.view_start, self.view_end, width)
            if self.position is not None else 0
        )
        head = self._playhead_cell(self.position)
        sel = self._selection_cells(width)
        # Played is bold and unplayed plain, so the two differ without colour (NO_COLOR, 16).
        wave = Style(color=self.colours.waveform)
        prog = Style(color=self.colours.progress, bold=True)
        text = Text(no_wrap=True, overflow="crop")
        rows = [line for lane in lanes for line in lane]
        labels = self.lane_labels(wave_height)
        for index, line in enumerate(rows):
            label = labels.get(index)
            if label and len(label) < width:  # which channel this lane is, at its right end
                line = line[: width - len(label)] + label
            text.append(line[:played], prog)
            text.append(line[played:], wave)
            if head is not None and head < width:
                text.stylize("reverse", len(text) - width + head, len(text) - width + head + 1)
            if sel is not None:
                text.stylize(Style(bgcolor=self.colours.selection, underline=True),
                             len(text) - width + sel[0], len(text) - width + sel[1])
            if label and len(label) < width:
                text.stylize("dim reverse", len(text) - len(label), len(text))
            text.append("\n")
        if height > 1:
            text.append(time_ruler(self.view_start, self.view_end, width), style="dim")
        return text

    # -- mouse --------------------------------------------------------------------------------
    def _seconds_at(self, x: int) -> float:
        return column_time(x, self.view_start, self.view_end, self.size.width)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self.peaks is None:
            return
        self.capture_mouse()
        self._drag_from = self._seconds_at(event.x)
        self.post_message(self.Clicked(self._drag_from, None))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is not None and self.app.mouse_captured is self:
            self.post_message(self.Clicked(self._seconds_at(event.x), self._drag_from))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_from is not None:
            self.release_mouse()
            self._drag_from = None

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.zoom(0.8, self._seconds_at(event.x))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.zoom(1.25, self._seconds_at(event.x))
