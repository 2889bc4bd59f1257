"""A lab recording's cost: `audiotui record` of 16 channels at 48 kHz with the live status line.

Target (issue 12): < 10 % of one core, flat memory. Plays a different tone into each channel of
a 16-channel null sink (tests/lab16.py) and runs, on a pseudo-terminal so the status line is
drawn (4 redraws a second), the command a lab would run:

    audiotui record lab.wav -d pulse -c 16 -r 48000 --split 1m --alarm-silence 30s --alarm-clip

for --seconds, sampling the process's CPU (utime+stime from /proc) and RSS every 5 s after a
10 s warm-up. Then, in the same run, a bare sounddevice InputStream of the same 16 channels
whose callback does nothing, in a process of its own, for --baseline-seconds: the floor PortAudio
and the sound server's client library cost anyway. Needs a private virtual sound server:

    bash scripts/with-virtual-audio.sh .venv/bin/python benchmarks/bench_record_lab.py --seconds 600
"""

from __future__ import annotations

import argparse
import os
import pty
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from lab16 import CHANNELS, RATE, lab16_running  # noqa: E402

WARMUP = 10.0
SAMPLE_EVERY = 5.0
TICKS = os.sysconf("SC_CLK_TCK")

BARE = f"""
import sys, time
import sounddevice as sd
def cb(indata, frames, t, status):
    pass
with sd.InputStream(device="pulse", channels={CHANNELS}, samplerate={RATE}, blocksize=1024,
                    dtype="float32", callback=cb):
    time.sleep(float(sys.argv[1]))
"""


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(proc: subprocess.Popen[bytes], seconds: float) -> dict[str, float]:
    """CPU share of one core and RSS of `proc` from WARMUP to WARMUP + seconds."""
    time.sleep(WARMUP)
    t0, c0 = time.monotonic(), cpu_seconds(proc.pid)
    rss = [rss_mb(proc.pid)]
    while time.monotonic() - t0 < seconds and proc.poll() is None:
        time.sleep(min(SAMPLE_EVERY, max(0.0, seconds - (time.monotonic() - t0))))
        rss.append(rss_mb(proc.pid))
    elapsed = time.monotonic() - t0
    cpu = cpu_seconds(proc.pid) - c0
    half = len(rss) // 2
    return {
        "seconds": elapsed,
        "cpu_share": cpu / elapsed,
        "rss_start": rss[0],
        "rss_end": rss[-1],
        "rss_max": max(rss),
        # second half vs first half: a leak shows as steady growth here, start-up does not
        "rss_late_growth": (max(rss[half:]) - max(rss[: half + 1])) if len(rss) > 2 else 0.0,
        # the largest RSS of each minute, to see whether growth levels off
        "rss_by_minute": [max(rss[i : i + 12]) for i in range(0, len(rss), 12)],  # type: ignore[dict-item]
    }


def bench_ours(seconds: float, folder: Path, env: dict[str, str]) -> tuple[dict[str, float], str]:
    master, slave = pty.openpty()
    argv = [sys.executable, "-m", "audiotui", "record", str(folder / "lab.wav"), "-d", "pulse",
            "-c", str(CHANNELS), "-r", str(RATE), "--split", "1m", "--alarm-silence", "30s",
            "--alarm-clip", "-t", f"{seconds + WARMUP + 5:.0f}s"]
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                            env={**env, "COLUMNS": "120", "PYTHONIOENCODING": "utf-8"})
    os.close(slave)
    seen = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            seen.extend(chunk[-4096:] if len(seen) > 1 << 20 else chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        result = measure(proc, seconds)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        os.close(master)
    text = bytes(seen).decode("utf-8", "replace")
    result["redraws"] = text.count("\r")
    result["newlines"] = text.count("\n")
    last = [seg for seg in text.split("\r") if "|" in seg]
    return result, (last[-1].split("\x1b[K")[0] if last else "")


def bench_bare(seconds: float, env: dict[str, str]) -> dict[str, float]:
    proc = subprocess.Popen([sys.executable, "-c", BARE, str(seconds + WARMUP + 5)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return measure(proc, seconds)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--baseline-seconds", type=float, default=60.0)
    args = parser.parse_args()
    with lab16_running() as lab, tempfile.TemporaryDirectory() as tmp:
        ours, line = bench_ours(args.seconds, Path(tmp), lab.env)
        files = sorted(p.name for p in Path(tmp).glob("lab-*.wav"))
        bare = bench_bare(args.baseline_seconds, lab.env)
    print(f"16 channels x {RATE} Hz, PCM_16, --split 1m, alarms on, live line on a pty")
    print(f"  audiotui record   {ours['seconds']:.0f} s measured (after {WARMUP:.0f} s warm-up)")
    print(f"    CPU             {100 * ours['cpu_share']:.1f} % of one core (target < 10 %)")
    print(f"    RSS             {ours['rss_start']:.1f} MB -> {ours['rss_end']:.1f} MB, max "
          f"{ours['rss_max']:.1f} MB, growth second half vs first {ours['rss_late_growth']:+.2f} MB")
    minutes = " ".join(f"{v:.1f}" for v in ours["rss_by_minute"])  # type: ignore[attr-defined]
    print(f"    RSS per minute  {minutes} MB")
    print(f"    status line     {ours['redraws']:.0f} redraws, {ours['newlines']:.0f} newlines; "
          f"last: {line!r}")
    print(f"    files           {len(files)} ({', '.join(files[:3])}{'...' if len(files) > 3 else ''})")
    print(f"  bare InputStream  {bare['seconds']:.0f} s: CPU {100 * bare['cpu_share']:.1f} % of "
          f"one core, RSS {bare['rss_max']:.1f} MB")
    if bare["cpu_share"] > 0:
        print(f"  ratio             {ours['cpu_share'] / bare['cpu_share']:.2f} x the bare stream")


if __name__ == "__main__":
    main()
