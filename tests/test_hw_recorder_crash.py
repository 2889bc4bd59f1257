"""SIGKILL mid-take (issue 8): >= t - 1 s of every format is recoverable, and the next
`audiotui record` names the interrupted take and repairs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf

RATE = 48000
KILL_AFTER = {"wav": 3.0, "flac": 4.0, "ogg": 5.0, "mp3": 4.5}  # t = 3..5 s
MEASURED: dict[str, tuple[float, float]] = {}


def _start(out: Path, device: str, *extra: str) -> tuple[subprocess.Popen[str], float]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "audiotui", "record", str(out), "-d", device, "-r", str(RATE),
         *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stderr is not None
    header = proc.stderr.readline()  # printed once capture has begun
    assert header.startswith(f"Recording {out.suffix[1:].upper()}"), header
    return proc, time.monotonic()


def _kill_after(proc: subprocess.Popen[str], began: float, seconds: float) -> float:
    time.sleep(max(0.0, began + seconds - time.monotonic()))
    proc.send_signal(signal.SIGKILL)
    t = time.monotonic() - began
    proc.communicate(timeout=15)
    assert proc.returncode == -signal.SIGKILL
    return t


@pytest.mark.hardware
@pytest.mark.parametrize("ext", ["wav", "flac", "ogg", "mp3"])
def test_sigkilled_take_is_repaired_by_the_next_record(
    virtual_audio: Any, tmp_path: Path, ext: str
) -> None:
    out = tmp_path / f"killed.{ext}"
    proc, began = _start(out, virtual_audio.mic, "-c", "2" if ext == "mp3" else "1")
    t = _kill_after(proc, began, KILL_AFTER[ext])

    nxt = subprocess.run(
        [sys.executable, "-m", "audiotui", "record", str(tmp_path / f"next.{ext}"),
         "-d", virtual_audio.mic, "-r", str(RATE), "-t", "0.3"],
        capture_output=True, text=True, timeout=60,
    )
    assert nxt.returncode == 0, nxt.stderr
    repaired = [line for line in nxt.stderr.splitlines() if "interrupted" in line]
    assert len(repaired) == 1, nxt.stderr
    assert str(out) in repaired[0]

    data, rate = sf.read(str(out), dtype="float32", always_2d=True)
    assert rate == RATE
    length = len(data) / rate
    MEASURED[ext] = (t, length)
    print(f"{ext}: killed at t={t:.2f} s, recovered {length:.2f} s ({length - t:+.2f} s)")
    assert length >= t - 1.0, (t, length)
    assert f"{length:.1f} s" in repaired[0] or f"{length:.2f}" in repaired[0] or "s)" in repaired[0]
    # nothing of the journal is left, and a second run finds nothing to do
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, f"next.{ext}"])


@pytest.mark.hardware
def test_recover_interrupted_finds_takes_from_another_folder(
    virtual_audio: Any, tmp_path: Path
) -> None:
    # `audiotui run` repairs a take `audiotui record` left in some other folder.
    from audiotui.media.recording_file import recover_interrupted

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = elsewhere / "far.mp3"
    proc, began = _start(out, virtual_audio.mic)
    t = _kill_after(proc, began, 3.0)
    reports = recover_interrupted()
    assert [r.path for r in reports] == [out]
    assert "far.mp3" in reports[0].describe() and "interrupted" in reports[0].describe()
    assert sf.info(str(out)).frames / RATE >= t - 1.0
    assert recover_interrupted() == []


@pytest.mark.hardware
def test_a_live_recording_is_never_touched_by_recovery(
    virtual_audio: Any, tmp_path: Path
) -> None:
    from audiotui.media.recording_file import recover_interrupted

    out = tmp_path / "live.flac"
    proc, _ = _start(out, virtual_audio.mic)
    try:
        time.sleep(1.5)
        assert recover_interrupted(tmp_path) == []
        assert (tmp_path / ".live.flac.partial.wav").is_file()  # still being recorded into
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert sf.info(str(out)).frames >= RATE // 2  # the take went on (a loaded box starts late)
    assert os.listdir(tmp_path) == ["live.flac"]
