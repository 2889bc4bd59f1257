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
