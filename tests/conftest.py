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


# ---------------------------------------------------------------- hardware helpers (issue 3)


def dominant_frequency(signal: object, samplerate: int) -> float:
    """Frequency (Hz) of the strongest FFT bin of a 1-D signal, for loopback assertions."""
    import numpy as np

    data = np.asarray(signal, dtype=np.float64)
    spectrum = np.abs(np.fft.rfft(data * np.hanning(len(data))))
    spectrum[0] = 0.0
    return float(np.argmax(spectrum) * samplerate / len(data))


def active_span(signal: object, threshold: float = 0.05) -> tuple[int, int]:
    """First and one-past-last index where |signal| exceeds `threshold` ((0, 0) if never)."""
    import numpy as np

    data = np.abs(np.asarray(signal))
    if data.ndim == 2:
        data = data.max(axis=1)
    idx = np.flatnonzero(data > threshold)
    if len(idx) == 0:
        return 0, 0
    return int(idx[0]), int(idx[-1]) + 1


@pytest.fixture
def loopback(virtual_audio: VirtualAudio, tmp_path: Path) -> Iterator[object]:
    """A Recorder on the speaker's monitor at 48 kHz, started and warmed up; stopped at teardown.

    Whatever is played to `virtual_speaker` meanwhile ends up in `loopback.path`.
    """
    import time

    from audiotui.media.recorder import Recorder

    rec = Recorder(
        tmp_path / "loopback.wav",
        device=virtual_audio.monitor,
        samplerate=48000,
        channels=1,
        blocksize=1024,
        subtype="FLOAT",
    )
    rec.start()
    deadline = time.monotonic() + 3
    while rec.elapsed < 0.2 and time.monotonic() < deadline:
        time.sleep(0.02)
    yield rec
    if rec.state in ("recording", "paused"):
        rec.stop()


def tone_seconds(signal: object, amplitude: float, samplerate: int, freq: float) -> float:
    """How many seconds of a sine of `amplitude` at `freq` the signal holds, from its energy.

    Only the energy within 20 Hz of `freq` counts (Parseval on the spectrum), so a sound
    played meanwhile by another program on the shared server does not count, and unlike the
    span between first and last loud sample, silence inserted by a server underrun does not
    either; a wrong speed (the tone moves) or lost/duplicated audio still does.
    """
    import numpy as np

    data = np.asarray(signal, dtype=np.float64)
    if data.ndim == 2:
        data = data[:, 0]
    spectrum = np.abs(np.fft.rfft(data)) ** 2
    bins = np.fft.rfftfreq(len(data), 1.0 / samplerate)
    band = np.abs(bins - freq) <= 20.0
    energy = 2.0 * spectrum[band].sum() / len(data)  # Parseval, one-sided spectrum
    return float(energy / (amplitude * amplitude / 2) / samplerate)


@pytest.fixture(autouse=True)
def _takes_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """UI takes persist outside the temp store; keep the tests' takes out of the home dir."""
    monkeypatch.setenv("AUDIOTUI_RECORDINGS_DIR", str(tmp_path_factory.mktemp("takes")))
