"""Issue 12, `audiotui record` for the lab, on this run's private sound server.

A 16-channel null sink plays a different tone on every channel (tests/lab16.py); recordings
are real `audiotui record` processes. Covered: gapless --split joins (the phase of a sine is
continuous across every join), --map order, FLAC > 8 channels refused, RF64 past a lowered
AUDIOTUI_RF64_THRESHOLD, silence and clip alarms with --on-alarm's environment, --json events,
the live line on a pty (16 channels never scroll), the free-space floor (AUDIOTUI_DISK_FREE),
and a reconnect after the sound server is killed and started again.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from conftest import VirtualAudio, dominant_frequency
from lab16 import FREQS, LAB_CLIPPED, LAB_SILENT, RATE, Lab16, lab16_running
from pty_support import PtyProcess

pytestmark = pytest.mark.hardware


@pytest.fixture
def lab16(virtual_audio: VirtualAudio) -> Iterator[Lab16]:
    with lab16_running() as lab:
        yield lab


def _record(
    lab: Lab16 | None, *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    full_env = dict(lab.env if lab is not None else os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "audiotui", "record", *args], capture_output=True, text=True,
        timeout=timeout, env=full_env,
    )


def _events(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def _join_residuals(data: np.ndarray, freq: float, joins: list[int]) -> list[float]:
    """|x[n+1] - 2cos(w) x[n] + x[n-1]| around each join: 0 for a pure sine, large for a slip."""
    c = 2 * math.cos(2 * math.pi * freq / RATE)
    out = []
    for j in joins:
        seg = data[j - 3 : j + 3].astype(np.float64)
        out.append(float(np.abs(seg[2:] - c * seg[1:-1] + seg[:-2]).max()))
    return out


@pytest.mark.parametrize("ext, subtype, tol", [("wav", "FLOAT", 3e-3), ("flac", None, 3e-3)])
def test_split_joins_are_gapless(
    lab16: Lab16, tmp_path: Path, ext: str, subtype: str | None, tol: float
) -> None:
    out = tmp_path / f"take.{ext}"
    extra = ["--subtype", subtype] if subtype else []
    result = _record(lab16, str(out), "-d", "pulse", "--map", "1,2", "-r", str(RATE),
                     "-t", "3.5s", "--split", "1s", *extra)
    assert result.returncode == 0, result.stderr
    names = [f"take-{n:04d}.{ext}" for n in (1, 2, 3, 4)]
    assert result.stdout.split() == [str(tmp_path / n) for n in names]
    assert "\r" not in result.stderr and "\033[" not in result.stderr  # not a TTY: no live line
    parts = [sf.read(tmp_path / n, dtype="float32", always_2d=True)[0] for n in names]
    assert [len(p) for p in parts] == [RATE, RATE, RATE, RATE // 2]
    assert not list(tmp_path.glob(".*"))  # no sidecar, journal or encoding left
    whole = np.concatenate(parts)
    joins = [RATE, 2 * RATE, 3 * RATE]
    for ch, freq in enumerate(FREQS[:2]):
        got = _join_residuals(whole[:, ch], freq, joins)
        # A lost or repeated sample at a join leaves ~0.3 * w here (0.012 at 300 Hz);
        # the server path itself leaves ~4e-4 on every sample.
        assert max(got) < tol, (ch, got)
        assert dominant_frequency(whole[:, ch], RATE) == pytest.approx(freq, abs=3)


def test_map_keeps_device_channels_in_the_order_given(lab16: Lab16, tmp_path: Path) -> None:
    out = tmp_path / "mapped.wav"
    result = _record(lab16, str(out), "-d", "pulse", "--map", "3,1,14-12", "-t", "1s",
                     "-r", str(RATE))
    assert result.returncode == 0, result.stderr
    data, rate = sf.read(out, always_2d=True)
    assert data.shape[1] == 5
    wanted = [FREQS[2], FREQS[0], FREQS[13], FREQS[12], FREQS[11]]
    got = [dominant_frequency(data[:, ch], rate) for ch in range(5)]
    assert got == pytest.approx(wanted, abs=3)
    assert "device channels 3,1,14,13,12" in result.stderr


def test_flac_beyond_8_channels_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    out = tmp_path / "many.flac"
    result = _record(None, str(out), "-c", "9")
    assert result.returncode == 1
    (line,) = [x for x in result.stderr.splitlines() if x.strip()]
    assert line.startswith("audiotui: error: FLAC holds 1-8 channels")
    assert ".wav" in line and ".w64" in line
    assert not list(tmp_path.iterdir())
    too_many = _record(None, str(tmp_path / "x.wav"), "-c", "33")
    assert too_many.returncode == 2, too_many.stderr  # a usage mistake, naming the flag
    assert "'-c' / '--channels': 33 is not in the range 1<=x<=32" in too_many.stderr


def test_wav_becomes_rf64_past_the_threshold(lab16: Lab16, tmp_path: Path) -> None:
    out = tmp_path / "big.wav"
    result = _record(lab16, str(out), "-d", "pulse", "-c", "16", "-r", str(RATE), "-t", "1.5s",
                     env={"AUDIOTUI_RF64_THRESHOLD": "400000"})
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:4] == b"RF64"
    info = sf.info(str(out))
    assert info.format == "RF64" and info.frames == int(1.5 * RATE) and info.channels == 16
    data, _ = sf.read(out, always_2d=True)
    assert len(data) == int(1.5 * RATE)
    assert dominant_frequency(data[:, 4], RATE) == pytest.approx(FREQS[4], abs=3)
    small = tmp_path / "small.wav"  # under the threshold: a plain WAV Python's wave reads
    assert _record(lab16, str(small), "-d", "pulse", "-c", "2", "-t", "0.5s").returncode == 0
    assert small.read_bytes()[:4] == b"RIFF"


@pytest.mark.parametrize("ext, channels", [("wav", 16), ("flac", 8)])
def test_rf64_take_killed_mid_way_is_recovered(
    lab16: Lab16, tmp_path: Path, ext: str, channels: int
) -> None:
    """A WAV take, or a FLAC take's WAV journal, that became RF64 and was then SIGKILLed."""
    out = tmp_path / f"killed.{ext}"
    env = {**lab16.env, "AUDIOTUI_RF64_THRESHOLD": "300000"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "audiotui", "record", str(out), "-d", "pulse", "-c",
         str(channels), "-r", str(RATE)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    assert proc.stderr is not None
    assert proc.stderr.readline().startswith(f"Recording {ext.upper()}")
    written = out if ext == "wav" else tmp_path / f".{out.name}.partial.wav"
    # Killed once ~1.5 s of 16-bit frames are on disk (an idle null sink may take ~2 s to
    # deliver its first block, so a fixed 2.5 s sleep could leave less than the 1 s below).
    wanted = int(1.5 * RATE) * channels * 2
    deadline = time.monotonic() + 30
    while not (written.exists() and written.stat().st_size > wanted):
        assert time.monotonic() < deadline and proc.poll() is None, "the take never grew"
        time.sleep(0.05)
    proc.kill()
    proc.wait(timeout=10)
    assert written.read_bytes()[:4] == b"RF64"
    from audiotui.media.recording_file import recover_interrupted

    (report,) = recover_interrupted(tmp_path)
    assert report.error is None and report.frames >= RATE  # ~2.5 s minus start-up
    assert sf.info(str(out)).frames == report.frames
    assert len(sf.read(out)[0]) == report.frames


def test_alarms_on_silent_and_clipped_channels_run_the_command(
    lab16: Lab16, tmp_path: Path
) -> None:
    log = tmp_path / "alarms.log"
    out = tmp_path / "watched.wav"
    command = f'env | grep ^AUDIOTUI_ALARM | sort >> "{log}"; echo --- >> "{log}"'
    result = _record(
        lab16, str(out), "-d", "pulse", "--map", f"{LAB_SILENT},{LAB_CLIPPED},1", "-t", "2.5s",
        "--alarm-silence", "1s", "--alarm-clip", "--on-alarm", command, "--json",
    )
    assert result.returncode == 0, result.stderr
    lines = [x for x in result.stderr.splitlines() if "alarm:" in x]
    silence = [x for x in lines if "silence on channel 1 (device channel 15)" in x]
    clip = [x for x in lines if "clipping on channel 2 (device channel 16)" in x]
    assert len(silence) == 1 and len(clip) == 1, result.stderr
    assert "below -60 dBFS" in silence[0] and " at 00:0" in silence[0]
    assert not [x for x in lines if "channel 3" in x]  # the tone channel is fine
    events = _events(result.stdout)
    assert [e["event"] for e in events][:3] == ["start", "file", "disk"]
    assert events[-1]["event"] == "stop" and events[-2]["event"] == "saved"
    alarms = [e for e in events if e["event"] == "alarm"]
    assert {(a["kind"], a["channel"], a["device_channel"]) for a in alarms} == {
        ("silence", 1, LAB_SILENT), ("clip", 2, LAB_CLIPPED),
    }
    blocks = log.read_text().split("---")
    assert "AUDIOTUI_ALARM=silence" in log.read_text() and "AUDIOTUI_ALARM=clip" in log.read_text()
    silent_env = next(b for b in blocks if "AUDIOTUI_ALARM=silence" in b)
    assert "AUDIOTUI_ALARM_CHANNEL=1" in silent_env
    assert "AUDIOTUI_ALARM_DEVICE_CHANNEL=15" in silent_env
    assert "AUDIOTUI_ALARM_TIME=" in silent_env and "AUDIOTUI_ALARM_MESSAGE=" in silent_env


def test_live_line_with_16_channels_is_redrawn_in_place(
    lab16: Lab16, tmp_path: Path
) -> None:
    out = tmp_path / "live.wav"
    pty = PtyProcess(
        [sys.executable, "-m", "audiotui", "record", str(out), "-d", "pulse", "-c", "16",
         "-t", "3s"],
        env={"PULSE_SOURCE": lab16.source, "PYTHONIOENCODING": "utf-8"}, cols=80, rows=24,
    )
    try:
        pty.proc.wait(timeout=60)
    finally:
        pty.kill()
    text = pty.output()
    assert pty.proc.returncode == 0, text
    # Header, disk line, "Saved", the path (stdout is the pty too): nothing else scrolls.
    assert text.count("\n") <= 5, text
    redraws = [seg for seg in text.split("\r") if "|" in seg and "live.wav" in seg]
    assert len(redraws) >= 5, text
    for seg in redraws:
        visible = seg.split("\033[K")[0]
        assert len(visible) <= 79, visible
    assert "!" in "".join(redraws)  # channel 16 clips
    assert any("00:0" in seg for seg in redraws)


def test_live_line_shows_on_a_terminal_stderr_while_stdout_goes_to_a_file(
    lab16: Lab16, tmp_path: Path
) -> None:
    """`record x.wav > paths.txt`: the terminal still shows the live line, at its own width
    (100 columns here, not the 80 a redirected stdout would suggest); the file gets the path."""
    import fcntl
    import select
    import struct
    import termios

    out = tmp_path / "redirected.wav"
    paths = tmp_path / "paths.txt"
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**lab16.env, "PULSE_SOURCE": lab16.source, "PYTHONIOENCODING": "utf-8"}
    env.pop("COLUMNS", None)
    with paths.open("w") as stdout:
        proc = subprocess.Popen(
            [sys.executable, "-m", "audiotui", "record", str(out), "-d", "pulse", "-c", "16",
             "-t", "3s"], stdin=subprocess.DEVNULL, stdout=stdout, stderr=slave, env=env)
    os.close(slave)
    drawn = bytearray()
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                drawn.extend(chunk)
            elif proc.poll() is not None:
                break
        proc.wait(timeout=60)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    text = drawn.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert paths.read_text().strip() == str(out)
    redraws = [seg.split("\033[K")[0] for seg in text.split("\r")
               if "|" in seg and "redirected.wav" in seg]
    assert len(redraws) >= 5, text
    # 16 channels get 3-cell levels at 100 columns (2-cell ones, ~64 wide, at 80)
    assert max(len(seg) for seg in redraws) >= 75, redraws[-3:]
    assert all(len(seg) <= 99 for seg in redraws)


