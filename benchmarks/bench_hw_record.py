"""Long recording through the Recorder: overflows, CPU of this process, RSS growth.

Records the virtual speaker's monitor (48 kHz stereo) for --seconds (with --tone, while a
tone plays into it; without, whatever else plays there), then records with a bare sounddevice InputStream that does nothing for --baseline-seconds
in the same run, and prints our CPU as a ratio of that floor. Needs a virtual sound server (a
private one): `bash scripts/with-virtual-audio.sh .venv/bin/python benchmarks/bench_hw_record.py --seconds 600`.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import sounddevice as sd
import soundfile as sf

from audiotui.media.recorder import Recorder

RATE = 48000
DEVICE_IN = "virtual_speaker_monitor"
DEVICE_OUT = "virtual_speaker"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class TonePlayer:
    """A continuous quiet tone into the speaker, so the recorder sees real signal."""

    def __init__(self) -> None:
        self.phase = 0

    def __call__(self, outdata: np.ndarray, frames: int, t: object, status: object) -> None:
        n = np.arange(self.phase, self.phase + frames)
        outdata[:, 0] = 0.2 * np.sin(2 * np.pi * 440 * n / RATE)
        outdata[:, 1] = outdata[:, 0]
        self.phase += frames


def bench_recorder(
    seconds: float, blocksize: int, folder: Path, ext: str = "wav"
) -> dict[str, float]:
    rec = Recorder(
        folder / f"long.{ext}", device=DEVICE_IN, samplerate=RATE, channels=2, blocksize=blocksize
    )
    rec.start()
    time.sleep(min(5.0, seconds / 4))  # warm-up: imports, first buffers, page cache
    rss0, cpu0, t0 = rss_mb(), cpu_seconds(), time.monotonic()
    rss_max = rss0
    while time.monotonic() - t0 < seconds:
        time.sleep(1.0)
        rss_max = max(rss_max, rss_mb())
        level = rec.level()  # as a UI would, once a second
        assert level.peak_dbfs
    cpu, wall = cpu_seconds() - cpu0, time.monotonic() - t0
    stop0 = time.monotonic()
    fd = rec.stop()  # a compressed take is encoded from its journal here
    stop_s = time.monotonic() - stop0
    frames = sf.info(fd.path).frames
    return {
        "wall": wall,
        "cpu_pct": 100 * cpu / wall,
        "rss_start": rss0,
        "rss_max": rss_max,
        "rss_growth": rss_max - rss0,
        "overflows": rec.overflows,
        "dropped": rec.dropped_frames,
        "frames": frames,
        "recorded_s": frames / RATE,
        "stop_s": stop_s,
    }


def bench_bare(seconds: float, blocksize: int) -> dict[str, float]:
    def noop(indata: np.ndarray, frames: int, t: object, status: object) -> None:
        pass

    with sd.InputStream(
        device=DEVICE_IN, samplerate=RATE, channels=2, blocksize=blocksize, callback=noop
    ):
        time.sleep(1.0)
        cpu0, t0 = cpu_seconds(), time.monotonic()
        time.sleep(seconds)
        cpu, wall = cpu_seconds() - cpu0, time.monotonic() - t0
    return {"cpu_pct": 100 * cpu / wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--baseline-seconds", type=float, default=20.0)
    parser.add_argument("--blocksize", type=int, default=1024)
    parser.add_argument(
        "--format", default="wav", choices=["wav", "flac", "ogg", "mp3"],
        help="file format of the take (flac/ogg/mp3 go through a WAV journal)",
    )
    parser.add_argument(
        "--tone", action="store_true", help="play a tone into the speaker meanwhile"
    )
    args = parser.parse_args()

    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        if args.tone:
            stack.enter_context(
                sd.OutputStream(
                    device=DEVICE_OUT,
                    samplerate=RATE,
                    channels=2,
                    blocksize=1024,
                    latency="high",
                    callback=TonePlayer(),
                )
            )
        ours = bench_recorder(args.seconds, args.blocksize, Path(tmp), args.format)
        bare = bench_bare(args.baseline_seconds, args.blocksize)
    print(
        f"recording {args.seconds:g} s at 48 kHz stereo to {args.format.upper()}, "
        f"blocksize {args.blocksize}"
    )
    print(
        f"  recorded          {ours['recorded_s']:.2f} s ({ours['frames']} frames; wall {ours['wall']:.1f} s + warm-up)"
    )
    print(f"  overflows         {ours['overflows']} (dropped frames {ours['dropped']})")
    per_minute = ours["stop_s"] / max(ours["recorded_s"] / 60, 1e-9)
    print(f"  stop()            {ours['stop_s']:.2f} s ({per_minute:.2f} s per minute of audio)")
    print(f"  CPU (ours)        {ours['cpu_pct']:.2f} % of one core")
    print(
        f"  CPU (bare stream) {bare['cpu_pct']:.2f} % of one core  -> ratio {ours['cpu_pct'] / max(bare['cpu_pct'], 1e-9):.2f}x"
    )
    print(
        f"  RSS               {ours['rss_start']:.1f} MB -> max {ours['rss_max']:.1f} MB (growth {ours['rss_growth']:.2f} MB)"
    )


if __name__ == "__main__":
    main()
