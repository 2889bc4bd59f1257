"""What keeps a recording cheap: the live waveform, meter and job line repaint only on change."""

from __future__ import annotations

from typing import Any

import numpy as np
from test_tui_support import app_for, settle
from textual.app import App, ComposeResult

import audiotui as gr
from audiotui.media.peaks import PeakPyramid
from audiotui.tui.widgets.job_status import JobStatus
from audiotui.tui.widgets.waveform_view import WaveformView


class _ViewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield WaveformView()


def _count_refreshes(widget: Any) -> list[int]:
    calls: list[int] = []
    original = widget.refresh

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    widget.refresh = counting
    return calls


async def test_live_waveform_scrolls_in_whole_columns_and_skips_identical_frames() -> None:
    rate = 8000
    t = np.arange(int(12.34 * rate)) / rate
    pyramid = PeakPyramid.from_array(rate, (0.5 * np.sin(2 * np.pi * 3 * t)).astype(np.float32))
    app = _ViewApp()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(WaveformView)
        view.show(pyramid)
        await pilot.pause()
        view.follow_end(10.0)
        step = 10.0 / (view.size.width * 2)  # braille: two peak columns per cell
        assert view.view_end - view.view_start == 10.0
        assert abs(view.view_start / step - round(view.view_start / step)) < 1e-9
        assert view.view_start <= pyramid.duration - 10.0 < view.view_start + step
        refreshes = _count_refreshes(view)
        view.follow_end(10.0)  # no new frames: nothing to repaint
        assert refreshes == []
        pyramid.append(np.zeros((int(step * rate * 3), 1), np.float32))  # three columns more
        view.follow_end(10.0)
        assert len(refreshes) == 1


async def test_idle_app_repaints_no_job_line_and_a_run_shows_then_hides_it() -> None:
    with gr.Blocks() as demo:
        box = gr.Textbox(label="in")
        out = gr.Textbox(label="out")
        box.submit(lambda s: s, box, out)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = app.query_one(JobStatus)
        updates = _count_refreshes(status)
        await pilot.pause(0.8)  # three ticks of the old 0.25 s clock
        assert updates == []
        await app.session.user_input(box, "hi")
        app.session.trigger(box, "submit")
        await settle(pilot)
        assert app.session.get_value(out) == "hi"
        assert updates  # the run was shown
        assert not status.has_class("-busy")
