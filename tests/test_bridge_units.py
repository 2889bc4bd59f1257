"""Unit tests of the SSH bridge's pure parts: framing, handshake, jitter buffer, drift.

The jitter buffer is driven by synthetic clocks: a sender paced by one clock, a consumer by
another that runs fast or slow by up to 300 ppm, arrival delays drawn at random (in order, as
TCP delivers). An hour of audio simulates in a couple of seconds.
"""

from __future__ import annotations

import heapq
import random
import socket
import threading

import numpy as np
import pytest

from audiotui.bridge import protocol
from audiotui.bridge.jitter import JitterBuffer

# ------------------------------------------------------------------------------ framing


def test_frames_round_trip_when_fed_byte_by_byte() -> None:
    wire = (
        protocol.encode(protocol.HELLO, b"x" * 34)
        + protocol.encode_json(protocol.REQUEST, {"op": "devices"})
        + protocol.encode_pcm(123456789, b"\x01\x00\xff\x7f")
        + protocol.encode(protocol.END)
    )
    reader = protocol.FrameReader()
    frames = []
    for i in range(len(wire)):
        frames.extend(reader.feed(wire[i:i + 1]))
    assert [f.kind for f in frames] == [protocol.HELLO, protocol.REQUEST, protocol.PCM,
                                        protocol.END]
    assert frames[1].json() == {"op": "devices"}
    assert protocol.decode_pcm(frames[2].payload) == (123456789, b"\x01\x00\xff\x7f")
    assert frames[3].payload == b""
    assert reader.pending == 0


def test_oversized_or_empty_frame_length_is_refused_before_reading_it() -> None:
    reader = protocol.FrameReader()
    with pytest.raises(protocol.ProtocolError):
        reader.feed((protocol.MAX_FRAME + 1).to_bytes(4, "big") + b"\x06")
    with pytest.raises(protocol.ProtocolError):
        protocol.FrameReader().feed(b"\x00\x00\x00\x00\x06")


def test_bad_json_and_short_pcm_are_protocol_errors() -> None:
    with pytest.raises(protocol.ProtocolError):
        protocol.Frame(protocol.REQUEST, b"{nope").json()
    with pytest.raises(protocol.ProtocolError):
        protocol.Frame(protocol.REQUEST, b"[1]").json()
    with pytest.raises(protocol.ProtocolError):
        protocol.decode_pcm(b"\x01\x02")


def _handshake(agent_secret: bytes, client_secret: bytes) -> tuple[BaseException | None,
                                                                   BaseException | None]:
    a, b = socket.socketpair()
    results: dict[str, BaseException | None] = {}

    def agent() -> None:
        try:
            protocol.agent_handshake(protocol.Connection(a), agent_secret, timeout=5)
            results["agent"] = None
        except BaseException as exc:
            results["agent"] = exc
        finally:
            a.close()

    thread = threading.Thread(target=agent)
    thread.start()
    try:
        protocol.client_handshake(protocol.Connection(b), client_secret, timeout=5)
        results["client"] = None
    except BaseException as exc:
        results["client"] = exc
    thread.join(5)
    b.close()
    return results["agent"], results["client"]


def test_handshake_accepts_the_session_secret() -> None:
    secret = protocol.new_secret()
    assert _handshake(secret, secret) == (None, None)


def test_handshake_refuses_a_wrong_secret_on_both_sides() -> None:
    agent_error, client_error = _handshake(protocol.new_secret(), protocol.new_secret())
    assert isinstance(agent_error, protocol.AuthError)
    assert isinstance(client_error, protocol.AuthError)
    assert "refused" in str(client_error)


def test_a_client_that_sends_pcm_before_auth_is_refused() -> None:
    a, b = socket.socketpair()
    errors: list[BaseException] = []

    def agent() -> None:
        try:
            protocol.agent_handshake(protocol.Connection(a), b"s" * 32, timeout=5)
        except BaseException as exc:
            errors.append(exc)
        a.close()

    thread = threading.Thread(target=agent)
    thread.start()
    conn = protocol.Connection(b)
    assert conn.recv(5) is not None  # HELLO
    conn.send(protocol.encode_pcm(0, b"\x00\x00"))
    thread.join(5)
    assert errors and isinstance(errors[0], protocol.AuthError)
    b.close()


# ------------------------------------------------------------------------------ jitter buffer

RATE = 48000


