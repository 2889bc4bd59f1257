"""Execution: running one job (or one batch of jobs) of a Session, start to finish.

Sync functions and every preprocess/postprocess step run in worker threads (audio decoding
and encoding is file I/O that must not freeze the UI); async functions run on the loop.
Generators are driven one item at a time so each yield becomes an output as it comes.
The worker threads inherit the job's context, which is how `gr.Warning`/`gr.Progress`
called inside a sync function find their job.

User code runs on *daemon* threads of our own, not the loop's default executor: a function
that never returns must not hold up the end of the process (`asyncio.run` and the
interpreter both join executor threads at exit; a quit would wait for `time.sleep(3600)`).
A cancelled or abandoned call keeps running in its thread; its result is dropped.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import inspect
import threading
import traceback
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any

from audiotui.errors import AudiotuiError, ComponentError, Error
from audiotui.invocation import CallPlan, build_arguments, plan_call, split_batch, split_result
from audiotui.job import current_job
from audiotui.renderable import Renderable, Rendered
from audiotui.session_events import Notice

if TYPE_CHECKING:
    from audiotui.events import Dependency
    from audiotui.invocation import Change
    from audiotui.job import Job
    from audiotui.runtime import Session

_DONE = object()


class _Stopped(Exception):
    """A generator job was cancelled between two yields."""


class Executor:
    """Runs jobs for `session`; the queue calls `execute` when a batch may start."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._plans: dict[int, CallPlan] = {}

    def plan(self, dep: Dependency) -> CallPlan:
        plan = self._plans.get(dep.id)
        if plan is None:
            assert dep.fn is not None
            # A render's special parameters (gr.Request, gr.Progress) are its function's.
            target = dep.fn.fn if isinstance(dep.fn, Renderable) else dep.fn
            plan = self._plans[dep.id] = plan_call(target)
        return plan

    def forget(self, dep: Dependency) -> None:
        """Drop what was learnt about `dep` (a listener a re-render threw away)."""
        self._plans.pop(dep.id, None)

    def streams(self, dep: Dependency) -> bool:
        """True for generator functions, which `cancels=` may stop mid-run."""
        return dep.fn is not None and self.plan(dep).kind in ("generator", "async_generator")

    async def execute(self, jobs: list[Job]) -> None:
        session = self.session
        # A queue=False job starts its task at once; it may be cancelled before that runs.
        jobs = [job for job in jobs if job.status == "pending"]
        if not jobs:
            return
        for job in jobs:
            session.started(job)
        token = current_job.set(jobs[0])
        plan = self.plan(jobs[0].dep)
        progress = None
        tqdm_token = None
        try:
            if plan.progress_default is not None:
                from audiotui.progress import Progress

                progress = Progress.for_job(jobs[0], plan.progress_default)
                tqdm_token = progress.track_tqdm_here()
            await self._run(jobs, plan, progress)
            for job in jobs:
                job.status = "done"
        except (asyncio.CancelledError, _Stopped):
            for job in jobs:
                job.status = "cancelled"
        except Exception as exc:  # every failure of user code is reported, never raised
            self._fail(jobs, exc)
        finally:
            if progress is not None:
                progress.stop_tracking(tqdm_token)
            current_job.reset(token)
            for job in jobs:
                session.finish(job)

    # -- calling ----------------------------------------------------------------------------
    def _arguments(
        self, jobs: list[Job], plan: CallPlan, progress: Any
    ) -> tuple[list[Any], dict[str, Any]]:
        """Preprocess inputs (lists of them for a batch) and place special parameters."""
        from audiotui.request import event_data_for

        dep = jobs[0].dep
        per_job = [self._preprocess(dep, job.inputs) for job in jobs]
        if dep.batch:
            values: list[Any] = [[row[i] for row in per_job] for i in range(len(dep.inputs))]
        else:
            values = per_job[0]
        if dep.inputs_as_dict:
            values = [dict(zip(dep.inputs, values, strict=True))]
        first = jobs[0]
        specials: dict[str, Any] = {}
        for name, (kind, payload) in plan.specials.items():
            if kind == "progress":
                specials[name] = progress
            elif kind == "request":
                specials[name] = self.session.request
            else:
                specials[name] = event_data_for(payload, first.target, first.event_data)
        return build_arguments(plan, values, specials)

    def _preprocess(self, dep: Dependency, stored: list[Any]) -> list[Any]:
        if not dep.preprocess:
            return list(stored)
        return [
            self.session.configured(block).preprocess(v)  # type: ignore[attr-defined]
            for block, v in zip(dep.inputs, stored, strict=True)
        ]

    def _convert(self, jobs: list[Job], result: Any) -> list[list[Change | None]]:
        dep = jobs[0].dep
        if dep.batch:
            return split_batch(dep, result, len(jobs))
        return [split_result(dep, result)]

    def _call_sync(self, jobs: list[Job], plan: CallPlan, progress: Any) -> tuple[str, Any]:
        """In a worker thread: preprocess, call, and convert a plain result right away."""
        args, kwargs = self._arguments(jobs, plan, progress)
        result = jobs[0].dep.fn(*args, **kwargs)  # type: ignore[misc]
        if isinstance(result, Rendered):
            return "rendered", result
        if inspect.isgenerator(result):
            return "generator", result
        if inspect.isasyncgen(result):
            return "async_generator", result
        if inspect.isawaitable(result):
            return "awaitable", result
        return "converted", self._convert(jobs, result)

    async def _run(self, jobs: list[Job], plan: CallPlan, progress: Any) -> None:
        dep = jobs[0].dep
        if dep.batch and plan.kind in ("generator", "async_generator"):
            raise ComponentError(
                f"{dep.name}() is a generator, which cannot run with batch=True; "
                f"drop batch=True or return all results at once"
            )
        if plan.kind == "sync":
            what, payload = await in_thread(self._call_sync, jobs, plan, progress)
        else:
            args, kwargs = await in_thread(self._arguments, jobs, plan, progress)
            what, payload = plan.kind, dep.fn(*args, **kwargs)  # type: ignore[misc]
            if what == "async":
                what = "awaitable"
        if what == "awaitable":
            result = await payload
            what, payload = "converted", await in_thread(self._convert, jobs, result)
        if what == "rendered":
            self.session.apply_render(jobs[0], payload)
        elif what == "converted":
            self._apply_all(jobs, payload)
        elif what == "generator":
            await self._stream_sync(jobs[0], payload)
        else:
            await self._stream_async(jobs[0], payload)

    def _apply_all(self, jobs: list[Job], per_job: list[list[Change | None]]) -> None:
        for job, changes in zip(jobs, per_job, strict=True):
            self.session.apply(job, changes)

    async def _stream_sync(self, job: Job, gen: Iterator[Any]) -> None:
        def step() -> Any:
            try:
                return split_result(job.dep, next(gen))
            except StopIteration:
                return _DONE

        in_flight: concurrent.futures.Future[Any] | None = None
        try:
            while True:
                in_flight = submit(step)
                changes = await asyncio.wrap_future(in_flight)
                if job.cancel_requested:
                    raise _Stopped
                if changes is _DONE:
                    return
                self.session.apply(job, changes)
        finally:
            # A cancelled job stops at once, but a thread cannot be interrupted: a step still
            # running closes the generator (its try/finally, with blocks) when it returns.
            if in_flight is not None and not in_flight.done():
                in_flight.add_done_callback(lambda _: _close_quietly(gen))
            else:
                await asyncio.shield(asyncio.to_thread(_close_quietly, gen))

    async def _stream_async(self, job: Job, agen: AsyncIterator[Any]) -> None:
        try:
            async for item in agen:
                changes = await in_thread(split_result, job.dep, item)
                if job.cancel_requested:
                    raise _Stopped
                self.session.apply(job, changes)
        finally:
            aclose = getattr(agen, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await aclose()

    # -- failures ---------------------------------------------------------------------------
    def _fail(self, jobs: list[Job], exc: Exception) -> None:
        dep = jobs[0].dep
        trace = None
        if isinstance(exc, Error):
            message, title, duration, visible = exc.message, "Error", exc.duration, exc.visible
        elif isinstance(exc, AudiotuiError):
            message, title, duration, visible = str(exc), "Error", 10.0, True
        else:
            message = f"{dep.name}() raised {type(exc).__name__}: {exc}"
            title, duration, visible = "Error", 10.0, True
            trace = "".join(traceback.format_exception(exc))
        for job in jobs:
            job.status = "error"
            job.error = message
            job.traceback = trace
            job.exception = exc
        if visible:
            self.session.notify(Notice("error", message, title, duration), job=jobs[0])


def submit(fn: Callable[..., Any], *args: Any) -> concurrent.futures.Future[Any]:
    """Run `fn(*args)` on a new daemon thread, in a copy of the caller's context.

    A thread per call: calls are few (one per job step) next to what they do, and a pool
    would need its idle threads joined at exit like the default executor.
    """
    future: concurrent.futures.Future[Any] = concurrent.futures.Future()
    context = contextvars.copy_context()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = context.run(fn, *args)
        except BaseException as exc:  # handed to the awaiting side, as to_thread does
            future.set_exception(exc)
        else:
            future.set_result(result)

    threading.Thread(target=run, name="audiotui-call", daemon=True).start()
    return future


async def in_thread(fn: Callable[..., Any], *args: Any) -> Any:
    """`asyncio.to_thread`, on a daemon thread that never holds up the process's exit."""
    return await asyncio.wrap_future(submit(fn, *args))


def _close_quietly(gen: Iterator[Any]) -> None:
    close = getattr(gen, "close", None)
    if close is None:
        return
    # Closing a generator that failed, or one still running in an abandoned thread, raises;
    # there is nothing left to report either way.
    with contextlib.suppress(Exception):
        close()
