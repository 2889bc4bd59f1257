"""Damaged files: conversion and waveform summaries never pass off a partial decode as whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from audiotui.errors import AudioFormatError
from audiotui.media.files import convert_filedata, path_to_filedata, read_int16
from audiotui.media.peaks import PeakPyramid

SR = 16000


def _tone(seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(SR * seconds)) / SR
    return (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


@pytest.fixture
def truncated_mp3(tmp_path: Path) -> Path:
    whole = tmp_path / "whole.mp3"
    sf.write(whole, _tone(), SR, format="MP3")
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(whole.read_bytes()[:2000])
    with sf.SoundFile(cut) as f:
        assert len(f.read()) < f.frames  # the header still promises the whole second
    return cut


def test_converting_a_truncated_mp3_is_refused_like_decoding_it(truncated_mp3: Path) -> None:
    with pytest.raises(AudioFormatError, match="truncated"):
        read_int16(truncated_mp3)
    with pytest.raises(AudioFormatError, match=r"cut\.mp3.*truncated: its header declares 1\.000 s"):
        convert_filedata(path_to_filedata(truncated_mp3), "wav")


def test_peaks_of_a_truncated_mp3_cover_only_the_decoded_frames(truncated_mp3: Path) -> None:
    decoded = len(sf.read(truncated_mp3)[0])
    assert PeakPyramid.from_file(truncated_mp3).frames == decoded


def test_a_complete_mp3_still_converts_whole(tmp_path: Path) -> None:
    whole = tmp_path / "whole.mp3"
    sf.write(whole, _tone(), SR, format="MP3")
    copy = convert_filedata(path_to_filedata(whole), "wav")
    assert sf.info(copy.path).frames == sf.info(whole).frames


def test_a_conversion_error_reads_without_libsndfile_prefix(tmp_path: Path) -> None:
    good = tmp_path / "good.flac"
    sf.write(good, _tone(), SR)
    damaged = bytearray(good.read_bytes())
    damaged[200:400] = bytes(200)
    bad = tmp_path / "bad.flac"
    bad.write_bytes(bytes(damaged))
    with pytest.raises(AudioFormatError) as caught:
        convert_filedata(path_to_filedata(bad), "wav")
    assert "bad.flac" in str(caught.value) and "Error :" not in str(caught.value)


def test_a_directory_is_reported_as_a_directory(tmp_path: Path) -> None:
    with pytest.raises(AudioFormatError, match="it is a directory, not a file"):
        read_int16(tmp_path)
