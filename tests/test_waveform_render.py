"""The pure waveform renderer: braille/ASCII cells, progress split, time ruler."""

from __future__ import annotations

import numpy as np
import pytest

from audiotui.tui.waveform import (
    column_time,
    format_time,
    progress_column,
    render_waveform,
    time_ruler,
)

FULL_BRAILLE = chr(0x28FF)
EMPTY_BRAILLE = chr(0x2800)


def test_braille_lines_have_requested_size() -> None:
    mins = np.full(20, -0.5)
    maxs = np.full(20, 0.5)
    lines = render_waveform(mins, maxs, 10, 3)
    assert len(lines) == 3
    assert all(len(line) == 10 for line in lines)
    assert all(0x2800 <= ord(ch) <= 0x28FF for line in lines for ch in line)


def test_full_scale_column_fills_every_dot() -> None:
    lines = render_waveform(np.full(8, -1.0), np.full(8, 1.0), 4, 2)
    assert lines == [FULL_BRAILLE * 4] * 2


def test_silence_draws_a_single_centre_line() -> None:
    lines = render_waveform(np.zeros(8), np.zeros(8), 4, 2)
    lit_rows = [i for i, line in enumerate(lines) if line != EMPTY_BRAILLE * 4]
    assert len(lit_rows) == 1
    # one dot per dot column: both columns of each cell lit on the same row
    cell = ord(lines[lit_rows[0]][0]) - 0x2800
    assert bin(cell).count("1") == 2


def test_each_cell_shows_two_independent_peak_columns() -> None:
    # left dot column loud, right dot column silent
    mins = np.array([-1.0, 0.0])
    maxs = np.array([1.0, 0.0])
    (line,) = render_waveform(mins, maxs, 1, 1)
    bits = ord(line) - 0x2800
    left = 0x01 | 0x02 | 0x04 | 0x40
    assert bits & left == left
    assert bits & 0xB8 != 0xB8  # right column not fully lit


def test_positive_only_peak_lights_top_half_only() -> None:
    lines = render_waveform(np.full(2, 0.5), np.full(2, 1.0), 1, 4)
    assert lines[0] != EMPTY_BRAILLE
    assert lines[3] == EMPTY_BRAILLE


def test_transient_survives_in_its_column() -> None:
    mins = np.zeros(40)
    maxs = np.zeros(40)
    maxs[17] = 0.9
    lines = render_waveform(mins, maxs, 20, 4)
    top = lines[0]
    assert [i for i, ch in enumerate(top) if ch != EMPTY_BRAILLE] == [8]


def test_out_of_range_and_swapped_peaks_are_tolerated() -> None:
    lines = render_waveform(np.array([3.0, 0.2]), np.array([-3.0, -0.2]), 1, 2)
    left = 0x01 | 0x02 | 0x04 | 0x40
    assert all((ord(line) - 0x2800) & left == left for line in lines)  # clipped to full scale
    assert (ord(lines[0]) - 0x2800) & 0x08 == 0  # right column: small, centred run only


def test_ascii_charset_uses_only_printable_ascii() -> None:
    mins = np.linspace(-1, 0, 30)
    maxs = np.linspace(0, 1, 30)
    lines = render_waveform(mins, maxs, 30, 4, charset="ascii")
    assert all(len(line) == 30 for line in lines)
    assert set("".join(lines)) <= set(" .'|")
    assert lines[0][-1] == "|"  # loudest column reaches the top
    assert lines[0][0] == " "


def test_wrong_peak_count_names_what_is_needed() -> None:
    with pytest.raises(ValueError, match="needs 20 peak columns"):
        render_waveform(np.zeros(10), np.zeros(10), 10, 2)


def test_unknown_charset_is_rejected() -> None:
    with pytest.raises(ValueError, match="charset"):
        render_waveform(np.zeros(2), np.zeros(2), 1, 1, charset="emoji")  # type: ignore[arg-type]


def test_progress_column_splits_played_part() -> None:
    assert progress_column(0.0, 0.0, 10.0, 100) == 0
    assert progress_column(2.5, 0.0, 10.0, 100) == 25
    assert progress_column(10.0, 0.0, 10.0, 100) == 100
    assert progress_column(50.0, 0.0, 10.0, 100) == 100
    assert progress_column(5.0, 4.0, 6.0, 10) == 5  # zoomed view
    assert progress_column(1.0, 0.0, 0.0, 10) == 0


def test_column_time_maps_click_to_seconds() -> None:
    assert column_time(0, 0.0, 8.0, 80) == 0.0
    assert column_time(40, 0.0, 8.0, 80) == pytest.approx(4.0)
    assert column_time(500, 2.0, 4.0, 10) == pytest.approx(4.0)


def test_format_time() -> None:
    assert format_time(0) == "0:00"
    assert format_time(75.4) == "1:15"
    assert format_time(3725) == "1:02:05"
    assert format_time(1.25, tenths=True) == "0:01.2"


def test_time_ruler_labels_start_and_keeps_width() -> None:
    ruler = time_ruler(0.0, 60.0, 80)
    assert len(ruler) == 80
    assert ruler.startswith("|0:00")
    assert "|0:10" in ruler or "|0:15" in ruler


def test_time_ruler_uses_tenths_when_zoomed_in() -> None:
    ruler = time_ruler(0.0, 1.0, 100)
    assert "|0:00.5" in ruler
