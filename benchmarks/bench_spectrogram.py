"""Spectrogram: frame time, bytes per frame over SSH, and the extra cost on the peaks pass.

Run: .venv/bin/python benchmarks/bench_spectrogram.py [--minutes 60] [--fps 20]

Figures, all from this run (budget from issue 12: a frame < 5 ms, < 20 kB per frame):
- frame time at 200x8 and 80x6 cells: the engine query (`SpectrumPyramid.columns`, what a
  zoom or scroll costs) plus the pure renderer, and the renderer alone (what a playhead move
  costs: the columns are cached), each the median of many frames over a 1-hour pyramid;
- bytes per frame as Textual writes them: the frame's strips rendered to ANSI by Textual's own
  `Strip.render` with a 256-colour console (one SGR sequence per segment, as over SSH), plus
  the cursor move per line, for a chirp with noise, speech-like formants, white noise, silence,
  and a worst case of independent random levels per cell; with kB/s at `--fps`;
- the peaks pass of a `--minutes` 48 kHz stereo WAV alone and with the spectrum fed from it
  (`summarise_file`), each in a fresh process (time and peak RSS growth), and the ratio;
  then zoomed-in frames of that file: what the UI thread draws at once (level-0 columns) and
  what the worker that re-reads and analyses the samples for the exact columns costs.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

SR = 48000


def _median_ms(fn: Any, repeat: int = 200) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1e3


def _signals(seconds: float) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    t = np.arange(int(seconds * SR)) / SR
    k = np.log(8000 / 100) / seconds
    chirp = 0.4 * np.sin(2 * np.pi * 100 * (np.exp(k * t) - 1) / k)
    pitch = 140 + 40 * np.sin(2 * np.pi * 0.3 * t)  # a voice-like harmonic stack, syllables
    phase = 2 * np.pi * np.cumsum(pitch) / SR
    envelope = np.clip(np.sin(2 * np.pi * 2.5 * t), 0, 1)
    speech = envelope * sum(0.3 / h * np.sin(h * phase) for h in range(1, 25))
    return {
        "chirp + noise": chirp + 0.02 * rng.standard_normal(len(t)),
        "speech-like": speech + 0.005 * rng.standard_normal(len(t)),
        "white noise": 0.2 * rng.standard_normal(len(t)),
        "silence": np.zeros(len(t)),
    }


def frame_figures(fps: int) -> None:
    from rich.console import Console
    from textual.strip import Strip

    from audiotui.media.spectrum import SpectrumPyramid
    from audiotui.tui.spectrogram import render_spectrogram

    console = Console(file=io.StringIO(), color_system="256", force_terminal=True, width=400)

    def frame_bytes(lines: list[Any]) -> int:
        # Textual positions each line (CSI row;col H) and writes its strip
        return sum(len(Strip(line).render(console).encode()) + len(b"\x1b[10;1H")
                   for line in lines)

    hour = SpectrumPyramid(SR, 1, capacity_frames=3600 * SR)
    chunk = _signals(60.0)["chirp + noise"].astype(np.float32)
    t0 = time.perf_counter()
    for _ in range(60):
        hour.append(chunk)
    print(f"1-hour 48 kHz mono pyramid built from 60 appends in {time.perf_counter() - t0:.1f} s")
    rng = np.random.default_rng(1)
    print("frame time (median):")
    for width, height in ((200, 8), (80, 6)):
        for window in (3600.0, 60.0, 5.0):
            span = int(window * SR)

            def query_and_draw(width: int = width, height: int = height,
                               span: int = span) -> None:
                start = int(rng.integers(0, hour.frames - span + 1))
                db = hour.columns(start, start + span, width)
                render_spectrogram(db, height, edges=hour.edges, playhead=width // 3)

            total = _median_ms(query_and_draw, 100)
            db = hour.columns(0, span, width)
            draw = _median_ms(lambda db=db, height=height, width=width: render_spectrogram(
                db, height, edges=hour.edges, playhead=width // 3))
            print(f"  {width}x{height} window {window:>6g} s: query+draw {total:6.2f} ms, "
                  f"draw only {draw:5.2f} ms (target < 5 ms)")
    from audiotui.tui.lanes import lane_layout
    from audiotui.tui.widgets.spectrogram_view import SegmentLines, SpectrogramPainter

    print("whole view frame as the widget draws it (painter lines + ruler/legend, laid out by "
          "Rich into strips as Textual does), playhead moving:")
    for width, height in ((200, 9), (80, 7)):
        painter = SpectrogramPainter()
        lanes = lane_layout(1, height - 1)
        options = console.options.update_width(width)

        def view_frame(width: int = width, painter: SpectrogramPainter = painter,
                       lanes: Any = lanes, options: Any = options) -> None:
            lines = painter.lines(hour, lanes, 0.0, 60.0, width, playhead=width // 3,
                                  depth="256", charset="braille")
            lines.append(painter.footer(0.0, 60.0, width, depth="256", charset="braille"))
            [Strip(line) for line in console.render_lines(SegmentLines(lines), options)]

        print(f"  {width}x{height} (incl. ruler line): {_median_ms(view_frame):.2f} ms")
    print(f"bytes per frame (Textual Strip.render, 256 colours), at {fps} fps:")
    for name, signal in _signals(20.0).items():
        spectrum = SpectrumPyramid.from_array(SR, signal.astype(np.float32))
        for width, height in ((200, 8), (80, 6)):
            db = spectrum.columns(0, spectrum.frames, width)
            size = frame_bytes(render_spectrogram(db, height, edges=spectrum.edges,
                                                  playhead=width // 3))
            print(f"  {name:<14} {width}x{height}: {size / 1000:5.1f} kB/frame "
                  f"({size * fps / 1000:6.0f} kB/s)")
    for width, height in ((200, 8), (80, 6)):
        worst = np.random.default_rng(2).uniform(-90, 0, (width, 64)).astype(np.float32)
        size = frame_bytes(render_spectrogram(worst, height))
        print(f"  {'random cells':<14} {width}x{height}: {size / 1000:5.1f} kB/frame "
              f"(worst case: every cell a new colour pair)")


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def measure(kind: str, path: str) -> dict[str, float]:
    """In a fresh process: one pass over the file, its time and peak RSS growth."""
    from audiotui.media.peaks import PeakPyramid
    from audiotui.media.spectrum import summarise_file

    rss_start = _status_kb("VmRSS")
    start = time.perf_counter()
    if kind == "peaks":
        PeakPyramid.from_file(path)
    else:
        summarise_file(path)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "rss_growth_mb": (_status_kb("VmHWM") - rss_start) / 1024}


def run_child(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--measure", kind, str(path)],
                         capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout))


def pass_figures(minutes: float) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_peaks import make_wav

    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "long.wav"
        make_wav(wav, minutes)
        run_child("peaks", wav)  # warm the page cache
        runs: dict[str, list[dict[str, float]]] = {"peaks": [], "both": []}
        for _ in range(2):  # alternate, keep the best of each (the machine is shared)
            for kind in runs:
                runs[kind].append(run_child(kind, wav))
        peaks = min(runs["peaks"], key=lambda r: r["seconds"])
        both = min(runs["both"], key=lambda r: r["seconds"])
        print(f"{minutes:g} min 48 kHz stereo WAV ({wav.stat().st_size / 1e6:.0f} MB), one read:")
        print(f"  peaks alone          : {peaks['seconds']:.2f} s, "
              f"RSS +{peaks['rss_growth_mb']:.1f} MB")
        print(f"  peaks + spectrum     : {both['seconds']:.2f} s, "
              f"RSS +{both['rss_growth_mb']:.1f} MB")
        print(f"  ratio                : {both['seconds'] / peaks['seconds']:.2f}")
        from audiotui.media.spectrum import summarise_file
        from audiotui.tui.spectrogram import render_spectrogram

        _, spectrum = summarise_file(wav)
        rng = np.random.default_rng(3)
        for window in (10.0, 4.0, 1.0):  # 4 s and 1 s: the samples are re-read and analysed
            span = int(window * SR)

            def zoomed(span: int = span) -> None:
                start = int(rng.integers(0, spectrum.frames - span))
                db = spectrum.columns(start, start + span, 200)
                render_spectrogram(db, 8, edges=spectrum.edges)

            quick = int(window * SR)

            def provisional(span: int = quick) -> None:
                start = int(rng.integers(0, spectrum.frames - span))
                db = spectrum.columns(start, start + span, 200, exact=False)
                render_spectrogram(db, 8, edges=spectrum.edges)

            print(f"  zoomed in, {window:g} s window, 200x8: UI frame {_median_ms(provisional):.2f}"
                  f" ms; exact columns (worker thread, re-read) {_median_ms(zoomed, 30):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--fps", type=int, default=20, help="the UI's default frame rate")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    frame_figures(args.fps)
    pass_figures(args.minutes)


if __name__ == "__main__":
    main()
