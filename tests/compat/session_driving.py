"""Driving a compat app headless the way the TUI does: a Session, its events and its jobs."""

from __future__ import annotations

from typing import Any

from compat.audio_checks import APPS

from audiotui.loader import load_app
from audiotui.runtime import Session


async def started_session(name: str) -> tuple[Any, Session]:
    demo = load_app(APPS / name)
    session = Session(demo)
    await session.start()
    await session.wait_idle()  # demo.load listeners (and example caching) finish too
    return demo, session
