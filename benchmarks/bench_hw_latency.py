"""Round-trip latency through the virtual sound card: our Player + Recorder vs bare sounddevice.

Two figures per blocksize, medians over --runs:
  * request -> heard: from asking to play (stream opening included) to the click, 0.1 s
    into the signal, being visible to the reader (the Recorder's ring buffer, or a bare InputStream callback).
  * device path: from the output callback handing over the click to the same point.
Baseline: a bare sd.OutputStream + sd.InputStream pair with the same blocksize and latency
setting, measured in the same run. Needs a virtual sound server: run it as
`bash scripts/with-virtual-audio.sh .venv/bin/python benchmarks/bench_hw_latency.py` (a private one).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import sounddevice as sd

from audiotui.media.player import Player
from audiotui.media.recorder import Recorder

RATE = 48000
PAD = RATE // 10  # the click sits 0.1 s into the signal (PulseAudio eats a stream's first ms)


def click_signal() -> np.ndarray:
    signal = np.zeros(PAD + RATE // 5, dtype=np.float32)
    signal[PAD : PAD + 48] = 0.9
    return signal


def wait_until(condition, timeout: float = 3.0) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(0.0005)
    return None


def ours_once(blocksize: int, latency: str, folder: Path, n: int) -> tuple[float, float] | None:
    rec = Recorder(
        folder / f"lat{blocksize}-{n}.wav",
        device="virtual_speaker_monitor",
        samplerate=RATE,
        blocksize=blocksize,
    )
    rec.start()
    wait_until(lambda: rec.elapsed > 0.2)
    player = Player(device="virtual_speaker", blocksize=blocksize, latency=latency)
    player.load((RATE, click_signal()))
    handed: list[float] = []
    inner = player._callback

    def spy(outdata: np.ndarray, frames: int, t: object, status: object) -> None:
        before = player._played
        inner(outdata, frames, t, status)
        if not handed and before <= PAD < player._played:
            handed.append(time.monotonic() - (player._played - PAD) / RATE + frames / RATE)

    player._callback = spy  # instrumentation only: the stream is opened after this
    requested = time.monotonic()
    player.play()
    heard = wait_until(lambda: float(np.abs(rec.recent(0.3)).max(initial=0.0)) > 0.5)
    wait_until(lambda: player.state == "stopped")
    player.close()
    rec.stop()
    if heard is None or not handed:
        return None
    return heard - requested, heard - handed[0]


def bare_once(blocksize: int, latency: str) -> tuple[float, float] | None:
    signal = click_signal()
    pos = [0]
    handed: list[float] = []
    heard: list[float] = []
    started = threading.Event()

    def out_cb(outdata: np.ndarray, frames: int, t: object, status: object) -> None:
        chunk = signal[pos[0] : pos[0] + frames]
        outdata[: len(chunk), 0] = chunk
        outdata[len(chunk) :] = 0
        if not handed and pos[0] <= PAD < pos[0] + frames:
            handed.append(time.monotonic() - (pos[0] + frames - PAD) / RATE + frames / RATE)
        pos[0] += frames

    def in_cb(indata: np.ndarray, frames: int, t: object, status: object) -> None:
        started.set()
        if not heard and np.abs(indata).max() > 0.5:
            heard.append(time.monotonic())

    with sd.InputStream(
        device="virtual_speaker_monitor",
        samplerate=RATE,
        channels=1,
        blocksize=blocksize,
        callback=in_cb,
    ):
        started.wait(3)
        time.sleep(0.2)
        requested = time.monotonic()
        with sd.OutputStream(
            device="virtual_speaker",
            samplerate=RATE,
            channels=1,
            blocksize=blocksize,
            latency=latency,
            callback=out_cb,
        ):
            wait_until(lambda: bool(heard), timeout=2.0)
            time.sleep(0.1)
    if not heard or not handed:
        return None
    return heard[0] - requested, heard[0] - handed[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--latency", default="high", choices=["low", "high"])
    args = parser.parse_args()
    print(f"round trip at 48 kHz, latency={args.latency!r}, median of {args.runs} runs (ms)")
    print(
        f"{'blocksize':>9} | {'bare req->heard':>15} {'ours':>7} {'extra':>7} {'blocks':>6} | {'bare device':>11} {'ours':>7} {'extra':>7} {'blocks':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for blocksize in (256, 1024):
            bare = [r for r in (bare_once(blocksize, args.latency) for _ in range(args.runs)) if r]
            ours = [
                r
                for i in range(args.runs)
                if (r := ours_once(blocksize, args.latency, Path(tmp), i))
            ]
            if not bare or not ours:
                print(
                    f"{blocksize:>9} | click not heard (bare {len(bare)}, ours {len(ours)} of {args.runs})"
                )
                continue
            block_ms = 1000 * blocksize / RATE
            cells = []
            for index in (0, 1):
                b = 1000 * statistics.median(r[index] for r in bare)
                o = 1000 * statistics.median(r[index] for r in ours)
                cells.append(f"{b:>11.1f} {o:>7.1f} {o - b:>7.1f} {(o - b) / block_ms:>6.2f}")
            print(f"{blocksize:>9} | {'    ' + cells[0]} | {cells[1]}")


if __name__ == "__main__":
    main()
