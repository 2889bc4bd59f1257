"""Every format `info` reads plays whole, through `audiotui play` and through the TUI's Player.

A format counts as supported only when a tone file of it, written by libsndfile (as `record`,
`gr.Audio(format=...)` outputs and `soundfile.write` write them), comes back out of the
speaker's monitor with the tone in every 50 ms window of its length, and "Played mm:ss"
equals what really went out. An MP3 libsndfile wrote used to play 0.1 s and then silence
while the CLI printed "Played 00:02.0".
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest
import soundfile as sf
from conftest import VirtualAudio, dominant_frequency

from audiotui.media.player import Player
from audiotui.media.recorder import Recorder

pytestmark = pytest.mark.hardware

FREQ = 1000.0
SECONDS = 1.5
AMPLITUDE = 0.5
WINDOW = 0.05

# (id, suffix, rate, channels, libsndfile format, subtype, extra write kwargs)
FORMATS = [
    ("wav-pcm16", "wav", 48000, 1, "WAV", "PCM_16", {}),
    ("wav-pcm24", "wav", 44100, 2, "WAV", "PCM_24", {}),
    ("wav-pcm32", "wav", 48000, 1, "WAV", "PCM_32", {}),
    ("wav-float", "wav", 48000, 2, "WAV", "FLOAT", {}),
    ("flac", "flac", 44100, 1, "FLAC", "PCM_16", {}),
    ("ogg-vorbis", "ogg", 48000, 2, "OGG", "VORBIS", {}),
    ("ogg-opus", "ogg", 48000, 1, "OGG", "OPUS", {}),
    ("mp3-44k-mono", "mp3", 44100, 1, "MP3", "MPEG_LAYER_III", {}),
    ("mp3-48k-stereo", "mp3", 48000, 2, "MP3", "MPEG_LAYER_III", {}),
    ("mp3-32k-cbr", "mp3", 32000, 1, "MP3", "MPEG_LAYER_III", {"bitrate_mode": "CONSTANT"}),
    ("mp3-22k-stereo", "mp3", 22050, 2, "MP3", "MPEG_LAYER_III", {}),
    ("mp3-16k-mono", "mp3", 16000, 1, "MP3", "MPEG_LAYER_III", {}),
    ("mp3-8k-mono", "mp3", 8000, 1, "MP3", "MPEG_LAYER_III", {}),
]
IDS = [f[0] for f in FORMATS]


def _tone_file(tmp_path: Path, spec: tuple) -> Path:  # type: ignore[type-arg]
    name, suffix, rate, channels, fmt, subtype, extra = spec
    t = np.arange(int(SECONDS * rate)) / rate
    tone = (AMPLITUDE * np.sin(2 * np.pi * FREQ * t)).astype(np.float32)
    data = np.stack([tone] * channels, axis=1) if channels > 1 else tone
    path = tmp_path / f"{name}.{suffix}"
    sf.write(str(path), data, rate, format=fmt, subtype=subtype, **extra)
    return path


def _recorded(rec: Recorder) -> tuple[np.ndarray, int]:
    time.sleep(0.3)
    fd = rec.stop()
    data, rate = sf.read(fd.path, dtype="float32")
    return (data[:, 0] if data.ndim == 2 else data), int(rate)


def _tone_windows(data: np.ndarray, rate: int) -> tuple[float, list[int]]:
    """Where the tone starts (s) and the 50 ms windows of the expected length without it.

    A window holds the tone when its RMS is at least half the tone's and its strongest
    frequency is the tone's; the file's own fade-in (MP3 encoder delay) is skipped by
    starting at the first loud sample.
    """
    loud = np.flatnonzero(np.abs(data) > AMPLITUDE / 2)
    assert len(loud), "nothing reached the speaker"
    start = int(loud[0])
    step = int(WINDOW * rate)
    missing = []
    for i in range(int((SECONDS - 0.06) / WINDOW)):
        w = data[start + i * step : start + (i + 1) * step]
        rms = float(np.sqrt(np.mean(np.square(w, dtype=np.float64)))) if len(w) else 0.0
        ok = len(w) == step and rms > AMPLITUDE / np.sqrt(2) / 2
        if ok:
            ok = abs(dominant_frequency(w, rate) - FREQ) <= 2 * rate / step
        if not ok:
            missing.append(i)
    return start / rate, missing


def _sounding_seconds(data: np.ndarray, rate: int, start: float) -> float:
    """How long the tone lasted from `start` (last loud sample), in seconds."""
    loud = np.flatnonzero(np.abs(data) > AMPLITUDE / 2)
    return float(loud[-1] / rate - start)


T = TypeVar("T")


def _loopback_recorder(virtual_audio: VirtualAudio, path: Path) -> Recorder:
    """As conftest's `loopback` fixture: the speaker's monitor, started and warmed up."""
    rec = Recorder(path, device=virtual_audio.monitor, samplerate=48000, channels=1,
                   blocksize=1024, subtype="FLOAT")
    rec.start()
    deadline = time.monotonic() + 3
    while rec.elapsed < 0.3 and time.monotonic() < deadline:
        time.sleep(0.02)
    return rec


@dataclass
class Heard:
    """One play-through as the speaker's monitor heard it."""

    played: Any  # what `play` returned (a CompletedProcess, a Player...)
    data: np.ndarray
    rate: int
    start: float
    missing: list[int]


