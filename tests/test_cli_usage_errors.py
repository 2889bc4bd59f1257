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


@pytest.mark.parametrize(("args", "named", "said"), [
    (["record", "-t", "abc", "/tmp/never-written.wav"], "'-t' / '--seconds'", "cannot read duration"),
    (["record", "-t", "0", "/tmp/never-written.wav"], "'-t' / '--seconds'", "longer than zero"),
    (["record", "--split", "1x", "/tmp/never-written.wav"], "'--split'", "1x"),
    (["record", "-r", "12345678", "/tmp/never-written.wav"], "'-r' / '--rate'", "12345678 Hz"),
    (["record", "-c", "0", "/tmp/never-written.wav"], "'-c' / '--channels'", "0"),
    (["record", "--map", "1-40", "/tmp/never-written.wav"], "'--map'", "at most 32"),
    (["record", "-c", "2", "--map", "1", "/tmp/never-written.wav"], "-c 2 and --map 1",
     "(1 channel)"),
    (["record", "--min-free", "lots", "/tmp/never-written.wav"], "'--min-free'", "lots"),
    (["record", "--silence-db", "3", "/tmp/never-written.wav"], "'--silence-db'", "3"),
    (["record", "--subtype", "PCM_16", "/tmp/never-written.mp3"], "'--subtype'", "an MP3 file"),
    (["play", "-b", "0", "examples/tone.py"], "'-b' / '--blocksize'", "0"),
    (["call", "examples/tone.py", "missing.wav"], "note", "'missing.wav' is not one of the"),
    (["call", "examples/no-such-app.py"], "'APP'", "does not exist"),
    (["run", "examples/no-such-app.py"], "'APP'", "does not exist"),
])
def test_a_bad_value_names_its_flag_in_plain_numbers(args: list[str], named: str,
                                                      said: str) -> None:
    """The flag the user typed is named (`-t`, not `duration`), and numbers read as typed
    (12345678 Hz, not 1.23457e+07) - before any device is opened or file written."""
    result = _audiotui(*args)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("audiotui: error: "), result.stderr
    assert named in lines[0] and said in lines[0], lines[0]
    assert "e+0" not in lines[0]
    assert not Path("/tmp/never-written.wav").exists()


def test_numbers_and_articles_read_as_a_person_writes_them() -> None:
    from audiotui.wording import human_number, with_article

    assert [human_number(v) for v in (12345678.0, 44100, 22050.5, 1e-9, -0.0)] == [
        "12345678", "44100", "22050.5", "0", "0"]
    assert [with_article(w) for w in ("MP3", "FLAC", "OGG", "WAV", "AIFF", "RF64", "file")] == [
        "an MP3", "a FLAC", "an OGG", "a WAV", "an AIFF", "an RF64", "a file"]


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
