"""A UI take survives the process being ended by SIGHUP/SIGTERM (an SSH drop)."""

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

SCRIPT = """
import sys, time
from audiotui.media import temp
from audiotui.media.recorder import Recorder, new_take_path
temp.install_signal_handlers()
temp.temp_path(".wav")  # the temp store exists and is removed on the signal
rec = Recorder(new_take_path(".wav"), device="virtual_mic", samplerate=48000, blocksize=1024)
rec.start()
print(rec.path if hasattr(rec, "path") else "", flush=True)
print("recording", flush=True)
time.sleep(60)
"""


def test_new_take_path_uses_the_configured_folder(tmp_path: Path, monkeypatch: Any) -> None:
    from audiotui.media.recorder import new_take_path, recordings_dir

    monkeypatch.setenv("AUDIOTUI_RECORDINGS_DIR", str(tmp_path / "takes"))
    first = new_take_path(".wav")
    assert first.parent == recordings_dir() == tmp_path / "takes"
    first.write_bytes(b"")
    assert new_take_path(".wav") != first and not new_take_path(".wav").exists()


@pytest.mark.hardware
@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_ui_take_is_closed_with_everything_when_the_session_drops(
    tmp_path: Path, virtual_audio: Any, signum: int
) -> None:
    env = {**os.environ, "AUDIOTUI_RECORDINGS_DIR": str(tmp_path / "takes")}
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        proc.stdout.readline()
        assert proc.stdout.readline().strip() == "recording"
        started = time.monotonic()
        time.sleep(2.0)
        elapsed = time.monotonic() - started
        proc.send_signal(signum)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signum  # it still dies of the signal, as the parent expects
    takes = list((tmp_path / "takes").glob("take-*.wav"))
    assert len(takes) == 1
    info = sf.info(str(takes[0]))
    assert info.samplerate == 48000
    # closed properly: the header holds everything received, not just the last periodic rewrite
    assert info.frames / 48000 >= elapsed - 0.5
    # ...and nothing on disk lies beyond what the header declares (a take killed between two
    # periodic header rewrites has up to 0.5 s of audio its header does not count).
    # (The header is not a fixed 44 bytes: takes carry a `bext` chunk, room for RF64, issue 12.)
    head = takes[0].read_bytes()[:4096]
    data_start = head.index(b"data") + 8
    assert takes[0].stat().st_size - info.frames * 2 == data_start
