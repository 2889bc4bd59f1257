"""AudioWidget: waveform, transport, recording, upload, trim, clear and download of gr.Audio.

It draws a FileData value and forwards what the user does; files are read, peaks computed,
recorded and played by the engine (`files`, `PeakPyramid`, `Recorder`, `Player`) in
worker threads, so the UI never waits on a disk or a sound device.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterable
from typing import Any, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.widgets import Button

from audiotui.tui.flex_row import ButtonStrip
from audiotui.tui.waveform import format_time
from audiotui.tui.widgets.audio_files import AudioFileActions
from audiotui.tui.widgets.audio_recording import LiveRecording
from audiotui.tui.widgets.audio_streaming import AudioStreaming, MicrophoneChunks, OutputStream
from audiotui.tui.widgets.audio_takes import AudioTakeActions
from audiotui.tui.widgets.audio_transport import Transport
from audiotui.tui.widgets.base import ComponentWidget
from audiotui.tui.widgets.path_input import AUDIO_EXTENSIONS, PathInput
from audiotui.tui.widgets.status_line import StatusLine
from audiotui.tui.widgets.waveform_view import WaveformColours, WaveformView

LIVE_WINDOW_SECONDS = 10.0
METER_SECONDS = 0.1
"""Shortest interval between level meter / clock repaints while recording."""


def describe(value: Any, frames: int | None = None) -> str:
    """`name · 0:02.0 · 48000 Hz · mono · WAV PCM_16` from a FileData's probed meta.

    `frames`, once the waveform pass has counted them, replaces the header's length (a
    truncated MP3 claims minutes it does not have) and marks the value "truncated".
    """
    if value is None:
        return "no audio"
    meta = getattr(value, "meta", {}) or {}
    parts = [str(getattr(value, "name", "audio"))]
    rate = meta.get("sample_rate")
    declared = meta.get("declared_frames", meta.get("frames"))
    if frames is None:
        frames = meta.get("frames")
    if rate and frames is not None:
        cut = " (truncated)" if declared is not None and frames < declared else ""
        parts.append(format_time(frames / rate, tenths=True) + cut)
    if rate:
        parts.append(f"{rate} Hz")
    channels = meta.get("channels")
    if channels:
        parts.append({1: "mono", 2: "stereo"}.get(channels, f"{channels} ch"))
    fmt = " ".join(str(meta[k]) for k in ("format", "subtype") if meta.get(k))
    if fmt:
        parts.append(fmt)
    return " · ".join(parts)


class AudioWidget(AudioFileActions, AudioTakeActions, AudioStreaming, ComponentWidget):
    """gr.Audio in the terminal. Keys work while any part of the widget has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_play", "play/pause"),
        Binding("s", "stop", "stop"),
        Binding("left", "skip(-1)", "back", show=False),
        Binding("right", "skip(1)", "forward", show=False),
        Binding("home", "seek_edge(0)", "start", show=False),
        Binding("end", "seek_edge(1)", "end", show=False),
        Binding("plus,equals_sign", "zoom(0.5)", "zoom in", show=False),
        Binding("minus", "zoom(2)", "zoom out", show=False),
        Binding("left_square_bracket", "scroll(-0.5)", "scroll left", show=False),
        Binding("right_square_bracket", "scroll(0.5)", "scroll right", show=False),
        Binding("r", "record", "record/stop"),
        Binding("p", "pause_recording", "pause/resume rec"),
        Binding("x,delete", "clear", "clear", show=False),
        Binding("u", "upload", "upload", show=False),
        Binding("b", "browse", "browse files", show=False),
        Binding("i", "pick_input", "input device", show=False),
        Binding("o", "pick_output", "output device", show=False),
        Binding("d", "download", "download", show=False),
        Binding("shift+left", "select(-1)", "select", show=False),
        Binding("shift+right", "select(1)", "select", show=False),
        Binding("t", "trim", "trim", show=False),
        Binding("ctrl+z", "undo", "undo", show=False),
        Binding("g", "toggle_spectrogram", "spectrogram"),
        Binding("c", "next_channels", "channels", show=False),
    ]
    """Transport, recording and editing keys (Gradio's buttons, as keys)."""

    DEFAULT_CSS: ClassVar[str] = """
    AudioWidget { height: auto; border: round $panel; padding: 0 1; }
    AudioWidget:focus-within { border: round $accent; }
    AudioWidget.-no-container, AudioWidget.-no-container:focus-within { border: none; padding: 0; }
    AudioWidget .audio-info, AudioWidget .audio-status { height: 1; color: $text-muted; }
    AudioWidget .audio-meter { display: none; }
    AudioWidget.-recording .audio-meter { display: block; }
    AudioWidget .audio-buttons { height: auto; }
    AudioWidget .audio-buttons Button { min-width: 6; }
    AudioWidget #pause-rec { display: none; }
    AudioWidget.-recording #pause-rec { display: block; }
    AudioWidget PathInput { display: none; }
    AudioWidget.-asking-path PathInput { display: block; }
    """
    """Compact: info line, waveform with ruler, status line, one line of buttons."""

    def __init__(self, component: Any, value: Any = None, *, interactive: bool = True) -> None:
        super().__init__(component, value, interactive=interactive)
        options = getattr(component, "waveform_options", None)
        self.skip_length = float(getattr(options, "skip_length", 5) or 5)
        self.colours = WaveformColours.from_css(
            getattr(options, "waveform_color", None),
            getattr(options, "waveform_progress_color", None),
            getattr(options, "trim_region_color", None),
        )
        self.show_live_waveform = bool(getattr(options, "show_recording_waveform", True))
        self.sources = list(getattr(component, "sources", None) or ["upload", "microphone"])
        self.transport: Transport | None = None
        self.take: LiveRecording | MicrophoneChunks | None = None
        self.undo_stack: list[Any] = []
        self.hardware_reason: str | None = None
        self._path_purpose = "upload"
        self._loaded_value: Any = None
        self.stream_out: OutputStream | None = None
        self._stream_peaks: Any = None

    # -- composition --------------------------------------------------------------------------
    def compose_control(self) -> Iterable[Any]:
        charset = "ascii" if getattr(self.app, "ascii", False) else "braille"
        yield StatusLine(self._describe(self._value), classes="audio-info")
        yield WaveformView(charset=charset, colours=self.colours)  # type: ignore[arg-type]
        yield StatusLine("", classes="audio-status")
        yield StatusLine("", classes="audio-meter")
        with ButtonStrip(classes="audio-buttons"):  # wraps at 80 columns, never off screen
            yield Button("▶ Play", id="play", compact=True)
            yield Button("■ Stop", id="stop", compact=True)
            if self.interactive and "microphone" in self.sources:
                yield Button("● Record", id="record", compact=True, variant="error")
                yield Button("❚❚ Pause", id="pause-rec", compact=True)
            if self.interactive and "upload" in self.sources:
                yield Button("Upload", id="upload", compact=True)
            if self.interactive and getattr(self.component, "editable", False):
                yield Button("Trim", id="trim", compact=True)
            if self.interactive:
                yield Button("✕ Clear", id="clear", compact=True)
            if getattr(self.component, "show_download_button", None) is not False:
                yield Button("Download", id="download", compact=True)
        yield PathInput(extensions=AUDIO_EXTENSIONS, placeholder="path (Tab completes, Enter)")

    def _describe(self, value: Any) -> str:
        """The value's facts, or (when empty) how to get audio into it."""
        if value is not None:
            return describe(value)
        if not self.interactive:
            return "no audio yet"
        hints = []
        if "upload" in self.sources:
            hints.append("u: type a path · b: browse")
        if "microphone" in self.sources:
            hints.append("r: record · i: choose mic")
        return "no audio — " + " · ".join(hints)

    def on_mount(self) -> None:
        fps = max(int(getattr(self.app, "fps", 20) or 20), 1)
        self._ticker = self.set_interval(1 / fps, self._tick, pause=True)
        self._meter_shown = 0.0
        for button in self.query(Button):  # one Tab stop (the waveform); buttons are keys
            button.can_focus = False
        status = getattr(self.app, "hardware", None)
        if status is not None:
            self.set_hardware(status)
        self._update_status()

    @property
    def view(self) -> WaveformView:
        return self.query_one(WaveformView)

    def set_interactive(self, interactive: bool) -> None:
        self.interactive = interactive
        for button in self.query(Button):
            if button.id in ("record", "upload", "trim", "clear"):
                button.disabled = not interactive
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys for what this component cannot do are left out (and out of the footer)."""
        editable = bool(getattr(self.component, "editable", False))
        needs = {
            "record": "microphone" in self.sources, "pause_recording": self.take is not None,
            "pick_input": "microphone" in self.sources, "upload": "upload" in self.sources,
            "browse": "upload" in self.sources, "clear": True, "trim": editable,
            "undo": bool(self.undo_stack),  # else ctrl+z goes on to the app (undo a Clear)
        }
        if action in needs:
            return self.interactive and needs[action]
        return editable if action == "select" else True

    def shutdown(self) -> None:
        """The app is closing: stop playback and streams; a take in progress is saved."""
        if self.transport is not None:
            self.transport.close()
        self._close_stream_out()
        take, self.take = self.take, None
        if isinstance(take, MicrophoneChunks):
            # The device closes now (PortAudio's exit handler must not meet a stream being
            # closed on another thread); the rest of its stop joins the delivery thread,
            # which waits for this (the loop's) thread, so it runs off it.
            take.stream.stop(timeout=0)
            threading.Thread(target=take.stop, name="audiotui-stream-stop", daemon=True).start()
        elif take is not None:
            take.stop()  # a recorder take: closed with everything received, before exit

    # -- hardware ---------------------------------------------------------------------------
    def set_hardware(self, status: Any) -> None:
        """Disable play/record with the engine's one-line reason when there is no device."""
        available = bool(getattr(status, "available", False))
        self.hardware_reason = None if available else str(getattr(status, "reason", ""))
        for button in self.query(Button):
            if button.id in ("play", "stop", "record"):
                button.disabled = not available or (
                    button.id == "record" and not self.interactive
                )
        self._update_status()
        if available:  # autoplay needs the devices and the peaks: whichever comes last plays
            self._autoplay()
        # Gradio 5 `Audio(recording=True)`: the microphone starts as the app opens, once
        # the devices are known (here: the first time they are found available).
        if (available and getattr(self.component, "recording", False)
                and not getattr(self, "_auto_recorded", False)):
            self._auto_recorded = True
            if self.take is None:
                self.action_record()

    def _hardware_ok(self) -> bool:
        if self.hardware_reason is not None:
            self.app.notify(self.hardware_reason, title="No audio hardware", severity="warning")
            return False
        return True

    # -- value --------------------------------------------------------------------------------
    def show_value(self, stored: Any) -> None:
        self.query_one(".audio-info", StatusLine).show(self._describe(stored))
        if (stored is not None and getattr(stored, "is_stream", False)
                and getattr(self.component, "streaming", False) and self.take is None):
            self._append_stream_chunk(stored)
            return
        self._close_stream_out()
        if stored is self._loaded_value or (
            stored is not None and stored == self._loaded_value
        ):
            return
        self._loaded_value = stored
        if self.transport is not None:
            self.transport.forget()
        self.view.set_position(0.0)  # a new file or take starts at 0:00, not the old position
        if stored is None:
            self.view.placeholder = "no audio"  # not "reading waveform…" forever
            self.view.show(None)
        else:
            self.view.placeholder = "reading waveform…"
            self.view.show(None)
            self._load_peaks(stored)
        self._update_status()

    @work(thread=True, exclusive=True, group="peaks", exit_on_error=False)
    def _load_peaks(self, stored: Any) -> None:
        from audiotui.media.spectrum import summarise_file

        try:  # peaks and spectra from one read of the file
            peaks, spectrum = summarise_file(stored.path)
        except Exception as exc:  # the engine's AudioFormatError names file and reason
            self.app.call_from_thread(self._peaks_failed, str(exc))
            return
        self.app.call_from_thread(self._peaks_ready, stored, peaks, spectrum)

    def _peaks_ready(self, stored: Any, peaks: Any, spectrum: Any = None) -> None:
        if stored is not self._loaded_value:
            return
        self.view.show(peaks, spectrum)
        cut = getattr(peaks, "truncation", None)
        if cut is not None:  # counted while drawing: show the readable length, say why
            self.query_one(".audio-info", StatusLine).show(describe(stored, peaks.frames))
            self.app.notify(
                dataclasses.replace(cut, name=stored.name).message(),
                title="Truncated file", severity="warning",
            )
        self._update_status()
        self._autoplay()

    def _autoplay(self) -> None:
        """`autoplay=True`: play a value once, when both its peaks and the devices are known.

        The device probe may answer before or after the peaks are drawn; each calls this,
        and the value is played once (the probe used to answer last, and nothing played).
        """
        hardware = getattr(self.app, "hardware", None)
        value = self._loaded_value
        if (getattr(self.component, "autoplay", False) and getattr(hardware, "available", False)
                and self.take is None and value is not None and self.view.peaks is not None
                and getattr(self, "_autoplayed", None) is not value):
            self._autoplayed = value
            self.action_toggle_play()

    def _peaks_failed(self, message: str) -> None:
        self.view.placeholder = "cannot draw this file"
        self.view.refresh()
        self.flag_error(message)

    # -- status line --------------------------------------------------------------------------
    def _update_status(self) -> None:
        if not self.is_mounted:
            return
        parts: list[str] = []
        playing = self.transport is not None and self.transport.playing
        for button in self.query("#play").results(Button):  # Play reads Pause while playing
            button.label = "❚❚ Pause" if playing else "▶ Play"
        if self.take is not None:
            take_path = getattr(getattr(self.take, "recorder", None), "path", None)
            if take_path is not None:  # the header names the take, not the previous file
                self.query_one(".audio-info", StatusLine).show(
                    f"recording {getattr(take_path, 'name', take_path)}")
            state = "● REC" if self.take.state == "recording" else "❚❚ paused"
            parts.append(f"{state} {format_time(self.take.elapsed, tenths=True)}")
            parts.append(f"device: {self.take.device_name}")
            max_length = getattr(self.component, "max_length", None)
            if max_length:
                parts.append(f"max {format_time(max_length)}")
            coalesced = getattr(self.take, "coalesced", 0)
            if coalesced:  # the stream listeners are slower than real time
                parts.append(f"coalesced {coalesced}")
        elif self._value is not None:
            position = self.view.position or 0.0
            started = self.transport is not None and self.transport.player is not None
            state = "▶" if playing else ("❚❚" if started and position > 0 else "■")
            parts.append(f"{state} {format_time(position, tenths=True)} / "
                         f"{format_time(self.view.duration, tenths=True)}")
            if self.view.selection is not None:
                a, b = sorted(self.view.selection)
                parts.append(f"selected {format_time(a, tenths=True)}–"
                             f"{format_time(b, tenths=True)}")
        shown = self.view.channels_shown()
        if shown:  # more channels than lanes: say which, and how to pick others
            parts.append(f"{shown} (c: channels)")
        if self.take is None and self.interactive and "microphone" in self.sources:
            parts.append(f"mic: {getattr(self.app, 'input_device', None) or 'default'} (i: change)")
        if self.hardware_reason:
            parts.append(f"play/record off: {self.hardware_reason}")
        self.query_one(".audio-status", StatusLine).show("  ".join(parts))

    def _tick(self) -> None:
        """fps-capped: move the playhead, grow the live waveform, update the meter.

        The meter and the clock (tenths) are text that is read, not motion: they repaint at
        most every METER_SECONDS, which halves a recording's repaints at the default fps.
        """
        if self.take is not None:
            if self.take.tick() and self.show_live_waveform:
                if self.view.peaks is not self.take.peaks:
                    self.view.show(self.take.peaks, getattr(self.take, "spectrum", None))
                self.view.follow_end(LIVE_WINDOW_SECONDS)
            now = time.monotonic()
            if now - self._meter_shown < METER_SECONDS:
                return
            self._meter_shown = now
            self.query_one(".audio-meter", StatusLine).show(self.take.meter())
        elif self.transport is not None and self.transport.player is not None:
            position = self.transport.position
            view = self.view
            if not view.view_start <= position <= view.view_end:  # a zoomed view follows
                span = view.view_end - view.view_start
                if span > 0:
                    view.scroll_view((position - view.view_start) / span - 0.1)
            view.set_position(position)
        self._update_status()

    def _ticking(self, on: bool) -> None:
        if on:
            self._ticker.resume()
        elif self.take is None and (self.transport is None or not self.transport.playing):
            self._ticker.pause()

    # -- transport ----------------------------------------------------------------------------
    def _transport(self) -> Transport:
        if self.transport is None:
            self.transport = Transport(getattr(self.app, "output_device", None),
                                       self._player_event)
        return self.transport

    def _player_event(self, name: str) -> None:
        self.fire(name)
        self._ticking(name == "play")
        if name == "stop":
            self.view.set_position(self.view.duration)
            # Gradio 5 `Audio(loop=True)`: the player's "stop" means the end was reached
            # (a user's stop fires "pause"), and play() after the end starts from 0.
            if getattr(self.component, "loop", False) and self._value is not None:
                self._run_transport("toggle", self._value)
        self._update_status()

    def action_toggle_play(self) -> None:
        if self._value is None or self.take is not None or not self._hardware_ok():
            return
        self._run_transport("toggle", self._value)

    def action_stop(self) -> None:
        if self.transport is not None:
            self._run_transport("stop", None)
            self.view.set_position(0.0)

    def _run_transport(self, what: str, value: Any) -> None:
        self._transport_in_thread(self._transport(), what, value)

    @work(thread=True, exclusive=False, group="transport", exit_on_error=False)
    def _transport_in_thread(self, transport: Transport, what: str, value: Any) -> None:
        try:
            if what == "toggle":
                transport.toggle(value)
            elif what == "stop":
                transport.stop()
        except Exception as exc:
            self.app.call_from_thread(self.app.notify, str(exc), title="Playback failed",
                                      severity="error")

    def seek(self, seconds: float) -> None:
        """Move the playhead (and the player, when something is loaded)."""
        seconds = min(max(seconds, 0.0), self.view.duration)
        self.view.set_position(seconds)
        if self.transport is not None and self.transport.player is not None:
            self.transport.seek(seconds)
        self._update_status()

    def action_skip(self, direction: int) -> None:
        self.seek((self.view.position or 0.0) + direction * self.skip_length)

    def action_seek_edge(self, end: int) -> None:
        self.seek(self.view.duration if end else 0.0)

    def action_zoom(self, factor: float) -> None:
        self.view.zoom(factor)

    def action_scroll(self, fraction: float) -> None:
        self.view.scroll_view(fraction)

    def action_toggle_spectrogram(self) -> None:
        self.view.toggle_mode()

    def action_next_channels(self) -> None:
        self.view.next_channels()
        self._update_status()

    @on(WaveformView.Clicked)
    def _clicked(self, event: WaveformView.Clicked) -> None:
        event.stop()
        if event.drag_from is not None and getattr(self.component, "editable", False):
            self.view.selection = (event.drag_from, event.seconds)
            self.view.refresh()
        self.seek(event.seconds)

    # -- buttons --------------------------------------------------------------------------------
    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        # The buttons take no focus (one Tab stop); a click keeps the keys on this widget.
        if not self.has_class("-asking-path"):
            self.view.focus()
        action = {"play": self.action_toggle_play, "stop": self.action_stop,
                  "record": self.action_record, "pause-rec": self.action_pause_recording,
                  "upload": self.action_upload,
                  "trim": self.action_trim, "clear": self.action_clear,
                  "download": self.action_download}.get(event.button.id or "")
        if action is not None:
            action()

    def action_clear(self) -> None:
        if not self.interactive or self._value is None:
            return
        if self.transport is not None:
            self.transport.forget()
        self.undo_stack.append(self._value)  # x is never the end of a take: ctrl+z
        self.commit(None)  # first, so clear listeners see no audio (as in Gradio)
        self.refresh_bindings()
        self.fire("clear")
