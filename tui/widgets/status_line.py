"""StatusLine: one line of text that repaints without a relayout (for 20 fps updates)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.text import Text
from textual.widget import Widget

PART_GAP = "  "
"""Between two parts of a status line (where `whole_hints` may also cut)."""


class StatusPart(NamedTuple):
    """One item of a status line that may be shortened or left out when the line is narrow.

    `rank` 0 is always shown; higher ranks are shortened first, then left out first.
    """

    text: str
    rank: int
    short: str | None = None
    """A shorter wording used before the part is left out (`mic: default (i)`)."""


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
        self._parts: list[StatusPart] = []

    def show_parts(self, parts: Sequence[StatusPart]) -> None:
        """Show parts in order; when the line is too narrow, the highest ranks are first
        shortened, then left out (a hint goes before the clock), and " …" says one was.

        The rank-0 parts are always kept; if even they do not fit they are cut like any
        line (`whole_hints`).
        """
        self._parts = list(parts)
        self._set(PART_GAP.join(part.text for part in self._parts))

    def _fitted(self, width: int) -> str:
        """The parts that fit `width`, most important first (`show_parts`)."""
        texts = [part.text for part in self._parts]
        by_rank = sorted(range(len(texts)), key=lambda i: (-self._parts[i].rank, -i))
        for i in by_rank:  # shorter wordings before anything is left out
            if len(PART_GAP.join(texts)) <= width:
                return PART_GAP.join(texts)
            short = self._parts[i].short
            if short is not None and self._parts[i].rank > 0:
                texts[i] = short
        kept = dict(enumerate(texts))
        for i in by_rank:  # then leave parts out, but never the last one (it is cut instead)
            if (len(PART_GAP.join(kept.values())) <= width or self._parts[i].rank == 0
                    or len(kept) == 1):
                break
            del kept[i]
            joined = PART_GAP.join(kept.values())
            if len(joined) + 2 <= width:
                return joined + " …"
        return PART_GAP.join(kept.values())

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