def _simulate(*, seconds: float, sender_ppm: float, receiver_ppm: float, jitter_ms: float,
              delay_ms: float = 2.0, send_block: int = 960, pull_block: int = 1024,
              seed: int = 1, spike_every: float = 0.0, spike_ms: float = 0.0, uniform: bool = False,
              ) -> tuple[JitterBuffer, list[float], int]:
    """Events on a true timeline; each side sees its own clock. Returns the buffer, the depth
    (seconds) sampled once per simulated second, and the underruns after the first 10 s."""
    rng = random.Random(seed)
    buf = JitterBuffer(RATE, 1, block=pull_block)
    send_period = send_block / (RATE * (1 + sender_ppm * 1e-6))
    pull_period = pull_block / (RATE * (1 + receiver_ppm * 1e-6))
    events: list[tuple[float, int, int]] = []  # (true time, order, kind 0=arrival 1=pull)
    order = 0
    last_arrival = 0.0
    t = 0.0
    n_blocks = int(seconds / send_period)
    for k in range(n_blocks):
        if uniform:
            extra = rng.uniform(0.0, 2 * jitter_ms)
        else:
            extra = rng.expovariate(1.0 / jitter_ms) if jitter_ms else 0.0
        if spike_every and k and k % int(spike_every / send_period) == 0:
            extra += spike_ms
        arrival = max(last_arrival, t + (delay_ms + extra) / 1000.0)
        last_arrival = arrival
        heapq.heappush(events, (arrival, order, 0))
        order += 1
        t += send_period
    t = 0.05
    while t < seconds:
        heapq.heappush(events, (t, order, 1))
        order += 1
        t += pull_period
    block = np.full((send_block, 1), 0.25, np.float32)
    depths: list[float] = []
    next_sample = 1.0
    underruns_at_10s = 0
    while events:
        when, _, kind = heapq.heappop(events)
        if kind == 0:
            buf.push(block, when)
        else:
            # the receiver's clock differs from true time by its drift
            buf.pull(pull_block, when * (1 + receiver_ppm * 1e-6))
        if when >= next_sample:
            depths.append(buf.level_seconds)
            next_sample += 1.0
            if when >= 10.0 and underruns_at_10s == 0:
                underruns_at_10s = buf.underruns
    return buf, depths, buf.underruns - underruns_at_10s


@pytest.mark.slow  # an hour of audio per case: ~3 s each on an idle core
@pytest.mark.parametrize("sender_ppm,receiver_ppm", [(0, 0), (150, -150), (-200, 100)])
def test_an_hour_of_drifting_clocks_keeps_depth_at_target_without_gaps(
    sender_ppm: float, receiver_ppm: float
) -> None:
    buf, depths, late_underruns = _simulate(
        seconds=3600, sender_ppm=sender_ppm, receiver_ppm=receiver_ppm, jitter_ms=4.0,
        uniform=True)
    assert late_underruns == 0
    assert buf.skipped_frames == 0
    settled = depths[60:]
    # No growing offset: the depth in the last ten minutes is where it was after a minute.
    first, last = np.mean(settled[:600]), np.mean(settled[-600:])
    assert abs(last - first) < 0.015, (first, last)
    assert max(settled) < buf.target_seconds + 0.06
    # Drift really was corrected (not absorbed by a growing buffer): frames consumed per
    # frame played differ from 1 by the clocks' difference.
    drift = (sender_ppm - receiver_ppm) * 1e-6
    measured = buf.consumed_frames / buf.played_frames - 1
    assert measured == pytest.approx(drift, abs=20e-6)


