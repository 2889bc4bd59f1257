"""FileActions: the file side of an audio widget - upload, browse, download, trim, devices.

It is the part that talks to the engine's file functions (probe, read, write) and device
list - always from worker threads, never on the UI loop - and hands back what it got as
messages (`Loaded`, `Trimmed`, `DevicePicked`, `Failed`). The audio widget owns the value
and decides what a result means (commit it, keep the old one for undo, fire `upload`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Button, Input

from audiotui.tui.widgets.button_group import ButtonGroup
from audiotui.tui.widgets.path_input import AUDIO_EXTENSIONS, PathInput

DeviceKind = Literal["input", "output"]


def save_as(value: Any) -> str | None:
    """Where Download offers to save `value`: its name, in the working directory."""
    return None if value is None else os.path.join(os.getcwd(), os.path.basename(value.name))


class PathPrompt(PathInput):
    """The one-line path field under the buttons: a file to load, or where to save.

    Shown while asking (the audio widget's `-asking-path` class); Enter posts `Chosen`.
    """

    class Chosen(Message):
        """A path was entered for `purpose` ("upload" | "download"), `~` expanded."""

        def __init__(self, purpose: str, path: str) -> None:
            super().__init__()
            self.purpose = purpose
            self.path = path

    def __init__(self) -> None:
        super().__init__(extensions=AUDIO_EXTENSIONS, placeholder="path (Tab completes, Enter)")
        self.purpose = "upload"
        """What the entered path is for: "upload" or "download"."""

    def ask(self, purpose: str, suggestion: str | None = None) -> None:
        """Say what the path is for, offer `suggestion` (a download's file name), focus."""
        self.purpose = purpose
        self.placeholder = ("audio file to load (Tab completes, Enter loads, Esc cancels)"
                            if purpose == "upload" else
                            "save as (.wav .flac .ogg .mp3; Enter saves, Esc cancels)")
        if suggestion is not None:
            self.value = suggestion
        self.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = os.path.expanduser(event.value.strip())
        if path:
            self.post_message(self.Chosen(self.purpose, path))


class FileActions(ButtonGroup):
    """Upload / Trim / Clear / Download buttons and the file and device work behind them.

    Args:
        upload: compose the Upload button (the component has the "upload" source).
        trim: compose the Trim button (an editable, interactive component).
        clear: compose the Clear button (an interactive component).
        download: compose the Download button.
        refuse: why a path may not be uploaded (the app's max_file_size), or None; called
            in a worker thread.
    """


    class Loaded(Message):
        """A file was read and probed (an upload or a browsed file): `fd` is its FileData."""

        def __init__(self, fd: Any) -> None:
            super().__init__()
            self.fd = fd

    class Trimmed(Message):
        """`before` was cut to the selection; `after` is the new FileData."""

        def __init__(self, before: Any, after: Any) -> None:
            super().__init__()
            self.before = before
            self.after = after

    class DevicePicked(Message):
        """The user chose `device` (with `.name`) as the app's `kind` ("input" | "output")
        device; the app's `input_device` / `output_device` already name it."""

        def __init__(self, kind: DeviceKind, device: Any) -> None:
            super().__init__()
            self.kind: DeviceKind = kind
            self.device = device

    class Failed(Message):
        """A file or device could not be used; `message` names it and the fix."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, *, upload: bool = True, trim: bool = False, clear: bool = True,
                 download: bool = True,
                 refuse: Callable[[str], str | None] = lambda path: None) -> None:
        shown = {"upload": upload, "trim": trim, "clear": clear, "download": download}
        super().__init__(classes="file-actions" if any(shown.values()) else "file-actions -empty")
        self.shown = shown
        self.refuse = refuse

    def compose(self) -> ComposeResult:
        labels = {"upload": "Upload", "trim": "Trim", "clear": "✕ Clear",
                  "download": "Download"}
        for name, label in labels.items():
            if self.shown[name]:
                yield Button(label, id=name, compact=True)

    # -- files ------------------------------------------------------------------------------
    def use_path(self, purpose: str, path: str, value: Any) -> None:
        """A path was chosen (PathPrompt.Chosen): load it, or save `value` there."""
        if purpose == "upload":
            self.upload(path)
        elif value is not None:
            self.download(value, path)

    def browse(self) -> None:
        """A directory tree filtered to audio files; picking one uploads it."""
        from audiotui.tui.widgets.pickers import AudioFileBrowser

        def picked(path: str | None) -> None:
            if path:
                self.upload(path)

        self.app.push_screen(AudioFileBrowser(os.getcwd()), picked)

    @work(thread=True, exclusive=True, group="upload", exit_on_error=False)
    def upload(self, path: str) -> None:
        """Read and probe `path`: `Loaded` with its FileData, or `Failed` saying why not."""
        from audiotui.media.files import path_to_filedata

        refusal = self.refuse(path)
        if refusal is not None:
            self.post_message(self.Failed(refusal))
            return
        try:
            fd = path_to_filedata(path)
        except Exception as exc:  # the engine's AudioFormatError names file and reason
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Loaded(fd))

    @work(thread=True, exclusive=True, group="download", exit_on_error=False)
    def download(self, value: Any, path: str) -> None:
        """Write `value` to `path` in the format its extension names; a toast says where."""
        from audiotui.media.files import read_float, write_audio

        try:
            rate, data = read_float(value.path)
            write_audio(path, rate, data)
        except Exception as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.app.call_from_thread(self.notify, f"saved {path}", title="Download")

    def trim_selection(self, value: Any, selection: tuple[float, float] | None) -> None:
        """Cut `value` to `selection` (seconds, either order); without one, say how."""
        if value is None or selection is None:
            self.app.notify("select a region first (shift+arrows or drag)", title="Trim")
            return
        start, end = sorted(selection)
        if end - start > 0:
            self.trim(value, start, end)

    @work(thread=True, exclusive=True, group="edit", exit_on_error=False)
    def trim(self, value: Any, start: float, end: float) -> None:
        """Cut `value` to start..end seconds (a new file): `Trimmed` or `Failed`."""
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
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Trimmed(value, fd))

    # -- devices ------------------------------------------------------------------------------
    def pick_device(self, kind: DeviceKind, current: Any = None) -> None:
        """Choose the microphone ("input") or speaker ("output") from a list; `current` is
        marked "(in use)". Listed in a thread: PortAudio is slow to enumerate."""
        self._list_devices(kind, current)

    @work(thread=True, exclusive=True, group="devices", exit_on_error=False)
    def _list_devices(self, kind: DeviceKind, current: Any) -> None:
        from audiotui.media.devices import list_devices

        try:
            devices = list_devices(kind)
        except Exception as exc:  # NoAudioHardware names what is missing
            self.post_message(self.Failed(str(exc)))
            return
        self.app.call_from_thread(self._show_devices, kind, devices, current)

    def _show_devices(self, kind: DeviceKind, devices: list[Any], current: Any) -> None:
        from audiotui.tui.widgets.pickers import DevicePicker

        def picked(device: Any) -> None:
            if device is None:
                return
            # The app keeps the devices (every audio widget plays and records with them);
            # they are plain attributes read with getattr, so a bare test App works too.
            setattr(self.app, f"{kind}_device", device.name)
            self.notify(f"recording from {device.name}" if kind == "input" else
                        f"playing to {device.name}", title=f"{kind.capitalize()} device")
            self.post_message(self.DevicePicked(kind, device))

        title = ("Record from (Enter picks, Esc cancels)" if kind == "input" else
                 "Play to (Enter picks, Esc cancels)")
        self.app.push_screen(DevicePicker(title, devices, current), picked)
