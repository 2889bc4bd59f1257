"""JobStatus: one line telling which functions run, with their progress (show_progress)."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.widgets import Static


class JobStatus(Static):
    """`full` shows a bar and description, `minimal` a timer, `hidden` nothing.

    A job still waiting for its turn (trigger mode / concurrency) shows as pending, so a
    second click visibly queued instead of silently doing nothing.
    """

    DEFAULT_CSS = """
    JobStatus { height: 1; dock: bottom; padding: 0 1; background: $boost; display: none; }
    JobStatus.-busy { display: block; }
    """
    """A single docked line, shown only while something runs."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.jobs: dict[int, dict[str, Any]] = {}
        self._shown: Text | None = None

    def on_mount(self) -> None:
        # Ticks only while something runs (its elapsed time); an idle app repaints nothing.
        self._clock = self.set_interval(0.25, self._redraw, pause=not self.jobs)

    def started(self, job: Any) -> None:
        self.jobs[id(job)] = {"job": job, "since": time.monotonic(), "progress": None,
                              "desc": None}
        self._redraw()

    def finished(self, job: Any) -> None:
        self.jobs.pop(id(job), None)
        self._redraw()

    def progress(self, job: Any, fraction: float | None, desc: str | None) -> None:
        entry = self.jobs.get(id(job))
        if entry is not None:
            entry["progress"], entry["desc"] = fraction, desc
            self._redraw()

    def _redraw(self) -> None:
        text = Text()
        shown = 0
        for entry in self.jobs.values():
            job = entry["job"]
            dep = getattr(job, "dep", None)
            mode = getattr(dep, "show_progress", "full")
            if mode == "hidden":
                continue
            name = getattr(dep, "name", "function")
            status = getattr(job, "status", "running")
            elapsed = time.monotonic() - entry["since"]
            text.append("⏳ " if status == "pending" else "⚙ ", style="bold")
            text.append(f"{name} ", style="bold")
            text.append("pending " if status == "pending" else "")
            text.append(f"{elapsed:.1f}s")
            fraction = entry["progress"]
            if mode == "full" and fraction is not None:
                filled = int(round(max(0.0, min(fraction, 1.0)) * 20))
                text.append(" " + "█" * filled + "░" * (20 - filled) + f" {fraction:.0%}")
            if mode == "full" and entry["desc"]:
                text.append(f" {entry['desc']}", style="italic")
            text.append("   ")
            shown += 1
        self.set_class(shown > 0, "-busy")
        clock = getattr(self, "_clock", None)  # None before mount
        if clock is not None:
            clock.resume() if self.jobs else clock.pause()
        if self._shown is not None and (text.plain, text.spans) == (
                self._shown.plain, self._shown.spans):
            return  # Static.update would re-run the layout for the same text
        self._shown = text
        self.update(text)