def test_without_drift_the_samples_pass_bit_exact() -> None:
    buf = JitterBuffer(RATE, 1, block=1024)
    ramp = ((np.arange(RATE * 20) % 32749) / 32768.0 + 0.001).astype(np.float32).reshape(-1, 1)
    events = [(k / RATE, 0, k) for k in range(0, len(ramp), 960)]
    events += [(0.002 + k * 1024 / RATE, 1, 0) for k in range(len(ramp) // 1024 + 20)]
    out = []
    for when, kind, k in sorted(events):
        if kind == 0:
            buf.push(ramp[k:k + 960], when)
            if k + 960 >= len(ramp):
                buf.finish()
        else:
            out.append(buf.pull(1024, when))
    played = np.concatenate(out)[:, 0]
    audible = played[np.flatnonzero(played)[0]:]
    assert buf.underruns == 0
    assert np.array_equal(audible[:len(ramp)], ramp[:, 0])
    assert buf.drained


def test_target_rises_with_jitter_and_falls_back_when_the_network_calms() -> None:
    calm, _, _ = _simulate(seconds=30, sender_ppm=0, receiver_ppm=0, jitter_ms=0.5)
    rough, _, rough_late = _simulate(seconds=30, sender_ppm=0, receiver_ppm=0, jitter_ms=15.0)
    assert rough.target_seconds > calm.target_seconds + 0.02
    assert rough_late <= 2  # a few exponential outliers beyond the window's worst may starve
    # a late spike every 20 s raises the target; the window forgets it between spikes
    spiky, depths, late = _simulate(seconds=120, sender_ppm=0, receiver_ppm=0, jitter_ms=1.0,
                                    spike_every=20.0, spike_ms=150.0)
    assert late <= 6  # each first spike of its size may starve once; the next is covered
    assert spiky.jitter < 0.2


def test_a_burst_after_a_stall_is_dropped_to_the_target_not_played_late() -> None:
    buf = JitterBuffer(RATE, 1, block=1024, max_target=0.3)
    block = np.zeros((960, 1), np.float32)
    now = 0.0
    for _ in range(100):  # 2 s on time
        buf.push(block, now)
        buf.pull(1024, now)
        now += 0.02
    now += 3.0  # the connection stalls for 3 s, then releases what the sender produced
    for _ in range(150):
        buf.push(block, now)
    assert buf.skipped_frames > 2 * RATE
    assert buf.level_seconds <= 0.3 + 0.3 + 0.03


def test_underrun_outputs_silence_and_reprimes() -> None:
    buf = JitterBuffer(RATE, 2, block=1024, min_target=0.05)
    buf.push(np.ones((4000, 2), np.float32), 0.0)
    first = buf.pull(1024, 0.0)
    assert np.all(first == 1.0)
    buf.pull(1024, 0.02)
    buf.pull(1024, 0.04)
    short = buf.pull(1024, 0.06)  # fewer than 1024 frames left
    assert buf.underruns == 1
    got = int(np.count_nonzero(short[:, 0]))
    assert 0 < got < 1024 and np.all(short[got:] == 0.0)
    buf.push(np.ones((1000, 2), np.float32), 0.07)
    assert np.all(buf.pull(1024, 0.08) == 0.0)  # priming again: below target


# ------------------------------------------------------------------------------ audiotui ssh


@pytest.mark.parametrize("args,ssh_options,host,command", [
    (["lab1"], [], "lab1", ["run"]),
    (["-p", "2222", "lab1", "--", "run", "examples/reverse.py"], ["-p", "2222"], "lab1",
     ["run", "examples/reverse.py"]),
    (["-vp2222", "-oBatchMode=yes", "-i", "k", "me@lab1", "--", "record", "take.wav", "-t", "10"],
     ["-vp2222", "-oBatchMode=yes", "-i", "k"], "me@lab1", ["record", "take.wav", "-t", "10"]),
    (["-J", "jump", "-A", "lab1", "app.py", "--ascii"], ["-J", "jump", "-A"], "lab1",
     ["run", "app.py", "--ascii"]),
    (["--audio-rate=16000", "--no-host-audio", "lab1", "--", "play", "x.wav"], [], "lab1",
     ["play", "x.wav"]),
])
def test_ssh_command_line_is_split_into_ssh_options_host_and_command(
    args: list[str], ssh_options: list[str], host: str, command: list[str]
) -> None:
    from audiotui.cli.ssh_command import Invocation

    inv = Invocation(args)
    assert (inv.ssh_options, inv.host, inv.command) == (ssh_options, host, command)


def test_ssh_session_command_carries_the_forward_and_never_the_secret() -> None:
    from audiotui.cli.ssh_command import Invocation

    inv = Invocation(["--audio-rate", "16000", "--no-host-audio", "-p", "22", "lab1", "--",
                      "record", "my take.wav"])
    assert inv.audio_rate == 16000 and not inv.host_audio
    setup = inv.setup_argv(["ssh"])
    assert setup[:4] == ["ssh", "-p", "22", "-T"] and "ClearAllForwardings=yes" in setup
    assert "mktemp -d" in setup[-1] and "umask 077" in setup[-1]
    argv = inv.session_argv(["ssh"], "/tmp/audiotui-bridge.abc", "/l/agent.sock", False)
    assert argv[argv.index("-R") + 1] == "/tmp/audiotui-bridge.abc/bridge.sock:/l/agent.sock"
    assert "-T" in argv and argv[-2] == "lab1"
    assert "AUDIOTUI_HOST_AUDIO=off" in argv[-1] and "'my take.wav'" in argv[-1]
    assert "secret\"" in argv[-1] and "SECRET=" not in argv[-1]  # a file path, not the value


def test_ssh_usage_errors() -> None:
    import click

    from audiotui.cli.ssh_command import Invocation

    for args in ([], ["-p"], ["--audio-rate", "fast", "lab1"], ["--bogus", "lab1"]):
        with pytest.raises(click.UsageError):
            Invocation(args)
    assert Invocation(["-h"]).help


def test_host_audio_off_never_loads_portaudio() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from audiotui.media import devices; devices.rescan(); "
        "s = devices.hardware_status(); "
        "print(s.available, 'sounddevice' in sys.modules, 'AUDIOTUI_HOST_AUDIO=off' in s.reason)"
    )
    env = {"PATH": "/usr/bin:/bin", "AUDIOTUI_HOST_AUDIO": "off"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.stdout.split() == ["False", "False", "True"], result.stdout + result.stderr