def test_disk_floor_stops_cleanly_with_valid_files(lab16: Lab16, tmp_path: Path) -> None:
    out = tmp_path / "full.wav"
    env = {"AUDIOTUI_DISK_FREE": str(3_000_000)}
    result = _record(lab16, str(out), "-d", "pulse", "-c", "2", "-r", str(RATE),
                     "--min-free", "2M", env=env, timeout=60)
    assert result.returncode == 1
    assert "under the 2.0 MB kept free (--min-free): stopping" in result.stderr
    data, _ = sf.read(out)
    assert 3 * RATE <= len(data) <= 8 * RATE  # ~0.9 MB of 192 kB/s
    assert sf.info(str(out)).frames == len(data)
    assert not list(tmp_path.glob(".*"))
    refused = _record(lab16, str(tmp_path / "no.wav"), "-d", "pulse",
                      env={"AUDIOTUI_DISK_FREE": "1000"})
    assert refused.returncode == 1 and "not starting" in refused.stderr
    assert not (tmp_path / "no.wav").exists()


def test_reconnect_after_the_server_restarts(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    out = tmp_path / "night.wav"
    proc = subprocess.Popen(
        [sys.executable, "-m", "audiotui", "record", str(out), "-d", virtual_audio.monitor,
         "-r", str(RATE), "--reconnect", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stderr is not None and proc.stdout is not None
        assert proc.stderr.readline().startswith("Recording WAV")
        # Both pipes are read in threads: a readline() in the loops below blocked past their
        # deadlines (and pytest's timeout) when the recorder printed nothing after the kill.
        lines: queue.Queue[str] = queue.Queue()
        err_reader = threading.Thread(
            target=lambda: [lines.put(line) for line in proc.stderr], daemon=True)
        out_chunks: list[str] = []
        out_reader = threading.Thread(
            target=lambda: out_chunks.append(proc.stdout.read()), daemon=True)
        err_reader.start()
        out_reader.start()
        seen = ""

        def read_until(text: str, deadline: float) -> None:
            nonlocal seen
            while text not in seen and time.monotonic() < deadline:
                with contextlib.suppress(queue.Empty):
                    seen += lines.get(timeout=0.1)

        time.sleep(2.0)
        virtual_audio.kill()
        deadline = time.monotonic() + 30
        read_until("waiting for it to come back", deadline)
        assert "waiting for it to come back" in seen, seen
        virtual_audio.up()
        read_until("gap of", deadline + 30)
        assert "recording again into" in seen, seen
        time.sleep(1.5)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        err_reader.join(timeout=10)
        out_reader.join(timeout=10)
        while not lines.empty():
            seen += lines.get_nowait()
        stdout, stderr = "".join(out_chunks), seen
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, stderr
    events = _events(stdout)
    kinds = [e["event"] for e in events]
    assert "device_lost" in kinds and "gap" in kinds and kinds[-1] == "stop"
    (gap,) = [e for e in events if e["event"] == "gap"]
    assert float(gap["seconds"]) > 1.0  # type: ignore[arg-type]
    saved = [e["path"] for e in events if e["event"] == "saved"]
    assert saved == [str(tmp_path / "night-0001.wav"), str(tmp_path / "night-0002.wav")]
    first, second = (sf.read(p)[0] for p in saved)  # type: ignore[arg-type]
    assert len(first) >= 1.5 * RATE and len(second) >= 1.0 * RATE
