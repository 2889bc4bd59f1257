"""HelpScreen: every key of every widget, one key (F1) away from anywhere.

The footer shows the focused widget's main keys, and only what fits the terminal's width;
the rest lives here, grouped by the widget they work in.
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# Widgets with keys of their own, in the order a user meets them: (title, classes by their
# dotted path). A compound widget's section lists the keys of its parts too (the audio
# widget's waveform has the keys that move around in the audio), once.
_W = "audiotui.tui.widgets."
_KEYED_WIDGETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Audio (on its waveform)", (_W + "audio.AudioWidget", _W + "waveform_view.WaveformView")),
    ("Slider", (_W + "slider.SliderBar",)),
    ("Upload path field", (_W + "path_input.PathInput",)),
    ("Audio file browser (b)", (_W + "pickers.AudioFileBrowser",)),
    ("Print log", (_W + "print_log.PrintLog",)),
)

# The audio keys as a user reads them: play, move around, record, files, edit, faces
# (whichever part of the widget holds each binding).
_KEY_ORDER: dict[str, tuple[str, ...]] = {
    "Audio (on its waveform)": (
        "space", "s", "left", "right", "home", "end", "+ / =", "-", "[", "]", "r", "p",
        "x / del", "u", "b", "i", "o", "d", "shift+left", "shift+right", "t", "ctrl+z", "g",
        "c",
    ),
}

_KEY_NAMES = {"left_square_bracket": "[", "right_square_bracket": "]", "equals_sign": "=",
              "plus": "+", "minus": "-", "space": "space", "delete": "del"}


def key_label(keys: str) -> str:
    """"plus,equals_sign" -> "+ / =": the keys as they are printed on the keyboard."""
    return " / ".join(_KEY_NAMES.get(k, k) for k in keys.split(","))


def bindings_of(cls: type[Any]) -> list[tuple[str, str]]:
    """(keys, what they do) of a widget class, merged down its MRO as Textual does."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for klass in cls.__mro__:
        for binding in klass.__dict__.get("BINDINGS", []):
            if not isinstance(binding, Binding):
                continue
            if binding.key in seen or not binding.description:
                continue
            seen.add(binding.key)
            out.append((key_label(binding.key), binding.description))
    return out


def key_sections(app: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """The help screen's content: app keys, then each keyed widget's."""
    from audiotui.tui.keys import HELP_KEY, SUBMIT_KEY

    app_keys = [("tab / shift+tab", "next / previous field"),
                (SUBMIT_KEY, "Submit (the app's one obvious button) from any field"),
                ("enter", "in a Textbox: submit it"), (HELP_KEY, "this list")]
    app_keys += [(k, d) for k, d in bindings_of(type(app)) if k not in (SUBMIT_KEY, HELP_KEY)]
    sections = [("Everywhere", app_keys)]
    for title, paths in _KEYED_WIDGETS:
        keys: list[tuple[str, str]] = []
        for path in paths:
            module, name = path.rsplit(".", 1)
            try:
                cls = getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError):
                continue
            keys += [key for key in bindings_of(cls) if key[0] not in dict(keys)]
        order = _KEY_ORDER.get(title, ())
        keys.sort(key=lambda key: order.index(key[0]) if key[0] in order else len(order))
        if keys:
            sections.append((title, keys))
    return sections


def help_text(app: Any) -> Text:
    """The sections as one Text (plain: key names hold brackets that markup would eat)."""
    text = Text()
    for title, keys in key_sections(app):
        text.append(f"{title}\n", style="bold underline")
        width = max(len(k) for k, _ in keys)
        for keys_label, what in keys:
            text.append(f"  {keys_label.ljust(width)}  ", style="bold")
            text.append(f"{what}\n")
        text.append("\n")
    return text


class HelpScreen(ModalScreen[None]):
    """A scrollable list of every key; Escape, F1 or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "close"),
    ]
    """Any of the keys a user tries to leave with."""

    DEFAULT_CSS: ClassVar[str] = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 80; height: 90%; border: round $accent; padding: 0 1;
        background: $surface;
    }
    """
    """A centred box over the app."""

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Keys (Esc closes)"
            yield Static(help_text(self.app), markup=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
