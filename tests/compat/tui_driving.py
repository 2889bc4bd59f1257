"""Driving a compat app in the TUI as a user does: keys, clicks, the upload path field, the mic.

Shared by tests/test_compat_tui.py; built on the TUI tests' own `app_for`/`settle` so both suites
open apps exactly as `audiotui run` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from compat.audio_checks import APPS
from test_tui_support import app_for, settle
from textual.pilot import Pilot

from audiotui.loader import load_app
from audiotui.tui.app import AudiotuiApp
from audiotui.tui.widgets.path_input import PathInput

SIZE = (140, 60)


def open_app(name: str) -> tuple[Any, AudiotuiApp]:
    demo = load_app(APPS / name)
    return demo, app_for(demo)


def shown(widget: Any, selector: str) -> str:
    """The text a widget's part (a Static) currently shows."""
    return str(widget.query_one(selector).render())


async def upload(pilot: Pilot[Any], widget: Any, path: Path | str) -> None:
    """Load a file the way a user does: `u` on the audio widget, type the path, Enter."""
    widget.view.focus()
    await pilot.press("u")
    field = widget.query_one(PathInput)
    assert field.has_focus, "the upload key should focus the path field"
    field.value = str(path)
    await pilot.press("enter")
    await settle(pilot)


async def click(pilot: Pilot[Any], app: AudiotuiApp, button: Any) -> None:
    await pilot.click(app.component_widgets[button.id])
    await settle(pilot)


def button(demo: Any, text: str) -> Any:
    return next(c for c in demo.components if type(c).__name__ == "Button" and c.value == text)


async def record_while_playing(pilot: Pilot[Any], widget: Any, virtual_audio: Any) -> None:
    """Press `r`, play 0.8 s of 660 Hz into the virtual microphone's feed, press `r`."""
    import asyncio

    import sounddevice as sd

    app = pilot.app
    for _ in range(200):  # the PortAudio probe runs after the first frame
        if getattr(app, "hardware", None) is not None:
            break
        await pilot.pause(0.02)
    assert app.hardware.available, app.hardware.reason  # type: ignore[attr-defined]
    t = np.arange(int(0.8 * 48000)) / 48000
    tone = np.concatenate([np.zeros(4800), 0.5 * np.sin(2 * np.pi * 660 * t), np.zeros(9600)])
    widget.view.focus()
    await pilot.press("r")
    await pilot.pause(0.2)
    await asyncio.to_thread(
        sd.play, tone.astype(np.float32), 48000, device=virtual_audio.mic_feed, blocking=True,
        latency="high",
    )
    await pilot.press("r")
    for _ in range(200):
        await settle(pilot)
        if widget.take is None:
            break
        await pilot.pause(0.02)
    await settle(pilot)


def hardware_app(name: str, virtual_audio: Any) -> tuple[Any, AudiotuiApp]:
    from audiotui.tui.launch import make_app

    demo = load_app(APPS / name)
    return demo, make_app(demo, input_device=virtual_audio.mic)
