"""Recorder: ● Record / ❚❚ Pause of one audio widget, and the take they control.

A take is the engine's Recorder (LiveRecording) or, for `streaming=True`, its
MicrophoneStream (MicrophoneChunks); both look the same here. The Recorder widget starts,
pauses and finishes takes when its audio widget asks, and reports what happened as
messages (`Started`, `Paused`, `TakeFinished`), from which the audio widget fires
Gradio's events in Gradio's order: start_recording, pause_recording, stop_recording, then
the value's input and change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeGuard

from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Button

from audiotui.tui.widgets import audio_streaming
from audiotui.tui.widgets.audio_recording import LiveRecording
from audiotui.tui.widgets.audio_streaming import MicrophoneChunks
from audiotui.tui.widgets.button_group import ButtonGroup
from audiotui.tui.widgets.waveform_view import WaveformView

LIVE_WINDOW_SECONDS = 10.0
"""How much of a growing take the live waveform shows (it scrolls left)."""
RECORD_LABEL = "● Record"
PAUSE_LABEL = "❚❚ Pause"


class Recorder(ButtonGroup):
    """The take in progress (`take`, None between takes) and its two buttons.

    Args:
        component: the gr.Audio whose takes these are (max_length, streaming...).
        buttons: compose ● Record and ❚❚ Pause (False for a widget without a microphone:
            it has no take buttons, and the Recorder takes no room).
    """


    class Started(Message):
        """A take started (Gradio's start_recording)."""

    class Paused(Message):
        """The take was paused (Gradio's pause_recording); resuming fires nothing."""

    class TakeFinished(Message):
        """A take ended and its file is closed, whether the user stopped it or not.

        Args:
            fd: the take as a FileData (None when nothing was recorded).
            error: why it ended on its own (the device went away, a write failed), or None.
            device: the input device's name, for telling the user.
            streamed: a `streaming=True` take, whose chunks already went to the listeners.
        """

        def __init__(self, fd: Any, error: BaseException | None, device: str,
                     streamed: bool) -> None:
            super().__init__()
            self.fd = fd
            self.error = error
            self.device = device
            self.streamed = streamed

    def __init__(self, component: Any = None, *, buttons: bool = True) -> None:
        super().__init__(classes="recorder" if buttons else "recorder -empty")
        self.component = component
        self.buttons = buttons
        self.take: LiveRecording | MicrophoneChunks | Any = None
        """The take in progress (None between takes)."""
        options = getattr(component, "waveform_options", None)
        self.live_waveform = bool(getattr(options, "show_recording_waveform", True))
        """Draw the take as it grows (Gradio's `show_recording_waveform`)."""

    def compose(self) -> ComposeResult:
        if self.buttons:
            yield Button(RECORD_LABEL, id="record", compact=True, variant="error")
            yield Button(PAUSE_LABEL, id="pause-rec", compact=True)

    def start(self, device: int | str | None,
              on_chunk: Callable[[Any], Any] = lambda fd: None) -> None:
        """Open the input device and start a take as `component` asks (max_length, and for
        `streaming=True` chunks of `stream_every` seconds up to `stream_time_limit`).

        Raises the engine's DeviceError or NoAudioHardware (which name the device and the
        fix) when it cannot.

        Args:
            device: input device spec (None = default / env).
            on_chunk: for a streaming take, called on the UI loop with each chunk (a
                FileData); an awaitable it returns is waited for before the next chunk
                (the `stream` listeners' jobs).
        """
        component = self.component
        max_length = getattr(component, "max_length", None)
        # Looked up in this module at call time: tests stand in for takes by patching these.
        if getattr(component, "streaming", False):
            # Gradio 5 listeners' stream_every / time_limit (kept on the component)
            limit = getattr(component, "stream_time_limit", None)
            if limit is not None:
                max_length = limit if max_length is None else min(max_length, limit)
            take: Any = MicrophoneChunks(
                device, max_length, self.take_finished, on_chunk,
                chunk_seconds=float(getattr(component, "stream_every", 0.5)),
            )
        else:
            take = LiveRecording(device, max_length, self.take_finished)
        self.take = take
        try:
            take.start()
        except Exception:
            self.take = None
            raise
        self._label("#record", "■ Finish")
        self.post_message(self.Started())

    def tick(self, view: WaveformView) -> None:
        """Take in what was recorded since the last tick; the live waveform `view` grows."""
        take = self.take
        if take is not None and take.tick() and self.live_waveform:
            if view.peaks is not take.peaks:
                view.show(take.peaks, getattr(take, "spectrum", None))
            view.follow_end(LIVE_WINDOW_SECONDS)

    def toggle_pause(self) -> None:
        """Pause a running take, or resume a paused one (a finishing take is left alone)."""
        take = self.take
        if take is None:
            return
        if take.state == "recording":
            take.pause()
            self._label("#pause-rec", "▶ Resume")
            self.post_message(self.Paused())
        elif take.state == "paused":
            take.resume()
            self._label("#pause-rec", PAUSE_LABEL)

    def finish(self) -> None:
        """Stop the take; its file closes in a worker and `TakeFinished` follows."""
        take = self.take
        if take is not None:
            self._label("#record", "… saving")
            self.run_worker(take.stop, thread=True, group="recording", exit_on_error=False)

    def take_finished(self, fd: Any, error: BaseException | None) -> None:
        """On the UI loop once the take has closed its file (user stop or max_length)."""
        device = str(getattr(self.take, "device_name", "") or "the input device")
        streamed = _streamed(self.take)
        self.take = None
        if not (self.is_mounted and self.is_attached):
            return  # the app quit mid-take: the file is saved, there is no screen to update
        self._label("#record", RECORD_LABEL)
        self._label("#pause-rec", PAUSE_LABEL)
        self.post_message(self.TakeFinished(fd, error, device, streamed))

    def shutdown(self) -> None:
        """The app is closing: a take in progress is saved before the process exits."""
        import threading

        take, self.take = self.take, None
        if _streamed(take):
            # The device closes now (PortAudio's exit handler must not meet a stream being
            # closed on another thread); the rest of its stop joins the delivery thread,
            # which waits for this (the loop's) thread, so it runs off it.
            take.stream.stop(timeout=0)
            threading.Thread(target=take.stop, name="audiotui-stream-stop", daemon=True).start()
        elif take is not None:
            take.stop()  # a recorder take: closed with everything received, before exit

    def _label(self, selector: str, label: str) -> None:
        for button in self.query(selector).results(Button):
            button.label = label


def _streamed(take: Any) -> TypeGuard[MicrophoneChunks]:
    """A `streaming=True` take (checked against the class itself: tests replace the name)."""
    return isinstance(take, audio_streaming.MicrophoneChunks)


def take_ended_notice(device: str, fd: Any, error: BaseException) -> str:
    """What a toast says of a take the user did not stop: why it ended, what is on disk.

    The error line under the widget is easy to miss (and a sound server that dies takes
    no keypress to notice), so the user learns the take ended and that it was saved.
    """
    from audiotui.errors import DeviceError

    cause = f"{device} went away" if isinstance(error, DeviceError) else str(error)
    saved = "nothing was saved"
    if fd is not None:
        meta = getattr(fd, "meta", None) or {}
        rate = int(meta.get("sample_rate") or 0)
        length = int(meta.get("frames") or 0) / rate if rate else 0.0
        saved = f"saved {fd.path} ({length:.1f} s)"
    return f"Recording stopped: {cause}; {saved}"
