"""`audiotui devices/record/play/info` as a user runs them: real processes, real signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from conftest import VirtualAudio

RATE = 48000
BLOCK_SITECUSTOMIZE = '''
import ctypes.util

_find_library = ctypes.util.find_library


def _hide_portaudio(name):
    # A Debian box without libportaudio2: sounddevice's own import finds no library and
    # raises its real OSError("PortAudio library not found").
    return None if "portaudio" in name else _find_library(name)


ctypes.util.find_library = _hide_portaudio
'''


def _cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audiotui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def _start_recording(path: Path, *extra: str) -> tuple[subprocess.Popen[str], float]:
    """Start `audiotui record`; returns once its header line says capture has begun."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "audiotui",
            "record",
            str(path),
            "-d",
            "virtual_speaker_monitor",
            "-r",
            str(RATE),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    header = proc.stderr.readline()
    assert header.startswith(f"Recording {path.suffix[1:].upper()}"), header
    return proc, time.monotonic()


def _one_error_line(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("audiotui: error: ")
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


@pytest.fixture
def tone_file(tmp_path: Path) -> Path:
    path = tmp_path / "tone.wav"
    t = np.arange(RATE) / RATE
    left = 0.5 * np.sin(2 * np.pi * 440 * t)
    sf.write(str(path), np.stack([left, left * 0.25], axis=1), RATE, subtype="FLOAT")
    return path


@pytest.fixture
def no_portaudio_env(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCK_SITECUSTOMIZE)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    return env


# ------------------------------------------------------------------------------ info (no device)


def test_info_reports_format_and_levels_per_channel(tone_file: Path) -> None:
    result = _cli("info", "--json", str(tone_file))
    assert result.returncode == 0, result.stderr
    (facts,) = json.loads(result.stdout)
    assert facts["format"] == "WAV" and facts["subtype"] == "FLOAT"
    assert (facts["sample_rate"], facts["channels"], facts["frames"]) == (RATE, 2, RATE)
    assert facts["duration"] == pytest.approx(1.0)
    assert facts["peak_dbfs"] == pytest.approx([-6.02, -18.06], abs=0.02)
    assert facts["rms_dbfs"] == pytest.approx([-9.03, -21.07], abs=0.02)
    text = _cli("info", str(tone_file))
    assert "Sample Rate : 48000 Hz" in text.stdout and "-6.02" in text.stdout


def test_info_names_each_bad_file_on_one_line(tone_file: Path, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_text("this is not audio")
    fake_mp3 = tmp_path / "fake.mp3"  # libsndfile tries MP3 and libmpg123 writes to fd 2
    fake_mp3.write_bytes(b"hello, not an mp3" * 50)
    files = [tone_file, tmp_path / "missing.wav", tmp_path, corrupt, fake_mp3]
    result = _cli("info", *map(str, files))
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 4, result.stderr
    assert "fake.mp3' is not a readable audio file (libsndfile: format not recognised)" in errors[3]
    assert "missing.wav' does not exist" in errors[0]
    assert "is a directory" in errors[1]
    assert "corrupt.wav' is not a readable audio file" in errors[2]
    assert "Traceback" not in result.stderr
    assert "tone.wav" in result.stdout  # the good file is still reported


# ------------------------------------------------------------------------------ devices


@pytest.mark.hardware
def test_devices_lists_the_virtual_card_with_defaults(virtual_audio: VirtualAudio) -> None:
    text = _cli("devices", "--input")
    assert text.returncode == 0
    assert "virtual_speaker_monitor, ALSA (32 in, 32 out), 44100 Hz" in text.stdout
    assert any(line.startswith("*") for line in text.stdout.splitlines())
    listed = json.loads(_cli("devices", "--json").stdout)
    names = {d["name"] for d in listed}
    assert {"virtual_speaker", "virtual_mic"} <= names
    assert sum(d["is_default_input"] for d in listed) == 1


# ------------------------------------------------------------------------------ record / play


@pytest.mark.hardware
def test_record_for_a_duration_then_play_it_back(
    virtual_audio: VirtualAudio, tmp_path: Path, tone_file: Path
) -> None:
    out = tmp_path / "take.flac"
    result = _cli(
        "record",
        str(out),
        "-d",
        "monitor",
        "-r",
        "48000",
        "-c",
        "2",
        "-t",
        "1",
        "--subtype",
        "PCM_24",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert (
        "Recording FLAC" in result.stderr
        and f"Saved 00:01.0 (48000 frames) to {out}" in result.stderr
    )
    info = sf.info(str(out))
    assert (info.frames, info.channels, info.subtype) == (48000, 2, "PCM_24")
    played = _cli("play", str(tone_file), "-d", "virtual_speaker")
    assert played.returncode == 0, played.stderr
    assert "Played 00:01.0" in played.stderr


@pytest.mark.hardware
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_record_saves_everything_on_ctrl_c_sigterm_and_sighup(
    virtual_audio: VirtualAudio, tmp_path: Path, sig: signal.Signals
) -> None:
    out = tmp_path / "signal.wav"
    proc, began = _start_recording(out)
    time.sleep(2.0)
    proc.send_signal(sig)
    elapsed = time.monotonic() - began
    stdout, stderr = proc.communicate(timeout=15)
    assert proc.returncode == 0, stderr
    assert f"stopped by {sig.name}" in stderr and str(out) in stdout
    data, rate = sf.read(str(out))
    assert len(data) / rate >= elapsed - 0.5
    raw = out.read_bytes()  # closed properly: the RIFF header counts every byte written
    assert int.from_bytes(raw[4:8], "little") == len(raw) - 8


@pytest.mark.hardware
def test_sigkill_leaves_a_readable_file_up_to_a_second_before(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    out = tmp_path / "killed.wav"
    proc, began = _start_recording(out)
    time.sleep(3.0)
    proc.kill()
    elapsed = time.monotonic() - began
    proc.communicate(timeout=15)
    data, rate = sf.read(str(out))
    assert len(data) / rate >= elapsed - 1.0
    with wave.open(str(out)) as header:  # a reader that trusts the header, unlike libsndfile
        assert header.getnframes() / header.getframerate() >= elapsed - 1.0


@pytest.mark.hardware
def test_sigkill_of_a_flac_recording_leaves_a_file_soundfile_reads(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    # libFLAC writes the length only on close: a FLAC take is recorded into a WAV journal and
    # encoded at the end; after a kill the next `audiotui record` repairs it (issue 8).
    out = tmp_path / "killed.flac"
    proc, began = _start_recording(out)
    time.sleep(3.0)
    proc.kill()
    elapsed = time.monotonic() - began
    proc.communicate(timeout=15)
    again = _cli("record", str(tmp_path / "next.flac"), "-d", "virtual_speaker_monitor",
                 "-r", str(RATE), "-t", "0.2")
    assert f"repaired interrupted recording '{out}'" in again.stderr, again.stderr
    data, rate = sf.read(str(out))
    assert len(data) / rate >= elapsed - 1.0
    info = _cli("info", "--json", str(out))
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)[0]["frames"] == len(data)


@pytest.mark.hardware
def test_server_killed_while_recording_saves_and_says_so_without_alsa_noise(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    out = tmp_path / "vanished.wav"
    proc, _ = _start_recording(out)
    try:
        time.sleep(1.5)
        virtual_audio.kill()
        stdout, stderr = proc.communicate(timeout=20)
    finally:
        virtual_audio.up()
    assert proc.returncode == 1
    assert "stopped delivering audio" in stderr and f"before the error to {out}" in stderr
    assert "ALSA lib" not in stderr and "Expression" not in stderr and "Traceback" not in stderr
    data, rate = sf.read(str(out))
    assert len(data) / rate >= 1.0


@pytest.mark.hardware
def test_bad_record_and_play_input_is_one_line_and_overwrites_nothing(
    virtual_audio: VirtualAudio, tmp_path: Path, tone_file: Path
) -> None:
    before = tone_file.read_bytes()
    _one_error_line(_cli("record", str(tone_file), "-t", "1"), "already exists", "--force")
    _one_error_line(
        _cli("record", str(tone_file), "-d", "nosuchcard", "--force"),
        "no input device matches 'nosuchcard'",
    )
    _one_error_line(
        _cli("record", str(tone_file), "-r", "3", "--force"), "'-r' / '--rate'", "unsupported sample rate 3 Hz"
    )
    assert tone_file.read_bytes() == before
    _one_error_line(_cli("record", str(tmp_path)), "is a directory")
    _one_error_line(_cli("record", str(tmp_path / "nope" / "x.wav")), "does not exist")
    _one_error_line(_cli("record", str(tmp_path / "x.xyz")), "unknown audio extension")
    _one_error_line(
        _cli("record", str(tmp_path / "x.wav"), "--subtype", "VORBIS"), "cannot be written"
    )
    assert not (tmp_path / "x.xyz").exists()
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(b"RIFF....WAVEjunk")
    _one_error_line(_cli("play", str(corrupt)), "corrupt.wav", "not a readable audio file")
    _one_error_line(_cli("play", str(tmp_path / "missing.wav")), "does not exist")
    _one_error_line(_cli("play", str(tmp_path)), "is a directory")
    _one_error_line(_cli("play", str(tone_file), "-d", "nosuchcard"), "no output device matches")


# ------------------------------------------------------------------------------ no hardware


@pytest.mark.hardware
def test_stopped_server_gives_the_hint_and_info_still_works(
    virtual_audio: VirtualAudio, tmp_path: Path, tone_file: Path
) -> None:
    virtual_audio.down()
    try:
        listed = _cli("devices")
        recorded = _cli("record", str(tmp_path / "none.wav"))
        played = _cli("play", str(tone_file))
    finally:
        virtual_audio.up()
    assert listed.returncode == 1  # no devices is a failure a script can see (issue 10)
    assert "No audio devices found" in listed.stderr and "start it" in listed.stderr
    for result in (listed, recorded, played):  # PortAudio's probing must stay off the terminal
        assert "ALSA lib" not in result.stderr and "Traceback" not in result.stderr
    _one_error_line(recorded, "No audio devices found")
    assert not (tmp_path / "none.wav").exists()
    _one_error_line(played, "No audio devices found")
    assert _cli("info", str(tone_file)).returncode == 0


def test_missing_portaudio_library_gives_the_install_hint(
    no_portaudio_env: dict[str, str], tmp_path: Path, tone_file: Path
) -> None:
    listed = _cli("devices", env=no_portaudio_env)
    assert listed.returncode == 1  # no PortAudio is a failure a script can see (issue 10)
    assert "PortAudio library not found" in listed.stderr
    assert "sudo apt-get install libportaudio2" in listed.stderr
    assert json.loads(_cli("devices", "--json", env=no_portaudio_env).stdout) == []
    _one_error_line(_cli("record", str(tmp_path / "x.wav"), env=no_portaudio_env), "libportaudio2")
    assert not (tmp_path / "x.wav").exists()
    _one_error_line(_cli("play", str(tone_file), env=no_portaudio_env), "libportaudio2")
    info = _cli("info", "--json", str(tone_file), env=no_portaudio_env)
    assert info.returncode == 0 and json.loads(info.stdout)[0]["frames"] == RATE


@pytest.mark.hardware
def test_devices_come_from_the_environment_when_no_flag_is_given(
    virtual_audio: VirtualAudio, tmp_path: Path, tone_file: Path
) -> None:
    env = dict(os.environ, AUDIOTUI_INPUT_DEVICE="speaker_mon", AUDIOTUI_OUTPUT_DEVICE="nosuchcard")
    result = _cli("record", str(tmp_path / "env.wav"), "-r", "48000", "-t", "0.3", env=env)
    assert result.returncode == 0, result.stderr
    assert "'virtual_speaker_monitor'" in result.stderr.splitlines()[0]
    _one_error_line(_cli("play", str(tone_file), env=env), "nosuchcard", "AUDIOTUI_OUTPUT_DEVICE")


@pytest.mark.hardware
def test_record_and_play_accept_the_input_and_output_device_flags_of_run(
    virtual_audio: VirtualAudio, tmp_path: Path, tone_file: Path
) -> None:
    # `audiotui run` spells them --input-device/--output-device; the same words work here.
    out = tmp_path / "flag.wav"
    result = _cli("record", str(out), "--input-device", "speaker_mon", "-r", "48000", "-t", "0.3")
    assert result.returncode == 0, result.stderr
    assert "'virtual_speaker_monitor'" in result.stderr.splitlines()[0]
    _one_error_line(
        _cli("play", str(tone_file), "--output-device", "nosuchcard"), "no output device matches"
    )
