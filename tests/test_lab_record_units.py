"""Issue 12 without a device: durations, --map, split file names, RF64 headers, alarms, the live line."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from audiotui.cli.record_status import channel_cells, clock, status_line
from audiotui.errors import AudiotuiError
from audiotui.media import rf64
from audiotui.media.alarms import AlarmMonitor
from audiotui.media.diskspace import parse_size, projection
from audiotui.media.recording_file import (
    close_sound_file,
    open_sound_file,
    repair_wav,
    update_header,
)
from audiotui.media.rotation import FileNamer, parse_channel_map, parse_duration

RATE = 48000


@pytest.mark.parametrize(
    "text, seconds",
    [("2s", 2), ("30s", 30), ("1h", 3600), ("1h30m", 5400), ("90", 90), ("250ms", 0.25),
     ("1.5h", 5400), ("1d", 86400), ("10min", 600)],
)
def test_durations_take_units(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "abc", "1x", "0s", "-5s"])
def test_bad_durations_are_one_sentence(text: str) -> None:
    with pytest.raises(AudiotuiError):
        parse_duration(text)


def test_channel_map_is_one_based_with_ranges_in_order() -> None:
    assert parse_channel_map("1,3,5-8") == [0, 2, 4, 5, 6, 7]
    assert parse_channel_map("4,2,1") == [3, 1, 0]
    assert parse_channel_map("8-6") == [7, 6, 5]
    for bad in ("0", "a", "1-2-3", ",", "1-40"):
        with pytest.raises(AudiotuiError):
            parse_channel_map(bad, available=32)


def test_split_names_number_a_plain_name_and_expand_fields(tmp_path: Path) -> None:
    plain = FileNamer(tmp_path / "OUT.wav", numbered=True)
    assert plain.name(1) == tmp_path / "OUT-0001.wav"
    assert plain.name(12) == tmp_path / "OUT-0012.wav"
    (tmp_path / "OUT-0002.wav").touch()  # a previous run's file is never overwritten
    assert plain.name(2) == tmp_path / "OUT-0002-2.wav"
    assert plain.name(2, overwrite=True) == tmp_path / "OUT-0002.wav"
    when = 1_700_000_000.0  # 2023-11-14 local
    fields = FileNamer(tmp_path / "lab-%Y%m%d-{n:03d}.flac", numbered=True)
    import time

    assert fields.name(7, when).name == time.strftime("lab-%Y%m%d-007.flac", time.localtime(when))
    single = FileNamer(tmp_path / "OUT.wav", numbered=False)
    assert single.name(1) == tmp_path / "OUT.wav"


def test_sizes_and_projection() -> None:
    assert parse_size("512M") == 512 << 20 and parse_size("2G") == 2 << 30
    assert parse_size("100000") == 100000
    line = projection(48000 * 16 * 2, 100 << 30, 512 << 20, 86400.0)
    assert line.startswith("Disk: needs ~") and "DOES NOT FIT" in line
    assert "room for" in projection(192000, 100 << 30, 512 << 20, None)


def _wav(path: Path, channels: int = 2) -> object:
    return open_sound_file(path, overwrite=False, samplerate=RATE, channels=channels,
                           fmt="WAV", subtype="PCM_16")


def test_wav_switches_to_rf64_in_place_past_the_threshold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIOTUI_RF64_THRESHOLD", "100000")
    path = tmp_path / "t.wav"
    out = _wav(path)
    tone = (0.5 * np.sin(np.arange(RATE) * 0.05)).astype(np.float32)
    block = np.stack([tone, -tone], axis=1)
    out.write(block[:10000])  # type: ignore[attr-defined]
    update_header(out, 10000)
    assert path.read_bytes()[:4] == b"RIFF"  # 40 kB: still a WAV
    out.write(block[10000:])  # type: ignore[attr-defined]
    update_header(out, RATE)
    assert path.read_bytes()[:4] == b"RF64"  # mid-take, readable as it stands
    assert sf.info(str(path)).frames == RATE
    close_sound_file(out)
    info = sf.info(str(path))
    assert info.format == "RF64" and info.frames == RATE
    back, _ = sf.read(path, dtype="float32")
    assert np.abs(back - block).max() < 1e-4


def test_small_wav_stays_a_plain_pcm_wav(tmp_path: Path) -> None:
    import wave

    path = tmp_path / "s.wav"
    out = _wav(path, channels=16)
    out.write(np.zeros((100, 16), dtype=np.float32))  # type: ignore[attr-defined]
    close_sound_file(out)
    with wave.open(str(path)) as w:  # Python's wave refuses WAVE_FORMAT_EXTENSIBLE
        assert w.getnchannels() == 16 and w.getnframes() == 100


def test_repair_of_a_killed_rf64_take_counts_every_whole_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIOTUI_RF64_THRESHOLD", "1000")
    path = tmp_path / "k.wav"
    out = _wav(path)
    out.write(np.zeros((RATE, 2), dtype=np.float32))  # type: ignore[attr-defined]
    update_header(out, RATE)  # RF64 now, sizes of 1 s
    out.write(np.zeros((RATE, 2), dtype=np.float32))  # type: ignore[attr-defined]
    out.flush()  # type: ignore[attr-defined]
    # "SIGKILL": the header still says 1 s; 3 stray bytes of a frame that never finished.
    with open(path, "ab") as raw:
        raw.write(b"\x01\x02\x03")
    assert repair_wav(path) == 2 * RATE
    assert sf.info(str(path)).frames == 2 * RATE
    assert os.path.getsize(path) % 4 == (rf64._chunks(path.read_bytes()[:4096], 0)[1] + 8) % 4


def test_alarm_monitor_silence_clip_and_recovery() -> None:
    mon = AlarmMonitor(3, RATE, silence_seconds=1.0, silence_db=-60.0, clip=True,
                       device_channels=[4, 0, 7])
    t = np.arange(1024) / RATE
    tone = 0.3 * np.sin(2 * np.pi * 440 * t)
    frame = 0
    for _ in range(100):  # ~2.1 s: channel 1 silent (zeros), channel 2 clipped, channel 3 fine
        block = np.stack([np.zeros_like(tone), np.clip(4 * tone, -1, 1), tone], axis=1)
        mon.feed(block.astype(np.float32), frame)
        frame += 1024
    alarms = mon.drain()
    kinds = [(a.kind, a.channel, a.device_channel) for a in alarms]
    assert kinds == [("clip", 2, 1), ("silence", 1, 5)] or kinds == [("silence", 1, 5), ("clip", 2, 1)]
    silence = next(a for a in alarms if a.kind == "silence")
    assert silence.seconds == 0.0 and silence.duration >= 1.0
    assert "silence on channel 1 (device channel 5)" in silence.describe(clock(silence.seconds))
    mon.feed(np.stack([tone, tone, tone], axis=1).astype(np.float32), frame)
    (back,) = mon.drain()
    assert back.kind == "silence-end" and back.channel == 1
    env = back.env("00:02.1")
    assert env["AUDIOTUI_ALARM"] == "silence-end" and env["AUDIOTUI_ALARM_CHANNEL"] == "1"


def test_status_line_fits_the_terminal_for_any_channel_count() -> None:
    for channels in (1, 2, 8, 16, 32):
        for width in (40, 80, 132):
            line = status_line(
                elapsed=3725.4, file_name="lab-20261205-0001.wav", size=123456789,
                peaks_dbfs=[-12.0] * channels, clipping=[True] + [False] * (channels - 1),
                width=width,
            )
            assert len(line) <= width - 1 and "\n" not in line, (channels, width, line)
            assert line.startswith("1:02:05.4")
    wide = channel_cells([-6.0, -120.0], [False, True], 60)
    assert "[" in wide and "-oo!" in wide
    assert clock(59.94) == "00:59.9" and clock(3600) == "1:00:00.0"


def test_overflows_are_alarms_at_most_once_a_second() -> None:
    mon = AlarmMonitor(2, RATE)
    mon.overflow(3, 3, 12.5)
    mon.overflow(2, 5, 12.6)  # within the second: held
    (first,) = mon.drain()
    assert first.kind == "overflow" and first.count == 3
    assert "input overflow at 00:12.5" in first.describe(clock(first.seconds))
    assert mon.drain() == []
    mon._last_overflow -= 2.0  # a second later, even with nothing new, the held ones go out
    mon.overflow(0, 5, 14.0)
    (held,) = mon.drain()
    assert held.count == 2 and "(5 so far)" in held.detail