def _heard(virtual_audio: VirtualAudio, tmp_path: Path, play: Callable[[], T]) -> Heard:
    """Play through the speaker while its monitor records; tried a second time on a gap.

    On a machine starved of CPU (two suites side by side) the sound server fills a block
    that came late with silence: a gap at a random place, which the next try does not
    repeat. A format that really plays silence (the old MP3 bug) fails both tries.
    """
    for attempt in range(2):
        loopback = _loopback_recorder(virtual_audio, tmp_path / f"heard-{attempt}.wav")
        played = play()
        data, rate = _recorded(loopback)
        start, missing = _tone_windows(data, rate)
        if not missing:
            break
        print(f"\ntry {attempt + 1}: no tone in 50 ms windows {missing} (a starved pass?)")
    return Heard(played, data, rate, start, missing)


def _play_with_player(virtual_audio: VirtualAudio, path: Path, timeout: float = 10,
                      seek: float | None = None) -> Player:
    player = Player(device=virtual_audio.speaker, blocksize=1024)
    events: list[str] = []
    player.on_event = events.append
    player.load(str(path))
    if seek is not None:
        player.seek(seek)
    player.play()
    deadline = time.monotonic() + timeout
    while "stop" not in events and time.monotonic() < deadline:
        time.sleep(0.02)
    player.close()
    assert "stop" in events
    return player


@pytest.mark.parametrize("spec", FORMATS, ids=IDS)
def test_cli_play_plays_every_format_whole(
    virtual_audio: VirtualAudio, tmp_path: Path, spec: tuple  # type: ignore[type-arg]
) -> None:
    path = _tone_file(tmp_path, spec)
    heard = _heard(virtual_audio, tmp_path, lambda: _play(path, virtual_audio))
    result, data, rate, start = heard.played, heard.data, heard.rate, heard.start
    assert result.returncode == 0, result.stderr
    assert not heard.missing, f"no tone in 50 ms windows {heard.missing} of {spec[0]}, twice"
    played = re.search(r"Played (\d+):(\d+\.\d)", result.stderr)
    assert played, result.stderr
    reported = int(played.group(1)) * 60 + float(played.group(2))
    sounded = _sounding_seconds(data, rate, start)
    assert reported == pytest.approx(SECONDS, abs=0.05)  # mm:ss.s of what was really played
    assert sounded == pytest.approx(reported, abs=0.1)
    assert "[src/libmpg123" not in result.stderr and "Warning:" not in result.stderr


@pytest.mark.parametrize("spec", FORMATS, ids=IDS)
def test_the_tui_player_plays_every_format_whole(
    virtual_audio: VirtualAudio, tmp_path: Path, spec: tuple  # type: ignore[type-arg]
) -> None:
    path = _tone_file(tmp_path, spec)
    rate_in = spec[2]
    heard = _heard(virtual_audio, tmp_path, lambda: _play_with_player(virtual_audio, path))
    player, data, rate, start = heard.played, heard.data, heard.rate, heard.start
    assert not heard.missing, f"no tone in 50 ms windows {heard.missing} of {spec[0]}, twice"
    # The position at the end is what went out, within one block of the file's length.
    assert player.position == pytest.approx(SECONDS, abs=1024 / rate_in)
    assert _sounding_seconds(data, rate, start) == pytest.approx(player.position, abs=0.1)


def test_the_player_seeks_into_an_mp3_without_a_silent_start(
    virtual_audio: VirtualAudio, loopback: Recorder, tmp_path: Path
) -> None:
    path = _tone_file(tmp_path, FORMATS[7])  # libsndfile's VBR MP3, 44.1 kHz mono
    _play_with_player(virtual_audio, path, seek=0.5)
    data, rate = _recorded(loopback)
    loud = np.flatnonzero(np.abs(data) > AMPLITUDE / 2)
    start = int(loud[0])
    step = int(WINDOW * rate)
    for i in range(int((SECONDS - 0.5 - 0.06) / WINDOW)):
        w = data[start + i * step : start + (i + 1) * step]
        assert np.sqrt(np.mean(np.square(w))) > AMPLITUDE / np.sqrt(2) / 2, f"window {i}"
    assert (loud[-1] - start) / rate == pytest.approx(SECONDS - 0.5, abs=0.1)


