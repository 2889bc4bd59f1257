"""Audio file actions: upload by path, download in a chosen format, select, trim and undo.

A mixin of AudioWidget, kept apart because it is the part that talks to the engine's file
functions (probe, read, write) - always from worker threads, never on the UI loop.
"""

from __future__ import annotations

import os
from typing import Any

from textual import work
from textual.widgets import Input

from audiotui.tui.widgets.path_input import PathInput

_ROUND_STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0,
                30.0, 60.0, 120.0, 300.0, 600.0)


def selection_step(span: float) -> float:
    """How far shift+arrow moves a selection edge: about a tenth of the view, rounded.

    A fiftieth of the view took 50 presses to select one second of a one-second file; a
    tenth is a visible move at every zoom and lands on round times (0.1 s, 5 s...).
    """
    target = max(span, 0.0) / 10
    return min(_ROUND_STEPS, key=lambda step: abs(step - target)) if target > 0 else 0.01


class AudioFileActions:
    """Upload / download / trim for an AudioWidget (uses its `view`, `commit`, `fire`...)."""

    undo_stack: list[Any]
    _path_purpose: str
    _value: Any
    component: Any
    interactive: bool
    sources: list[str]
    transport: Any

    # -- upload / download ------------------------------------------------------------------------
    def action_upload(self) -> None:
        if self.interactive and "upload" in self.sources:
            self._ask_path("upload")

    def action_browse(self) -> None:
        """A directory tree filtered to audio files; picking one uploads it."""
        if not (self.interactive and "upload" in self.sources):
            return
        from audiotui.tui.widgets.pickers import AudioFileBrowser

        def picked(path: str | None) -> None:
            if path:
                self._upload(path)

        self.app.push_screen(AudioFileBrowser(os.getcwd()), picked)  # type: ignore[attr-defined]

    def action_pick_input(self) -> None:
        """Choose the microphone for the next take (listed in a thread: PortAudio is slow)."""
        if self.interactive and "microphone" in self.sources:
            self._list_devices("input")

    def action_pick_output(self) -> None:
        """Choose the speaker without a restart (the next Play uses it)."""
        self._list_devices("output")

    @work(thread=True, exclusive=True, group="devices", exit_on_error=False)
    def _list_devices(self, kind: str) -> None:
        from audiotui.media.devices import list_devices

        try:
            devices = list_devices(kind)  # type: ignore[arg-type]
        except Exception as exc:  # NoAudioHardware names what is missing
            self.app.call_from_thread(self.flag_error, str(exc))  # type: ignore[attr-defined]
            return
        show = self._show_inputs if kind == "input" else self._show_outputs
        self.app.call_from_thread(show, devices)  # type: ignore[attr-defined]

    def _show_outputs(self, devices: list[Any]) -> None:
        from audiotui.tui.widgets.pickers import DevicePicker

        def picked(device: Any) -> None:
            if device is None:
                return
            self.app.output_device = device.name  # type: ignore[attr-defined]
            if self.transport is not None:  # it holds the old device: the next Play opens anew
                self.transport.close()
                self.transport = None
            self.app.notify(f"playing to {device.name}",  # type: ignore[attr-defined]
                            title="Output device")
            self._update_status()  # type: ignore[attr-defined]

        current = getattr(self.app, "output_device", None)  # type: ignore[attr-defined]
        self.app.push_screen(  # type: ignore[attr-defined]
            DevicePicker("Play to (Enter picks, Esc cancels)", devices, current), picked)

    def _show_inputs(self, devices: list[Any]) -> None:
        from audiotui.tui.widgets.pickers import DevicePicker

        def picked(device: Any) -> None:
            if device is not None:
                self.app.input_device = device.name  # type: ignore[attr-defined]
                self.app.notify(f"recording from {device.name}",  # type: ignore[attr-defined]
                                title="Input device")
                self._update_status()  # type: ignore[attr-defined]

        current = getattr(self.app, "input_device", None)  # type: ignore[attr-defined]
        self.app.push_screen(  # type: ignore[attr-defined]
            DevicePicker("Record from (Enter picks, Esc cancels)", devices, current), picked)

    def action_download(self) -> None:
        if self._value is not None:
            self._ask_path("download")

    def _ask_path(self, purpose: str) -> None:
        self._path_purpose = purpose
        field = self.query_one(PathInput)
        field.placeholder = ("audio file to load (Tab completes, Enter loads, Esc cancels)"
                             if purpose == "upload" else
                             "save as (.wav .flac .ogg .mp3; Enter saves, Esc cancels)")
        if purpose == "download" and self._value is not None:
            field.value = os.path.join(os.getcwd(), os.path.basename(self._value.name))
        self.add_class("-asking-path")
        field.focus()

    def key_escape(self) -> None:
        if self.has_class("-asking-path"):
            self.remove_class("-asking-path")
            self.view.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # A name-based handler: `@on` is only collected on Textual classes, not mixins.
        if not isinstance(event.input, PathInput):
            return
        event.stop()
        path = os.path.expanduser(event.value.strip())
        if not path:
            return
        self.remove_class("-asking-path")
        self.view.focus()
        if self._path_purpose == "upload":
            self._upload(path)
        else:
            self._download(self._value, path)

    @work(thread=True, exclusive=True, group="upload", exit_on_error=False)
    def _upload(self, path: str) -> None:
        from audiotui.media.files import path_to_filedata

        refusal = self.upload_refusal(path)  # type: ignore[attr-defined]
        if refusal is not None:
            self.app.call_from_thread(self.flag_error, refusal)
            return
        try:
            fd = path_to_filedata(path)
        except Exception as exc:
            self.app.call_from_thread(self.flag_error, str(exc))
            return
        self.app.call_from_thread(self._uploaded, fd)

    def _uploaded(self, fd: Any) -> None:
        if self._value is not None:  # the value it replaces (a take) stays undoable
            self.undo_stack.append(self._value)
        self.commit(fd)
        self.fire("upload", fd)

    @work(thread=True, exclusive=True, group="download", exit_on_error=False)
    def _download(self, value: Any, path: str) -> None:
        from audiotui.media.files import read_float, write_audio

        try:
            rate, data = read_float(value.path)
            write_audio(path, rate, data)
        except Exception as exc:
            self.app.call_from_thread(self.flag_error, str(exc))
            return
        self.app.call_from_thread(self.app.notify, f"saved {path}", title="Download")

    # -- editing --------------------------------------------------------------------------------
    def action_select(self, direction: int) -> None:
        if not getattr(self.component, "editable", False) or self.view.peaks is None:
            return
        anchor, end = self.view.selection or ((self.view.position or 0.0),) * 2
        step = selection_step(self.view.view_end - self.view.view_start)
        end = min(max(end + direction * step, 0.0), self.view.duration)
        self.view.selection = (anchor, end)
        self.view.refresh()
        self._update_status()

    def action_trim(self) -> None:
        if not (self.interactive and getattr(self.component, "editable", False)):
            return
        if self._value is None or self.view.selection is None:
            self.app.notify("select a region first (shift+arrows or drag)", title="Trim")
            return
        a, b = sorted(self.view.selection)
        if b - a <= 0:
            return
        self._trim(self._value, a, b)

    @work(thread=True, exclusive=True, group="edit", exit_on_error=False)
    def _trim(self, value: Any, start: float, end: float) -> None:
        from audiotui.media.files import array_to_filedata, read_float

        rate = int(value.meta.get("sample_rate") or 0)
        try:
            if rate <= 0:
                from audiotui.media.files import probe

                rate = probe(value.path).sample_rate
            first = int(start * rate)
            _sr, data = read_float(value.path, first, max(int(end * rate) - first, 1))
            fd = array_to_filedata(rate, data, normalize=False)
        except Exception as exc:
            self.app.call_from_thread(self.flag_error, str(exc))
            return
        self.app.call_from_thread(self._edited, value, fd)

    def _edited(self, before: Any, after: Any) -> None:
        self.undo_stack.append(before)
        self.commit(after)

    def action_undo(self) -> None:
        if self.undo_stack:
            self.commit(self.undo_stack.pop())
