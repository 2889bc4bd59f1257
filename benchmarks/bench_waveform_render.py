"""Time one waveform frame (200x8 cells, braille and ASCII) against a bare numpy baseline.

Prints figures; asserts nothing. The baseline is a single `np.clip` over the same peaks,
measured in the same run, so the ratio is comparable across machines.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from audiotui.tui.waveform import render_waveform, time_ruler


def _time(fn: object, repeat: int = 300) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    width, height = 200, 8
    rng = np.random.default_rng(0)
    env = np.abs(np.sin(np.linspace(0, 12, 2 * width)))
    maxs = (env * rng.uniform(0.5, 1.0, 2 * width)).astype(np.float32)
    mins = -(env * rng.uniform(0.5, 1.0, 2 * width)).astype(np.float32)
    baseline = _time(lambda: np.clip(mins, -1, 1))
    braille = _time(lambda: render_waveform(mins, maxs, width, height))
    ascii_ = _time(lambda: render_waveform(mins[:width], maxs[:width], width, height,
                                           charset="ascii"))
    ruler = _time(lambda: time_ruler(0.0, 3600.0, width))
    print(f"frame {width}x{height} braille: {braille * 1e3:.3f} ms (target < 2 ms)")
    print(f"frame {width}x{height} ascii:   {ascii_ * 1e3:.3f} ms")
    print(f"time ruler {width} cells:    {ruler * 1e3:.3f} ms")
    print(f"baseline np.clip:          {baseline * 1e6:.1f} us "
          f"(braille frame = {braille / baseline:.0f}x baseline)")


if __name__ == "__main__":
    main()
