"""`Client.predict` of the tone example in-process: median wall time per call.

Run: .venv/bin/python benchmarks/bench_client.py [--calls 200]

The baseline measured in the same run is a direct call of `generate_tone` plus writing its
result the way the Audio component does (`Audio.postprocess`): what any front end must pay.
The difference is the Client's own cost (argument conversion, the Session, the thread hop).
Target: median under 5 ms (Gradio's localhost gradio_client round trip is ~250 ms).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from audiotui import Client

TONE = Path(__file__).resolve().parent.parent / "examples" / "tone.py"


def timings(fn: Callable[[], object], calls: int) -> list[float]:
    out = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with Client(TONE) as client:
        iface = client.app
        audio = iface.output_components[0]
        note, octave, duration = iface.input_components

        def direct() -> object:
            return audio.postprocess(
                iface.fn(note.preprocess("A"), octave.preprocess(4), duration.preprocess("1"))
            )

        def predict() -> object:
            return client.predict("A", 4, "1")

        for fn in (direct, predict):  # warm-up: imports, temp dir, caches
            timings(fn, 5)
        base = statistics.median(timings(direct, args.calls))
        times = timings(predict, args.calls)
    med = statistics.median(times)
    p90 = sorted(times)[int(len(times) * 0.9)]
    print(f"direct fn + Audio.postprocess : median {base * 1000:6.2f} ms (baseline)")
    print(f"Client.predict (tone example) : median {med * 1000:6.2f} ms, p90 {p90 * 1000:6.2f} ms "
          f"({med / base:.2f}x baseline, +{(med - base) * 1000:.2f} ms)")
    print(f"target: median under 5 ms -> {'met' if med < 0.005 else 'NOT met'}")


if __name__ == "__main__":
    main()
