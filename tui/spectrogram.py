"""Spectrogram text rendering: dB per (column, band) -> coloured half-block cells (pure).

Each cell is '▀' with the foreground colour of the upper frequency row and the background
colour of the lower one, so a cell carries two rows: 16 frequency rows in an 8-line lane, in
any 256-colour terminal and over SSH (no image protocol needed). Runs of equal cells become
one segment, which is what keeps a frame under ~20 kB on the wire (Textual writes a full SGR
sequence per segment). Terminals with 16 colours or none (NO_COLOR) get a glyph-density
fallback (' ░▒▓█', or ' .:-=+*#%@' without UTF-8), one frequency row per cell.

Like tui/waveform.py it knows nothing about Textual widgets or files: the view asks the
engine's SpectrumPyramid for the columns it shows and hands them here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Literal

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style

ColourDepth = Literal["256", "16", "mono"]
Charset = Literal["braille", "ascii"]

FLOOR_DB = -90.0
"""Default bottom of the colour scale (dBFS): quieter reads as the darkest colour."""
CEIL_DB = 0.0

# xterm-256 indices from black through purple, red and orange to white: dark = quiet,
# distinguishable steps on the cube's 6 levels per primary, and readable over any background.
PALETTE_256: tuple[int, ...] = (
    16, 17, 54, 91, 127, 161, 160, 196, 202, 208, 214, 220, 226, 227, 229, 231,
)
_DENSITY_UNICODE = " ░▒▓█"
_DENSITY_ASCII = " .:-=+*#%@"
_AXIS_STYLE = Style(color="white", bold=True)
_PLAYHEAD = "│"


def colour_levels(
    db: np.ndarray, levels: int, floor_db: float = FLOOR_DB, ceil_db: float = CEIL_DB
) -> np.ndarray:
    """dB values -> integer colour levels 0..levels-1 on a linear dB scale (int32)."""
    span = max(ceil_db - floor_db, 1e-6)
    scaled = (np.asarray(db, np.float32) - floor_db) * (levels / span)
    return np.clip(np.floor(scaled), 0, levels - 1).astype(np.int32)


def row_bands(bands: int, rows: int) -> np.ndarray:
    """First band of each pixel row, bottom row first (bands are log-spaced already).

    With more rows than bands a band spans several rows (a start repeats, which
    `np.maximum.reduceat` reads as that one band).
    """
    return np.minimum((np.arange(rows) * bands) // rows, bands - 1).astype(np.intp)


def rows_db(db: np.ndarray, rows: int) -> np.ndarray:
    """(width, bands) dB -> (rows, width) dB, TOP row first, each row the max of its bands."""
    db = np.asarray(db, np.float32)
    per_row = np.maximum.reduceat(db, row_bands(db.shape[1], rows), axis=1)  # (width, rows)
    flipped: np.ndarray = per_row.T[::-1]
    return flipped


def frequency_ticks(edges: Sequence[float] | np.ndarray, rows: int) -> list[tuple[int, str]]:
    """(cell line, label) for round frequencies (100, 1k, 10k...) on a lane of `rows` lines.

    Line 0 is the top (highest frequency). A label goes on the line whose two frequency rows
    contain the frequency; lines too close to a label already placed are skipped.
    """
    edges = np.asarray(edges, np.float64)
    low, high = float(edges[0]), float(edges[-1])
    pixel_rows = 2 * rows
    ticks: list[tuple[int, str]] = []
    used: set[int] = set()
    candidates = [f * m for f in (10.0, 100.0, 1000.0, 10000.0, 100000.0) for m in (1, 2, 5)]
    # the decades first, so 100/1k/10k win their lines over 200 or 5k
    candidates.sort(key=lambda f: (not math.isclose(math.log10(f) % 1, 0, abs_tol=1e-9), f))
    for freq in candidates:
        if not low <= freq < high:
            continue
        pixel = int((math.log(freq) - math.log(low)) / (math.log(high) - math.log(low))
                    * pixel_rows)
        line = rows - 1 - pixel // 2
        if any(abs(line - other) < 2 for other in used):
            continue
        used.add(line)
        ticks.append((line, _hz_label(freq)))
    return sorted(ticks)


def _hz_label(freq: float) -> str:
    return f"{freq / 1000:g}k" if freq >= 1000 else f"{freq:g}"


@lru_cache(maxsize=4096)
def _cell_style(top: int, bottom: int) -> Style:
    if top == bottom:
        return Style(bgcolor=Color.from_ansi(PALETTE_256[bottom]))
    return Style(color=Color.from_ansi(PALETTE_256[top]),
                 bgcolor=Color.from_ansi(PALETTE_256[bottom]))


def render_spectrogram(
    db: np.ndarray,
    height: int,
    *,
    depth: ColourDepth = "256",
    charset: Charset = "braille",
    floor_db: float = FLOOR_DB,
    ceil_db: float = CEIL_DB,
    edges: Sequence[float] | np.ndarray | None = None,
    playhead: int | None = None,
) -> list[list[Segment]]:
    """Draw one spectrogram lane: `height` lines of `len(db)` cells, top line = high frequency.

    Args:
        db: dBFS per (column, band), float, shape `(width, bands)`, low band first.
        height: lines.
        depth: "256" (half-block colour cells, two frequency rows per line), "16" or "mono"
            (glyph density, one row per line: 16-colour palettes are too coarse to read a
            scale from, and NO_COLOR means no colour).
        charset: "braille" means Unicode is fine; "ascii" uses an ASCII density ramp.
        floor_db, ceil_db: the colour scale (dBFS at the darkest and brightest colour).
        edges: band edges in Hz; when given, round frequencies are labelled on the left.
        playhead: column drawn as a vertical bar (or None).

    Returns:
        `height` lists of Rich segments, each exactly `width` cells.
    """
    db = np.asarray(db, np.float32)
    width = db.shape[0] if db.ndim == 2 else 0
    if width <= 0 or height <= 0:
        return [[] for _ in range(max(height, 0))]
    if depth == "256" and charset != "ascii":
        levels = colour_levels(rows_db(db, 2 * height), len(PALETTE_256), floor_db, ceil_db)
        keys = levels[0::2] * len(PALETTE_256) + levels[1::2]  # (height, width): top, bottom
        lines = [_colour_line(row) for row in keys]
    else:
        ramp = _DENSITY_ASCII if charset == "ascii" else _DENSITY_UNICODE
        levels = colour_levels(rows_db(db, height), len(ramp), floor_db, ceil_db)
        lines = [[Segment("".join(ramp[i] for i in row))] for row in levels]
    if playhead is not None and 0 <= playhead < width:
        lines = [_overlay(line, playhead, [Segment(_PLAYHEAD, _AXIS_STYLE)]) for line in lines]
    if edges is not None and width >= 8:
        for line, label in frequency_ticks(edges, height):
            lines[line] = _overlay(lines[line], 0, [Segment(label, _AXIS_STYLE)])
    return lines


def _colour_line(keys: np.ndarray) -> list[Segment]:
    """One line of cell keys (top * N + bottom) -> segments, as few as two colours allow.

    A segment has one foreground and one background, and any cell made of those two
    colours fits in it: '▀' (fg over bg), '▄' (bg over fg), '█' (fg only), ' ' (bg only).
    Growing each run while its cells use at most two colours, rather than only while cells
    are identical, halves the segments of a busy frame, and each segment costs ~25 bytes
    of SGR on the wire.
    """
    n = len(PALETTE_256)
    segments: list[Segment] = []
    cells = keys.tolist()
    i, width = 0, len(cells)
    while i < width:
        top, bottom = divmod(cells[i], n)
        fg, bg = (top, bottom) if top != bottom else (-1, top)
        j = i + 1
        while j < width:
            t, b = divmod(cells[j], n)
            if fg < 0 and (t != bg or b != bg):  # the run's second colour is still free
                if t == bg:
                    fg = b
                elif b == bg:
                    fg = t
                else:
                    break
            elif not ({t, b} <= {fg, bg}):
                break
            j += 1
        segments.append(_run(cells[i:j], fg, bg, n))
        i = j
    return segments


def _run(cells: list[int], fg: int, bg: int, n: int) -> Segment:
    glyphs = []
    for key in cells:
        top, bottom = divmod(key, n)
        if top == bottom:
            glyphs.append(" " if top == bg else "█")
        else:
            glyphs.append("▀" if top == fg else "▄")
    return Segment("".join(glyphs), _cell_style(bg if fg < 0 else fg, bg))


def overlay(line: list[Segment], column: int, text: str, style: Style) -> list[Segment]:
    """Write `text` over a rendered line from `column` on, keeping the cells' background."""
    return _overlay(line, column, [Segment(text, style)])


