"""`audiotui ssh ... -- run APP` in a real terminal (tmux): the remote UI with the laptop's devices.

The tone demo plays on the laptop's speaker (heard on its monitor); the streaming-input demo
listens to the laptop's microphone. HOST is this machine through a private loopback sshd
whose sessions have AUDIOTUI_HOST_AUDIO=off (tests/test_bridge_ssh.py explains the setup).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import VirtualAudio
from sshd_support import LoopbackSshd, loopback_sshd
from test_bridge_ssh import REMOTE_AUDIOTUI, mic_tone
from test_e2e_tmux import Tmux, _pick_a5_for_two_seconds

pytestmark = [
    pytest.mark.slow,
    pytest.mark.hardware,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[LoopbackSshd]:
    (tmp_path / "sshd").mkdir()
    yield from loopback_sshd(tmp_path / "sshd", "SetEnv AUDIOTUI_HOST_AUDIO=off\n")


@pytest.fixture
def tmux(request: pytest.FixtureRequest) -> Iterator[Tmux]:
    term = Tmux("br-" + request.node.name[5:20].replace("[", "_"))
    yield term
    term.kill()


def _ssh_run(sshd: LoopbackSshd, *run_args: str) -> str:
    import sys

    options = " ".join(sshd.options())
    return (f"cd {ROOT} && {sys.executable} -m audiotui ssh --remote-audiotui "
            f'"{REMOTE_AUDIOTUI}" {options} {sshd.target} -- run {" ".join(run_args)}')


def test_tone_demo_through_the_bridge_plays_on_the_laptop_speaker(
    tmux: Tmux, sshd: LoopbackSshd, virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    from audiotui.media.files import read_float
    from audiotui.media.recorder import Recorder

    tmux.start(_ssh_run(sshd, str(ROOT / "examples" / "tone.py"),
                        "--output-device", "local:virtual_speaker"))
    tmux.wait_for("Submit", timeout=60)
    _pick_a5_for_two_seconds(tmux)
    take = tmp_path / "monitor.wav"
    recorder = Recorder(take, device=virtual_audio.monitor, channels=1)
    recorder.start()
    try:
        tmux.keys("Tab", "Space")  # the output audio widget (one Tab stop), space plays
        tmux.wait_for("▶ 0:01", timeout=15)
        time.sleep(1.8)
    finally:
        recorder.stop()
    rate, data = read_float(take)
    signal = data[:, 0]
    loud = np.flatnonzero(np.abs(signal) > 0.05)
    assert loud.size > rate * 0.5, "the laptop's speaker monitor heard (almost) nothing"
    segment = signal[loud[0]: loud[-1] + 1]
    spectrum = np.abs(np.fft.rfft(segment * np.hanning(segment.size)))
    peak_hz = np.fft.rfftfreq(segment.size, 1 / rate)[int(np.argmax(spectrum))]
    assert peak_hz == pytest.approx(880.0, rel=0.02)  # A5


def test_streaming_input_through_the_bridge_hears_the_laptop_microphone(
    tmux: Tmux, sshd: LoopbackSshd, virtual_audio: VirtualAudio
) -> None:
    tmux.start(_ssh_run(sshd, str(ROOT / "examples" / "stream_input.py"),
                        "--input-device", "local:virtual_mic"))
    tmux.wait_for("What I heard", timeout=60)
    with mic_tone(virtual_audio, 440.0, 30.0, amplitude=0.5):
        tmux.keys("r")  # focus starts in the first input: the microphone
        screen = tmux.wait_for("s heard", timeout=20)
        time.sleep(3.0)
        screen = tmux.screen()
        tmux.keys("r")
    found = re.search(r"(\d+) chunks, ([\d.]+) s heard, peak ([\d.]+)", screen)
    assert found, screen
    chunks, heard, peak = int(found[1]), float(found[2]), float(found[3])
    assert chunks >= 4 and heard >= 2.0
    assert peak == pytest.approx(0.5, abs=0.05)
