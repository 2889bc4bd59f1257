"""The command line speaks one language: a usage mistake is one line and exit status 2 (issue 10)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _audiotui(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "audiotui", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("args", [
    ["run", "examples"],                  # a directory
    ["record", "-c", "x", "/tmp/never-written.wav"],
    ["info"],                             # a missing argument
    ["no-such-command"],
])
def test_a_usage_mistake_is_one_line_and_exit_status_2(args: list[str]) -> None:
    result = _audiotui(*args)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("audiotui: error: "), result.stderr
    assert "Usage:" not in result.stderr


def test_help_still_shows_the_whole_usage() -> None:
    result = _audiotui("run", "--help")
    assert result.returncode == 0 and "Usage: audiotui run" in result.stdout


@pytest.mark.hardware
@pytest.mark.parametrize(("flag", "env"), [
    (["--output-device", "no-such-speaker"], {}),
    ([], {"AUDIOTUI_INPUT_DEVICE": "no-such-mic"}),
])
def test_a_device_that_does_not_exist_is_refused_before_the_ui_opens(
    virtual_audio: Any, flag: list[str], env: dict[str, str]
) -> None:
    result = _audiotui("run", "examples/tone.py", *flag, env=env)
    assert result.returncode == 2, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("audiotui: error: ")
    assert ("--output-device" in line) if flag else ("AUDIOTUI_INPUT_DEVICE" in line)
    assert "virtual_" in line  # the devices there are, to pick from


def test_info_never_prints_minus_zero(tmp_path: Path) -> None:
    import numpy as np
    import soundfile as sf

    path = tmp_path / "full.wav"
    sf.write(path, np.full(4800, 0.99999, dtype=np.float32), 48000)
    result = _audiotui("info", str(path))
    assert result.returncode == 0 and "-0.00" not in result.stdout, result.stdout
    assert "0.00" in result.stdout


def test_devices_without_any_sound_system_exits_non_zero(tmp_path: Path) -> None:
    # No sound server to reach (this run's private one left out of the environment).
    env = {k: v for k, v in os.environ.items()
           if k not in ("ALSA_CONFIG_PATH", "VIRTUAL_AUDIO_DIR")}
    env["PULSE_SERVER"] = f"unix:{tmp_path}/none"
    result = subprocess.run([sys.executable, "-m", "audiotui", "devices"], capture_output=True,
                            text=True, timeout=120, cwd=ROOT, env=env)
    if "no audio hardware" not in result.stderr + result.stdout:
        pytest.skip("this machine still shows a sound device")
    assert result.returncode != 0
