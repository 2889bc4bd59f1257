"""Job: one run of one dependency inside a Session, from queued to finished.

The job running in the current context is kept in a context variable, which is how
`gr.Warning`, `gr.Info` and `gr.Progress` find where to report without being passed
anything: asyncio tasks and `asyncio.to_thread` both carry the context along.
"""

from __future__ import annotations

import asyncio
import itertools
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Literal

from audiotui.errors import AudiotuiError

if TYPE_CHECKING:
    from audiotui.events import Dependency
    from audiotui.runtime import Session
    from audiotui.session_events import Notice, ProgressUpdate

JobStatus = Literal["pending", "running", "done", "error", "cancelled"]

current_job: ContextVar[Job | None] = ContextVar("audiotui_current_job", default=None)
"""The job whose function is running in this context (None outside any function)."""

_job_ids = itertools.count(1)


class JobCancelled(AudiotuiError):
    """`await job.result()` on a job that was cancelled (by `cancels=`, Stop, or close)."""


class Job:
    """One run of `dep`: its inputs, status, every output it produced and how it ended.

    Attributes:
        dep: the dependency being run.
        status: "pending" (queued), "running", "done", "error" or "cancelled".
        inputs: stored values of `dep.inputs` captured when it was triggered.
        outputs: one entry per result (a generator adds one per yield); each entry holds
            the stored value of every output component, in `dep.outputs` order.
        error: a one-line message when status is "error".
        traceback: full traceback text for unexpected exceptions (None for `gr.Error`).
        exception: the exception itself, re-raised by `result()`.
        depth: how many change-event hops led here (guards against endless change loops).
        cascade: False for Client calls (`Session.run`): outputs are stored but trigger no
            change events or `.then()` steps, as a Gradio API call triggers none.
    """

    def __init__(
        self,
        session: Session,
        dep: Dependency,
        inputs: list[Any],
        *,
        event_data: Any = None,
        target: Any = None,
        depth: int = 0,
        cascade: bool = True,
    ) -> None:
        self.id = next(_job_ids)
        self.session = session
        self.dep = dep
        self.inputs = inputs
        self.event_data = event_data
        self.target = target
        self.depth = depth
        self.cascade = cascade
        self.status: JobStatus = "pending"
        self.outputs: list[list[Any]] = []
        self.error: str | None = None
        self.traceback: str | None = None
        self.exception: BaseException | None = None
        self.progress: ProgressUpdate | None = None
        self.notices: list[Notice] = []
        self.cancel_requested = False
        self.task: asyncio.Task[None] | None = None
        self._finished = asyncio.Event()

    @property
    def show_progress(self) -> str:
        """How the UI should show this job while it runs ("full", "minimal", "hidden")."""
        return self.dep.show_progress

    def done(self) -> bool:
        """True once the job has finished, whatever the outcome."""
        return self.status in ("done", "error", "cancelled")

    async def wait(self) -> None:
        """Wait until the job has finished, without raising on error or cancellation."""
        await self._finished.wait()

    async def result(self) -> list[Any]:
        """The final stored output values (one per output component), once finished.

        Raises the function's exception (e.g. `gr.Error`) when the job failed, and
        `JobCancelled` when it was cancelled.
        """
        await self._finished.wait()
        if self.status == "error" and self.exception is not None:
            raise self.exception
        if self.status == "cancelled":
            raise JobCancelled(f"the call to {self.dep.name}() was cancelled")
        if self.outputs:
            return self.outputs[-1]
        return [self.session.get_value(c) for c in self.dep.outputs]

    def mark_finished(self) -> None:
        """Wake everyone awaiting `result()`; called once by the session."""
        self._finished.set()

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.dep.name} {self.status}>"
