"""Key press to repaint latency of `audiotui run`, measured in a pseudo-terminal.

Types letters into a Textbox of a small app (the first field has the focus after one Tab)
and times each key from the write to the pty until the letter arrives in the terminal
output; also times the audio widget's zoom key until the waveform's ruler changes. Prints
medians and the 90th percentile (target < 50 ms) next to a baseline measured in the same
run: a raw-mode Python echo loop on the same kind of pty (the pty and wake-up cost alone).

Asserts nothing; needs no sound hardware.
"""

from __future__ import annotations

import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_tui_recording import BIN, PtyApp

LETTERS = b"QXWVZQXWVZQXWVZQXWVZ"
"""Capitals that never occur in Textual's escape sequences, so each arrival is the letter."""
GAP = 0.15
"""Seconds between keys, so each repaint is timed on its own."""

APP = '''
import numpy as np
import audiotui as gr

with gr.Blocks() as demo:
    name = gr.Textbox(label="Type here")
    echo = gr.Textbox(label="Echo")
    name.change(lambda s: s, name, echo)
    sr = 16000
    clip = gr.Audio(value=(sr, (0.5 * np.sin(np.arange(4 * sr) / 7)).astype(np.float32)),
                    label="Clip")
'''

ECHO = (
    "import os, sys, tty\n"
    "tty.setraw(0)\n"
    "os.write(1, b'ready')\n"
    "while True:\n"
    "    os.write(1, os.read(0, 1))\n"
)


def _time_letters(app: PtyApp) -> list[float]:
    times = []
    for key in LETTERS:
        app.drain(GAP)
        mark = len(app.output)
        start = time.perf_counter()
        app.send(bytes([key]))
        app.wait_for(bytes([key]), timeout=2.0, since=mark)
        times.append(time.perf_counter() - start)
    return [t for t in times if not math.isnan(t)]


def _summary(label: str, times: list[float]) -> str:
    if not times:
        return f"{label}: no repaint seen"
    ordered = sorted(times)
    p90 = ordered[min(int(0.9 * len(ordered)), len(ordered) - 1)]
    return (f"{label}: median {1000 * statistics.median(times):6.1f} ms, "
            f"p90 {1000 * p90:6.1f} ms ({len(times)} keys)")


def main() -> None:
    echo = PtyApp([sys.executable, "-c", ECHO])
    try:
        echo.wait_for(b"ready")
        baseline = _time_letters(echo)
    finally:
        echo.close()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "keys_app.py"
        path.write_text(APP)
        app = PtyApp([str(BIN / "audiotui"), "run", str(path)])
        try:
            app.wait_for(b"Clip")
            app.drain(1.5)  # first frame, the value load and the waveform's peaks
            app.send(b"\t")  # the main column -> the first Textbox
            app.drain(0.5)
            typed = _time_letters(app)
            app.send(b"\t")  # -> the audio waveform (the display-only Echo is skipped)
            app.drain(0.5)
            zooms = []
            for key in b"+-" * 5:
                app.drain(GAP)
                mark = len(app.output)
                start = time.perf_counter()
                app.send(bytes([key]))
                app.drain(0.0)
                # the ruler's labels change with the zoom; any repaint bytes count
                while len(app.output) == mark and time.perf_counter() - start < 2.0:
                    app.drain(0.001)
                if len(app.output) > mark:
                    zooms.append(time.perf_counter() - start)
        finally:
            app.close()
    print(_summary("raw pty echo (baseline)    ", baseline))
    print(_summary("Textbox letter -> on screen", typed))
    print(_summary("waveform zoom -> repaint   ", zooms))
    if baseline and typed:
        print(f"Textbox median is {statistics.median(typed) / statistics.median(baseline):.0f}x "
              f"the raw echo; target < 50 ms")


if __name__ == "__main__":
    main()
