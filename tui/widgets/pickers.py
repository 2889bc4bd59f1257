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

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]
    """Escape closes without picking."""

    DEFAULT_CSS = _MODAL_CSS.format(name="AudioFileBrowser")
    """A centred box over the app."""

    def __init__(self, root: str | Path) -> None:
        super().__init__()
        self.root = Path(root)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Choose an audio file (Enter picks, Esc cancels)",
                         classes="picker-title")
            yield AudioTree(self.root)

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
