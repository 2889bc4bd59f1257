"""End to end in a real terminal: tmux runs `audiotui run examples/tone.py`, keys drive it."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
AUDIOTUI = Path(os.environ.get("AUDIOTUI_BIN", ROOT / ".venv" / "bin" / "audiotui"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Tmux:
    """One private tmux server (its own socket) holding one 120x36 window."""

    def __init__(self, name: str) -> None:
        self.socket = f"audiotui-e2e-{os.getpid()}-{name}"
        self.target = name

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=True).stdout

    def start(self, command: str) -> None:
        # COLUMNS/LINES inherited from a test runner would override the pane's real size.
        command = f"env -u COLUMNS -u LINES sh -c '{command}'"
        # The pane must reach this run's private sound server (tests/conftest.py). A new tmux
        # server copies our environment anyway; -e says so explicitly, and would still hold if
        # the socket's server were already running with another environment.
        audio_env = [
            arg for key in ("PULSE_SERVER", "ALSA_CONFIG_PATH", "VIRTUAL_AUDIO_DIR")
            if key in os.environ for arg in ("-e", f"{key}={os.environ[key]}")
        ]
        self._tmux("new-session", "-d", "-s", self.target, "-x", "120", "-y", "36", *audio_env,
                   command)
        self._tmux("resize-window", "-t", self.target, "-x", "120", "-y", "36")

    def keys(self, *keys: str, pause: float = 0.25) -> None:
        for key in keys:
            self._tmux("send-keys", "-t", self.target, key)
            time.sleep(pause)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.target)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def tmux(request: pytest.FixtureRequest) -> Iterator[Tmux]:
    term = Tmux(request.node.name[:20].replace("[", "_"))
    yield term
    term.kill()


def _pick_a5_for_two_seconds(tmux: Tmux) -> str:
    """Keys only: note A (10 steps down from C), octave 5, duration 2, Submit.

    Focus starts in the first input (the note Dropdown), so Enter opens it at once.
    """
    # The first screen can be drawn a moment before focus reaches the Dropdown, and a Down
    # sent before the list is drawn is lost (G# came out instead of A) on a busy machine: so
    # press Enter until the open list shows (its choices are on screen only while it is open;
    # an Enter that closed a slow list unchanged is followed by one that opens it again).
    for _ in range(5):
        tmux.keys("Enter")
        try:
            tmux.wait_for("C#", timeout=3.0)
            break
        except AssertionError:
            continue
    else:
        tmux.wait_for("C#", timeout=1.0)  # fails with the screen in the message
    tmux.keys(*["Down"] * 10, pause=0.05)
    tmux.keys("Enter", "Tab", "Right", "Tab", "BSpace", "2", "Tab", "Tab", "Enter")
    return tmux.wait_for("0:02.0")


def test_tone_demo_keys_submit_and_waveform_with_duration(tmux: Tmux) -> None:
    tmux.start(f"cd {ROOT} && {AUDIOTUI} run examples/tone.py")
    tmux.wait_for("Submit")
    screen = _pick_a5_for_two_seconds(tmux)
    assert "⣿" in screen  # the braille waveform
    assert "48000 Hz" in screen
    assert "|0:01.0" in screen  # the time ruler
    assert "Error" not in screen


@pytest.mark.hardware
def test_playing_the_tone_reaches_the_speaker_at_the_right_frequency(
    tmux: Tmux, virtual_audio: object, tmp_path: Path
) -> None:
    from audiotui.media.files import read_float
    from audiotui.media.recorder import Recorder

    tmux.start(f"cd {ROOT} && {AUDIOTUI} run examples/tone.py "
               f"--output-device {virtual_audio.speaker}")  # type: ignore[attr-defined]
    tmux.wait_for("Submit")
    _pick_a5_for_two_seconds(tmux)
    take = tmp_path / "monitor.wav"
    recorder = Recorder(take, device=virtual_audio.monitor, channels=1)  # type: ignore[attr-defined]
    recorder.start()
    try:
        tmux.keys("Tab", "Space")  # the output audio widget (one Tab stop), space plays
        tmux.wait_for("▶ 0:01", timeout=10)
        time.sleep(1.5)
    finally:
        recorder.stop()
    rate, data = read_float(take)
    signal = data[:, 0]
    loud = np.flatnonzero(np.abs(signal) > 0.05)
    assert loud.size > rate * 0.5, "the speaker monitor heard (almost) nothing"
    segment = signal[loud[0] : loud[-1] + 1]  # contiguous, so the phase is intact
    spectrum = np.abs(np.fft.rfft(segment * np.hanning(segment.size)))
    peak_hz = np.fft.rfftfreq(segment.size, 1 / rate)[int(np.argmax(spectrum))]
    assert peak_hz == pytest.approx(880.0, rel=0.02)  # A5
