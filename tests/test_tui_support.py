"""Shared helpers (no tests) for the TUI tests: build the app exactly as `audiotui run` does, let it settle."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from audiotui.tui.app import AudiotuiApp
from audiotui.tui.launch import make_app

WORKER_GROUPS = frozenset({"peaks", "upload", "download", "edit", "file", "transport",
                           "recording", "hardware"})
"""The widgets' own background work (the app's action queue never finishes)."""


def app_for(blocks: Any, **kwargs: Any) -> AudiotuiApp:
    """`make_app` without the PortAudio probe (tests that need hardware set it themselves)."""
    app = make_app(blocks, **kwargs)
    app.probe_hardware = False
    return app


async def _wait_for_widget_workers(app: AudiotuiApp, rounds: int = 5) -> None:
    """Until the widgets' busy workers are done; one cancelled meanwhile is not an error.

    An exclusive worker (a new waveform's peaks) cancels the one it replaces: waiting for the
    old one then raised WorkerCancelled (seen with a metronome app redrawing its output), so
    a cancelled one is skipped and, a bounded number of rounds, its successor waited for.
    A worker that failed still raises.
    """
    for _ in range(rounds):
        busy = [w for w in app.workers if w.group in WORKER_GROUPS and not w.is_finished]
        if not busy:
            return
        results = await asyncio.gather(*(w.wait() for w in busy), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, WorkerCancelled):
                raise result
        if not any(isinstance(result, WorkerCancelled) for result in results):
            return


async def settle(pilot: Pilot[Any]) -> None:
    """Let queued user actions reach the Session, its jobs finish and the UI redraw."""
    app = pilot.app
    assert isinstance(app, AudiotuiApp)
    await pilot.pause()
    await app.settle()
    await app.session.wait_idle()
    await _wait_for_widget_workers(app)
    await pilot.pause()
    await app.settle()
    await app.session.wait_idle()
    await pilot.pause()
