"""WaveformView: a window on a PeakPyramid with progress colour, playhead, selection, ruler.

It redraws only when the view, the size or the playhead cell changes, and its faces
(waveform_faces.py: the waveform, or a spectrogram as `mode`; one lane per channel with a
picker, `next_channels`, when they do not all fit) ask for exactly the columns on screen.
As the audio widget's one focusable part it has the keys that move around in the audio;
the audio widget hears of their effects through `Seeked` and `Reframed`.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from audiotui.tui.lanes import Lane, describe_page, lane_layout, page_count
from audiotui.tui.waveform import (
    Charset,
    column_time,
    peaks_per_cell,
    progress_column,
    selection_step,
    time_ruler,
)
from audiotui.tui.widgets.spectrogram_view import SpectrogramPainter
from audiotui.tui.widgets.waveform_colours import WaveformColours as WaveformColours
from audiotui.tui.widgets.waveform_faces import (
    centred,
    colour_depth,
    lane_labels,
    selection_cells,
    spectrogram_face,
    waveform_face,
    waveform_lines,
)

MIN_VIEW_SECONDS = 0.05
MAX_LANE_LINES = 16
"""A multi-channel value grows the view up to this many lines of lanes (2 per channel)."""
ViewMode = Literal["waveform", "spectrogram"]


class WaveformView(Widget, can_focus=True):
    """A zoomable, scrollable waveform of one audio value (or of a live recording).

    Args:
        charset: braille, or ASCII for terminals without it.
        colours: the component's waveform, progress and selection colours.
        editable: shift+arrows and a drag select a region (the component is editable).
        skip_length: seconds the left / right keys move the playhead.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "skip(-1)", "back", show=False),
        Binding("right", "skip(1)", "forward", show=False),
        Binding("home", "seek_edge(0)", "start", show=False),
        Binding("end", "seek_edge(1)", "end", show=False),
        Binding("plus,equals_sign", "zoom(0.5)", "zoom in", show=False),
        Binding("minus", "zoom(2)", "zoom out", show=False),
        Binding("left_square_bracket", "scroll(-0.5)", "scroll left", show=False),
        Binding("right_square_bracket", "scroll(0.5)", "scroll right", show=False),
        Binding("shift+left", "select(-1)", "select", show=False),
        Binding("shift+right", "select(1)", "select", show=False),
        Binding("c", "next_channels", "channels", show=False),
    ]
    """Moving around in the audio: not in the footer; F1 lists them with the audio keys."""

    DEFAULT_CSS: ClassVar[str] = """
    WaveformView { height: 7; width: 1fr; }
    WaveformView:focus { background: $boost; }
    """
    """Six waveform lines plus the time ruler by default."""

    class Seeked(Message):
        """A key, a click or a drag moved the playhead to `seconds` (the player follows)."""

        def __init__(self, seconds: float) -> None:
            super().__init__()
            self.seconds = seconds

    class Reframed(Message):
        """The selection or the channels shown changed (the status line names them)."""

    class Loaded(Message):
        """The peaks of `value` are shown (`peaks.truncation`: a file cut short)."""

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
                 editable: bool = False, skip_length: float = 5.0,
                 id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.charset: Charset = charset
        self.colours = colours or WaveformColours()
        self.editable = editable
        self.skip_length = skip_length
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

    @property
    def channels(self) -> int:
        return int(getattr(self.peaks, "channels", 1) or 1)

    def show(self, peaks: Any, spectrum: Any = None) -> None:
        """Show a new pyramid (and its spectra, for the spectrogram face), fully zoomed out."""
        self.peaks = peaks
        self.spectrum = spectrum
        self.view_start, self.view_end = 0.0, self.duration
        self.selection = None
        self._cache_key = None
        self.channel_page = 0
        if self.channels > 3:  # two lines a lane; CSS max-height still caps it
            self.styles.height = 1 + min(2 * self.channels, MAX_LANE_LINES)
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
        return lane_layout(self.channels, max(self.size.height - 1, 1), self.channel_page)

    def channel_pages(self) -> int:
        return page_count(self.channels, max(self.size.height - 1, 1))

    def next_channels(self, step: int = 1) -> str:
        """The channel picker: show the next group of channels (the last page mixes all).

        Returns what is shown now (`ch 4-6 of 6`), "" when every channel fits anyway.
        """
        pages = self.channel_pages()
        self.channel_page = (self.channel_page + step) % pages if pages > 1 else 0
        self._cache_key = None
        self.refresh()
        return self.channels_shown()

    def channels_shown(self) -> str:
        return describe_page(self.channels, max(self.size.height - 1, 1), self.channel_page)

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

    # -- keys ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """shift+arrows select only in an editable component (else they go on up)."""
        return self.editable if action == "select" else True

    def seek(self, seconds: float) -> None:
        """Move the playhead within the audio and tell the owner (who moves the player)."""
        seconds = min(max(seconds, 0.0), self.duration)
        self.set_position(seconds)
        self.post_message(self.Seeked(seconds))

    def action_skip(self, direction: int) -> None:
        self.seek((self.position or 0.0) + direction * self.skip_length)

    def action_seek_edge(self, end: int) -> None:
        self.seek(self.duration if end else 0.0)

    action_zoom = zoom
    action_scroll = scroll_view

    def action_select(self, direction: int) -> None:
        """Move the selection's end by a round step (from the playhead when there is none)."""
        if not self.editable or self.peaks is None:
            return
        anchor, end = self.selection or ((self.position or 0.0),) * 2
        step = selection_step(self.view_end - self.view_start)
        self.selection = (anchor, min(max(end + direction * step, 0.0), self.duration))
        self.refresh()
        self.post_message(self.Reframed())

    def action_next_channels(self) -> None:
        self.next_channels()
        self.post_message(self.Reframed())

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
        out = waveform_lines(peaks, self.view_start, self.view_end, width, height,
                             self.charset, self.channel_page)
        self._cache_key, self._cache_lines = key, out
        return out

    @work(thread=True, exclusive=True, group="spectrogram", exit_on_error=False)
    def _request_exact(self, key: Any, compute: Callable[[], list[Any]]) -> None:
        """Zoomed in past the pyramid: read and analyse the samples in a worker thread."""
        columns = compute()
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self._exact_ready, key, columns)

    def _exact_ready(self, key: Any, columns: list[Any]) -> None:
        if self._painter.deliver(key, columns):
            self.refresh()

    def render(self) -> Any:
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return Text()
        if self.peaks is None or self.peaks.frames == 0:
            # In the waveform's own colour, not dim: a dimmed placeholder could be drawn in
            # the background's colour (fg == bg) and vanish.
            return centred(self.placeholder, width, height,
                           Style(color=self.colours.waveform, italic=True))
        start, end, head = self.view_start, self.view_end, self._playhead_cell(self.position)
        selection = selection_cells(self.selection, start, end, width)
        if self.mode == "spectrogram":
            return spectrogram_face(
                self._painter, self.spectrum, self.lane_plan(), start, end, width, height,
                playhead=head, selection=selection, colours=self.colours,
                depth=colour_depth(self.app), charset=self.charset,
                request_exact=self._request_exact)
        rows = max(height - 1, 1)
        played = (progress_column(self.position, start, end, width)
                  if self.position is not None else 0)
        return waveform_face(
            [line for lane in self._lanes(width, rows) for line in lane],
            lane_labels(self.channels, rows, self.channel_page), width, played=played,
            head=head, selection=selection, colours=self.colours,
            ruler=time_ruler(start, end, width) if height > 1 else None)

    # -- mouse --------------------------------------------------------------------------------
    def _seconds_at(self, x: int) -> float:
        return column_time(x, self.view_start, self.view_end, self.size.width)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self.peaks is None:
            return
        self.capture_mouse()
        self._drag_from = self._seconds_at(event.x)
        self.seek(self._drag_from)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is not None and self.app.mouse_captured is self:
            seconds = self._seconds_at(event.x)
            if self.editable:  # a drag selects what it passes over
                self.selection = (self._drag_from, seconds)
                self.refresh()
            self.seek(seconds)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_from is not None:
            self.release_mouse()
            self._drag_from = None

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.zoom(0.8, self._seconds_at(event.x))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.zoom(1.25, self._seconds_at(event.x))
