"""OutputClock: an output shows how long its function has been running, as Gradio's does.

The job bar at the bottom names the function; the clock sits on the output itself (its label
line: "out · running 3.2 s"), where the eye waits for the result. One timer serves every
running output and stops when none is running.
"""

from __future__ import annotations

import time
from typing import Any

from textual.widgets import Static

TICK_SECONDS = 0.2
"""Repaint interval of the clocks (tenths are shown; a faster tick buys nothing)."""


class OutputClock:
    """Elapsed-time clocks on the label lines of outputs whose function runs."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._since: dict[int, tuple[Any, float]] = {}
        self._timer: Any = None

    def set_running(self, widget: Any, running: bool) -> None:
        """Start (or stop and remove) the clock on `widget`'s label line."""
        if running:
            self._since.setdefault(id(widget), (widget, time.monotonic()))
            if self._timer is None:
                self._timer = self.app.set_interval(TICK_SECONDS, self._tick)
            self._show(widget, 0.0)
            return
        if self._since.pop(id(widget), None) is not None:
            self._show(widget, None)
        if not self._since and self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _tick(self) -> None:
        now = time.monotonic()
        for widget, since in list(self._since.values()):
            self._show(widget, now - since)

    @staticmethod
    def _show(widget: Any, elapsed: float | None) -> None:
        if not widget.is_mounted:
            return
        for label in widget.query(".component-label").results(Static):
            base = getattr(widget, "_label_text", "") or ""
            if elapsed is None:
                label.update(base)
                label.display = bool(getattr(widget, "_show_label", True)) and bool(base)
            else:
                label.update(f"{base + ' · ' if base else ''}running {elapsed:.1f} s")
                label.display = True
