"""Shared fixtures: the run's private virtual sound server for `hardware` tests, and small audio files.

Every pytest run - under pytest-xdist every worker, scripts/test.sh runs two - starts its OWN
PulseAudio server (scripts/virtual-audio-up.sh with a fresh VIRTUAL_AUDIO_DIR) before any test
module imports PortAudio, and exports the environment that makes the device names resolve to
it - in this process and in every subprocess (CLI, tmux panes):

- PULSE_SERVER: this run's socket, for `default` / `pulse` (and no libpulse client falls back
  to a machine-wide server or autospawns one);
- ALSA_CONFIG_PATH: a private top-level ALSA config (stock alsa.conf + this server's named PCMs
  `virtual_speaker`, `virtual_speaker_monitor`, `virtual_mic_feed`, `virtual_mic`).

Nothing system-wide is written or read for them, so two runs side by side (or anyone using
another instance) never hear, kill or redirect each other. The server is stopped at the end of
the run - by its pid, after checking it is this run's pulseaudio - and a watchdog does it if
pytest itself is killed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"

# A unix socket path is at most 107 bytes; the server's is DIR/pulse/native.
_MAX_DIR_LEN = 80


class VirtualAudio:
    """Handle on THIS run's private PulseAudio null-sink server (scripts/virtual-audio-up.sh).

    Devices (PortAudio names, resolved through this run's ALSA_CONFIG_PATH): `virtual_speaker`
    (play) whose monitor `virtual_speaker_monitor` records it back; `virtual_mic_feed` (play) ->
    `virtual_mic`.
    """

    speaker = "virtual_speaker"
    monitor = "virtual_speaker_monitor"
    mic_feed = "virtual_mic_feed"
    mic = "virtual_mic"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @property
    def server(self) -> str:
        """The PULSE_SERVER value of this run's server."""
        return f"unix:{self.directory / 'pulse' / 'native'}"

    @property
    def alsa_config(self) -> Path:
        """The private top-level ALSA config that defines the device names for this server."""
        return self.directory / "asound.conf"

    @property
    def env(self) -> dict[str, str]:
        """What a process needs to see this run's devices (exported into os.environ)."""
        return {
            "PULSE_SERVER": self.server,
            "ALSA_CONFIG_PATH": str(self.alsa_config),
            "VIRTUAL_AUDIO_DIR": str(self.directory),
        }

    def _script(self, name: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "VIRTUAL_AUDIO_DIR": str(self.directory)}
        return subprocess.run(
            ["bash", str(SCRIPTS / name), *args],
            capture_output=True, text=True, timeout=180, env=env,
        )

    def up(self) -> None:
        """Start this run's server (again); a no-op while it runs."""
        result = self._script("virtual-audio-up.sh")
        if result.returncode != 0:
            raise RuntimeError(result.stdout + result.stderr)

    def down(self) -> None:
        """Stop this run's server (SIGTERM, by the pid in this run's directory)."""
        self._script("virtual-audio-down.sh")

    def purge(self) -> None:
        """Stop this run's server and remove its directory."""
        self._script("virtual-audio-down.sh", "--purge")

    def pid(self) -> int | None:
        """The pid of this run's live server, or None.

        Checked against /proc (name and startup-script path) so that a stale pid file whose
        number was reused never makes us signal another process.
        """
        try:
            pid = int((self.directory / "pulseaudio.pid").read_text().strip())
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            return None
        script = str(self.directory / "virtual-audio.pa").encode()
        return pid if comm == "pulseaudio" and script in cmdline else None

    def kill(self) -> None:
        """SIGKILL this run's server, as a crash would (the device vanishes mid-stream).

        Returns once the process is gone (a zombie counts: PID 1 here reaps late). Its clients
        see the socket close while it is still exiting, and on a loaded machine a test's
        up() right after came early enough to find it "running but not answering" and fail.
        """
        pid = self.pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
            except (OSError, IndexError):
                return
            if state == "Z":
                return
            time.sleep(0.02)


# When this run began (conftest is imported first): files modified later were written by it.
run_started = time.time()
_run_audio: VirtualAudio | None = None
_run_audio_error: str | None = None
_watchdog: subprocess.Popen[bytes] | None = None


def _private_dir() -> Path:
    directory = Path(tempfile.mkdtemp(prefix="audiotui-audio-"))
    if len(str(directory)) > _MAX_DIR_LEN:  # a long TMPDIR would overflow the socket path
        directory.rmdir()
        directory = Path(tempfile.mkdtemp(prefix="audiotui-audio-", dir="/tmp"))
    return directory


def _start_watchdog(va: VirtualAudio) -> subprocess.Popen[bytes]:
    """Stop this run's server if pytest dies without unconfiguring (SIGKILL, os._exit)."""
    script = (
        'while kill -0 "$1" 2>/dev/null; do sleep 1; done; '
        'VIRTUAL_AUDIO_DIR="$2" exec bash "$3" --purge'
    )
    return subprocess.Popen(
        ["bash", "-c", script, "watchdog", str(os.getpid()), str(va.directory),
         str(SCRIPTS / "virtual-audio-down.sh")],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C to pytest's process group must not end it first
    )


def _is_xdist_controller(config: pytest.Config) -> bool:
    """True in the pytest-xdist controller process, which collects and runs no tests.

    Under xdist (`-n N`, scripts/test.sh) every worker is a pytest process of its own that runs
    this conftest's pytest_configure: each starts (and stops) its own private server in its own
    fresh directory, so workers never share one - a test that kills or restarts "the" server
    only reaches its worker's. The controller needs none.
    """
    if hasattr(config, "workerinput"):
        return False
    return (
        config.getoption("dist", "no") != "no"
        and bool(config.getoption("tx", None))
        and not config.getoption("collectonly", False)
    )


def pytest_configure(config: pytest.Config) -> None:
    """Start this run's private server before collection imports PortAudio.

    PortAudio lists devices once, when sounddevice is imported, so the server and the
    environment must exist before any test module is imported.
    """
    global _run_audio, _run_audio_error, _watchdog
    if _is_xdist_controller(config):
        return
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        _run_audio_error = "pulseaudio/pactl are not installed (scripts/test.sh installs them)"
        return
    va = VirtualAudio(_private_dir())
    # PULSE_SERVER first, even if the start fails: libpulse clients of this run then find no
    # server rather than someone else's.
    os.environ["PULSE_SERVER"] = va.server
    _run_audio = va
    _watchdog = _start_watchdog(va)
    try:
        va.up()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        _run_audio_error = str(exc).strip()[-300:]
        return
    os.environ.update(va.env)


def pytest_unconfigure(config: pytest.Config) -> None:
    global _run_audio, _watchdog
    if _run_audio is not None:
        _run_audio.purge()
        _run_audio = None
    if _watchdog is not None:
        _watchdog.kill()  # our own child, by its Popen handle
        _watchdog.wait(timeout=5)
        _watchdog = None


@pytest.fixture
def virtual_audio() -> Iterator[VirtualAudio]:
    """This run's running private server; skips (with the reason) only where none can start.

    Checked for every test: one that killed or stopped the server and failed before bringing
    it back (a hang in a --reconnect test, under load) left it down, and every later hardware
    test of that process (an xdist worker) failed with "the sound server is not reachable".
    The check is a /proc read; up() runs only when the server is gone, and a server that
    started with the run but cannot be brought back is an error, not a skip.
    """
    if _run_audio is None or _run_audio_error is not None:
        pytest.skip(f"virtual sound server cannot start here: {_run_audio_error}")
    if _run_audio.pid() is None:
        _run_audio.up()
    yield _run_audio


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


def wait_until_quiet(recorder: object, quiet: float = 0.3, threshold: float = 0.01,
                     timeout: float = 15.0) -> None:
    """Until the last `quiet` seconds `recorder` (e.g. `loopback`) took are silent, at most `timeout`.

    For after a player finished: the tail of its sound still sits in the player's, the bridge's
    and the server's buffers, and reaches the monitor later the busier the machine is (a fixed
    0.3 s cut 0.25 s off a bridged tone at load 5). Stopping the recorder only
    once it hears silence keeps that tail without waiting longer than needed; what was heard is
    still for the test's assertions to judge (a tone that never ends just runs out the bound).
    """
    import numpy as np

    rec: Any = recorder
    wanted = max(1, int(quiet * rec.samplerate))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        recent = rec.recent(quiet)
        if len(recent) >= wanted and float(np.abs(recent).max()) < threshold:
            return
        time.sleep(0.02)


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


# A player starved of CPU loses audio: PulseAudio skips what arrives after its read point, which
# leaves 5-50 ms of silence mid-tone, with or without a PortAudio underflow flag. Measured with
# benchmarks/bench_test_jitter.py, 1 s tones played and recorded back: 0.975-0.995 s of tone
# idle, 0.946-0.995 s with 2-4 busy loops on 2 cores (load 7-11; 40 runs, 2 below the old 0.97). So
# tone lengths may come back this much shorter than the usual tolerance allows - still well short
# of losing a block of a stream (>= 0.1 s), which the tests exist to catch.
TONE_LOSS_UNDER_LOAD = 0.05


def assert_tone_seconds(
    signal: object, amplitude: float, samplerate: int, freq: float, expected: float,
    tolerance: float = 0.03,
) -> None:
    """`tone_seconds` is `expected` +- `tolerance`, or short by up to TONE_LOSS_UNDER_LOAD more."""
    got = tone_seconds(signal, amplitude, samplerate, freq)
    low, high = expected - tolerance - TONE_LOSS_UNDER_LOAD, expected + tolerance
    assert low <= got <= high, f"{got:.3f} s of {freq:g} Hz tone, expected {low:.3f}-{high:.3f} s"


@pytest.fixture(autouse=True)
def _takes_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """UI takes persist outside the temp store; keep the tests' takes out of the home dir."""
    monkeypatch.setenv("AUDIOTUI_RECORDINGS_DIR", str(tmp_path_factory.mktemp("takes")))
