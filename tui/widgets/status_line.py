"""StatusLine: one line of text that repaints without a relayout (for 20 fps updates)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

PART_GAP = "  "
"""Between two parts of a status line (where `whole_hints` may also cut)."""


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
        self._parts: list[tuple[str, int]] = []

    def show_parts(self, parts: Sequence[tuple[str, int]]) -> None:
        """Show (text, rank) parts in order; when the line is too narrow the highest ranks
        are left out first (a hint before the clock), and " …" says something was.

        The rank-0 parts are always kept; if even they do not fit they are cut like any
        line (`whole_hints`).
        """
        self._parts = list(parts)
        self._set(PART_GAP.join(text for text, _rank in self._parts))

    def _fitted(self, width: int) -> str:
        """The parts that fit `width`, most important first (`show_parts`)."""
        kept = list(self._parts)
        joined = PART_GAP.join(text for text, _rank in kept)
        while len(joined) > width and any(rank > 0 for _text, rank in kept):
            worst = max(range(len(kept)), key=lambda i: (kept[i][1], i))
            del kept[worst]
            joined = PART_GAP.join(text for text, _rank in kept)
            if len(joined) + 2 <= width:
                return joined + " …"
        return joined

    def show(self, text: str | Text) -> None:
        self._parts = []
        self._set(text)

    def _set(self, text: str | Text) -> None:
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
        if self._parts:
            text = Text(self._fitted(self.size.width))
        else:
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
