"""Shared fixtures: the virtual sound server for `hardware` tests, and small audio files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"


def _run_script(name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPTS / name)], capture_output=True, text=True, timeout=180
    )


class VirtualAudio:
    """Handle on the PulseAudio null-sink server that scripts/virtual-audio-up.sh starts.

    Devices (PortAudio names): `virtual_speaker` (play) whose monitor
    `virtual_speaker_monitor` records it back; `virtual_mic_feed` (play) -> `virtual_mic`.
    """

    speaker = "virtual_speaker"
    monitor = "virtual_speaker_monitor"
    mic_feed = "virtual_mic_feed"
    mic = "virtual_mic"

    def up(self) -> None:
        result = _run_script("virtual-audio-up.sh")
        if result.returncode != 0:
            raise RuntimeError(result.stdout + result.stderr)

    def down(self) -> None:
        _run_script("virtual-audio-down.sh")

    def kill(self) -> None:
        """SIGKILL the server, as a crash would (the device vanishes mid-stream)."""
        pid_file = Path(f"/tmp/virtual-audio-{os.getuid()}/pulseaudio.pid")
        if pid_file.exists():
            subprocess.run(["kill", "-9", pid_file.read_text().strip()], check=False)


@pytest.fixture(scope="session")
def virtual_audio() -> Iterator[VirtualAudio]:
    """A running virtual sound server; skips (with the reason) only where none can start."""
    va = VirtualAudio()
    try:
        va.up()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"virtual sound server cannot start here: {str(exc).strip()[-300:]}")
    yield va


@pytest.fixture
def python_exe() -> str:
    return sys.executable
