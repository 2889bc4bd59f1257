"""Latency the SSH bridge adds, against a local device, in the same run (medians of --runs).

Paths compared (the laptop side always uses the virtual sound server):
  local      this machine's device (virtual_speaker / virtual_mic): the baseline
  socket     the bridge with HOST talking straight to the agent's socket (no ssh)
  ssh        through a loopback sshd: `ssh -N -R remote.sock:agent.sock`, as `audiotui ssh` does
  ssh+20ms   the same with a user-space proxy delaying every TCP chunk 20 ms each way (RTT
             +40 ms); `tc netem` is not available on this kernel (the netem qdisc is missing
             even inside a private network namespace), so the delay is emulated above TCP
  ssh+20±15  as above plus up to 15 ms of random extra delay per chunk (order kept): jitter
  ...-T      the same ssh without a terminal (a script's `audiotui ssh HOST -- play x.wav`):
             OpenSSH then leaves Nagle's algorithm on (TCP_NODELAY only for pty sessions)

Figures per path:
  play      Player.play() -> the tone's onset seen on the speaker's monitor (stream opening,
            the jitter buffer's priming and the device path included)
  mic       a tone starts on the microphone feed -> its onset reaches the input callback on
            HOST (the mic feed's own path is in every row; compare differences)
  jitter    the agent's jitter-buffer target during a 6 s playback, and underruns
  bytes/s   wire bytes per second for one 48 kHz (or --audio-rate) mono stream
Run: bash scripts/with-virtual-audio.sh .venv/bin/python benchmarks/bench_bridge_latency.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

RATE = 48000
THRESHOLD = 0.1


def tone(seconds: float, freq: float = 1000.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


class Onset:
    """A callback that notes when |signal| first exceeds THRESHOLD after arm()."""

    def __init__(self) -> None:
        self.armed_at = 0.0
        self.seen_at: float | None = None
        self.event = threading.Event()

    def arm(self) -> float:
        self.seen_at = None
        self.event.clear()
        self.armed_at = time.monotonic()
        return self.armed_at

    def __call__(self, data: Any, frames: int, time_info: Any, status: Any) -> None:
        if self.seen_at is None and self.armed_at and float(np.abs(data).max()) > THRESHOLD:
            self.seen_at = time.monotonic()
            self.event.set()

    def wait(self, timeout: float = 5.0) -> float | None:
        if not self.event.wait(timeout) or self.seen_at is None:
            return None
        return self.seen_at - self.armed_at


class DelayProxy:
    """127.0.0.1:port -> target port; every chunk is forwarded `delay` (+ jitter) s later."""

    def __init__(self, target: int, delay: float, jitter: float = 0.0) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.target, self.delay, self.jitter = target, delay, jitter
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._serve(), self.loop).result(5)

    async def _serve(self) -> None:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", self.port)

    async def _client(self, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        tr, tw = await asyncio.open_connection("127.0.0.1", self.target)
        await asyncio.gather(self._pipe(r, tw), self._pipe(tr, w))

    async def _pipe(self, r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        due = 0.0
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def writer() -> None:
            while True:
                when, data = await queue.get()
                await asyncio.sleep(max(0.0, when - self.loop.time()))
                if not data:
                    w.close()
                    return
                w.write(data)
                await w.drain()

        task = asyncio.ensure_future(writer())
        while True:
            data = await r.read(65536)
            due = max(due, self.loop.time() + self.delay + random.uniform(0, self.jitter))
            queue.put_nowait((due, data))
            if not data:
                break
        await task


class Paths:
    """Agent + optional sshd/ssh forward; `use(mode)` points this process's HOST side at it."""

    def __init__(self, folder: Path, audio_rate: int | None) -> None:
        from audiotui.bridge.agent import Agent
        from audiotui.bridge.protocol import new_secret

        self.folder = folder
        secret = new_secret().hex().encode()
        (folder / "secret").write_bytes(secret)
        self.agent = Agent(folder / "agent.sock", secret, audio_rate=audio_rate)
        self.agent.start()
        self.sshd: Any = None
        self.procs: list[subprocess.Popen[bytes]] = []
        self.proxies: dict[str, DelayProxy] = {}

    def _ssh_socket(self, mode: str) -> str:
        from sshd_support import LoopbackSshd

        if self.sshd is None:
            (self.folder / "sshd").mkdir()
            self.sshd = LoopbackSshd(self.folder / "sshd")
            self.sshd.start()
        port = self.sshd.port
        if mode.startswith("ssh+20ms"):
            port = DelayProxy(self.sshd.port, 0.020).port
        elif mode.startswith("ssh+20±15"):
            port = DelayProxy(self.sshd.port, 0.020, 0.015).port
        remote = self.folder / f"remote-{len(self.procs)}.sock"
        options = self.sshd.options()
        options[options.index("-p") + 1] = str(port)
        # -tt as `audiotui ssh` uses for a terminal: OpenSSH sets TCP_NODELAY only on
        # interactive (pty) sessions; ssh -T (a script) gets Nagle: see the "-T" rows.
        tty = ["-T"] if mode.endswith("-T") else ["-tt"]
        proc = subprocess.Popen(["ssh", *tty, "-o", "ExitOnForwardFailure=yes", "-R",
                                 f"{remote}:{self.agent.path}", *options, self.sshd.target,
                                 "sleep 3600"], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL)
        self.procs.append(proc)
        deadline = time.monotonic() + 20
        while not remote.exists():
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"the ssh forward for {mode} did not come up")
            time.sleep(0.05)
        return str(remote)

    def use(self, mode: str) -> None:
        from audiotui.bridge import host

        host._cache = None
        if mode == "local":
            os.environ.pop("AUDIOTUI_BRIDGE", None)
            return
        sock = str(self.agent.path) if mode == "socket" else self._ssh_socket(mode)
        os.environ["AUDIOTUI_BRIDGE"] = sock
        os.environ["AUDIOTUI_BRIDGE_SECRET_FILE"] = str(self.folder / "secret")

    def close(self) -> None:
        for proc in self.procs:
            proc.terminate()
            proc.wait(5)
        if self.sshd is not None:
            self.sshd.stop()
        self.agent.close()


