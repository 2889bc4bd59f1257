"""The two directions between the UI and the engine Session, kept out of the App class.

UI -> Session: user actions are queued and handed over one at a time, in the order they were
made (an input must be stored before the click that reads it). Session -> UI: each session
event (value, props, job started/finished, progress, notice, a render) is drawn on the
widgets. The App only routes Textual messages here.
"""

from __future__ import annotations

import asyncio
from typing import Any

from audiotui.tui.layout import apply_layout_props
from audiotui.tui.widgets.job_status import JobStatus

_SEVERITY = {"info": "information", "warning": "warning", "error": "error"}


class SessionLink:
    """Queue of user actions for the Session, and the drawing of its events."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._actions: asyncio.Queue[tuple[str, Any, Any, Any]] = asyncio.Queue()
        self.tabs_set_by_app: set[int] = set()
        """Tab bars the app switched (`gr.Tabs(selected=)`): their TabActivated is no select."""

    # -- UI -> Session ------------------------------------------------------------------------
    def input(self, component: Any, value: Any, *, quiet: bool = False) -> None:
        """A value the user gave; `quiet` stores it without firing input/change listeners."""
        self._actions.put_nowait(("store" if quiet else "input", component, value, None))

    def event(self, block: Any, name: str, data: Any = None) -> None:
        self._actions.put_nowait(("event", block, name, data))

    async def drain(self) -> None:
        """Hand actions to the Session one at a time, in the order the user made them."""
        session = self.app.session
        while True:
            kind, component, first, data = await self._actions.get()
            try:
                if kind == "input":
                    self._show_queued(await session.user_input(component, first))
                elif kind == "store":
                    session.set_value(component, first)
                elif first in type(component).EVENTS:
                    self._show_queued(session.trigger(component, first, data))
            except Exception as exc:  # the engine names the problem; show it, keep running
                self.app.notify(str(exc), title=f"{type(component).__name__} {first}",
                                severity="error")

    async def settle(self) -> None:
        """Wait until queued actions were handed over (tests and benchmarks use it)."""
        while not self._actions.empty():
            await asyncio.sleep(0.01)
        await asyncio.sleep(0)

    def _job_status(self) -> JobStatus | None:
        return next(iter(self.app.query(JobStatus).results(JobStatus)), None)

    def _show_queued(self, jobs: list[Any]) -> None:
        """A run waiting for its turn (concurrency limit, trigger mode) shows as pending."""
        status = self._job_status()
        if status is None:
            return
        for job in jobs or []:
            if getattr(job, "status", None) == "pending":
                status.started(job)

    # -- Session -> UI ------------------------------------------------------------------------
    async def show(self, event: Any) -> None:
        """Draw one session event (on the UI loop)."""
        app = self.app
        kind = type(event).__name__
        status = self._job_status()
        if status is None:  # shutting down
            return
        if kind == "LayoutChanged":
            await app.renders.replace(event.container, event.children)
        elif kind == "ValueChanged":
            widget = app.component_widgets.get(event.component.id)
            if widget is not None:
                widget.set_value(event.value)
        elif kind == "PropsChanged":
            self._apply_props(event.component, event.props)
        elif kind == "JobStarted":
            status.started(event.job)
            self._mark_outputs(event.job, True)
        elif kind == "JobFinished":
            status.finished(event.job)
            self._mark_outputs(event.job, False)
        elif kind == "ProgressUpdate":
            status.progress(event.job, event.progress, event.desc)
        elif kind == "Notice":
            app.notify(
                event.message, title=event.title or event.level.capitalize(),
                severity=_SEVERITY.get(event.level, "information"),
                timeout=event.duration if event.duration is not None else 3600,
                markup=False,
            )

    def _apply_props(self, block: Any, props: dict[str, Any]) -> None:
        app = self.app
        widget = app.component_widgets.get(block.id)
        if widget is not None:
            widget.apply_props(props)
        elif block.id in app.layout_widgets:
            layout = app.layout_widgets[block.id]
            if apply_layout_props(layout, block, props, app.layout_widgets):
                self.tabs_set_by_app.add(id(layout))  # its TabActivated is not a user select

    def _mark_outputs(self, job: Any, running: bool) -> None:
        """Dim a running job's outputs and start their elapsed-time clocks (as Gradio does)."""
        dep = getattr(job, "dep", None)
        if dep is None:
            return
        app = self.app
        dim = getattr(dep, "show_progress", "full") != "hidden"
        for block in dep.outputs:
            widget = app.component_widgets.get(block.id)
            if widget is None:
                layout = app.layout_widgets.get(block.id)  # a gr.render container re-running
                if layout is not None and dim:
                    layout.set_class(running, "-pending")
                continue
            if dim:
                widget.set_class(running, "-pending")
                app.output_clock.set_running(widget, running)  # elapsed time on the output
            finished = getattr(widget, "outputs_finished", None)
            if not running and finished is not None:
                finished()  # e.g. a streamed audio output plays out what it has
