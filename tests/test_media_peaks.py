"""audiotui.media.peaks: min/max/RMS per column from a pyramid, at any zoom."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from audiotui.errors import AudioFormatError
from audiotui.media import peaks
from audiotui.media.peaks import PeakPyramid

SR = 8000


def noise(n: int, channels: int = 2, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(rng.standard_normal((n, channels)) * 0.3, -1, 1).astype(np.float32)


def brute(x: np.ndarray, start: int, end: int, width: int, channel: int | None = None):
    """Exact per-column min/max/RMS straight from the samples."""
    edges = start + (np.arange(width + 1) * (end - start)) // width
    out = []
    for i in range(width):
        lo, hi = edges[i], max(edges[i + 1], edges[i] + 1)
        seg = x[lo:hi] if channel is None else x[lo:hi, channel]
        out.append((seg.min(), seg.max(), np.sqrt(np.mean(seg.astype(np.float64) ** 2))))
    return [np.array(col, np.float32) for col in zip(*out, strict=True)]


def test_zoomed_in_columns_are_exact_samples():
    x = noise(50_000)
    pyr = PeakPyramid.from_array(SR, x)
    for start, end, width in [(1000, 5000, 200), (0, 37, 100), (49_000, 50_000, 64)]:
        got = pyr.columns(start, end, width)
        for g, b in zip(got, brute(x, start, end, width), strict=True):
            np.testing.assert_allclose(g, b, atol=1e-6)


def test_block_aligned_columns_are_exact_from_the_pyramid():
    x = noise(256 * 64, channels=1)
    pyr = PeakPyramid.from_array(SR, x)
    got = pyr.columns(0, len(x), 16)  # 1024 frames = 4 level-0 blocks per column
    for g, b in zip(got, brute(x, 0, len(x), 16), strict=True):
        np.testing.assert_allclose(g, b, rtol=1e-5, atol=1e-6)


def test_zoomed_out_columns_never_lose_a_peak():
    x = noise(100_003) * 0.3  # well inside [-1, 1], so the planted peaks are the extremes
    x[77_777, 1] = -0.999
    x[12_345, 0] = 0.998
    pyr = PeakPyramid.from_array(SR, x)
    mins, maxs, rms = pyr.columns(0, len(x), 137)
    bmin, bmax, brms = brute(x, 0, len(x), 137)
    assert (mins <= bmin + 1e-6).all() and (maxs >= bmax - 1e-6).all()
    assert mins.min() == pytest.approx(-0.999) and maxs.max() == pytest.approx(0.998)
    np.testing.assert_allclose(rms, brms, atol=0.02)


def test_appending_in_odd_chunks_gives_the_same_pyramid_as_one_pass():
    x = noise(30_001)
    whole = PeakPyramid.from_array(SR, x)
    live = PeakPyramid(SR, 2)
    for i in range(0, len(x), 777):
        live.append(x[i : i + 777])
    assert (live.frames, live.levels) == (whole.frames, whole.levels)
    for start, end, width in [(0, 30_001, 50), (0, 30_001, 1), (10_000, 20_000, 5)]:
        for a, b in zip(
            live.columns(start, end, width), whole.columns(start, end, width), strict=True
        ):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_live_pyramid_grows_and_its_partial_last_block_counts():
    live = PeakPyramid(SR, 1)
    live.append(np.full(100, 0.25, np.float32))
    assert live.frames == 100 and live.duration == pytest.approx(100 / SR)
    _, maxs, rms = live.columns(0, 100, 1)
    assert maxs[0] == pytest.approx(0.25) and rms[0] == pytest.approx(0.25)
    live.append(np.full(300, -0.5, np.float32))
    mins, maxs, _ = live.columns(0, 400, 1)
    assert (mins[0], maxs[0]) == (pytest.approx(-0.5), pytest.approx(0.25))


def test_file_pyramid_matches_array_pyramid(tmp_path: Path):
    x = noise(70_000, seed=3)
    path = tmp_path / "n.wav"
    sf.write(path, x, SR, subtype="FLOAT")
    from_file = PeakPyramid.from_file(path)
    from_array = PeakPyramid.from_array(SR, x)
    assert (from_file.sample_rate, from_file.channels, from_file.frames) == (SR, 2, 70_000)
    for start, end, width in [(0, 70_000, 200), (5_000, 6_000, 200)]:
        for a, b in zip(
            from_file.columns(start, end, width), from_array.columns(start, end, width), strict=True
        ):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_from_file_on_a_non_audio_file_names_it(tmp_path: Path):
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    with pytest.raises(AudioFormatError, match="notes.wav"):
        PeakPyramid.from_file(bad)


def test_columns_past_the_end_are_zero_and_channels_can_be_picked():
    x = noise(1000)
    x[:, 1] = 0.0
    pyr = PeakPyramid.from_array(SR, x)
    mins, maxs, rms = pyr.columns(0, 2000, 20)
    assert not mins[10:].any() and not maxs[10:].any() and not rms[10:].any()
    _, maxs1, rms1 = pyr.columns(0, 1000, 10, channel=1)
    assert not maxs1.any() and not rms1.any()
    _, maxs0, _ = pyr.columns(0, 1000, 10, channel=0)
    assert (maxs0 > 0).all()


def test_sine_rms_is_amplitude_over_root_two():
    t = np.arange(SR * 4) / SR
    pyr = PeakPyramid.from_array(SR, 0.8 * np.sin(2 * np.pi * 100 * t))
    mins, maxs, rms = pyr.columns(0, SR * 4, 8)
    np.testing.assert_allclose(rms, 0.8 / np.sqrt(2), rtol=1e-3)
    np.testing.assert_allclose(maxs, 0.8, rtol=1e-3)
    np.testing.assert_allclose(mins, -0.8, rtol=1e-3)


def test_int16_samples_are_scaled_to_unit_range():
    pyr = PeakPyramid.from_array(SR, np.array([-32768, 0, 16384, 32767], np.int16))
    mins, maxs, _ = pyr.columns(0, 4, 4)
    assert mins.tolist() == pytest.approx([-1.0, 0.0, 0.5, 32767 / 32768])
    assert maxs.dtype == np.float32


def test_zoomed_out_query_touches_entries_in_proportion_to_width(monkeypatch):
    """The pyramid, not the length, bounds the work: at most 3 entries per column."""
    seen: list[tuple[int, int]] = []
    real = peaks._reduce

    def spy(stats, size, offset, count, lo, hi, frames, channel):
        seen.append((len(lo), int((-(-(hi - offset) // size) - (lo - offset) // size).max())))
        return real(stats, size, offset, count, lo, hi, frames, channel)

    monkeypatch.setattr(peaks, "_reduce", spy)
    pyr = PeakPyramid(SR, 1)
    for _ in range(64):
        pyr.append(noise(65_536, channels=1))
    for start, end in [(0, pyr.frames), (pyr.frames // 3, pyr.frames // 2)]:
        pyr.columns(start, end, 200)
    assert pyr.levels >= 14
    assert all(columns == 200 and per_column <= 3 for columns, per_column in seen)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((0, 100, 0), "width"),
        ((50, 50, 10), "start_frame < end_frame"),
        ((-1, 10, 10), "start_frame"),
        ((0, 100, 10, 5), "channel 5"),
    ],
)
def test_bad_column_queries_raise_value_error(args, match):
    pyr = PeakPyramid.from_array(SR, noise(100))
    with pytest.raises(ValueError, match=match):
        pyr.columns(*args)


def test_chunk_with_wrong_channel_count_is_refused():
    pyr = PeakPyramid(SR, 2)
    with pytest.raises(ValueError, match="1 channels"):
        pyr.append(np.zeros(10, np.float32))


def test_queries_while_another_thread_appends_stay_consistent():
    import threading

    x = noise(256 * 400, seed=5)
    live = PeakPyramid(SR, 2)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for i in range(0, len(x), 1000):
                live.append(x[i : i + 1000])
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    while thread.is_alive():
        frames = live.frames
        if frames:
            mins, maxs, _ = live.columns(0, frames, 50)
            assert (mins <= maxs).all()
    thread.join()
    assert errors == [] and live.frames == len(x)
    whole = PeakPyramid.from_array(SR, x)
    for a, b in zip(live.columns(0, len(x), 64), whole.columns(0, len(x), 64), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_array_pyramid_does_not_follow_later_changes_to_the_callers_buffer():
    buffer = np.full((1000, 1), 0.5, np.float32)
    pyr = PeakPyramid.from_array(SR, buffer)
    buffer[:] = -0.9  # a ring buffer being overwritten
    mins, maxs, _ = pyr.columns(0, 1000, 100)  # sample-level zoom reads the kept samples
    assert mins.min() == pytest.approx(0.5) and maxs.max() == pytest.approx(0.5)
