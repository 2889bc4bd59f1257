"""`audiotui ssh` end to end: the laptop's devices on HOST, over a private loopback sshd.

"HOST" is this machine reached through a private sshd (tests/sshd_support.py) whose sessions
get a fresh environment with AUDIOTUI_HOST_AUDIO=off (sshd's SetEnv): HOST's own devices are
ignored and the run's virtual sound server is out of its reach anyway (no PULSE_SERVER). The
"laptop" is this test's side, with the run's virtual sound server: what is played into
`virtual_mic_feed` is the laptop's microphone, and `virtual_speaker_monitor` hears its speaker.
Paths after `--` are HOST paths (the same filesystem here).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import VirtualAudio, assert_tone_seconds, dominant_frequency, wait_until_quiet
from sshd_support import LoopbackSshd, loopback_sshd

pytestmark = [pytest.mark.slow, pytest.mark.hardware]

ROOT = Path(__file__).resolve().parent.parent
REMOTE_AUDIOTUI = f"{sys.executable} -m audiotui"


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[LoopbackSshd]:
    yield from loopback_sshd(tmp_path / "sshd", "SetEnv AUDIOTUI_HOST_AUDIO=off\n")


@pytest.fixture(autouse=True)
def _sshd_folder(tmp_path: Path) -> None:
    (tmp_path / "sshd").mkdir()


def ssh_argv(sshd: LoopbackSshd, *command: str, extra: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "audiotui", "ssh", "--remote-audiotui", REMOTE_AUDIOTUI,
            *extra, *sshd.options(), sshd.target, "--", *command]


def run_ssh(sshd: LoopbackSshd, *command: str, timeout: float = 90,
            extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(ssh_argv(sshd, *command, extra=extra), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


@contextlib.contextmanager
def mic_tone(va: VirtualAudio, freq: float, seconds: float,
             amplitude: float = 0.5) -> Iterator[None]:
    """Play a tone into the laptop's microphone (virtual_mic_feed -> virtual_mic)."""
    from audiotui.media.player import Player

    sr = 48000
    t = np.arange(int(sr * seconds)) / sr
    player = Player(device=va.mic_feed)
    player.load((sr, (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)))
    player.play()
    try:
        yield
    finally:
        player.close()


