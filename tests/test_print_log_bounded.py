"""The print log is bounded (issue 8): a ring of recent lines in memory, every line in a file.

200k printed lines once grew the process from 90 MB to 1.09 GB: every line was kept in a list
and as a RichLog render deferred while the log was hidden. benchmarks/bench_print_log.py
measures 1M lines; these tests pin the structure that keeps memory flat, the redraw batching,
and `write_text`, which other threads (subprocess output) call.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from test_tui_support import app_for, settle
from textual.pilot import Pilot

import audiotui as gr
from audiotui.tui.widgets.print_log import PENDING_CHARS, REDRAW_INTERVAL, RING_LINES, PrintLog


async def _taken_in(pilot: Pilot[Any], log: PrintLog, total: int, timeout: float = 20) -> None:
    """Wait until the log has taken in `total` lines (it draws at most ten times a second)."""
    deadline = time.monotonic() + timeout
    while len(log.history) < min(total, RING_LINES) or log.history[-1] != f"line {total - 1}":
        assert time.monotonic() < deadline, f"only {len(log.history)} lines arrived"
        await pilot.pause(0.05)
    await pilot.pause(2 * REDRAW_INTERVAL)


def _printing_app(n: int, gap: float = 0.0) -> tuple[gr.Blocks, gr.Button]:
    def shout() -> None:
        for i in range(n):
            print(f"line {i}")
            if gap:
                time.sleep(gap)

    with gr.Blocks() as demo:
        btn = gr.Button("print")
        btn.click(shout, None, None)
    return demo, btn


async def test_a_print_storm_keeps_a_ring_in_memory_and_every_line_in_the_file() -> None:
    n = 30_000
    demo, btn = _printing_app(n)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        log = app.query_one(PrintLog)
        await pilot.click(app.component_widgets[btn.id].query_one("Button"))
        await settle(pilot)
        await _taken_in(pilot, log, n)
        assert len(log.history) == RING_LINES
        assert log.history[0] == f"line {n - RING_LINES}"
        assert log.unseen == n
        # Nothing per line piles up in the hidden RichLog (its renders wait for a size).
        assert len(log.lines) + len(log._deferred_renders) <= RING_LINES
        path = getattr(log, "path", None)
        assert path is not None and str(path) in str(log.border_title)
        assert path.read_text().splitlines() == [f"line {i}" for i in range(n)]
        await pilot.press("ctrl+l")  # opening draws the ring, not the whole history
        await pilot.pause(0.3)
        assert log.unseen == 0
        assert 0 < len(log.lines) <= RING_LINES
        assert log.lines[-1].text.rstrip() == f"line {n - 1}"


async def test_redraws_are_batched_at_most_ten_a_second() -> None:
    n, gap = 200, 0.005  # about a second of steady printing
    demo, btn = _printing_app(n, gap)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        log = app.query_one(PrintLog)
        await pilot.press("ctrl+l")
        writes = []
        original = log.write

        def counting_write(*args: Any, **kwargs: Any) -> Any:
            writes.append(time.monotonic())
            return original(*args, **kwargs)

        log.write = counting_write  # type: ignore[method-assign]
        start = time.monotonic()
        await pilot.click(app.component_widgets[btn.id].query_one("Button"))
        await settle(pilot)
        await _taken_in(pilot, log, n)
        seconds = time.monotonic() - start
        assert len(writes) <= seconds / REDRAW_INTERVAL + 2, (len(writes), seconds)
        assert log.lines[-1].text.rstrip() == f"line {n - 1}"


async def test_write_text_is_thread_safe_and_keeps_each_writer_in_order() -> None:
    with gr.Blocks() as demo:
        gr.Textbox("a")
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        log = app.query_one(PrintLog)
        per_thread = 3000

        def writer(name: str) -> None:
            for i in range(per_thread):
                # Chunks cut mid-line, as a pipe reader hands them over; one thread's line
                # arrives whole (chunk by chunk under the writer's own order) per write.
                log.write_text(f"{name} {i}\n")

        threads = [threading.Thread(target=writer, args=(f"t{k}",)) for k in range(4)]
        for thread in threads:
            thread.start()
        log.write_text(b"bytes are decoded \xe2\x9c\x93\n")
        for thread in threads:
            thread.join()
        log.flush()
        await pilot.pause(2 * REDRAW_INTERVAL)
        assert log.path is not None
        lines = log.path.read_text().splitlines()
        assert len(lines) == 4 * per_thread + 1
        assert "bytes are decoded \u2713" in lines
        for k in range(4):
            mine = [line for line in lines if line.startswith(f"t{k} ")]
            assert mine == [f"t{k} {i}" for i in range(per_thread)]
        assert log.total_lines == 4 * per_thread + 1


async def test_queued_text_stays_bounded_while_the_ui_thread_is_busy() -> None:
    """A tight print loop can starve the UI thread; the writer then files the text itself."""
    with gr.Blocks() as demo:
        gr.Textbox("a")
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        log = app.query_one(PrintLog)
        n = 100_000
        for i in range(n):  # on the UI thread: no drain can run in between
            log.write_text(f"line {i} with a few more words to take up some room\n")
        queued = sum(len(chunk) for chunk in log._pending)
        assert queued <= PENDING_CHARS + 100
        assert log.total_lines > n - PENDING_CHARS // 40
        log.flush()
        assert log.total_lines == n and log.history[-1].startswith(f"line {n - 1} ")
        await pilot.pause()


async def test_a_progress_bar_redrawn_with_carriage_returns_is_one_short_line() -> None:
    """tqdm writes "\\r<bar>" without a newline; the unfinished line must not grow forever."""
    with gr.Blocks() as demo:
        gr.Textbox("a")
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        log = app.query_one(PrintLog)
        for i in range(50_000):
            log.write_text(f"\r{i:6d}/50000 |{'#' * (i // 2500)}")
        log.flush()
        assert len(log._partial) < 100
        log.write_text("\ndone\n")
        log.flush()
        assert log.history == [f" 49999/50000 |{'#' * 19}", "done"]
        await pilot.pause()


async def test_an_open_log_draws_a_burst_s_tail_then_exactly_the_ring() -> None:
    n = 20_000
    demo, btn = _printing_app(n)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        log = app.query_one(PrintLog)
        await pilot.press("ctrl+l")
        await pilot.click(app.component_widgets[btn.id].query_one("Button"))
        await settle(pilot)
        await _taken_in(pilot, log, n)
        await pilot.pause(0.5)  # the burst is over: the whole ring is drawn once
        drawn = [strip.text.rstrip() for strip in log.lines]
        assert drawn == [f"line {i}" for i in range(n - RING_LINES, n)]