def _play(path: Path, va: VirtualAudio) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audiotui", "play", str(path), "-d", va.speaker],
        capture_output=True, text=True, timeout=30,
    )


def test_play_of_a_truncated_mp3_reports_what_really_played(
    virtual_audio: VirtualAudio, loopback: Recorder, tmp_path: Path
) -> None:
    whole = _tone_file(tmp_path, FORMATS[7])
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    readable = len(sf.read(str(cut), dtype="float32")[0]) / 44100  # one read: no seek
    result = _play(cut, virtual_audio)
    assert result.returncode == 0, result.stderr
    played = re.search(r"Played (\d+):(\d+\.\d)", result.stderr)
    assert played, result.stderr
    assert float(played.group(2)) == pytest.approx(readable, abs=0.05)
    assert "audiotui: warning: 'cut.mp3' is truncated" in result.stderr
    assert "1.500 s (66150 frames)" in result.stderr
    data, rate = _recorded(loopback)
    start, _ = _tone_windows(data, rate)
    assert _sounding_seconds(data, rate, start) == pytest.approx(readable, abs=0.1)


def test_play_of_a_damaged_flac_is_one_error_line_naming_it(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    whole = _tone_file(tmp_path, FORMATS[4])
    cut = tmp_path / "damaged.flac"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    result = _play(cut, virtual_audio)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("audiotui: error: ")
    assert "damaged.flac" in errors[0] and "truncated or damaged" in errors[0]
    assert "unexpected" not in result.stderr and "psf_fseek" not in result.stderr


def test_play_of_broken_mp3s_says_not_readable_not_missing(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    whole = _tone_file(tmp_path, FORMATS[7])
    for size in (100, 417):
        cut = tmp_path / f"broken{size}.mp3"
        cut.write_bytes(whole.read_bytes()[:size])
        result = _play(cut, virtual_audio)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode == 1 and len(lines) == 1, result.stderr
        assert f"broken{size}.mp3' is not a readable audio file (libsndfile:" in lines[0]
        assert "does not exist" not in lines[0] and "truncated" in lines[0]


def _record_take(virtual_audio: VirtualAudio, take: Path) -> tuple[np.ndarray, int]:
    """Our Recorder writes `take` while the tone plays into the mic; returns it decoded."""
    from audiotui.media.files import read_float

    take.unlink(missing_ok=True)
    rec = Recorder(take, device=virtual_audio.mic, samplerate=48000, channels=1)
    rec.start()
    deadline = time.monotonic() + 3
    while rec.elapsed < 0.3 and time.monotonic() < deadline:  # capture running before the tone
        time.sleep(0.02)
    feeder = Player(device=virtual_audio.mic_feed, blocksize=1024)
    t = np.arange(int(SECONDS * 48000)) / 48000
    fed: list[str] = []
    feeder.on_event = fed.append
    feeder.load((48000, (AMPLITUDE * np.sin(2 * np.pi * FREQ * t)).astype(np.float32)))
    feeder.play()
    deadline = time.monotonic() + 10
    while "stop" not in fed and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)
    feeder.close()
    rec.stop()
    rate, data = read_float(take)  # our reading path, the one the Player uses
    return data[:, 0], rate


@pytest.mark.parametrize("suffix", ["wav", "flac", "ogg", "mp3"])
def test_a_recording_of_each_format_plays_back_whole(
    virtual_audio: VirtualAudio, tmp_path: Path, suffix: str
) -> None:
    """The round trip DESIGN asks for: our Recorder writes the file, our Player plays it.

    Each of the two real-time passes (tone -> mic -> take; take -> speaker -> monitor) may be
    tried twice: on a machine starved of CPU (two suites side by side) the sound server
    fills a late block with silence, a gap at a random place that the next try does not
    repeat. A file that decodes to silence (the old MP3 bug) is caught without any real
    time: the take must hold the tone in every window when read back, before it is played.
    """
    take = tmp_path / f"take.{suffix}"
    for attempt in range(2):
        data, rate = _record_take(virtual_audio, take)
        start, missing = _tone_windows(data, rate)
        if not missing:
            break
        print(f"\nrecording try {attempt + 1}: no tone in windows {missing} (a starved pass?)")
    assert not missing, f"the {suffix} take lacks the tone in 50 ms windows {missing}, twice"
    assert sf.info(str(take)).format == {"wav": "WAV", "flac": "FLAC", "ogg": "OGG",
                                         "mp3": "MP3"}[suffix]
    heard = _heard(virtual_audio, tmp_path,
                   lambda: _play_with_player(virtual_audio, take, timeout=15))
    assert not heard.missing, (
        f"no tone in 50 ms windows {heard.missing} of the {suffix} recording, twice")
