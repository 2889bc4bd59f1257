"""PeakPyramid.from_file on a 1-hour 48 kHz stereo WAV, and 200-column zoom/scroll queries.

Run: .venv/bin/python benchmarks/bench_peaks.py [--minutes 60]

Figures, all from this run:
- build time vs a bare `soundfile.blocks` read of the same file (same block size, warm cache);
- peak RSS growth while building (each measured in a fresh process: VmHWM - VmRSS at start;
  aim < 50 MB);
- median `columns()` time at width 200 for zooms from the whole hour down to 10 ms, against the
  same queries on a 1-minute file (a ratio near 1 means time follows the width, not the length),
  and at width 400 (time should roughly double at most).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

SR = 48000
BLOCK = 256 * 256  # frames per read, the same for the baseline and the pyramid


def make_wav(path: Path, minutes: float) -> None:
    """A 16-bit stereo WAV written from one 10 s chunk at varying gain (fast to produce)."""
    rng = np.random.default_rng(0)
    t = np.arange(SR * 10) / SR
    base = np.stack([np.sin(2 * np.pi * 110 * t), np.sin(2 * np.pi * 165 * t)], 1) * 0.5
    base = (base + rng.normal(0, 0.02, base.shape)).astype(np.float32)
    total = int(minutes * 60 * SR)
    with sf.SoundFile(path, "w", SR, 2, subtype="PCM_16") as f:
        for i, start in enumerate(range(0, total, len(base))):
            f.write(base[: total - start] * (0.3 + 0.7 * ((i % 17) / 16)))


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def measure(kind: str, path: str) -> dict[str, float]:
    """Run in a fresh process: time one pass and report peak RSS growth."""
    from audiotui.media.peaks import PeakPyramid

    rss_start = _status_kb("VmRSS")
    start = time.perf_counter()
    if kind == "blocks":
        for _ in sf.blocks(path, blocksize=BLOCK, dtype="float32", always_2d=True):
            pass
    else:
        PeakPyramid.from_file(path)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "rss_growth_mb": (_status_kb("VmHWM") - rss_start) / 1024}


def run_child(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def query_times(pyramid: object, width: int, windows: list[float]) -> list[float]:
    """Median seconds per columns() call for each window length (seconds), scrolled around."""
    rng = np.random.default_rng(1)
    frames = pyramid.frames  # type: ignore[attr-defined]
    medians = []
    for window in windows:
        span = min(frames, max(1, int(window * SR)))
        times = []
        for _ in range(50):
            start = int(rng.integers(0, frames - span + 1))
            t0 = time.perf_counter()
            pyramid.columns(start, start + span, width)  # type: ignore[attr-defined]
            times.append(time.perf_counter() - t0)
        medians.append(statistics.median(times))
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    from audiotui.media.peaks import PeakPyramid

    with tempfile.TemporaryDirectory() as tmp:
        long_wav, short_wav = Path(tmp) / "long.wav", Path(tmp) / "short.wav"
        make_wav(long_wav, args.minutes)
        make_wav(short_wav, 1.0)
        run_child("blocks", long_wav)  # warm the page cache for both measurements
        bare, built = run_child("blocks", long_wav), run_child("pyramid", long_wav)
        print(f"{args.minutes:g} min 48 kHz stereo WAV ({long_wav.stat().st_size / 1e6:.0f} MB)")
        print(f"  bare soundfile.blocks read : {bare['seconds']:.2f} s")
        print(
            f"  PeakPyramid.from_file      : {built['seconds']:.2f} s "
            f"(ratio {built['seconds'] / bare['seconds']:.2f})"
        )
        print(
            f"  peak RSS growth            : {built['rss_growth_mb']:.1f} MB "
            f"(bare read: {bare['rss_growth_mb']:.1f} MB)"
        )
        long_pyr = PeakPyramid.from_file(long_wav)
        short_pyr = PeakPyramid.from_file(short_wav)
        windows = [args.minutes * 60, 600.0, 60.0, 1.0, 0.01]
        long_200 = query_times(long_pyr, 200, windows)
        short_200 = query_times(short_pyr, 200, windows)
        long_400 = query_times(long_pyr, 400, windows)
        print("  columns() median per call:")
        print(
            f"  {'window':>9} {'long w200':>10} {'1-min w200':>11} {'ratio':>6} {'long w400':>10}"
        )
        for window, a, b, c in zip(windows, long_200, short_200, long_400, strict=True):
            print(
                f"  {window:>8g}s {a * 1e3:>8.3f}ms {b * 1e3:>9.3f}ms {a / b:>6.2f} "
                f"{c * 1e3:>8.3f}ms"
            )


if __name__ == "__main__":
    main()
