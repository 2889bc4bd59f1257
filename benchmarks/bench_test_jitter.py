"""Jitter of the quantities the hardware tests bound, so their tolerances come from measurement.

Repeats, --runs times each, what the timing-sensitive hardware tests do (tests/test_hw_player.py,
test_hw_recorder.py, test_hw_streaming.py) and prints min / median / max of each measured value
next to the bound the test asserts. Run it idle and under load (e.g. two `python -c 'while 1:
pass'` on a 2-core machine) to see how close to its bound each test comes:

    bash scripts/with-virtual-audio.sh .venv/bin/python benchmarks/bench_test_jitter.py --runs 10

Asserts nothing. Needs a virtual sound server (the wrapper starts a private one).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import active_span, tone_seconds  # noqa: E402

from audiotui.media.player import Player  # noqa: E402
from audiotui.media.recorder import Recorder  # noqa: E402
from audiotui.media.streaming import MicrophoneStream  # noqa: E402

RATE = 48000
SPEAKER, MONITOR, MIC_FEED, MIC = (
    "virtual_speaker", "virtual_speaker_monitor", "virtual_mic_feed", "virtual_mic"
)
VALUES: dict[str, list[float]] = defaultdict(list)
BOUNDS: dict[str, str] = {}


def note(name: str, value: float, bound: str) -> None:
    VALUES[name].append(float(value))
    BOUNDS[name] = bound


def tone(freq: float, seconds: float, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(round(seconds * RATE))) / RATE
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def wait_for(condition: Callable[[], bool], timeout: float = 8.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def loopback(tmp: Path) -> Recorder:
    """What the `loopback` fixture does: the monitor recorder, started and warmed up."""
    rec = Recorder(tmp / f"lb-{time.monotonic_ns()}.wav", device=MONITOR, samplerate=RATE,
                   channels=1, blocksize=1024, subtype="FLOAT")
    rec.start()
    wait_for(lambda: rec.elapsed >= 0.2, 3)
    return rec


def recorded(rec: Recorder) -> np.ndarray:
    time.sleep(0.2)
    data, _ = sf.read(rec.stop().path)
    return np.asarray(data)


def player_array(tmp: Path) -> None:
    rec = loopback(tmp)
    player = Player(device=SPEAKER, blocksize=1024)
    player.load((RATE, tone(1000, 1.0)))
    player.play()
    wait_for(lambda: player.state == "stopped")
    data = recorded(rec)
    seconds = tone_seconds(data, 0.5, RATE, 1000)
    note("player: tone seconds (array, 1.0 s)", seconds, "1.0 +- 0.03")
    if abs(seconds - 1.0) > 0.03:
        print(f"  array: {seconds:.3f} s of tone; player underflows {player.underflows}, "
              f"loopback overflows {rec.overflows}", file=sys.stderr)


def player_seek(tmp: Path) -> None:
    path = tmp / "long.wav"
    sf.write(str(path), np.stack([tone(500, 3.0)] * 2, axis=1), RATE)
    rec = loopback(tmp)
    player = Player(device=SPEAKER, blocksize=1024)
    player.load(str(path))
    player.play()
    time.sleep(0.5)
    note("player: position 0.5 s after play()", player.position, "0.2 < x < 0.8")
    player.seek(2.5)
    wait_for(lambda: player.state == "stopped")
    start, end = active_span(recorded(rec))
    note("player: seek span seconds", (end - start) / RATE, "0.8 < x < 1.4")


def player_pause() -> None:
    player = Player(device=SPEAKER, blocksize=1024)
    player.load((RATE, tone(300, 2.0, 0.1)))
    player.play()
    time.sleep(0.4)
    player.pause()
    held = player.position
    time.sleep(0.4)
    note("player: drift while paused 0.4 s", abs(player.position - held), "< 0.03")
    player.resume()
    time.sleep(0.3)
    note("player: advance 0.3 s after resume", player.position - held, "> 0.15")
    player.stop()
    player.close()


def player_chunks(tmp: Path) -> None:
    rec = loopback(tmp)
    player = Player(device=SPEAKER, blocksize=1024)
    chunks = np.array_split(tone(800, 1.2), 12)
    player.append((RATE, chunks[0]))
    for chunk in chunks[1:]:
        time.sleep(0.05)
        player.append((RATE, chunk))
    player.finish_stream()
    wait_for(lambda: player.state == "stopped")
    data = recorded(rec)
    start, end = active_span(data)
    note("player: appended chunks span seconds", (end - start) / RATE, "1.2 +- 0.05")
    sig = data[start:end]
    window = RATE // 200
    peaks = np.abs(sig[: len(sig) // window * window]).reshape(-1, window).max(axis=1)
    note("player: appended chunks min 5 ms peak", peaks.min(), "> 0.4")
    quiet = np.flatnonzero(peaks < 0.4)
    if len(quiet):  # where, and how loud the recording is outside the tone, to tell a gap apart
        print(f"  appended chunks: {len(quiet)} quiet 5 ms windows from "
              f"{quiet[0] * window / RATE:.3f} s into the span (of {(end - start) / RATE:.3f} s); "
              f"max outside 800 Hz: {np.abs(data[:start]).max(initial=0):.3f}; player underflows "
              f"{player.underflows}, loopback overflows {rec.overflows}", file=sys.stderr)


def recorder_pause(tmp: Path) -> None:
    rec = Recorder(tmp / f"p-{time.monotonic_ns()}.wav", device=MONITOR, samplerate=RATE)
    rec.start()
    time.sleep(0.5)
    rec.pause()
    paused_at = rec.elapsed
    time.sleep(0.6)
    note("recorder: elapsed growth while paused", rec.elapsed - paused_at, "< 0.1")
    rec.resume()
    time.sleep(0.4)
    note("recorder: seconds kept (0.5 + 0.4 s)", rec.stop().meta["frames"] / RATE,
         "0.7 < x < 1.1")


def stream_twenty_ms() -> None:
    chunks: list[object] = []
    mic = MicrophoneStream(chunks.append, device=MIC, samplerate=RATE, chunk_seconds=0.02)
    mic.start()
    time.sleep(1.0)
    mic.stop()
    note("stream: 20 ms chunks in 1.0 s", len(chunks), "40 <= x <= 60")
    note("stream: 20 ms coalesced", mic.coalesced, "== 0")


def stream_slow() -> None:
    got: list[np.ndarray] = []

    def slow(chunk: tuple[int, np.ndarray]) -> None:
        got.append(chunk[1])
        time.sleep(0.15)

    mic = MicrophoneStream(slow, device=MIC, samplerate=RATE, chunk_seconds=0.05)
    mic.start()
    started = time.monotonic()
    time.sleep(1.2)
    mic.stop()
    elapsed = time.monotonic() - started
    note("stream slow fn: coalesced", mic.coalesced, "> 5")
    note("stream slow fn: calls", mic.chunks_delivered, "< 15")
    note("stream slow fn: |audio - wall| s", abs(sum(map(len, got)) / RATE - elapsed), "< 0.3")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for _ in range(args.runs):
            player_array(tmp)
            player_seek(tmp)
            player_pause()
            player_chunks(tmp)
            recorder_pause(tmp)
            stream_twenty_ms()
            stream_slow()
    print(f"{'quantity':44} {'min':>8} {'median':>8} {'max':>8}   test bound  ({args.runs} runs)")
    for name, values in VALUES.items():
        print(f"{name:44} {min(values):8.3f} {statistics.median(values):8.3f} "
              f"{max(values):8.3f}   {BOUNDS[name]}")


if __name__ == "__main__":
    main()
