"""Waveform text rendering: min/max peaks per column -> braille or ASCII lines (pure numpy).

The renderer knows nothing about Textual, files or playback; the audio widget asks the
engine's `PeakPyramid` for exactly the columns it shows and hands them here. Keeping it a
pure function is what lets a zoom/scroll frame of any audio length cost the same few
hundred microseconds, and lets it be unit tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

Charset = Literal["braille", "ascii"]

_BRAILLE_BASE = 0x2800
# Unicode braille: dot bits for rows 0..3 of the left and the right dot column.
_LEFT_BITS = np.array([0x01, 0x02, 0x04, 0x40], dtype=np.uint32)
_RIGHT_BITS = np.array([0x08, 0x10, 0x20, 0x80], dtype=np.uint32)
# ASCII cells have two dot rows: (upper, lower) -> character.
_ASCII_CELLS = np.array([ord(" "), ord("."), ord("'"), ord("|")], dtype=np.uint32)


def peaks_per_cell(charset: Charset) -> int:
    """How many peak columns one terminal cell shows (braille packs two dot columns)."""
    return 2 if charset == "braille" else 1


def dots_per_cell(charset: Charset) -> int:
    """Vertical resolution of one cell: braille has 4 dot rows, the ASCII fallback 2."""
    return 4 if charset == "braille" else 2


def render_waveform(
    mins: Sequence[float] | np.ndarray,
    maxs: Sequence[float] | np.ndarray,
    width: int,
    height: int,
    *,
    charset: Charset = "braille",
) -> list[str]:
    """Draw one waveform lane as `height` lines of exactly `width` characters.

    Each peak column becomes a vertical run of dots from its max down to its min, so
    short transients survive at any zoom (decimating by sampling would drop them).
    Silence still shows one dot on the centre line, so an empty lane reads as audio
    that is quiet rather than as missing.

    Args:
        mins: lowest sample per peak column, in [-1, 1] (values outside are clipped).
        maxs: highest sample per peak column, in [-1, 1].
        width: cells per line.
        height: lines.
        charset: "braille" (2x4 dots per cell; `mins`/`maxs` hold `2 * width` columns)
            or "ascii" (1x2 per cell; `width` columns) for terminals without UTF-8.

    Returns:
        `height` strings, top line first.

    Raises:
        ValueError: the peak arrays do not hold as many columns as the charset needs.
    """
    if charset not in ("braille", "ascii"):
        raise ValueError(f"charset must be 'braille' or 'ascii', got {charset!r}")
    if width <= 0 or height <= 0:
        return [""] * max(height, 0)
    per_cell = peaks_per_cell(charset)
    lo = np.clip(np.asarray(mins, dtype=np.float32), -1.0, 1.0)
    hi = np.clip(np.asarray(maxs, dtype=np.float32), -1.0, 1.0)
    need = width * per_cell
    if lo.shape != (need,) or hi.shape != (need,):
        raise ValueError(
            f"{charset} waveform of width {width} needs {need} peak columns, "
            f"got mins {lo.shape} and maxs {hi.shape}"
        )
    rows = height * dots_per_cell(charset)
    top, bottom = _dot_span(np.maximum(lo, hi), np.minimum(lo, hi), rows)
    # lit[d, c]: dot row d of peak column c is inside that column's min..max run.
    dot_rows = np.arange(rows, dtype=np.int32)[:, None]
    lit = (dot_rows >= top[None, :]) & (dot_rows <= bottom[None, :])
    if charset == "braille":
        codes = _braille_codes(lit, width, height)
    else:
        cells = lit.reshape(height, 2, width)
        codes = _ASCII_CELLS[cells[:, 0, :].astype(np.int32) * 2 + cells[:, 1, :]]
    return [line.tobytes().decode("utf-32-le") for line in codes.astype("<u4")]


def _dot_span(hi: np.ndarray, lo: np.ndarray, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Dot-row indices (0 = top) of each column's max and min."""
    scale = (rows - 1) / 2.0
    top = np.rint((1.0 - hi) * scale).astype(np.int32)
    bottom = np.rint((1.0 - lo) * scale).astype(np.int32)
    return top, bottom


def _braille_codes(lit: np.ndarray, width: int, height: int) -> np.ndarray:
    """Pack a (4*height, 2*width) dot mask into braille code points (height, width)."""
    cells = lit.reshape(height, 4, width, 2)
    bits = (
        (cells[:, :, :, 0] * _LEFT_BITS[None, :, None]).sum(axis=1)
        + (cells[:, :, :, 1] * _RIGHT_BITS[None, :, None]).sum(axis=1)
    )
    return bits.astype(np.uint32) + _BRAILLE_BASE


def progress_column(position: float, start: float, end: float, width: int) -> int:
    """Cells (from the left) that show audio before `position`: the played part.

    The widget paints columns `[0, result)` in the progress colour and draws the
    playhead at `result` (when it is inside the view).
    """
    if width <= 0 or end <= start:
        return 0
    frac = (position - start) / (end - start)
    return int(min(max(frac, 0.0), 1.0) * width)


def column_time(column: int, start: float, end: float, width: int) -> float:
    """The time (seconds) a click on cell `column` points at: its left edge."""
    if width <= 0:
        return start
    column = min(max(column, 0), width)
    return start + (end - start) * column / width


def format_time(seconds: float, *, tenths: bool = False) -> str:
    """`m:ss` (or `h:mm:ss` past an hour), optionally with tenths for short audio."""
    seconds = max(seconds, 0.0)
    if tenths:  # rounded, as `audiotui info` prints it: 2.995 s is 0:03.0 in both
        whole, frac = divmod(int(round(seconds * 10)), 10)
        return f"{format_time(whole)}.{frac}"
    total = int(seconds + 1e-6)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


_NICE_STEPS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)


def time_ruler(start: float, end: float, width: int, *, min_gap: int = 10) -> str:
    """A line of `width` cells with a `|` tick and time label at round times.

    The tick step is the smallest "nice" step that keeps labels at least `min_gap`
    cells apart, so the ruler stays readable from 80 to 250 columns and at any zoom.
    """
    if width <= 0:
        return ""
    span = end - start
    if span <= 0:
        return format_time(start)[:width].ljust(width)
    seconds_per_cell = span / width
    step = next((s for s in _NICE_STEPS if s / seconds_per_cell >= min_gap), _NICE_STEPS[-1])
    tenths = step < 1
    line = [" "] * width
    first = np.ceil(start / step - 1e-9) * step
    t = float(first)
    while t <= end + 1e-9:
        col = int(round((t - start) / seconds_per_cell))
        label = "|" + format_time(t, tenths=tenths)
        if col + len(label) <= width:
            line[col : col + len(label)] = label
        elif col < width:
            line[col] = "|"
        t += step
    return "".join(line)


_ROUND_STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0,
                30.0, 60.0, 120.0, 300.0, 600.0)


def selection_step(span: float) -> float:
    """How far shift+arrow moves a selection edge: about a tenth of the view, rounded.

    A fiftieth of the view took 50 presses to select one second of a one-second file; a
    tenth is a visible move at every zoom and lands on round times (0.1 s, 5 s...).
    """
    target = max(span, 0.0) / 10
    return min(_ROUND_STEPS, key=lambda step: abs(step - target)) if target > 0 else 0.01
