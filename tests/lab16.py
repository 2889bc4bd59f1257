"""A 16-channel "lab interface" on this run's private sound server: one tone per channel.

Loads `module-null-sink` with 16 channels (aux0..aux15) into the server PULSE_SERVER names and
plays a different sine into each channel with `pacat`, fed by a thread so the tones run as
long as the test needs them, phase-continuous. Channel LAB_SILENT is digital zeros and
LAB_CLIPPED a sine driven past full scale (clipped to +-1.0), for the alarm tests. PortAudio
reaches the sink's monitor through ALSA's `pulse` device with PULSE_SOURCE set (`env`), in a
subprocess (`audiotui record`) or a benchmark. Used by tests/test_hw_lab_record.py and
benchmarks/bench_record_lab.py.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from collections.abc import Iterator

import numpy as np

RATE = 48000
CHANNELS = 16
FREQS = [300.0 + 150.0 * k for k in range(CHANNELS)]  # 300 .. 2550 Hz, all distinct
AMPLITUDE = 0.3
LAB_SILENT = 15  # 1-based: digital zeros
LAB_CLIPPED = 16  # 1-based: clipped at full scale
CHANNEL_MAP = ",".join(
    ["front-left", "front-right", "rear-left", "rear-right", "front-center", "lfe", "side-left",
     "side-right"] + [f"aux{k}" for k in range(CHANNELS - 8)]
)  # what ALSA's pulse plugin asks for 16 channels (ALSA order, then aux): no remixing


class Lab16:
    """The sink, its feeder, and the environment a recording process needs."""

    def __init__(self, name: str = "lab16") -> None:
        self.name = name
        self.module: str | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def source(self) -> str:
        return f"{self.name}.monitor"

    @property
    def env(self) -> dict[str, str]:
        """Environment for a process recording from device `pulse` (ALSA -> this monitor)."""
        return {**os.environ, "PULSE_SOURCE": self.source}

    def start(self) -> None:
        loaded = subprocess.run(
            ["pactl", "load-module", "module-null-sink", f"sink_name={self.name}",
             f"rate={RATE}", f"channels={CHANNELS}", f"channel_map={CHANNEL_MAP}",
             "sink_properties=device.description=Lab16"],
            capture_output=True, text=True, timeout=30, check=True,
        )
        self.module = loaded.stdout.strip()
        subprocess.run(["pactl", "set-sink-volume", self.name, "0x10000"], timeout=30,
                       check=False, capture_output=True)
        self.proc = subprocess.Popen(
            ["pacat", "--playback", "-d", self.name, f"--rate={RATE}",
             f"--channels={CHANNELS}", "--format=float32le", f"--channel-map={CHANNEL_MAP}",
             "--latency-msec=100", "--raw"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._thread = threading.Thread(target=self._feed, daemon=True)
        self._thread.start()
        time.sleep(0.3)

    def _feed(self) -> None:
        """Tones, block after block, at the rate pacat takes them (its pipe blocks)."""
        assert self.proc is not None and self.proc.stdin is not None
        block = 2400
        freqs = np.asarray(FREQS)[None, :]
        amps = np.full(CHANNELS, AMPLITUDE)
        amps[LAB_SILENT - 1] = 0.0
        amps[LAB_CLIPPED - 1] = 2.0
        n = 0
        while not self._stop.is_set():
            t = (np.arange(n, n + block)[:, None]) / RATE
            data = np.clip(amps * np.sin(2 * np.pi * freqs * t), -1.0, 1.0).astype("<f4")
            try:
                self.proc.stdin.write(data.tobytes())
            except (BrokenPipeError, OSError, ValueError):
                return
            n += block

    def stop(self) -> None:
        self._stop.set()
        if self.proc is not None:
            with contextlib.suppress(OSError):
                self.proc.kill()
            self.proc.wait(timeout=10)
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.module:
            subprocess.run(["pactl", "unload-module", self.module], timeout=30,
                           check=False, capture_output=True)


@contextlib.contextmanager
def lab16_running(name: str = "lab16") -> Iterator[Lab16]:
    lab = Lab16(name)
    lab.start()
    try:
        yield lab
    finally:
        lab.stop()
