"""AsciiFilter: with `--ascii`, every cell on screen is ASCII - borders, icons and buttons too.

The waveform has its own ASCII charset; the rest (Textual's box borders and scrollbars, the
transport icons, "…") is translated cell for cell by a line filter on every drawn line, so a
serial console or a non-UTF-8 terminal never shows mojibake and no widget needs two labels.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

_GROUPS = {
    "-": "─━═╌╍┄┅┈┉▔—–‒―⎯",
    "|": "│┃║╎╏┆┇┊┋▉▊▋▌▍▎▏▐❚",
    "+": "╭╮╰╯┌┐└┘┏┓┗┛╔╗╚╝├┤┬┴┼┠┨┯┷┿╋╟╢╤╧╪╫╬┝┥┰┸",
    "_": "▁",
    " ": "▂▃▄▅▆▇",
    "#": "█■▓",
    ":": "▒",
    ".": "░…·•",
    ">": "▶►▸",
    "<": "◀◄◂",
    "^": "▲▴",
    "v": "▼▾",
    "o": "●○◉",
    "x": "✕✗✘×",
    "*": "♪♫★",
}
_TABLE = {ord(char): ascii_char for ascii_char, chars in _GROUPS.items() for char in chars}


@lru_cache(4096)
def to_ascii(text: str) -> str:
    """`text` with each non-ASCII character replaced by ASCII of the same cell width."""
    if text.isascii():
        return text
    out = []
    for char in text.translate(_TABLE):
        if char.isascii():
            out.append(char)
            continue
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        width = cell_len(char)
        out.append(plain[:width].ljust(width, "?") if width else "")
    return "".join(out)


class AsciiFilter(LineFilter):
    """Translates every drawn line to ASCII (see module doc)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            segment if segment.text.isascii() or segment.control
            else Segment(to_ascii(segment.text), segment.style, segment.control)
            for segment in segments
        ]
