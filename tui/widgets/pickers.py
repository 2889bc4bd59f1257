"""Modal pickers: an audio-file browser (a directory tree filtered to audio) and a device list."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, OptionList, Static
from textual.widgets.option_list import Option

from audiotui.tui.widgets.path_input import AUDIO_EXTENSIONS

_MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 80%; max-width: 100; height: 80%; border: round $accent;
                     background: $surface; padding: 0 1; }}
{name} .picker-title {{ text-style: bold; height: 1; }}
"""


class AudioTree(DirectoryTree):
    """Directories and audio files only, hidden entries left out."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            p for p in paths
            if not p.name.startswith(".")
            and (p.is_dir() or p.suffix.lower() in AUDIO_EXTENSIONS)
        ]


class AudioFileBrowser(ModalScreen[str | None]):
    """Pick an audio file under `root`; Enter on a file picks it, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "cancel"),
        Binding("backspace,u", "parent", "parent folder"),
        Binding("r", "recordings", "recordings folder"),
    ]
    """Escape closes; backspace goes up a folder; r jumps to the UI's takes."""

    DEFAULT_CSS = _MODAL_CSS.format(name="AudioFileBrowser")
    """A centred box over the app."""

    def __init__(self, root: str | Path) -> None:
        super().__init__()
        self.root = Path(root)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title(), classes="picker-title", markup=False)
            yield AudioTree(self.root)

    def _title(self) -> str:
        return (f"Choose an audio file in {self.root} "
                "(Enter picks, backspace: up, r: recordings, Esc cancels)")

    def _show(self, folder: Path) -> None:
        self.root = folder
        self.query_one(AudioTree).path = folder
        self.query_one(".picker-title", Static).update(self._title())

    def action_parent(self) -> None:
        """Up one folder: a file next to (or above) where the app was started."""
        parent = self.root.resolve().parent
        if parent != self.root.resolve():
            self._show(parent)

    def action_recordings(self) -> None:
        """The folder the UI keeps its takes in (made if it does not exist yet)."""
        from audiotui.media.recording_file import recordings_dir

        self._show(recordings_dir())

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(str(event.path))

    def action_cancel(self) -> None:
        self.dismiss(None)


class DevicePicker(ModalScreen[Any]):
    """Pick one of `devices` (objects with `index` and `name`); Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]
    """Escape closes without picking."""

    DEFAULT_CSS = _MODAL_CSS.format(name="DevicePicker")
    """A centred box over the app."""

    def __init__(self, title: str, devices: list[Any], current: Any = None) -> None:
        super().__init__()
        self.title_text = title
        self.devices = devices
        self.current = current

    def compose(self) -> ComposeResult:
        options = [
            Option(Text(f"{d.index}: {d.name}" + ("  (in use)" if d.name == self.current else "")),
                   id=str(i))
            for i, d in enumerate(self.devices)
        ]
        with Vertical():
            yield Static(self.title_text, classes="picker-title")
            yield OptionList(*options)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.devices[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
