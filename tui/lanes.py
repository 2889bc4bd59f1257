"""Which channels a waveform/spectrogram area shows, and how many lines each gets (pure).

A multi-channel take shows one lane per channel, as long as each lane keeps at least
MIN_LANE_ROWS lines (fewer cannot show a waveform's sign or more than two frequency rows).
Beyond that the channels are paged: a picker steps through groups of channels that fit, and
a last page mixes every channel into one lane (what a single mono-looking lane used to show).
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_LANE_ROWS = 2


@dataclass(frozen=True)
class Lane:
    """One lane: `channel` (0-based; None = all channels mixed) drawn on `rows` lines."""

    channel: int | None
    rows: int


def lanes_that_fit(rows: int) -> int:
    return max(rows // MIN_LANE_ROWS, 1)


def page_count(channels: int, rows: int) -> int:
    """How many picker pages: 1 when every channel fits, else groups plus the mixed page."""
    fit = lanes_that_fit(rows)
    if channels <= 1 or channels <= fit:
        return 1
    return -(-channels // fit) + 1


def lane_layout(channels: int, rows: int, page: int = 0) -> list[Lane]:
    """The lanes of picker page `page` (taken modulo the page count) on `rows` lines."""
    if rows <= 0:
        return []
    fit = lanes_that_fit(rows)
    if channels <= 1:
        return [Lane(None, rows)]
    pages = page_count(channels, rows)
    page %= pages
    if pages > 1 and page == pages - 1:
        return [Lane(None, rows)]
    first = page * fit
    shown = list(range(first, min(first + fit, channels)))
    return [
        Lane(ch, rows // len(shown) + (1 if i < rows % len(shown) else 0))
        for i, ch in enumerate(shown)
    ]


def describe_page(channels: int, rows: int, page: int) -> str:
    """`ch 1-3 of 6` / `all 6 ch mixed` for the status line ("" when everything is shown)."""
    if page_count(channels, rows) == 1:
        return ""
    lanes = lane_layout(channels, rows, page)
    if lanes[0].channel is None:
        return f"all {channels} ch mixed"
    first, last = lanes[0].channel + 1, (lanes[-1].channel or 0) + 1
    shown = f"ch {first}" if first == last else f"ch {first}-{last}"
    return f"{shown} of {channels}"