def _overlay(line: list[Segment], column: int, patch: list[Segment]) -> list[Segment]:
    """Replace cells from `column` with `patch` (text over the background that was there)."""
    length = sum(len(s.text) for s in patch)
    head, rest = _split(line, column)
    under, tail = _split(rest, length)
    bg = next((s.style.bgcolor for s in under if s.style is not None and s.style.bgcolor), None)
    patched = [Segment(s.text, (s.style or Style()) + Style(bgcolor=bg)) for s in patch]
    return head + patched + tail


def _split(line: Iterable[Segment], cut: int) -> tuple[list[Segment], list[Segment]]:
    left: list[Segment] = []
    right: list[Segment] = []
    seen = 0
    for seg in line:
        if seen >= cut:
            right.append(seg)
        elif seen + len(seg.text) <= cut:
            left.append(seg)
        else:
            k = cut - seen
            left.append(Segment(seg.text[:k], seg.style))
            right.append(Segment(seg.text[k:], seg.style))
        seen += len(seg.text)
    return left, right


def legend(
    *, depth: ColourDepth = "256", charset: Charset = "braille",
    floor_db: float = FLOOR_DB, ceil_db: float = CEIL_DB,
) -> list[Segment]:
    """The dB colour scale as one short line: `-90 ▀▀▀...▀ 0 dB` in the palette's colours."""
    low, high = f"{floor_db:g} ", f" {ceil_db:g} dB"
    if depth == "256" and charset != "ascii":
        n = len(PALETTE_256)
        cells = [Segment(" ", Style(bgcolor=Color.from_ansi(PALETTE_256[i]))) for i in range(n)]
    else:
        ramp = _DENSITY_ASCII if charset == "ascii" else _DENSITY_UNICODE
        cells = [Segment(ramp[1:])]
    return [Segment(low, Style(dim=True)), *cells, Segment(high, Style(dim=True))]
