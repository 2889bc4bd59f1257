"""In-process `Client.predict` of the tone example against the work it wraps, in the same run.

Run: .venv/bin/python benchmarks/bench_client.py [--repeat 200] [--duration 1]

Figures are medians over `--repeat` calls (5 interleaved rounds) after a warm-up:
- baseline: `generate_tone(...)` + `Audio.postprocess` called directly (the unavoidable work:
  synthesis and writing the WAV file);
- Session.run: the runtime alone (queue, preprocess, worker thread, postprocess, events);
- Client.predict: what a user calls (adds the Client's loop thread and result conversion).
The target is a Client.predict median under 5 ms (gradio_client over localhost: ~250 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TONE = ROOT / "examples" / "tone.py"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_direct(app: Any, repeat: int, duration: str) -> float:
    dep = app.fns[0]
    fn, audio = dep.fn, dep.outputs[0]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        audio.postprocess(fn(9, 4, duration))
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def bench_session(app: Any, repeat: int, duration: str, dep: Any = None) -> float:
    from audiotui.runtime import Session

    async def run() -> list[float]:
        session = Session(app)
        await session.start()
        endpoint = dep if dep is not None else app.api_endpoints()["predict"]
        inputs = [duration] if dep is not None else ["A", 4, duration]
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            job = await session.run(endpoint, inputs)
            await job.result()
            samples.append(time.perf_counter() - start)
        await session.close()
        return samples

    return median_ms(asyncio.run(run()))


def bench_client(client: Any, repeat: int, duration: str) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.predict("A", 4, duration, api_name="/predict")
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def bench_overhead(repeat: int) -> tuple[float, float]:
    """Session.run and Client.predict of an identity function: the runtime's own cost."""
    import audiotui as gr
    from audiotui import Client

    with gr.Blocks() as echo_app:
        box = gr.Textbox()
        box.submit(lambda text: text, box, box, api_name="echo")
    dep = echo_app.api_endpoints()["echo"]
    session_ms = bench_session(echo_app, repeat, "hi", dep=dep)
    client = Client(echo_app)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.predict("hi", api_name="/echo")
        samples.append(time.perf_counter() - start)
    client.close()
    return session_ms, median_ms(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--duration", default="1", help="seconds of tone per call")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from audiotui import Client

    client = Client(str(TONE))
    app = client.app
    for _ in range(10):  # warm-up: imports, temp dir, thread pool
        client.predict("A", 4, args.duration, api_name="/predict")
    # Interleaved rounds, so that load from other processes hits all three alike.
    rounds = 5
    per_round = max(1, args.repeat // rounds)
    direct_ms, session_ms, predict_ms = [], [], []
    for _ in range(rounds):
        direct_ms.append(bench_direct(app, per_round, args.duration))
        session_ms.append(bench_session(app, per_round, args.duration))
        predict_ms.append(bench_client(client, per_round, args.duration))
    client.close()
    direct, session, predict = (statistics.median(m) for m in (direct_ms, session_ms, predict_ms))
    echo_session, echo_client = bench_overhead(args.repeat)
    print(f"tone example, {args.duration} s of 48 kHz audio per call, median of {args.repeat}")
    print(f"direct fn + postprocess (baseline): {direct:7.2f} ms")
    print(f"Session.run                       : {session:7.2f} ms "
          f"({session / direct:.2f}x baseline, +{session - direct:.2f} ms)")
    print(f"Client.predict                    : {predict:7.2f} ms "
          f"({predict / direct:.2f}x baseline, +{predict - direct:.2f} ms; target < 5 ms)")
    print("identity function (the runtime's own cost per call)")
    print(f"Session.run                       : {echo_session:7.2f} ms")
    print(f"Client.predict                    : {echo_client:7.2f} ms")


if __name__ == "__main__":
    main()
