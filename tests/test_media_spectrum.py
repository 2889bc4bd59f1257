"""SpectrumPyramid: log-frequency dB columns from the waveform's own pass, at any zoom."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from audiotui.media.spectrum import FLOOR_DB, SpectrumPyramid, band_edges, summarise_file

RATE = 16000


def _tone(freq: float, seconds: float, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _band_of(spectrum: SpectrumPyramid, freq: float) -> int:
    return int(np.searchsorted(spectrum.edges, freq) - 1)


def test_bands_are_log_spaced_up_to_nyquist() -> None:
    edges = band_edges(48000, 64)
    assert len(edges) == 65 and edges[-1] == pytest.approx(24000)
    ratios = edges[1:] / edges[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)


def test_a_1khz_tone_is_loudest_in_the_1khz_band_at_its_level() -> None:
    spectrum = SpectrumPyramid.from_array(RATE, _tone(1000, 3.0))
    db = spectrum.columns(0, spectrum.frames, 20)
    loudest = db[10].argmax()
    assert spectrum.edges[loudest] <= 1000 < spectrum.edges[loudest + 1]
    assert db[10].max() == pytest.approx(-6.0, abs=1.0)  # amplitude 0.5 = -6 dBFS
    assert np.median(db[10]) < -60


def test_growing_by_small_chunks_gives_the_same_columns_as_one_pass() -> None:
    signal = np.concatenate([_tone(300, 1.3), _tone(3000, 1.1)])
    whole = SpectrumPyramid.from_array(RATE, signal)
    live = SpectrumPyramid(RATE, 1)
    for start in range(0, len(signal), 777):
        live.append(signal[start : start + 777])
    assert live.frames == whole.frames
    # 9 columns of ~0.27 s: coarser than level 0, so both read their pyramids
    np.testing.assert_array_equal(live.columns(0, live.frames, 9),
                                  whole.columns(0, whole.frames, 9))


def test_zoomed_out_keeps_a_short_burst_and_zoomed_in_reanalyses_samples() -> None:
    signal = np.zeros(60 * RATE, np.float32)
    burst = _tone(2000, 0.3)
    signal[30 * RATE : 30 * RATE + len(burst)] = burst
    spectrum = SpectrumPyramid.from_array(RATE, signal)
    band = _band_of(spectrum, 2000)
    db = spectrum.columns(0, len(signal), 12)  # 5 s per column: levels merge by maximum
    assert db[6, band] > -20 and db[0, band] == FLOOR_DB
    # zoomed in to 0.2 s, finer than a level-0 column (hop): every column is its own FFT
    zoom = spectrum.columns(30 * RATE + 800, 30 * RATE + 800 + RATE // 5, 40)
    assert (zoom[:, band] > -20).all()
    assert spectrum.needs_samples(30 * RATE, 30 * RATE + RATE // 5, 40)
    assert not spectrum.needs_samples(0, len(signal), 12)

    def no_reading(lo: int, hi: int) -> None:
        raise AssertionError("exact=False must not read samples")

    spectrum._read = no_reading  # type: ignore[method-assign]
    spectrum._raw_cache = None
    quick = spectrum.columns(30 * RATE + 800, 30 * RATE + 800 + RATE // 5, 40, exact=False)
    assert (quick[:, band] > -20).any()  # level 0 columns, repeated


def test_channels_are_kept_apart_and_none_takes_the_loudest() -> None:
    stereo = np.stack([_tone(500, 2.0), _tone(4000, 2.0)], axis=1)
    spectrum = SpectrumPyramid.from_array(RATE, stereo)
    left = spectrum.columns(0, spectrum.frames, 4, channel=0)
    right = spectrum.columns(0, spectrum.frames, 4, channel=1)
    both = spectrum.columns(0, spectrum.frames, 4)
    low, high = _band_of(spectrum, 500), _band_of(spectrum, 4000)
    assert left[1, low] > -10 > left[1, high]
    assert right[1, high] > -10 > right[1, low]
    assert both[1, low] > -10 and both[1, high] > -10


def test_summarise_file_reads_the_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    from audiotui.media import reading

    path = tmp_path / "two.wav"
    sf.write(path, np.stack([_tone(440, 2.0), _tone(2500, 2.0)], 1), RATE)
    decoded: list[int] = []
    original = reading.Decoder.read_into

    def counting(self: reading.Decoder, out: np.ndarray) -> int:
        n = original(self, out)
        decoded.append(n)
        return n

    monkeypatch.setattr(reading.Decoder, "read_into", counting)
    peaks, spectrum = summarise_file(path)
    assert sum(decoded) == 2 * RATE  # every frame decoded exactly once, for both summaries
    assert peaks.frames == spectrum.frames == 2 * RATE
    assert spectrum.channels == 2
    db = spectrum.columns(0, spectrum.frames, 8, channel=1)
    assert spectrum.edges[db[4].argmax()] <= 2500 < spectrum.edges[db[4].argmax() + 1]


def test_a_file_backed_pyramid_zooms_in_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "tone.wav"
    sf.write(path, _tone(1000, 4.0), RATE)
    _, spectrum = summarise_file(path)
    zoom = spectrum.columns(RATE, RATE + RATE // 10, 50)  # 2 ms a column
    band = _band_of(spectrum, 1000)
    assert (zoom.argmax(axis=1) == band).all()


def test_bad_queries_are_refused() -> None:
    spectrum = SpectrumPyramid.from_array(RATE, _tone(1000, 1.0))
    with pytest.raises(ValueError):
        spectrum.columns(10, 5, 10)
    with pytest.raises(ValueError):
        spectrum.columns(0, 10, 0)
    with pytest.raises(ValueError):
        spectrum.columns(0, 10, 10, channel=1)
