"""Wall time of `python -c "import audiotui"` against `python -c "pass"` in the same run.

Run: .venv/bin/python benchmarks/bench_import.py [--repeat 15]

Each figure is the median of `--repeat` fresh interpreters. The target is an import under
0.35 s wall on the project machine (Gradio's `import gradio` takes about 4 s); the extra time
over a bare interpreter is what `import audiotui` itself costs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def median_wall(code: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    median_wall("import audiotui", 2)  # warm the filesystem and bytecode caches
    baseline = median_wall("pass", args.repeat)
    plain = median_wall("import audiotui", args.repeat)
    with_names = median_wall("import audiotui as gr; gr.Interface; gr.Blocks", args.repeat)
    print(f"python -c pass                      : {baseline * 1000:7.1f} ms (baseline)")
    print(f"python -c 'import audiotui'         : {plain * 1000:7.1f} ms "
          f"(+{(plain - baseline) * 1000:.1f} ms, {plain / baseline:.2f}x baseline)")
    print(f"  ... and touch gr.Interface/Blocks : {with_names * 1000:7.1f} ms "
          f"(+{(with_names - baseline) * 1000:.1f} ms, {with_names / baseline:.2f}x baseline)")
    print(f"target: import under 350 ms wall -> {'met' if plain < 0.35 else 'NOT met'}")


if __name__ == "__main__":
    main()
