"""Shared helpers (no tests) for the TUI tests: build the app exactly as `audiotui run` does, let it settle."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

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


async def settle(pilot: Pilot[Any]) -> None:
    """Let queued user actions reach the Session, its jobs finish and the UI redraw."""
    app = pilot.app
    assert isinstance(app, AudiotuiApp)
    await pilot.pause()
    await app.settle()
    await app.session.wait_idle()
    busy = [w for w in app.workers if w.group in WORKER_GROUPS and not w.is_finished]
    if busy:
        await app.workers.wait_for_complete(busy)
    await pilot.pause()
    await app.settle()
    await app.session.wait_idle()
    await pilot.pause()