def measure(mode: str, runs: int, va_prefix: str) -> dict[str, Any]:
    from audiotui.media.backend import open_stream
    from audiotui.media.devices import resolve_device, sounddevice_module
    from audiotui.media.player import Player

    sd = sounddevice_module()
    speaker = f"{va_prefix}virtual_speaker"
    mic = f"{va_prefix}virtual_mic"
    play_times: list[float] = []
    mic_times: list[float] = []
    stats: dict[str, Any] = {}

    onset = Onset()
    monitor = sd.InputStream(device="virtual_speaker_monitor", samplerate=RATE, channels=1,
                             blocksize=128, callback=onset, latency="low")
    monitor.start()
    time.sleep(0.5)
    for _ in range(runs):
        player = Player(device=speaker, blocksize=1024)
        player.load((RATE, tone(0.6)))
        onset.arm()
        player.play()
        got = onset.wait()
        if got is not None:
            play_times.append(got)
        time.sleep(0.8)
        player.close()
        time.sleep(0.3)
    # a longer playback for the jitter buffer's figures
    player = Player(device=speaker, blocksize=1024)
    player.load((RATE, tone(6.0, amp=0.2)))
    player.play()
    time.sleep(5.5)
    stream = getattr(player, "_stream", None)
    stats = dict(getattr(stream, "stats", {}))
    player.close()
    monitor.stop()
    monitor.close()

    dev = resolve_device(mic, "input")
    mic_onset = Onset()
    stream = open_stream("input", dev, samplerate=RATE, channels=1, blocksize=256,
                         callback=mic_onset, finished_callback=lambda: None)
    stream.start()
    time.sleep(0.8)
    for _ in range(runs):
        feed = Player(device="virtual_mic_feed", blocksize=256, latency="low")
        feed.load((RATE, tone(0.4)))
        mic_onset.arm()
        feed.play()
        got = mic_onset.wait()
        if got is not None:
            mic_times.append(got)
        time.sleep(0.6)
        feed.close()
        time.sleep(0.3)
    sent = getattr(stream, "_conn", None)
    stream.abort()
    stream.close()
    return {"play": play_times, "mic": mic_times, "stats": stats,
            "conn_bytes": getattr(sent, "bytes_received", None)}


def bandwidth(paths: Paths, seconds: float = 3.0) -> float:
    """Bytes per second HOST receives for one mono input stream at the wire rate."""
    from audiotui.media.backend import open_stream
    from audiotui.media.devices import resolve_device

    paths.use("socket")
    dev = resolve_device("local:virtual_mic", "input")
    stream = open_stream("input", dev, samplerate=int(dev.default_samplerate), channels=1,
                         blocksize=0, callback=lambda *a: None, finished_callback=lambda: None)
    stream.start()
    time.sleep(0.5)
    conn = stream._conn  # type: ignore[attr-defined]
    before, t0 = conn.bytes_received, time.monotonic()
    time.sleep(seconds)
    rate = (conn.bytes_received - before) / (time.monotonic() - t0)
    stream.abort()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes",
                        default="local,socket,ssh,ssh-T,ssh+20ms,ssh+20ms-T,ssh+20±15")
    args = parser.parse_args()
    os.environ["AUDIOTUI_HOST_AUDIO"] = "on"
    folder = Path(tempfile.mkdtemp(prefix="atb-", dir="/tmp"))
    paths = Paths(folder, None)
    rows = []
    try:
        for mode in args.modes.split(","):
            paths.use(mode)
            result = measure(mode, args.runs, "" if mode == "local" else "local:")
            rows.append((mode, result))
        bw48 = bandwidth(paths)
        paths.agent.audio_rate = 16000
        bw16 = bandwidth(paths)
    finally:
        paths.close()

    def med(values: list[float]) -> str:
        return f"{statistics.median(values) * 1000:6.0f} ms" if values else "   n/a   "

    base_play = statistics.median(rows[0][1]["play"]) if rows[0][1]["play"] else 0.0
    base_mic = statistics.median(rows[0][1]["mic"]) if rows[0][1]["mic"] else 0.0
    print(f"{'path':<11} {'play':>9} {'+vs local':>10} {'mic':>9} {'+vs local':>10} "
          f"{'jitter target':>14} {'underruns':>9}")
    for mode, r in rows:
        play = statistics.median(r["play"]) if r["play"] else float("nan")
        mic = statistics.median(r["mic"]) if r["mic"] else float("nan")
        st = r["stats"]
        target = f"{st['target'] * 1000:.0f} ms" if "target" in st else "-"
        print(f"{mode:<11} {med(r['play'])} {(play - base_play) * 1000:+8.0f} ms "
              f"{med(r['mic'])} {(mic - base_mic) * 1000:+8.0f} ms {target:>14} "
              f"{st.get('underruns', '-'):>9}")
    print(f"bandwidth, one mono stream: 48 kHz {bw48 / 1000:.1f} kB/s, "
          f"--audio-rate 16000 {bw16 / 1000:.1f} kB/s (frames + SSH's own overhead not counted)")


if __name__ == "__main__":
    main()
