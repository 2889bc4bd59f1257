"""Audio.preprocess (type="numpy") of a 10-minute 48 kHz stereo FLAC and MP3 vs soundfile.read.

Run: .venv/bin/python benchmarks/bench_preprocess.py [--minutes 10] [--repeat 3]

The input files are generated in a temp dir. Each figure is the median of `--repeat` runs, and
the ratio is against a plain `soundfile.read(path)` of the same file in the same run (aim: < 1.3).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

from audiotui.components.audio import Audio

SR = 48000


def make_file(path: Path, minutes: float, fmt: str) -> None:
    """A stereo tone-plus-noise signal, written in 10 s chunks so memory stays flat."""
    rng = np.random.default_rng(0)
    chunk = SR * 10
    total = int(minutes * 60 * SR)
    with sf.SoundFile(path, "w", SR, 2, format=fmt) as f:
        for start in range(0, total, chunk):
            n = min(chunk, total - start)
            t = (start + np.arange(n)) / SR
            wave = 0.4 * np.sin(2 * np.pi * 220 * t)
            f.write(np.stack([wave, wave * 0.5], 1) + rng.normal(0, 0.05, (n, 2)))


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{args.minutes:g} min, {SR} Hz stereo; median of {args.repeat} runs")
        print(f"{'format':<6} {'sf.read':>9} {'sf.read int16':>14} {'preprocess':>11} {'ratio':>6}")
        for fmt in ("FLAC", "MP3"):
            path = Path(tmp) / f"long.{fmt.lower()}"
            make_file(path, args.minutes, fmt)
            stored = Audio(str(path)).value  # what an upload becomes: a probed FileData
            component = Audio(type="numpy")
            sr, data = component.preprocess(stored)
            assert sr == SR and data.dtype == np.int16 and data.shape[1] == 2
            base = median_time(lambda p=path: sf.read(p), args.repeat)
            base16 = median_time(lambda p=path: sf.read(p, dtype="int16"), args.repeat)
            ours = median_time(lambda s=stored, c=component: c.preprocess(s), args.repeat)
            print(f"{fmt:<6} {base:>8.3f}s {base16:>13.3f}s {ours:>10.3f}s {ours / base:>6.2f}")


if __name__ == "__main__":
    main()
