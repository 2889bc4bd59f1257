"""The pure spectrogram renderer: half-block colours per band, log axis, legend, fallbacks."""

from __future__ import annotations

import math

import numpy as np
from rich.color import Color

from audiotui.media.spectrum import SpectrumPyramid
from audiotui.tui.lanes import Lane, describe_page, lane_layout, page_count
from audiotui.tui.spectrogram import (
    PALETTE_256,
    frequency_ticks,
    legend,
    render_spectrogram,
    rows_db,
)


def _cells(line: list) -> list[tuple[int | None, int | None]]:
    """(upper colour, lower colour) per cell, as palette indices, whatever glyph drew it."""
    out = []
    for seg in line:
        style = seg.style
        fg = style.color.number if style and style.color else None
        bg = style.bgcolor.number if style and style.bgcolor else None
        for ch in seg.text:
            out.append({"▀": (fg, bg), "▄": (bg, fg), "█": (fg, fg), " ": (bg, bg)}[ch])
    return out


def test_any_two_colour_cells_share_one_segment() -> None:
    db = np.full((6, 2), -90.0)
    db[[1, 3], 1] = 0.0  # upper bright in cells 1 and 3
    db[[2, 4], 0] = 0.0  # lower bright in cells 2 and 4
    db[5] = 0.0  # both bright
    (line,) = render_spectrogram(db, 1)
    dark, bright = PALETTE_256[0], PALETTE_256[-1]
    assert _cells(line) == [(dark, dark), (bright, dark), (dark, bright), (bright, dark),
                            (dark, bright), (bright, bright)]
    assert len(line) == 1  # two colours: one SGR sequence for the whole line


def test_upper_band_is_the_foreground_and_lower_band_the_background() -> None:
    db = np.array([[-90.0, 0.0]] * 5)  # band 0 (low) silent, band 1 (high) full scale
    (line,) = render_spectrogram(db, 1)
    assert _cells(line) == [(PALETTE_256[-1], PALETTE_256[0])] * 5
    assert "".join(seg.text for seg in line) == "▀" * 5
    flipped = render_spectrogram(db[:, ::-1], 1)[0]
    assert _cells(flipped) == [(PALETTE_256[0], PALETTE_256[-1])] * 5


def test_rows_are_ordered_high_frequency_first_across_lines() -> None:
    bands = 8
    db = np.full((3, bands), -90.0)
    db[:, 5] = 0.0  # one loud band: pixel row 5 of 8 from the bottom = 2 from the top,
    lines = render_spectrogram(db, 4)  # which is line 1's upper half (the foreground)
    lit = [_cells(line)[0] for line in lines]
    assert lit[1] == (PALETTE_256[-1], PALETTE_256[0])
    assert all(cell == (PALETTE_256[0], PALETTE_256[0]) for i, cell in enumerate(lit) if i != 1)


def test_equal_cells_become_one_segment() -> None:
    db = np.full((200, 64), -40.0)
    lines = render_spectrogram(db, 8)
    assert all(len(line) == 1 and line[0].text == " " * 200 for line in lines)


def test_a_1khz_tone_lights_the_1khz_row() -> None:
    rate, height = 16000, 8
    t = np.arange(2 * rate) / rate
    spectrum = SpectrumPyramid.from_array(rate, 0.5 * np.sin(2 * np.pi * 1000 * t))
    db = spectrum.columns(0, spectrum.frames, 40)
    pixels = rows_db(db, 2 * height)  # top row first
    brightest = int(np.median(pixels.argmax(axis=0)))
    low, high = spectrum.edges[0], spectrum.edges[-1]
    from_bottom = (math.log(1000) - math.log(low)) / (math.log(high) - math.log(low))
    assert abs((2 * height - 1 - brightest) - from_bottom * 2 * height) <= 1
    lines = render_spectrogram(db, height)
    cell = _cells(lines[brightest // 2])[20]
    lit = cell[brightest % 2]
    assert lit in PALETTE_256[-5:]  # near the top of the colour scale (-6 dBFS)


def test_frequency_axis_is_logarithmic() -> None:
    edges = np.geomspace(40, 8000, 65)
    ticks = dict((label, line) for line, label in frequency_ticks(edges, 12))
    assert {"100", "1k"} <= set(ticks)
    # on a log axis 100 -> 1k spans as many rows as any other decade: 1k sits
    # log(1000/40)/log(8000/40) of the way up
    up = (math.log(1000) - math.log(40)) / (math.log(8000) - math.log(40))
    assert abs((11 - ticks["1k"]) - up * 12) <= 1
    assert ticks["1k"] < ticks["100"]  # higher frequency, higher line


def test_axis_labels_are_drawn_over_the_cells() -> None:
    edges = np.geomspace(40, 8000, 65)
    lines = render_spectrogram(np.full((30, 64), -90.0), 12, edges=edges)
    text = ["".join(seg.text for seg in line) for line in lines]
    assert any(row.startswith("1k") for row in text)
    assert all(len(row) == 30 for row in text)


def test_playhead_column_is_a_bar() -> None:
    lines = render_spectrogram(np.full((10, 64), -30.0), 3, playhead=4)
    assert all("".join(s.text for s in line)[4] == "│" for line in lines)


def test_sixteen_colours_and_no_colour_fall_back_to_glyph_density() -> None:
    db = np.tile(np.linspace(-90, 0, 10)[:, None], (1, 64))  # quiet -> loud across columns
    for depth in ("16", "mono"):
        lines = render_spectrogram(db, 2, depth=depth)  # type: ignore[arg-type]
        text = "".join(seg.text for seg in lines[0])
        assert set(text) <= set(" ░▒▓█") and text[0] == " " and text[-1] == "█"
        assert all(seg.style is None for line in lines for seg in line)
    ascii_lines = render_spectrogram(db, 2, charset="ascii")
    assert set("".join(s.text for s in ascii_lines[0])) <= set(" .:-=+*#%@")


def test_legend_shows_the_palette_between_its_db_ends() -> None:
    segments = legend()
    text = "".join(s.text for s in segments)
    assert text.startswith("-90 ") and text.endswith(" 0 dB")
    colours = [s.style.bgcolor for s in segments if s.style and s.style.bgcolor]
    assert colours == [Color.from_ansi(i) for i in PALETTE_256]


def test_lanes_fit_two_lines_each_then_page_with_a_mixed_page() -> None:
    assert lane_layout(1, 6) == [Lane(None, 6)]
    assert lane_layout(2, 6) == [Lane(0, 3), Lane(1, 3)]
    assert lane_layout(6, 6) == [Lane(0, 2), Lane(1, 2), Lane(2, 2)]
    assert page_count(6, 6) == 3
    assert lane_layout(6, 6, 1) == [Lane(3, 2), Lane(4, 2), Lane(5, 2)]
    assert lane_layout(6, 6, 2) == [Lane(None, 6)]
    assert lane_layout(6, 6, 3) == lane_layout(6, 6, 0)
    assert lane_layout(7, 6, 2) == [Lane(6, 6)]
    assert describe_page(6, 6, 0) == "ch 1-3 of 6"
    assert describe_page(6, 6, 2) == "all 6 ch mixed"
    assert describe_page(2, 6, 0) == ""
