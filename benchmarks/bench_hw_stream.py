"""Streaming input at 20 ms chunks into a no-op: delivery jitter and coalescing.

Jitter = |interval between deliveries - chunk duration|, p50/p99 over --seconds. Baseline in
the same run: a bare sd.InputStream whose callback (blocksize = one chunk) notes its time.
Our path adds a queue and a worker thread, so the ratio shows what that hop costs.
Needs a virtual sound server (a private one):
`bash scripts/with-virtual-audio.sh .venv/bin/python benchmarks/bench_hw_stream.py`.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sounddevice as sd

from audiotui.media.streaming import MicrophoneStream

RATE = 48000
DEVICE = "virtual_mic"


def jitter_ms(stamps: list[float], chunk: float) -> tuple[float, float]:
    intervals = np.diff(np.asarray(stamps[5:]))  # skip the start-up burst
    dev = np.abs(intervals - chunk) * 1000
    return float(np.percentile(dev, 50)), float(np.percentile(dev, 99))


def ours(seconds: float, chunk: float) -> tuple[list[float], int, int, int]:
    stamps: list[float] = []
    mic = MicrophoneStream(
        lambda c: stamps.append(time.monotonic()),
        device=DEVICE,
        samplerate=RATE,
        chunk_seconds=chunk,
    )
    mic.start()
    time.sleep(seconds)
    mic.stop()
    return stamps, mic.coalesced, mic.chunks_delivered, mic.dropped_frames


def bare(seconds: float, chunk: float) -> list[float]:
    stamps: list[float] = []

    def cb(indata: np.ndarray, frames: int, t: object, status: object) -> None:
        stamps.append(time.monotonic())

    with sd.InputStream(
        device=DEVICE, samplerate=RATE, channels=1, blocksize=int(chunk * RATE), callback=cb
    ):
        time.sleep(seconds)
    return stamps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--chunk", type=float, default=0.02)
    args = parser.parse_args()
    base = bare(args.seconds, args.chunk)
    stamps, coalesced, delivered, dropped = ours(args.seconds, args.chunk)
    b50, b99 = jitter_ms(base, args.chunk)
    o50, o99 = jitter_ms(stamps, args.chunk)
    expected = args.seconds / args.chunk
    print(f"streaming {args.chunk * 1000:g} ms chunks for {args.seconds:g} s into a no-op")
    print(f"  bare callback jitter  p50 {b50:.2f} ms  p99 {b99:.2f} ms  ({len(base)} callbacks)")
    print(
        f"  ours delivery jitter  p50 {o50:.2f} ms  p99 {o99:.2f} ms  (ratio p99 {o99 / max(b99, 1e-9):.2f}x)"
    )
    print(
        f"  chunks delivered {delivered} of ~{expected:.0f}, coalesced {coalesced}, dropped frames {dropped}"
    )


if __name__ == "__main__":
    main()
