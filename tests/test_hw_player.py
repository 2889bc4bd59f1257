"""Player against the virtual sound server, checked by recording the speaker's monitor."""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from conftest import VirtualAudio, active_span, assert_tone_seconds, dominant_frequency

from audiotui.media import player as player_module
from audiotui.media.player import Player
from audiotui.media.recorder import Recorder

pytestmark = pytest.mark.hardware


def _tone(
    freq: float, seconds: float, rate: int, amplitude: float = 0.5, phase: float = 0.0
) -> np.ndarray:
    t = np.arange(int(round(seconds * rate))) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t + phase)).astype(np.float32)


def _wait_for(condition, timeout: float = 8.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _recorded(rec: Recorder) -> tuple[np.ndarray, int]:
    time.sleep(0.2)
    fd = rec.stop()
    data, rate = sf.read(fd.path)
    return data, rate


def _player(va: VirtualAudio, events: list[str] | None = None) -> Player:
    player = Player(device=va.speaker, blocksize=1024)
    if events is not None:
        player.on_event = events.append
    return player


def test_playing_an_array_reaches_the_speaker_at_the_right_speed(
    virtual_audio: VirtualAudio, loopback: Recorder
) -> None:
    events: list[str] = []
    player = _player(virtual_audio, events)
    player.load((48000, _tone(1000, 1.0, 48000)))
    assert player.duration == pytest.approx(1.0)
    player.play()
    assert _wait_for(lambda: player.state == "stopped")
    data, rate = _recorded(loopback)
    start, end = active_span(data)
    assert_tone_seconds(data, 0.5, rate, 1000, 1.0)
    assert dominant_frequency(data[start:end], rate) == pytest.approx(1000, abs=5)
    assert np.abs(data).max() == pytest.approx(0.5, abs=0.01)
    assert events == ["play", "pause", "stop"]
    assert player.position == pytest.approx(1.0)


@pytest.mark.parametrize("source_rate", [22050, 44100])
def test_other_rates_keep_their_pitch_and_length(
    virtual_audio: VirtualAudio, loopback: Recorder, source_rate: int
) -> None:
    player = _player(virtual_audio)
    player.load((source_rate, _tone(1000, 1.0, source_rate)))
    player.play()
    assert _wait_for(lambda: player.state == "stopped")
    data, rate = _recorded(loopback)
    start, end = active_span(data)
    assert_tone_seconds(data, 0.5, rate, 1000, 1.0)
    assert dominant_frequency(data[start:end], rate) == pytest.approx(1000, abs=5)


def test_soxr_converts_when_the_device_refuses_the_source_rate(
    virtual_audio: VirtualAudio, loopback: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sounddevice as sd

    def refuse(**kwargs: object) -> None:
        raise sd.PortAudioError("Invalid sample rate [PaErrorCode -9997]")

    monkeypatch.setattr(sd, "check_output_settings", refuse)
    monkeypatch.setattr(player_module, "_RATE_SUPPORT", {})
    player = _player(virtual_audio)
    player.load((16000, np.stack([_tone(700, 1.0, 16000)] * 3, axis=1)))  # 3 ch -> device
    player.play()
    assert player.out_rate == 44100  # the device's default rate
    assert _wait_for(lambda: player.state == "stopped")
    data, rate = _recorded(loopback)
    start, end = active_span(data)
    assert_tone_seconds(data, 0.5, rate, 700, 1.0)
    assert dominant_frequency(data[start:end], rate) == pytest.approx(700, abs=5)


def test_file_plays_from_disk_with_seek_and_position(
    virtual_audio: VirtualAudio, loopback: Recorder, tmp_path: Path
) -> None:
    path = tmp_path / "long.wav"
    sf.write(str(path), np.stack([_tone(500, 3.0, 48000)] * 2, axis=1), 48000)
    player = _player(virtual_audio)
    player.load(str(path))
    assert player.duration == pytest.approx(3.0)
    player.play()
    time.sleep(0.5)
    first = player.position
    assert 0.2 < first < 0.8
    player.seek(2.5)
    assert player.position == pytest.approx(2.5, abs=0.01)
    assert _wait_for(lambda: player.state == "stopped")
    data, rate = _recorded(loopback)
    start, end = active_span(data)
    # ~0.5 s before the seek plus the last 0.5 s after it, give or take the device buffer.
    assert 0.8 < (end - start) / rate < 1.4


def test_pause_freezes_the_playhead_and_resume_continues(virtual_audio: VirtualAudio) -> None:
    events: list[str] = []
    player = _player(virtual_audio, events)
    player.load((48000, _tone(300, 2.0, 48000, amplitude=0.1)))
    player.play()
    time.sleep(0.4)
    player.pause()
    held = player.position
    time.sleep(0.4)
    assert player.state == "paused"
    assert player.position == pytest.approx(held, abs=0.03)
    player.resume()
    time.sleep(0.3)
    assert player.position > held + 0.15
    player.stop()
    assert player.state == "stopped" and player.position == 0.0
    assert events == ["play", "pause", "play", "pause"]
    player.play()  # plays again from the start after stop()
    assert player.state == "playing"
    player.close()


def _appended_chunks_problem(va: VirtualAudio, take: Path) -> str | None:
    """Play a tone appended in 12 chunks, record it back; what is wrong with it, or None."""
    rec = Recorder(take, device=va.monitor, samplerate=48000, channels=1, blocksize=1024,
                   subtype="FLOAT")
    rec.start()
    _wait_for(lambda: rec.elapsed >= 0.2, timeout=3)  # as the loopback fixture does
    events: list[str] = []
    player = _player(va, events)
    whole = _tone(800, 1.2, 48000)
    chunks = np.array_split(whole, 12)
    player.append((48000, chunks[0]))
    if player.state != "playing":
        return f"not playing after the first chunk ({player.state})"
    for chunk in chunks[1:]:
        time.sleep(0.05)  # faster than real time, as a generator usually is
        player.append((48000, chunk))
    player.finish_stream()
    if not _wait_for(lambda: player.state == "stopped"):
        return f"never stopped ({player.state})"
    data, rate = _recorded(rec)
    start, end = active_span(data)
    tone = data[start:end]
    # A gap would show as a window without signal; a sine of 0.5 has a peak in every 5 ms.
    window = rate // 200
    peaks = np.abs(tone[: len(tone) // window * window]).reshape(-1, window).max(axis=1)
    span = (end - start) / rate
    if abs(span - 1.2) > 0.05 or peaks.min() <= 0.4:
        quiet = np.flatnonzero(peaks <= 0.4) * window / rate
        return (f"span {span:.3f} s, {len(quiet)} silent 5 ms windows from "
                f"{quiet[:1]} s in, underflows reported {player.underflows}")
    if dominant_frequency(tone, rate) != pytest.approx(800, abs=5):
        return f"frequency {dominant_frequency(tone, rate):.1f} Hz"
    if events[0] != "play" or events[-1] != "stop":
        return f"events {events}"
    return None


def test_appended_chunks_play_gaplessly_and_start_at_the_first(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    # A player starved of CPU underruns and leaves 20-85 ms of silence at a random place
    # (benchmarks/bench_test_jitter.py with 3-4 busy loops on 2 cores: 2 of 8 and 4 of 10 runs,
    # not always with an underflow flag; 1 of 5 while two other test runs shared the machine),
    # which no tolerance can tell from a join that drops audio. A join bug sits at the same place in every run, though: so one
    # clean run out of three proves the joins, and three starved runs in a row (~6 % at that
    # load) fail with what each one saw.
    problems: list[str] = []
    for attempt in range(3):
        problem = _appended_chunks_problem(virtual_audio, tmp_path / f"take{attempt}.wav")
        if problem is None:
            return
        problems.append(problem)
    pytest.fail("appended chunks did not play back gaplessly: " + "; ".join(problems))


def test_byte_chunks_of_a_container_are_decoded_and_played(
    virtual_audio: VirtualAudio, loopback: Recorder
) -> None:
    player = _player(virtual_audio)
    for i in range(3):
        buf = io.BytesIO()
        sf.write(buf, _tone(600, 0.3, 24000, phase=i * 0.3 * 2 * np.pi * 600), 24000, format="WAV")
        player.append(buf.getvalue())
    player.finish_stream()
    assert _wait_for(lambda: player.state == "stopped")
    data, rate = _recorded(loopback)
    start, end = active_span(data)
    assert_tone_seconds(data, 0.5, rate, 600, 0.9)
    assert dominant_frequency(data[start:end], rate) == pytest.approx(600, abs=5)


def test_an_mp3_file_yielded_in_raw_byte_slices_plays_whole(
    virtual_audio: VirtualAudio, loopback: Recorder
) -> None:
    # Gradio's stream_audio_out demo: `while chunk := f.read(50_000): yield chunk`. Only the
    # first slice is a decodable MP3 on its own; the others used to be refused as "not audio".
    buf = io.BytesIO()
    sf.write(buf, _tone(900, 1.5, 48000), 48000, format="MP3")
    raw = buf.getvalue()
    player = _player(virtual_audio)
    step = len(raw) // 6 + 1
    for start in range(0, len(raw), step):
        player.append(raw[start : start + step])
    player.finish_stream()
    assert _wait_for(lambda: player.state == "stopped")
    data, rate = _recorded(loopback)
    start, end = active_span(data)
    assert_tone_seconds(data, 0.5, rate, 900, 1.5, tolerance=0.05)
    assert dominant_frequency(data[start:end], rate) == pytest.approx(900, abs=5)


def test_server_killed_while_playing_fails_cleanly(virtual_audio: VirtualAudio) -> None:
    events: list[str] = []
    player = _player(virtual_audio, events)
    player.load((48000, _tone(300, 5.0, 48000, amplitude=0.1)))
    player.play()
    try:
        time.sleep(0.5)
        virtual_audio.kill()
        assert _wait_for(lambda: player.state == "failed")
    finally:
        virtual_audio.up()
    assert "stopped taking audio" in str(player.error)
    assert events == ["play", "pause"]
    assert 0.2 < player.position < 1.5
    player.close()
