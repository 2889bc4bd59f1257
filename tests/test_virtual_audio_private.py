"""The run's virtual sound server is private: its own directory and socket, no system-wide files.

Issue 8: the suite once SIGKILLed the machine-wide server others were using, and as root wrote
/etc/alsa/conf.d and /run/pulse/native, redirecting a real machine's default audio. These checks
keep it from coming back: they look at what this run exported and wrote, and play through the
named devices from a subprocess (as the CLI and tmux tests do) to see that the stream lands on
this run's server and not on another one defining the same names.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conftest import VirtualAudio, run_started

pytestmark = pytest.mark.hardware

# Where the old scripts wrote as root; nothing of this run may appear there.
SYSTEM_PLACES = [Path("/etc/alsa"), Path("/etc/asound.conf"), Path("/run/pulse")]


def _files(place: Path) -> list[Path]:
    if place.is_dir():
        return [p for p in place.rglob("*") if not p.is_dir()]
    return [place] if place.exists() else []


def test_the_server_lives_in_this_runs_own_directory(virtual_audio: VirtualAudio) -> None:
    directory = virtual_audio.directory
    assert directory.name.startswith("audiotui-audio-")
    assert directory != Path(f"/tmp/virtual-audio-{os.getuid()}")  # not the machine-wide default
    socket = directory / "pulse" / "native"
    assert os.environ["PULSE_SERVER"] == f"unix:{socket}" and socket.is_socket()
    assert Path(os.environ["ALSA_CONFIG_PATH"]) == virtual_audio.alsa_config
    assert virtual_audio.alsa_config.is_file()
    pid = virtual_audio.pid()
    assert pid is not None, "this run's server is not running"
    # Started by this run (after pytest began), so kill()/down() can only ever reach it.
    assert _process_start(pid) >= run_started - 1


def _process_start(pid: int) -> float:
    """Wall-clock start time of a process, from /proc (boot time + start ticks)."""
    boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                if line.startswith("btime "))
    # Field 22 (starttime); split after the ")" that ends the command name, which may hold spaces.
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def test_nothing_system_wide_is_written(virtual_audio: VirtualAudio) -> None:
    ours = str(virtual_audio.directory)
    for place in SYSTEM_PLACES:
        for path in _files(place):
            if "virtual" in path.name or path.name == "native":
                assert path.stat().st_mtime < run_started, f"{path} was written during this run"
            if path.is_file():
                assert ours not in path.read_text(errors="replace"), f"{path} points at this run"


CHILD = """
import subprocess, time
import sounddevice as sd
with sd.OutputStream(device="virtual_speaker", samplerate=48000, channels=1), \\
        sd.InputStream(device="virtual_mic", samplerate=48000, channels=1):
    time.sleep(0.3)
    for kind in ("sink-inputs", "source-outputs"):
        print("=== " + kind)
        print(subprocess.run(["pactl", "list", kind], capture_output=True, text=True).stdout)
"""


def test_named_devices_in_a_subprocess_reach_this_runs_server(
    virtual_audio: VirtualAudio,
) -> None:
    tag = f"audiotui-private-{uuid.uuid4().hex[:12]}"
    # PULSE_PROP labels the child's streams (with a key of our own: the ALSA plugin overwrites
    # application.name); the child's pactl asks the server in PULSE_SERVER, i.e. ours.
    env = {**os.environ, "PULSE_PROP": f"audiotui.check={tag}"}
    result = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    sinks, _, sources = result.stdout.partition("=== source-outputs")
    assert tag in sinks, "the stream on virtual_speaker did not land on this run's server"
    assert tag in sources, "the stream on virtual_mic did not land on this run's server"
