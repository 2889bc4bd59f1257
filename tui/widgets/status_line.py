"""StatusLine: one line of text that repaints without a relayout (for 20 fps updates)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class StatusLine(Widget):
    """Unlike Static.update, `show` skips identical text and never re-runs the layout,
    which is what keeps a recording's clock and level meter cheap to redraw."""

    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; }
    """
    """Always exactly one line, so its size never changes."""

    def __init__(self, text: str | Text = "", *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._text: str | Text = text

    def show(self, text: str | Text) -> None:
        if text == self._text or (
            isinstance(text, Text) and isinstance(self._text, Text)
            and text.plain == self._text.plain and text.spans == self._text.spans
        ):
            return
        self._text = text
        self.refresh()

    # Static-compatible spelling, so callers and tests can treat it like one.
    update = show

    def render(self) -> Text:
        # A plain str would be read as markup: "take [live].wav" or "[/dev/snd]" are text.
        text = Text(self._text) if isinstance(self._text, str) else self._text
        return whole_hints(text, self.size.width)


def whole_hints(text: Text, width: int) -> Text:
    """`text` cut to `width` at a hint boundary ("  " or " · "), else a space, with "…".

    A hint cut mid-word ("r: rec") reads as a different key's hint; a dropped one is
    still on the help screen (F1).
    """
    plain = text.plain
    if width <= 0 or len(plain) <= width:
        return text
    room = width - 2  # for " …"
    cut = max(plain.rfind("  ", 0, room + 1), plain.rfind(" · ", 0, room + 1))
    if cut <= 0:
        cut = plain.rfind(" ", 0, room + 1)
    if cut <= 0:
        cut = room
    out = text[:cut].copy()
    out.rstrip()
    out.append(" …")
    return out
