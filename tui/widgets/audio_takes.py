"""Recording actions of the audio widget: start, pause/resume and finish a take.

A take is the engine's Recorder (LiveRecording) or, for `streaming=True`, its
MicrophoneStream (MicrophoneChunks); both look the same to the widget. Events fire in
Gradio's order: start_recording, pause_recording, stop_recording, then the value's
input and change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Button

from audiotui.tui.widgets.audio_recording import LiveRecording
from audiotui.tui.widgets.audio_streaming import MicrophoneChunks


class AudioTakeActions:
    """Record / pause / finish for an AudioWidget (uses its `view`, `commit`, `fire`...)."""

    take: Any
    transport: Any
    component: Any
    interactive: bool
    sources: list[str]
    undo_stack: list[Any]
    _value: Any
    keep_quietly: Callable[[Any], None]

    # -- recording ------------------------------------------------------------------------------
    def action_record(self) -> None:
        """Start a take, or stop the running one."""
        if not self.interactive or "microphone" not in self.sources:
            return
        if self.take is not None:
            self._stop_take()
            return
        if not self._hardware_ok():
            return
        if self.transport is not None:
            self.transport.stop()
        device = getattr(self.app, "input_device", None)
        max_length = getattr(self.component, "max_length", None)
        try:
            if getattr(self.component, "streaming", False):
                # Gradio 5 listeners' stream_every / time_limit (kept on the component)
                limit = getattr(self.component, "stream_time_limit", None)
                if limit is not None:
                    max_length = limit if max_length is None else min(max_length, limit)
                self.take = MicrophoneChunks(
                    device, max_length, self._take_finished, self._stream_chunk,
                    chunk_seconds=float(getattr(self.component, "stream_every", 0.5)),
                )
            else:
                self.take = LiveRecording(device, max_length, self._take_finished)
            self.take.start()
        except Exception as exc:  # DeviceError / NoAudioHardware name the device and fix
            self.take = None
            self.flag_error(str(exc))
            return
        self.add_class("-recording")
        self.view.placeholder = "recording…"
        self.view.show(None)
        self._set_record_label("■ Finish")
        self.refresh_bindings()  # the pause key shows while a take runs
        self.fire("start_recording")
        self._ticking(True)
        self._update_status()

    def action_pause_recording(self) -> None:
        if self.take is None:
            return
        if self.take.state == "recording":
            self.take.pause()
            self.fire("pause_recording")
            label = "▶ Resume"
        elif self.take.state == "paused":
            self.take.resume()
            label = "❚❚ Pause"
        else:
            return  # finishing: neither pause nor resume applies
        for button in self.query("#pause-rec").results(Button):
            button.label = label
        self._update_status()

    def _stop_take(self) -> None:
        take = self.take
        if take is not None:
            self._set_record_label("… saving")
            self.run_worker(take.stop, thread=True, group="recording", exit_on_error=False)

    def _take_finished(self, fd: Any, error: BaseException | None) -> None:
        """On the UI loop once the Recorder has closed its file (user stop or max_length)."""
        device = str(getattr(self.take, "device_name", "") or "the input device")
        streamed = isinstance(self.take, MicrophoneChunks)
        self.take = None
        if not (self.is_mounted and self.is_attached):  # type: ignore[attr-defined]
            return  # the app quit mid-take: the file is saved, there is no screen to update
        self.remove_class("-recording")
        self._set_record_label("● Record")
        for button in self.query("#pause-rec").results(Button):
            button.label = "❚❚ Pause"
        self.refresh_bindings()
        self._ticking(False)
        self.fire("stop_recording")
        if fd is not None:
            if self._value is not None and not streamed:  # the take it replaces: ctrl+z
                self.undo_stack.append(self._value)
            if streamed:  # the listeners had every chunk; the whole take is kept, quietly
                self.keep_quietly(fd)
            else:
                self.commit(fd)  # clears the error line: the error is flagged after it
        if error is not None:
            self.flag_error(str(error))
            self._tell_take_ended(device, fd, error)
        self._update_status()

    def _tell_take_ended(self, device: str, fd: Any, error: BaseException) -> None:
        """A take the user did not stop: a toast says why and what is on disk.

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
        self.app.notify(
            f"Recording stopped: {cause}; {saved}", title="Recording stopped",
            severity="warning", timeout=30,
        )

    def _set_record_label(self, label: str) -> None:
        for button in self.query("#record").results(Button):
            button.label = label