def cmdline_of(pid: int) -> bytes:
    """A process's command line, or b"" once it has ended (listing and reading race)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def pids_with(marker: str) -> list[int]:
    """Live processes whose command line or environment mentions `marker` (zombies excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def test_host_audio_off_lists_none_of_this_machines_devices(virtual_audio: VirtualAudio) -> None:
    env = {**os.environ, "AUDIOTUI_HOST_AUDIO": "off"}
    for args in ([], ["--json"], ["--input"]):
        result = subprocess.run([sys.executable, "-m", "audiotui", "devices", *args],
                                capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "virtual" not in result.stdout and "pulse" not in result.stdout
        if args == ["--json"]:
            assert json.loads(result.stdout) == []
        assert "AUDIOTUI_HOST_AUDIO=off" in result.stderr


def test_help_says_what_it_does_in_two_lines_and_names_local_devices() -> None:
    result = subprocess.run([sys.executable, "-m", "audiotui", "ssh", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    first_two = result.stdout.splitlines()[:3]
    assert "HOST" in first_two[0] and "microphone and speakers" in first_two[0]
    assert "local:<device name>" in first_two[1]
    assert first_two[2] == ""


def test_host_lists_the_laptops_devices_as_local_and_they_are_the_defaults(
    sshd: LoopbackSshd, virtual_audio: VirtualAudio
) -> None:
    result = run_ssh(sshd, "devices", "--json")
    assert result.returncode == 0, result.stderr
    devices = json.loads(result.stdout)
    names = [d["name"] for d in devices]
    assert "local:virtual_mic" in names and "local:virtual_speaker" in names
    assert all(name.startswith("local:") for name in names), names  # HOST's are off
    assert any(d["is_default_input"] for d in devices)
    assert all(d["backend"] == "bridge" for d in devices)


def test_record_on_host_from_the_laptop_microphone(
    sshd: LoopbackSshd, virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    take = tmp_path / "take.wav"
    with mic_tone(virtual_audio, 440.0, 8.0):
        time.sleep(0.3)
        result = run_ssh(sshd, "record", str(take), "-d", "local:virtual_mic", "-t", "2",
                         "-r", "48000")
    assert result.returncode == 0, result.stderr
    assert "local:virtual_mic" in result.stderr
    from audiotui.media.files import read_float

    rate, data = read_float(take)
    assert rate == 48000
    assert len(data) == 2 * 48000  # exactly what was asked: no gaps, nothing extra
    loud = data[np.abs(data[:, 0]) > 0.1, 0]
    assert len(loud) > rate  # the tone, not silence
    assert dominant_frequency(data[:, 0], rate) == pytest.approx(440.0, abs=3)


def test_play_on_the_laptop_speaker(
    sshd: LoopbackSshd, virtual_audio: VirtualAudio, loopback: object, tmp_path: Path
) -> None:
    from audiotui.media.files import read_float, write_audio

    sr = 48000
    tone = tmp_path / "tone.wav"
    write_audio(tone, sr, (0.5 * np.sin(2 * np.pi * 660 * np.arange(2 * sr) / sr))
                .astype(np.float32))
    result = run_ssh(sshd, "play", str(tone), "-d", "local:virtual_speaker")
    wait_until_quiet(loopback)  # the tail still in the agent's and the server's buffers
    heard = loopback.stop()  # type: ignore[attr-defined]
    assert result.returncode == 0, result.stderr
    assert "Played 00:02.0" in result.stderr
    rate, data = read_float(heard.path)
    assert dominant_frequency(data[:, 0], rate) == pytest.approx(660.0, abs=3)
    assert_tone_seconds(data[:, 0], 0.5, rate, 660.0, 2.0, tolerance=0.05)


def test_audio_rate_carries_16_khz_and_the_take_is_still_right(
    sshd: LoopbackSshd, virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    take = tmp_path / "take16.wav"
    with mic_tone(virtual_audio, 1000.0, 8.0):
        time.sleep(0.3)
        result = run_ssh(sshd, "record", str(take), "-d", "local:virtual_mic", "-t", "2",
                         extra=("--audio-rate", "16000"))
    assert result.returncode == 0, result.stderr
    from audiotui.media.files import read_float

    rate, data = read_float(take)
    assert rate == 16000 and len(data) == 2 * 16000
    assert dominant_frequency(data[:, 0], rate) == pytest.approx(1000.0, abs=3)


def test_killing_the_local_side_mid_take_ends_every_process_and_keeps_the_take(
    sshd: LoopbackSshd, virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    marker = f"bridge-kill-{uuid.uuid4().hex[:10]}"
    take = tmp_path / f"{marker}.wav"
    with mic_tone(virtual_audio, 440.0, 20.0):
        local = subprocess.Popen(
            ssh_argv(sshd, "record", str(take), "-d", "local:virtual_mic", "-r", "48000"),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if take.exists() and take.stat().st_size > 48000 * 2 * 2:  # > 2 s on disk
                    break
                assert local.poll() is None, local.communicate()
                time.sleep(0.05)
            else:
                raise AssertionError("the take never grew")
            remote = [p for p in pids_with(marker) if p != local.pid]
            assert remote, "the ssh client and the remote audiotui were not found"
            bridge_dir = Path(_remote_bridge_env(marker)["AUDIOTUI_BRIDGE"]).parent
            assert bridge_dir.is_dir()
            killed = time.monotonic()
            os.kill(local.pid, signal.SIGKILL)
            local.wait(timeout=5)
            while pids_with(marker) and time.monotonic() - killed < 5.0:
                time.sleep(0.05)
            gone_after = time.monotonic() - killed
            left = pids_with(marker)
            assert left == [], (f"still running {gone_after:.1f} s after SIGKILL: "
                                + "; ".join(cmdline_of(p)
                                            .replace(b"\0", b" ").decode(errors="replace")
                                            for p in left))
            print(f"\nevery process gone {gone_after:.2f} s after SIGKILL of audiotui ssh")
            time.sleep(0.2)
            assert not bridge_dir.exists()  # HOST's shell removed the secret's directory
        finally:
            for pid in pids_with(marker):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    from audiotui.media.files import read_float
    from audiotui.media.recording_file import readable_frames

    rate, data = read_float(take)  # a complete file: the header covers every frame
    assert readable_frames(take) == len(data) >= 2 * rate
    assert dominant_frequency(data[:, 0], rate) == pytest.approx(440.0, abs=3)
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir() if marker in p.name)


def _remote_bridge_env(marker: str) -> dict[str, str]:
    for pid in pids_with(marker):
        try:
            raw = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        env = dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0")
                   if "=" in item)
        if "AUDIOTUI_BRIDGE" in env:
            return env
    raise AssertionError("no remote process with AUDIOTUI_BRIDGE found")


def test_another_user_and_a_wrong_secret_are_refused(
    sshd: LoopbackSshd, virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    from audiotui.bridge import protocol

    marker = f"bridge-user-{uuid.uuid4().hex[:10]}"
    take = tmp_path / f"{marker}.wav"
    local = subprocess.Popen(
        ssh_argv(sshd, "record", str(take), "-d", "local:virtual_mic", "-t", "30"),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,
    )
    user = ""
    try:
        deadline = time.monotonic() + 60
        while not (take.exists() and take.stat().st_size > 1000):
            assert time.monotonic() < deadline and local.poll() is None, local.communicate()
            time.sleep(0.05)
        env = _remote_bridge_env(marker)
        sock_path = Path(env["AUDIOTUI_BRIDGE"])
        folder = sock_path.parent
        assert folder.stat().st_mode & 0o777 == 0o700
        assert Path(env["AUDIOTUI_BRIDGE_SECRET_FILE"]).stat().st_mode & 0o777 == 0o600
        assert sock_path.stat().st_mode & 0o077 == 0  # sshd: StreamLocalBindMask 0177

        # Same user, no secret: the handshake is refused.
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(str(sock_path))
        conn = protocol.Connection(sock)
        with pytest.raises(protocol.AuthError):
            protocol.client_handshake(conn, b"not-the-secret", timeout=10)
        conn.close()

        # Another user cannot even reach the socket.
        if os.geteuid() != 0 or shutil.which("useradd") is None:
            pytest.skip("creating a second user needs root and useradd (the wrong-secret "
                        "refusal above passed)")
        user = f"atui{uuid.uuid4().hex[:8]}"
        subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/sh", user],
                       check=True, capture_output=True)
        uid = pwd.getpwnam(user).pw_uid
        probe = ("import socket,sys\ns=socket.socket(socket.AF_UNIX)\n"
                 "try:\n s.connect(sys.argv[1])\nexcept PermissionError:\n print('refused')\n"
                 "else:\n print('CONNECTED')\n")
        result = subprocess.run(["/usr/bin/python3", "-c", probe, str(sock_path)], user=uid,
                                group=pwd.getpwnam(user).pw_gid, extra_groups=[],
                                capture_output=True, text=True, timeout=30, cwd="/")
        assert result.stdout.strip() == "refused", result.stdout + result.stderr
        secret_read = subprocess.run(["cat", env["AUDIOTUI_BRIDGE_SECRET_FILE"]], user=uid,
                                     capture_output=True, text=True, timeout=30, cwd="/")
        assert secret_read.returncode != 0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(local.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            local.wait(timeout=10)
        deadline = time.monotonic() + 10  # HOST's shell removes its directory on the way out
        while pids_with(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in pids_with(marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if user:
            subprocess.run(["userdel", user], capture_output=True)


def test_without_d_the_laptops_defaults_play_and_host_never_loads_portaudio(
    tmp_path: Path, virtual_audio: VirtualAudio, loopback: object
) -> None:
    """HOST's audio left on: the laptop's default speaker still wins, and HOST's process never
    even loads PortAudio (whose ALSA scan would open HOST's devices)."""
    from audiotui.media.files import read_float, write_audio

    (tmp_path / "plain").mkdir()
    server_iter = loopback_sshd(tmp_path / "plain")
    server = next(server_iter)
    try:
        marker = f"bridge-default-{uuid.uuid4().hex[:10]}"
        tone = tmp_path / f"{marker}.wav"
        sr = 48000
        write_audio(tone, sr, (0.5 * np.sin(2 * np.pi * 550 * np.arange(3 * sr) / sr))
                    .astype(np.float32))
        local = subprocess.Popen(ssh_argv(server, "play", str(tone)), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        maps_seen = 0
        while local.poll() is None:
            for pid in pids_with(marker):
                cmdline = cmdline_of(pid)  # b"" when it ended since it was listed (seen once)
                if b"audiotui\0play" not in cmdline or b"ssh\0" in cmdline:
                    continue
                with contextlib.suppress(OSError):
                    maps = Path(f"/proc/{pid}/maps").read_text()
                    maps_seen += 1
                    assert "portaudio" not in maps.lower()
            time.sleep(0.1)
        out, err = local.communicate()
        assert local.returncode == 0, err
        assert maps_seen > 0, "the remote play process was never seen"
        wait_until_quiet(loopback)
        heard = loopback.stop()  # type: ignore[attr-defined]
        rate, data = read_float(heard.path)
        assert dominant_frequency(data[:, 0], rate) == pytest.approx(550.0, abs=3)
    finally:
        with contextlib.suppress(StopIteration):
            next(server_iter)


def test_a_take_whose_laptop_side_goes_away_keeps_what_arrived_and_says_why(
    virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    """No ssh here: HOST's `record` talks to an agent in this process, which then stops."""
    from audiotui.bridge.agent import Agent
    from audiotui.bridge.protocol import new_secret
    from audiotui.media.files import read_float

    secret = new_secret().hex().encode()
    folder = tmp_path / "bridge"
    folder.mkdir(mode=0o700)
    (folder / "secret").write_bytes(secret)
    agent = Agent(folder / "agent.sock", secret)
    agent.start()
    take = tmp_path / "take.wav"
    env = {"PATH": os.environ["PATH"], "AUDIOTUI_HOST_AUDIO": "off",
           "AUDIOTUI_BRIDGE": str(agent.path), "AUDIOTUI_BRIDGE_SECRET_FILE": str(folder / "secret")}
    with mic_tone(virtual_audio, 440.0, 20.0):
        host = subprocess.Popen(
            [sys.executable, "-m", "audiotui", "record", str(take), "-r", "48000",
             "-d", "local:virtual_mic"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        try:
            deadline = time.monotonic() + 60
            while not (take.exists() and take.stat().st_size > 48000 * 2 * 2):
                assert time.monotonic() < deadline and host.poll() is None, host.communicate()
                time.sleep(0.05)
            agent.close()
            out, err = host.communicate(timeout=20)
        finally:
            agent.close()
            if host.poll() is None:
                host.kill()
    assert host.returncode == 1
    assert "the SSH audio bridge to the laptop closed" in err, err
    assert "Saved" in err and "recorded before the error" in err
    rate, data = read_float(take)
    assert len(data) >= 2 * rate
    assert dominant_frequency(data[:, 0], rate) == pytest.approx(440.0, abs=3)


def test_host_finds_audiotui_on_its_path(tmp_path: Path, virtual_audio: VirtualAudio) -> None:
    """No --remote-audiotui: HOST's PATH (here: the venv's bin first) provides `audiotui`."""
    (tmp_path / "pathd").mkdir()
    venv_bin = Path(sys.executable).parent
    assert (venv_bin / "audiotui").exists()
    servers = loopback_sshd(tmp_path / "pathd",
                            f"SetEnv PATH={venv_bin}:/usr/bin:/bin AUDIOTUI_HOST_AUDIO=off\n")
    server = next(servers)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "audiotui", "ssh", *server.options(), server.target, "--",
             "devices", "--input"],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90)
        assert result.returncode == 0, result.stderr
        assert "local:virtual_mic" in result.stdout
    finally:
        with contextlib.suppress(StopIteration):
            next(servers)


def test_a_stalled_connection_delays_the_take_but_loses_nothing(
    sshd: LoopbackSshd, virtual_audio: VirtualAudio, tmp_path: Path
) -> None:
    """The ssh client is stopped (SIGSTOP) for 5 s mid-take - longer than a local device may
    be silent - then continued: the take goes on and holds every frame of the tone."""
    from audiotui.media.files import read_float

    marker = f"bridge-stall-{uuid.uuid4().hex[:10]}"
    take = tmp_path / f"{marker}.wav"
    with mic_tone(virtual_audio, 440.0, 30.0):
        time.sleep(0.3)
        local = subprocess.Popen(
            ssh_argv(sshd, "record", str(take), "-d", "local:virtual_mic", "-r", "48000",
                     "-t", "8"),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while not (take.exists() and take.stat().st_size > 48000 * 2 * 2):
                assert time.monotonic() < deadline and local.poll() is None, local.communicate()
                time.sleep(0.05)
            client = [p for p in pids_with(marker)
                      if cmdline_of(p).startswith(b"ssh\0") and b"-R" in cmdline_of(p)]
            assert len(client) == 1
            os.kill(client[0], signal.SIGSTOP)
            time.sleep(5.0)
            os.kill(client[0], signal.SIGCONT)
            out, err = local.communicate(timeout=60)
        finally:
            if local.poll() is None:
                local.kill()
    assert local.returncode == 0, err
    rate, data = read_float(take)
    assert len(data) == 8 * rate
    # no hole: every 0.1 s of the take holds the tone
    blocks = np.abs(data[: len(data) // 4800 * 4800, 0]).reshape(-1, 4800).max(axis=1)
    assert blocks[1:].min() > 0.3, f"quiet 0.1 s blocks at {np.flatnonzero(blocks < 0.3)}"


@pytest.fixture
def bridge_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                virtual_audio: VirtualAudio) -> Iterator[None]:
    """This process as HOST, talking straight to an agent of its own (no ssh)."""
    from audiotui.bridge import host
    from audiotui.bridge.agent import Agent
    from audiotui.bridge.protocol import new_secret

    folder = tmp_path / "bridge-here"
    folder.mkdir(mode=0o700)
    secret = new_secret().hex().encode()
    (folder / "secret").write_bytes(secret)
    agent = Agent(folder / "agent.sock", secret)
    agent.start()
    monkeypatch.setenv("AUDIOTUI_BRIDGE", str(agent.path))
    monkeypatch.setenv("AUDIOTUI_BRIDGE_SECRET_FILE", str(folder / "secret"))
    host.forget_devices()
    try:
        yield
    finally:
        spare = host._take_spare()
        if spare is not None:
            spare.close()
        agent.close()
        host.forget_devices()


def test_streamed_output_chunks_play_on_the_laptop_speaker(
    bridge_here: None, loopback: object
) -> None:
    from audiotui.media.files import read_float
    from audiotui.media.player import Player

    player = Player(device="local:virtual_speaker")
    ended = []
    player.on_event = lambda name: ended.append(name)
    sr = 48000
    t = np.arange(sr // 4) / sr
    for k in range(8):  # 2 s in 0.25 s chunks, as a generator would yield them
        player.append((sr, (0.5 * np.sin(2 * np.pi * 660 * (t + k * 0.25))).astype(np.float32)))
        time.sleep(0.2)
    player.finish_stream()
    deadline = time.monotonic() + 10
    while "stop" not in ended and time.monotonic() < deadline:
        time.sleep(0.05)
    player.close()
    wait_until_quiet(loopback)
    heard = loopback.stop()  # type: ignore[attr-defined]
    assert "stop" in ended
    rate, data = read_float(heard.path)
    assert_tone_seconds(data[:, 0], 0.5, rate, 660.0, 2.0, tolerance=0.06)


def test_seek_through_the_bridge_jumps_to_the_new_place(
    bridge_here: None, loopback: object
) -> None:
    from audiotui.media.files import read_float
    from audiotui.media.player import Player

    sr = 48000
    t = np.arange(3 * sr) / sr
    signal = np.where(t < 1.5, np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 880 * t))
    player = Player(device="local:virtual_speaker")
    player.load((sr, (0.5 * signal).astype(np.float32)))
    player.play()
    time.sleep(0.5)
    player.seek(2.5)  # 0.5 s of 880 Hz left
    time.sleep(1.2)
    player.close()
    wait_until_quiet(loopback)
    heard = loopback.stop()  # type: ignore[attr-defined]
    rate, data = read_float(heard.path)
    played_880 = tone_seconds_of(data[:, 0], rate, 880.0)
    played_440 = tone_seconds_of(data[:, 0], rate, 440.0)
    assert 0.35 <= played_880 <= 0.6, played_880  # the end after the seek, not 1.5 s of it
    assert played_440 < 0.75, played_440  # the first 1.5 s were cut short by the seek


def tone_seconds_of(signal: np.ndarray, rate: int, freq: float) -> float:
    from conftest import tone_seconds

    return tone_seconds(signal, 0.5, rate, freq)
