"""AudioWidget: gr.Audio in the terminal, composed of a waveform, transport, recorder and files.

The composite owns the value (commit, Gradio events, undo) and the keys; its parts each do
one thing and report back with messages: `WaveformView` draws and reports clicks,
`TransportBar` plays, `Recorder` records takes, `FileActions` loads, saves, trims and picks
devices. Files are read, peaks computed, recorded and played by the engine in worker
threads, so the UI never waits on a disk or a sound device.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Button

from audiotui.tui.flex_row import ButtonStrip
from audiotui.tui.waveform import Charset
from audiotui.tui.widgets.audio_files import FileActions, PathPrompt, save_as
from audiotui.tui.widgets.audio_status import describe, empty_hint, status_parts
from audiotui.tui.widgets.audio_streaming import send_stream_chunk
from audiotui.tui.widgets.audio_takes import Recorder, take_ended_notice
from audiotui.tui.widgets.audio_transport import TransportBar
from audiotui.tui.widgets.base import ComponentWidget
from audiotui.tui.widgets.footer_room import FooterRoom
from audiotui.tui.widgets.status_line import StatusLine
from audiotui.tui.widgets.waveform_colours import WaveformColours
from audiotui.tui.widgets.waveform_view import WaveformView

METER_SECONDS = 0.1
"""Shortest interval between level meter / clock repaints while recording."""


class AudioWidget(ComponentWidget):
    """gr.Audio in the terminal. Keys work while any part of the widget has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_play", "play/pause"),
        Binding("s", "stop", "stop"),
        Binding("r", "record", "record/stop"),
        Binding("p", "pause_recording", "pause/resume rec"),
        Binding("x,delete", "clear", "clear", show=False),
        Binding("u", "upload", "upload", show=False),
        Binding("b", "browse", "browse files", show=False),
        Binding("i", "pick_input", "input device", show=False),
        Binding("o", "pick_output(1)", "output device"),  # in the footer where it fits
        Binding("o", "pick_output(0)", "output device", show=False),  # ...else still a key
        Binding("d", "download", "download", show=False),
        Binding("t", "trim", "trim", show=False),
        Binding("ctrl+z", "undo", "undo", show=False),
        Binding("g", "toggle_spectrogram", "spectrogram"),
    ]
    """Transport, recording and editing keys (Gradio's buttons, as keys); the keys that
    move around in the audio are the WaveformView's (the part that has the focus)."""

    DEFAULT_CSS: ClassVar[str] = """
    AudioWidget { height: auto; border: round $panel; padding: 0 1; }
    AudioWidget:focus-within { border: round $accent; }
    AudioWidget.-no-container, AudioWidget.-no-container:focus-within { border: none; padding: 0; }
    AudioWidget .audio-info, AudioWidget .audio-status { height: 1; color: $text-muted; }
    AudioWidget .audio-meter { display: none; }
    AudioWidget.-recording .audio-meter { display: block; }
    AudioWidget .audio-buttons { height: auto; }
    AudioWidget #pause-rec { display: none; }
    AudioWidget.-recording #pause-rec { display: block; }
    AudioWidget PathPrompt { display: none; }
    AudioWidget.-asking-path PathPrompt { display: block; }
    """
    """Compact: info line, waveform with ruler, status line, one line of buttons."""

    def __init__(self, component: Any, value: Any = None, *, interactive: bool = True) -> None:
        super().__init__(component, value, interactive=interactive)
        options = getattr(component, "waveform_options", None)
        self.colours = WaveformColours.from_options(options)
        self.sources = list(getattr(component, "sources", None) or ["upload", "microphone"])
        self.undo_stack: list[Any] = []
        self.hardware_reason: str | None = None
        self._loaded_value: Any = None
        self._autoplayed: Any = None
        self._auto_recorded = False
        self._output_hint = FooterRoom("o output device")
        self.transport_bar = TransportBar()
        editable = bool(getattr(component, "editable", False))
        self.recorder = Recorder(component, buttons=interactive and "microphone" in self.sources)
        self.files = FileActions(
            upload=interactive and "upload" in self.sources, trim=interactive and editable,
            clear=interactive,
            download=getattr(component, "show_download_button", None) is not False,
            refuse=self.upload_refusal,
        )

    # -- composition --------------------------------------------------------------------------
    def compose_control(self) -> Iterable[Any]:
        charset: Charset = "ascii" if getattr(self.app, "ascii", False) else "braille"
        yield StatusLine(self._describe(self._value), classes="audio-info")
        yield WaveformView(
            charset=charset, colours=self.colours,
            editable=bool(getattr(self.component, "editable", False)),
            skip_length=float(getattr(getattr(self.component, "waveform_options", None),
                                      "skip_length", 5) or 5))
        yield StatusLine("", classes="audio-status")
        yield StatusLine("", classes="audio-meter")
        with ButtonStrip(classes="audio-buttons"):  # wraps at 80 columns, never off screen
            yield self.transport_bar
            yield self.recorder
            yield self.files
        yield PathPrompt()

    def _describe(self, value: Any) -> str:
        """The value's facts, or (when empty) how to get audio into it."""
        return describe(value) if value is not None else empty_hint(self.interactive,
                                                                     self.sources)

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

    @property
    def take(self) -> Any:
        """The take in progress (the Recorder's), or None."""
        return self.recorder.take

    @take.setter
    def take(self, take: Any) -> None:
        self.recorder.take = take

    @property
    def transport(self) -> Any:
        """The player of the value last played (the TransportBar's), or None."""
        return self.transport_bar.transport

    @transport.setter
    def transport(self, transport: Any) -> None:
        self.transport_bar.transport = transport

    def set_interactive(self, interactive: bool) -> None:
        self.interactive = interactive
        self.recorder.enable(interactive, "record")
        self.files.enable(interactive, "upload", "trim", "clear")
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
        if action == "pick_output" and parameters == (1,):
            # `o output device` is in the footer only where the whole line still fits
            # (when it does not, the `o` binding without a hint still answers the key)
            return self._output_hint.fits(self)
        return True

    def on_resize(self) -> None:
        if self._output_hint.width_changed(self.app.size.width):  # room for `o` may change
            self.refresh_bindings()

    def shutdown(self) -> None:
        """The app is closing: stop playback and streams; a take in progress is saved."""
        self.transport_bar.close()
        self.transport_bar.close_stream()
        self.recorder.shutdown()

    # -- hardware ---------------------------------------------------------------------------
    def set_hardware(self, status: Any) -> None:
        """Disable play/record with the engine's one-line reason when there is no device."""
        available = bool(getattr(status, "available", False))
        self.hardware_reason = None if available else str(getattr(status, "reason", ""))
        self.transport_bar.enable(available)
        self.recorder.enable(available and self.interactive, "record")
        self._update_status()
        if available:  # autoplay needs the devices and the peaks: whichever comes last plays
            self._autoplay()
        # Gradio 5 `Audio(recording=True)`: the microphone starts as the app opens, once
        # the devices are known (here: the first time they are found available).
        if available and getattr(self.component, "recording", False) and not self._auto_recorded:
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
            playable = self.hardware_reason is None and bool(getattr(self.app, "hardware", None))
            if self.transport_bar.play_stream_chunk(
                    stored, self.view, playable=playable, on_grew=self._update_status,
                    device=getattr(self.app, "output_device", None)):
                self._ticking(True)
            return
        self.transport_bar.close_stream()
        if stored is self._loaded_value or (
            stored is not None and stored == self._loaded_value
        ):
            return
        self._loaded_value = stored
        self.transport_bar.forget()
        self.view.load(stored)
        self._update_status()

    @on(WaveformView.Loaded)
    def _peaks_ready(self, event: WaveformView.Loaded) -> None:
        event.stop()
        stored, peaks = event.value, event.peaks
        if stored is not self._loaded_value:
            return
        cut = getattr(peaks, "truncation", None)
        if cut is not None:  # counted while drawing: show the readable length, say why
            self.query_one(".audio-info", StatusLine).show(describe(stored, peaks.frames))
            self.app.notify(
                dataclasses.replace(cut, name=stored.name).message(),
                title="Truncated file", severity="warning",
            )
        self._update_status()
        self._autoplay()

    @on(WaveformView.LoadFailed)
    @on(FileActions.Failed)
    def _file_failed(self, event: WaveformView.LoadFailed | FileActions.Failed) -> None:
        event.stop()
        self.flag_error(event.message)

    def _autoplay(self) -> None:
        """`autoplay=True`: play a value once, when both its peaks and the devices are known.

        The device probe may answer before or after the peaks are drawn; each calls this,
        and the value is played once (the probe used to answer last, and nothing played).
        """
        hardware = getattr(self.app, "hardware", None)
        value = self._loaded_value
        if (getattr(self.component, "autoplay", False) and getattr(hardware, "available", False)
                and self.take is None and value is not None and self.view.peaks is not None
                and self._autoplayed is not value):
            self._autoplayed = value
            self.action_toggle_play()

    def action_undo(self) -> None:
        if self.undo_stack:
            self.commit(self.undo_stack.pop())

    def action_clear(self) -> None:
        if not self.interactive or self._value is None:
            return
        self.transport_bar.forget()
        self.undo_stack.append(self._value)  # x is never the end of a take: ctrl+z
        self.commit(None)  # first, so clear listeners see no audio (as in Gradio)
        self.refresh_bindings()
        self.fire("clear")

    # -- status line --------------------------------------------------------------------------
    def _update_status(self) -> None:
        """The line under the waveform: where playback or the take is, then device hints.

        Each part has a rank (0 = always shown); a narrow widget leaves out the highest
        ranks first, so the clock is never the part that goes.
        """
        if not self.is_mounted:
            return
        take, idle = self.take, self.take is None
        self.transport_bar.show_playing(self.transport_bar.playing)
        take_path = getattr(getattr(take, "recorder", None), "path", None)
        if take_path is not None:  # the header names the take, not the previous file
            self.query_one(".audio-info", StatusLine).show(
                f"recording {getattr(take_path, 'name', take_path)}")
        mic = idle and self.interactive and "microphone" in self.sources
        self.query_one(".audio-status", StatusLine).show_parts(status_parts(
            take, self._value, self.view, self.transport_bar,
            max_length=getattr(self.component, "max_length", None),
            mic=(getattr(self.app, "input_device", None) or "default") if mic else None,
            speaker=(getattr(self.app, "output_device", None) or "default")
            if idle and self.hardware_reason is None else None,  # every widget can play
            hardware_reason=self.hardware_reason))

    def _tick(self) -> None:
        """fps-capped: move the playhead, grow the live waveform, update the meter.

        The meter and the clock (tenths) are text that is read, not motion: they repaint at
        most every METER_SECONDS, which halves a recording's repaints at the default fps.
        """
        take = self.take
        if take is not None:
            self.recorder.tick(self.view)
            now = time.monotonic()
            if now - self._meter_shown < METER_SECONDS:
                return
            self._meter_shown = now
            self.query_one(".audio-meter", StatusLine).show(take.meter())
        elif self.transport_bar.started:
            self.view.follow(self.transport_bar.position)
        self._update_status()

    def _ticking(self, on: bool) -> None:
        if on:
            self._ticker.resume()
        elif self.take is None and not self.transport_bar.playing:
            self._ticker.pause()

    # -- transport ----------------------------------------------------------------------------
    @on(TransportBar.PlayerEvent)
    def _on_player_event(self, event: TransportBar.PlayerEvent) -> None:
        event.stop()
        self._player_event(event.name)

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

    def _run_transport(self, what: str, value: Any) -> None:
        self.transport_bar.run(what, value, getattr(self.app, "output_device", None))

    def action_toggle_play(self) -> None:
        if self._value is None or self.take is not None or not self._hardware_ok():
            return
        self._run_transport("toggle", self._value)

    def action_stop(self) -> None:
        if self.transport is not None:
            self._run_transport("stop", None)
            self.view.set_position(0.0)

    def seek(self, seconds: float) -> None:
        """Move the playhead (and the player, when something is loaded)."""
        seconds = min(max(seconds, 0.0), self.view.duration)
        self.view.set_position(seconds)
        self.transport_bar.seek(seconds)
        self._update_status()

    def action_toggle_spectrogram(self) -> None:
        self.view.toggle_mode()

    @on(WaveformView.Seeked)
    def _seeked(self, event: WaveformView.Seeked) -> None:
        event.stop()
        self.seek(event.seconds)

    @on(WaveformView.Reframed)
    def _reframed(self, event: WaveformView.Reframed) -> None:
        event.stop()
        self._update_status()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        # The buttons take no focus (one Tab stop); a click keeps the keys on this widget.
        if not self.has_class("-asking-path"):
            self.view.focus()
        name = {"play": "toggle_play", "pause-rec": "pause_recording"}.get(
            event.button.id or "", event.button.id or "")
        getattr(self, f"action_{name}", lambda: None)()

    # -- recording ------------------------------------------------------------------------------
    def action_record(self) -> None:
        """Start a take, or finish the running one."""
        if not self.interactive or "microphone" not in self.sources:
            return
        if self.take is not None:
            self.recorder.finish()
            return
        if not self._hardware_ok():
            return
        self.transport_bar.stop_now()
        try:
            self.recorder.start(getattr(self.app, "input_device", None), self._stream_chunk)
        except Exception as exc:  # DeviceError / NoAudioHardware name the device and fix
            self.flag_error(str(exc))

    @on(Recorder.Started)
    def _take_started(self, event: Recorder.Started) -> None:
        event.stop()
        self.add_class("-recording")
        self.view.placeholder = "recording…"
        self.view.show(None)
        self.refresh_bindings()  # the pause key shows while a take runs
        self.fire("start_recording")
        self._ticking(True)
        self._update_status()

    def action_pause_recording(self) -> None:
        self.recorder.toggle_pause()
        self._update_status()

    @on(Recorder.Paused)
    def _take_paused(self, event: Recorder.Paused) -> None:
        event.stop()
        self.fire("pause_recording")

    @on(Recorder.TakeFinished)
    def _take_finished(self, event: Recorder.TakeFinished) -> None:
        """The take's file is closed (user stop, max_length, or the device went away)."""
        event.stop()
        self.remove_class("-recording")
        self.refresh_bindings()
        self._ticking(False)
        self.fire("stop_recording")
        fd = event.fd
        if fd is not None:
            if self._value is not None and not event.streamed:  # the take it replaces: ctrl+z
                self.undo_stack.append(self._value)
            if event.streamed:  # the listeners had every chunk; the whole take is kept, quietly
                self.keep_quietly(fd)
            else:
                self.commit(fd)  # clears the error line: the error is flagged after it
        if event.error is not None:
            self.flag_error(str(event.error))
            self.app.notify(take_ended_notice(event.device, fd, event.error),
                            title="Recording stopped", severity="warning", timeout=30)
        self._update_status()

    # -- streaming ------------------------------------------------------------------------------
    async def _stream_chunk(self, fd: Any) -> None:
        """A microphone chunk of a streaming input: shown, stored quietly, sent to `stream`
        (returns once its listeners finished: MicrophoneChunks waits)."""
        self._value = fd
        await send_stream_chunk(self, fd)

    def outputs_finished(self) -> None:
        """The function producing this output finished: a stream has no more chunks."""
        self.transport_bar.finish_stream()

    # -- files and devices ------------------------------------------------------------------------
    def action_upload(self) -> None:
        if self.interactive and "upload" in self.sources:
            self._ask_path("upload")

    def action_browse(self) -> None:
        if self.interactive and "upload" in self.sources:
            self.files.browse()

    def action_download(self) -> None:
        if self._value is not None:
            self._ask_path("download")

    def _ask_path(self, purpose: str) -> None:
        self.add_class("-asking-path")
        self.query_one(PathPrompt).ask(purpose, save_as(self._value)
                                       if purpose == "download" else None)

    def key_escape(self) -> None:
        if self.has_class("-asking-path"):
            self.remove_class("-asking-path")
            self.view.focus()

    @on(PathPrompt.Chosen)
    def _path_chosen(self, event: PathPrompt.Chosen) -> None:
        event.stop()
        self.remove_class("-asking-path")
        self.view.focus()
        self.files.use_path(event.purpose, event.path, self._value)

    @on(FileActions.Loaded)
    def _uploaded(self, event: FileActions.Loaded) -> None:
        event.stop()
        if self._value is not None:  # the value it replaces (a take) stays undoable
            self.undo_stack.append(self._value)
        self.commit(event.fd)
        self.fire("upload", event.fd)

    def action_trim(self) -> None:
        if self.interactive and getattr(self.component, "editable", False):
            self.files.trim_selection(self._value, self.view.selection)

    @on(FileActions.Trimmed)
    def _trimmed(self, event: FileActions.Trimmed) -> None:
        event.stop()
        self.undo_stack.append(event.before)
        self.commit(event.after)

    def action_pick_input(self) -> None:
        """Choose the microphone for the next take."""
        if self.interactive and "microphone" in self.sources:
            self.files.pick_device("input", getattr(self.app, "input_device", None))

    def action_pick_output(self, in_footer: int = 0) -> None:
        """Choose the speaker without a restart (the next Play uses it)."""
        self.files.pick_device("output", getattr(self.app, "output_device", None))

    @on(FileActions.DevicePicked)
    def _device_picked(self, event: FileActions.DevicePicked) -> None:
        event.stop()
        if event.kind == "output":
            self.transport_bar.use_device()  # the open player holds the old speaker
        self._update_status()
