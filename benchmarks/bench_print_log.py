"""Memory and time of a print storm: a handler printing 1M lines inside the TUI.

Issue 8: 200k printed lines took the process from 90 MB to 1.09 GB RSS. The print log now
keeps a ring of recent lines and writes the rest to a file; the target is less than +50 MB
of RSS growth for 1M lines.

The app runs headless under Textual's Pilot (as the tests drive it); a button runs a handler
that prints N lines. Reported: the time from the click until the job finished and the log
took in every line, the RSS growth (current and peak) over the run, and, as a baseline in the
same process, the same handler printing to /dev/null outside the app.

Usage: python benchmarks/bench_print_log.py [N] [--open]
    N defaults to 1,000,000 lines; --open keeps the log open while the lines arrive (drawn
    at most ten times a second). Asserts nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def _status(field: str) -> float:
    """A /proc/self/status field in MB (VmRSS now, VmHWM the peak)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Make VmHWM start again from the current RSS (Linux >= 4.0); False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def _printer(n: int) -> Any:
    def shout() -> str:
        for i in range(n):
            print(f"line {i} of the print storm, with some words after the number")
        return "done"

    return shout


async def _in_app(n: int, show: bool) -> dict[str, Any]:
    from test_tui_support import app_for, settle

    import audiotui as gr
    from audiotui.tui.widgets.print_log import PrintLog

    with gr.Blocks() as demo:
        out = gr.Textbox(label="out")
        btn = gr.Button("print")
        btn.click(_printer(n), None, out)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # Headless Textual also echoes captured prints to the real stdout; not part of the UI.
        app._original_stdout = open(os.devnull, "w")  # noqa: SIM115
        log = app.query_one(PrintLog)
        if show:
            await pilot.press("ctrl+l")
            await pilot.pause()
        rss0 = _status("VmRSS")
        peak_reset = _reset_peak()
        start = time.perf_counter()
        btn_widget = app.component_widgets[btn.id].query_one("Button")
        btn_widget.press()
        await settle(pilot)
        while log.total_lines < n:
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
        rss1 = _status("VmRSS")
        peak = _status("VmHWM")
        result = {
            "seconds": elapsed, "rss_before": rss0, "rss_after": rss1,
            "peak": peak if peak_reset else float("nan"), "value": app.session.get_value(out),
            "ring": len(log.history), "total": log.total_lines, "path": log.path,
            "file_mb": (log.path.stat().st_size / 1e6) if log.path else 0.0,
        }
        if not show:
            await pilot.press("ctrl+l")  # opening the log draws only the ring
        await pilot.pause(0.3)
        result["drawn_lines"] = len(log.lines)
        app._original_stdout.close()
    return result


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = "--open" in sys.argv[1:]
    n = int(args[0]) if args else 1_000_000
    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
        start = time.perf_counter()
        _printer(n)()
        baseline = time.perf_counter() - start
    result = asyncio.run(_in_app(n, show))
    state = "open" if show else "hidden"
    print(f"print log ({state}), {n:,} lines printed by one handler (Pilot, headless):")
    print(f"  baseline, print to /dev/null outside the app: {baseline:6.2f} s")
    print(f"  inside the app, click to last line taken in:   {result['seconds']:6.2f} s")
    print(f"  RSS {result['rss_before']:.0f} MB -> {result['rss_after']:.0f} MB "
          f"(+{result['rss_after'] - result['rss_before']:.1f} MB; peak during the run "
          f"{result['peak']:.0f} MB, +{result['peak'] - result['rss_before']:.1f} MB; "
          f"target < +50 MB)")
    print(f"  lines kept in memory: {result['ring']:,} of {result['total']:,}; "
          f"drawn when opened: {result['drawn_lines']:,}; "
          f"file {result['path']} ({result['file_mb']:.1f} MB)")
    print(f"  handler result: {result['value']!r}")


if __name__ == "__main__":
    main()
