"""Recorder against the virtual sound server: what is played comes back, and nothing is lost."""

from __future__ import annotations

import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from conftest import VirtualAudio, active_span, assert_tone_seconds, dominant_frequency

from audiotui.errors import AudiotuiError, DeviceError
from audiotui.media.recorder import Recorder

pytestmark = pytest.mark.hardware

RATE = 48000


def _play(signal: np.ndarray, device: str = "virtual_speaker") -> None:
    import sounddevice as sd

    padded = np.concatenate([np.zeros(RATE // 10), signal, np.zeros(RATE // 5)]).astype(np.float32)
    sd.play(padded, RATE, device=device, blocking=True, blocksize=1024, latency="high")


def _tone(freq: float, seconds: float, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return amplitude * np.sin(2 * np.pi * freq * t)


def _wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_recording_a_played_tone_keeps_frequency_and_level(loopback: Recorder) -> None:
    _play(_tone(1000, 1.0, 0.5))
    fd = loopback.stop()
    data, rate = sf.read(fd.path)
    start, end = active_span(data)
    assert_tone_seconds(data, 0.5, rate, 1000, 1.0)
    tone = data[start:end]
    assert dominant_frequency(tone, rate) == pytest.approx(1000, abs=5)
    assert np.abs(tone).max() == pytest.approx(0.5, abs=0.01)
    assert fd.meta["sample_rate"] == 48000 and fd.meta["frames"] == len(data)
    assert loopback.state == "stopped" and loopback.overflows == 0


def test_level_meter_and_live_waveform_follow_the_input(loopback: Recorder) -> None:
    seen: list[float] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append(loopback.level().peak_dbfs[0])
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _play(_tone(440, 0.6, 0.25))
    done.set()
    watcher.join()
    assert max(seen) == pytest.approx(-12.04, abs=0.3)
    assert min(seen) < -60  # silence before the tone
    recent = loopback.recent(2.0)
    assert recent.shape[1] == 1 and len(recent) > RATE
    assert np.abs(recent).max() == pytest.approx(0.25, abs=0.01)


def test_clipped_input_is_counted(loopback: Recorder) -> None:
    _play(np.clip(_tone(200, 0.2, 2.0), -1.0, 1.0))
    loopback.stop()
    assert loopback.level().clips[0] > 100


def test_max_length_stops_by_itself_with_the_exact_length(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    finished: list[tuple[object, object]] = []
    rec = Recorder(
        tmp_path / "short.flac",
        device=virtual_audio.monitor,
        samplerate=RATE,
        channels=2,
        max_length=0.5,
    )
    rec.on_finished = lambda fd, err: finished.append((fd, err))
    rec.start()
    assert _wait_for(lambda: rec.state == "stopped")
    info = sf.info(str(tmp_path / "short.flac"))
    assert (info.format, info.frames, info.channels) == ("FLAC", 24000, 2)
    assert finished and finished[0][1] is None
    assert rec.stop().meta["frames"] == 24000  # stop() after the fact returns the same file


def test_pause_leaves_a_gap_out_of_the_file(virtual_audio: VirtualAudio, tmp_path: Path) -> None:
    rec = Recorder(
        tmp_path / "paused.wav", device=virtual_audio.monitor, samplerate=RATE, subtype="PCM_24"
    )
    rec.start()
    time.sleep(0.5)
    rec.pause()
    assert rec.state == "paused"
    paused_at = rec.elapsed
    time.sleep(0.6)
    assert rec.elapsed - paused_at < 0.1
    rec.resume()
    time.sleep(0.4)
    fd = rec.stop()
    assert 0.7 < fd.meta["frames"] / RATE < 1.1
    assert sf.info(fd.path).subtype == "PCM_24"


def test_existing_file_is_never_overwritten_unless_asked(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    target = tmp_path / "keep.wav"
    target.write_bytes(b"precious")
    with pytest.raises(AudiotuiError, match="already exists"):
        Recorder(target, device=virtual_audio.monitor).start()
    assert target.read_bytes() == b"precious"
    with pytest.raises(DeviceError, match="no input device"):
        Recorder(target, device="no-such-device", overwrite=True).start()
    assert target.read_bytes() == b"precious"
    rec = Recorder(
        target, device=virtual_audio.monitor, samplerate=RATE, overwrite=True, max_length=0.2
    )
    rec.start()
    assert _wait_for(lambda: rec.state == "stopped")
    assert sf.info(str(target)).frames == int(0.2 * RATE)


def test_file_on_disk_is_readable_while_recording(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    path = tmp_path / "growing.wav"
    rec = Recorder(path, device=virtual_audio.monitor, samplerate=RATE)
    rec.start()
    time.sleep(1.6)
    # Another process (or a crash) sees a valid header with at least ~1 s of audio.
    with wave.open(str(path)) as header:  # trusts the header, as sox or a browser would
        frames_seen = header.getnframes()
    rec.stop()
    assert frames_seen >= int(0.8 * RATE)


def test_server_killed_mid_recording_keeps_the_audio_and_reports_it(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    path = tmp_path / "crash.wav"
    finished: list[tuple[object, object]] = []
    rec = Recorder(path, device=virtual_audio.monitor, samplerate=RATE)
    rec.on_finished = lambda fd, err: finished.append((fd, err))
    rec.start()
    try:
        time.sleep(1.0)
        virtual_audio.kill()
        assert _wait_for(lambda: rec.state == "failed", timeout=8)
    finally:
        virtual_audio.up()
    assert isinstance(rec.error, DeviceError)
    assert "stopped delivering audio" in str(rec.error)
    assert finished and finished[0][1] is rec.error
    data, rate = sf.read(str(path))
    assert len(data) / rate >= 0.8
    assert rec.stop().path == str(path)


def test_recording_works_again_after_the_server_comes_back(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    rec = Recorder(
        tmp_path / "again.wav", device=virtual_audio.monitor, samplerate=RATE, max_length=0.3
    )
    rec.start()
    assert _wait_for(lambda: rec.state == "stopped")
    assert rec.error is None


def test_stopped_server_is_reported_when_opening_and_creates_no_file(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    from audiotui.errors import NoAudioHardware

    path = tmp_path / "never.wav"
    virtual_audio.down()
    try:
        with pytest.raises(NoAudioHardware, match="sound server is not reachable"):
            Recorder(path, device=virtual_audio.monitor, samplerate=RATE).start()
    finally:
        virtual_audio.up()
    assert not path.exists()


LIBRARY_SCRIPT = """
import sys, time
from audiotui.media.recorder import Recorder
rec = Recorder(sys.argv[1], device="virtual_speaker_monitor", samplerate=48000)
rec.start()
time.sleep(1.0)
raise KeyboardInterrupt  # what Ctrl-C does to a script that never calls stop()
"""


def test_ctrl_c_in_a_script_that_never_stops_still_closes_the_file(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    import subprocess
    import sys

    path = tmp_path / "script.wav"
    result = subprocess.run(
        [sys.executable, "-c", LIBRARY_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert "KeyboardInterrupt" in result.stderr
    data, rate = sf.read(str(path))
    assert len(data) / rate >= 0.9
    raw = path.read_bytes()  # closed at exit: the RIFF header counts every byte written
    assert int.from_bytes(raw[4:8], "little") == len(raw) - 8
