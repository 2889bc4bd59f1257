"""The Session: one running copy of an app, owning every component's current value.

A `Blocks` only declares components and listeners; a Session gives them life. `trigger()`
starts the dependencies listening to an event, the queue decides when each job runs, and
every consequence (values, property updates, progress, notices, job lifecycle) is told to
subscribers as a `SessionEvent` on the session's asyncio loop. Nothing here knows about
Textual: the TUI subscribes like any test does.

Two choices beyond Gradio's documentation:
- An output's "change" event fires only when its stored value actually differs, as Gradio's
  front end only dispatches change on a new value. That ends most feedback loops by itself.
- A chain of change events started by one trigger is cut after `MAX_CHANGE_DEPTH` hops with a
  warning notice: Gradio would loop forever (a function whose output re-triggers it with a new
  value each time); we keep the session responsive instead.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from audiotui.endpoints import EndpointError  # one type for Client and Session misuse
from audiotui.job import Job
from audiotui.listeners import Listeners
from audiotui.queue import Queue
from audiotui.renderable import LayoutBook, Renderable, Rendered
from audiotui.request import Request
from audiotui.session_events import (
    JobFinished,
    JobStarted,
    LayoutChanged,
    Notice,
    ProgressUpdate,
    PropsChanged,
    SessionEvent,
    ValueChanged,
)

if TYPE_CHECKING:
    from audiotui.blocks import Blocks
    from audiotui.components.base import Block
    from audiotui.events import Dependency
    from audiotui.invocation import Change

__all__ = ["EndpointError", "Job", "MAX_CHANGE_DEPTH", "Session"]

MAX_CHANGE_DEPTH = 32
"""Change events one trigger may cascade through before the session stops following them."""

_log = logging.getLogger("audiotui")


class Session:
    """One live instance of `blocks`: values, jobs and the events that tell a UI about them.

    Args:
        blocks: the app definition (shared, never modified by a session).
        request: what `gr.Request` parameters receive; a terminal-session default if None.
    """

    def __init__(self, blocks: Blocks, *, request: Request | None = None) -> None:
        self.blocks = blocks
        self.request = request if request is not None else Request()
        self._values: dict[int, Any] = {c.id: c.initial_value() for c in blocks.components}
        self._props: dict[int, dict[str, Any]] = {}
        self._subscribers: list[Callable[[SessionEvent], None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._listeners = Listeners()
        for dep in blocks.fns:
            self._listeners.add(dep)
        self._layouts = LayoutBook.for_dependencies(blocks.fns)
        self._jobs: dict[int, list[Job]] = {}  # unfinished jobs per dependency id
        self._deferred: dict[int, Job] = {}  # the always_last rerun waiting per dependency
        self._timers: dict[int, asyncio.Task[None]] = {}
        self._loop_warned: set[int] = set()
        self._closed = False
        from audiotui.execution import Executor

        self._executor = Executor(self)
        self.queue = Queue(blocks, self._executor.execute)

    # -- values -----------------------------------------------------------------------------
    def get_value(self, component: Block) -> Any:
        """The stored value of `component` in this session (None for layouts)."""
        if component.id not in self._values:
            initial = getattr(component, "initial_value", None)
            self._values[component.id] = initial() if initial is not None else None
        return self._values[component.id]

    def set_value(self, component: Block, stored_value: Any) -> None:
        """Store a value programmatically: subscribers see ValueChanged; no listener runs."""
        self._values[component.id] = stored_value
        self._emit(ValueChanged(component, stored_value))  # type: ignore[arg-type]

    def props(self, component: Block) -> dict[str, Any]:
        """Property overrides set by `gr.update()` / returned components (a copy)."""
        return dict(self._props.get(component.id, {}))

    def configured(self, block: Block) -> Block:
        """`block` as this session sees it: a copy with its property overrides applied.

        Preprocessing must validate against the session's current settings (a Dropdown
        whose choices a listener replaced accepts the new choices), as Gradio's per-session
        block config does; the shared definition itself is never modified.
        """
        props = self._props.get(block.id)
        if not props:
            return block
        view = copy.copy(block)
        for name, value in props.items():  # already normalised by `updates.split_update`
            if name != "value" and hasattr(view, name):
                setattr(view, name, value)
        return view

    # -- per-session layout (gr.render) -----------------------------------------------------
    def layout_children(self, block: Block) -> list[Block]:
        """`block`'s children as this session shows them (a render container's current run)."""
        rendered = self._layouts.children(block)
        if rendered is not None:
            return rendered
        return list(getattr(block, "children", ()))

    def walk(self) -> list[Block]:
        """Every block this session shows, in layout order (rendered layouts included)."""
        return self._layouts.walk(self.blocks)

    def dependencies(self) -> list[Dependency]:
        """Every listener live in this session: the app's, then those renders created."""
        return [*self.blocks.fns, *self._layouts.dependencies()]

    def apply_render(self, job: Job, rendered: Rendered) -> None:
        """Show what a render run created: unwire the previous run, wire and announce this one.

        The previous run's listeners stop listening and their queued jobs are cancelled
        (running ones finish, as with `cancels=`); keyed components keep their values.
        """
        replaced = self._layouts.replace(rendered, self._values)
        if replaced is None:  # a nested render whose parent layout was replaced meanwhile
            return
        for dep in replaced.dependencies:
            self.cancel(dep)
            self._listeners.remove(dep)
            self._executor.forget(dep)
            self.queue.forget(dep)
        for block in replaced.blocks:
            self._props.pop(block.id, None)
        on_load = [dep for dep in rendered.dependencies if self._listeners.add(dep)]
        job.outputs.append([self.get_value(b) for b in job.dep.outputs])
        self._deliver(LayoutChanged(rendered.container, list(rendered.children)))
        for dep in on_load:  # callable values and renders nested in this one
            if not self._closed:
                self._submit(dep, None, None, job.depth)

    # -- subscribers ------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[SessionEvent], None]) -> Callable[[], None]:
        """Call `callback` with every SessionEvent (on the loop thread); returns unsubscribe."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def _deliver(self, event: SessionEvent) -> None:
        if isinstance(event, ProgressUpdate):
            event.job.progress = event
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:  # one broken subscriber must not stop the runtime
                _log.exception("session subscriber %r failed on %r", callback, event)

    def _emit(self, event: SessionEvent) -> None:
        """Deliver on the loop thread, whichever thread reports (worker threads do)."""
        loop = self._loop
        if loop is None or threading.get_ident() == self._loop_thread:
            self._deliver(event)
        elif not loop.is_closed():
            loop.call_soon_threadsafe(self._deliver, event)

    def notify(self, notice: Notice, *, job: Job | None = None) -> None:
        """Show a notice (thread-safe): `gr.Info`/`gr.Warning` and errors come through here."""
        if job is not None:
            job.notices.append(notice)
        self._emit(notice)

    def report_progress(self, update: ProgressUpdate) -> None:
        """Record and announce a progress report (thread-safe)."""
        self._emit(update)

    # -- lifecycle --------------------------------------------------------------------------
    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._loop_thread = threading.get_ident()
        elif threading.get_ident() != self._loop_thread:
            raise RuntimeError(
                "a Session is driven from its own event loop thread; from another thread use "
                "asyncio.run_coroutine_threadsafe(...) or loop.call_soon_threadsafe(...)"
            )
        return self._loop

    async def start(self) -> None:
        """Run load events: callable component values (awaited) and `demo.load` listeners."""
        self._ensure_loop()
        jobs = self._fire(self.blocks, "load", None, 0)
        # Values and the first rendered layouts are what a front end draws first.
        value_loads = {c.load_event.id for c in self.blocks.components if c.load_event}
        await asyncio.gather(*(
            j.wait() for j in jobs if j.dep.id in value_loads or isinstance(j.dep.fn, Renderable)
        ))

    async def close(self) -> None:
        """Stop timers, cancel every unfinished job, then run `demo.unload` listeners once.

        Unload functions run last, after running work was stopped, so they can free what that
        work used (Gradio runs them when the tab goes away, whatever was still running).
        """
        if self._closed:
            return
        self._closed = True
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        for deferred in list(self._deferred.values()):
            self._cancel_job(deferred)
        tasks = {j.task for jobs in self._jobs.values() for j in jobs if j.task is not None}
        for job in [j for jobs in self._jobs.values() for j in jobs]:
            self._cancel_job(job, force=True)  # cancels the running tasks too
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        await self._run_unloads()

    async def _run_unloads(self) -> None:
        """Run each `demo.unload` function (a failure is logged; the others still run)."""
        unloads = []
        for dep in self._listeners.of(self.blocks, "unload"):
            job = Job(self, dep, [], target=self.blocks, cascade=False)
            self._enqueue(job)
            unloads.append(job)
        await asyncio.gather(*(j.wait() for j in unloads))
        for job in unloads:
            if job.status == "error":
                _log.warning("unload function %s failed: %s", job.dep.name, job.error)

    async def wait_idle(self) -> None:
        """Wait until no job is pending or running (timers may start new ones later)."""
        while True:
            unfinished = [j for jobs in self._jobs.values() for j in jobs]
            unfinished.extend(self._deferred.values())
            if not unfinished:
                return
            await asyncio.gather(*(j.wait() for j in unfinished))

    # -- triggering -------------------------------------------------------------------------
    def trigger(self, block: Block, event_name: str, event_data: Any = None) -> list[Job]:
        """Start every listener of `block`'s `event_name`; call on the session's loop.

        Returns the jobs started or queued (a "once" listener already pending adds none).
        """
        return self._fire(block, event_name, event_data, 0)

    async def user_input(self, component: Block, stored_value: Any) -> list[Job]:
        """The user edited `component`: store the value, then fire "input" and "change".

        Returns the jobs those events started or queued (as `trigger` does), so a front end
        can show a change-triggered run waiting behind a concurrency limit as pending.
        """
        self._ensure_loop()
        self.set_value(component, stored_value)
        return [*self.trigger(component, "input"), *self.trigger(component, "change")]

    def _fire(self, block: Block, event: str, data: Any, depth: int) -> list[Job]:
        from audiotui.blocks import Blocks

        self._ensure_loop()
        if self._closed:
            return []
        if isinstance(block, Blocks) and event == "load":
            deps = list(self._listeners.load)
        else:
            deps = self._listeners.of(block, event)
        jobs = []
        for dep in deps:
            job = self._submit(dep, block, data, depth)
            if job is not None:
                jobs.append(job)
        return jobs

    def _submit(
        self, dep: Dependency, target: Block | None, data: Any, depth: int, *, periodic: bool = False
    ) -> Job | None:
        """Apply cancels, `every` and trigger_mode, then queue a job for `dep`."""
        if not periodic:
            for other in dep.cancels:
                self.cancel(other)
            if dep.every:
                self._ensure_timer(dep)
        triggered = [j for j in self._jobs.get(dep.id, ()) if j.cascade]
        if triggered and dep.fn is not None:
            if dep.trigger_mode == "once":
                return None
            if dep.trigger_mode == "always_last":
                deferred = self._deferred.get(dep.id)
                if deferred is None:
                    deferred = Job(self, dep, [], event_data=data, target=target, depth=depth)
                    self._deferred[dep.id] = deferred
                else:
                    deferred.event_data, deferred.target, deferred.depth = data, target, depth
                return deferred
        job = Job(
            self, dep, [self.get_value(c) for c in dep.inputs], event_data=data, target=target,
            depth=depth,
        )
        self._enqueue(job)
        return job

    def _enqueue(self, job: Job) -> None:
        self._jobs.setdefault(job.dep.id, []).append(job)
        if job.dep.fn is None:  # a js-only step: nothing runs, but .then() chains continue
            job.status = "done"
            self.finish(job)
            return
        self.queue.submit(job)

    def _ensure_timer(self, dep: Dependency) -> None:
        if dep.id in self._timers or self._closed or not dep.every:
            return
        self._timers[dep.id] = self._ensure_loop().create_task(self._tick(dep, float(dep.every)))

    async def _tick(self, dep: Dependency, every: float) -> None:
        while not self._closed:
            await asyncio.sleep(every)
            if not self._closed:
                self._submit(dep, None, None, 0, periodic=True)

    # -- the Client's entry point -----------------------------------------------------------
    async def run(self, dep_or_api_name: Dependency | str, inputs: list[Any] | dict[Any, Any] | None = None) -> Job:
        """Call one endpoint directly, as a Client does: no trigger_mode, no `.then()` steps.

        `inputs` are stored-form values, one per input component (or a dict keyed by
        component; missing ones and None use the session's current values). Outputs are
        stored in the session (so State persists between calls) without firing change events.
        """
        self._ensure_loop()
        dep = self._endpoint(dep_or_api_name)
        if inputs is None:
            values = [self.get_value(c) for c in dep.inputs]
        elif isinstance(inputs, dict):
            values = [inputs[c] if c in inputs else self.get_value(c) for c in dep.inputs]
        else:
            values = list(inputs)
            if len(values) != len(dep.inputs):
                raise EndpointError(
                    f"{dep.name}() takes {len(dep.inputs)} input(s) but {len(values)} were "
                    f"given; pass one value per input component"
                )
        job = Job(self, dep, values, cascade=False)
        self._enqueue(job)
        return job

    def _endpoint(self, dep_or_api_name: Dependency | str) -> Dependency:
        if not isinstance(dep_or_api_name, str):
            return dep_or_api_name
        name = dep_or_api_name.lstrip("/")
        endpoints = self.blocks.api_endpoints()
        if name not in endpoints:
            known = ", ".join(f"/{n}" for n in endpoints) or "none"
            raise EndpointError(
                f"no endpoint named {dep_or_api_name!r}; this app has: {known} "
                f"(listeners with api_name=False cannot be called by name)"
            )
        return endpoints[name]

    # -- cancelling -------------------------------------------------------------------------
    def cancel(self, job_or_dep: Job | Dependency, *, abandon: bool = False) -> None:
        """Cancel a job, or every unfinished job (and the `every` timer) of a dependency.

        As in Gradio, queued jobs and iterating generators stop; a plain function that is
        already running is allowed to finish. With `abandon` (a `Client` call whose caller
        stops waiting) a running job ends as "cancelled" at once too: its thread runs on
        and whatever it returns is dropped. A batch shared with other jobs is not abandoned
        for one of them.
        """
        if isinstance(job_or_dep, Job):
            self._cancel_job(job_or_dep, abandon=abandon)
            return
        timer = self._timers.pop(job_or_dep.id, None)
        if timer is not None:
            timer.cancel()
        deferred = self._deferred.get(job_or_dep.id)
        if deferred is not None:
            self._cancel_job(deferred)
        for job in list(self._jobs.get(job_or_dep.id, ())):
            self._cancel_job(job, abandon=abandon)

    def _cancel_job(self, job: Job, *, force: bool = False, abandon: bool = False) -> None:
        if job.done():
            return
        if job.status == "pending":
            if self._deferred.get(job.dep.id) is job:
                del self._deferred[job.dep.id]
            else:
                self.queue.remove(job)
            job.status = "cancelled"
            self.finish(job)
            return
        if abandon and not any(
            j.task is job.task and j is not job for j in self._jobs.get(job.dep.id, ())
        ):
            force = True
        if force or self._executor.streams(job.dep):
            job.cancel_requested = True
            if job.task is not None:
                job.task.cancel()

    # -- results ----------------------------------------------------------------------------
    def apply(self, job: Job, changes: list[Change | None]) -> None:
        """Store one result of `job`: props, values, events, and cascading change events."""
        from audiotui.updates import NO_VALUE

        changed = []
        for block, change in zip(job.dep.outputs, changes, strict=False):
            if change is None:
                continue
            props, value = change
            if props:
                merged = self._props.setdefault(block.id, {})
                merged.update(props)
                self._deliver(PropsChanged(block, dict(merged)))  # type: ignore[arg-type]
            if value is not NO_VALUE:
                old = self._values.get(block.id, NO_VALUE)
                self._values[block.id] = value
                self._deliver(ValueChanged(block, value))  # type: ignore[arg-type]
                if not _same(old, value):
                    changed.append(block)
        job.outputs.append([self.get_value(b) for b in job.dep.outputs])
        if not job.cascade:
            return
        for block in changed:
            if job.depth + 1 > MAX_CHANGE_DEPTH:
                self._warn_loop(job)
                break
            self._fire(block, "change", None, job.depth + 1)

    def _warn_loop(self, job: Job) -> None:
        if job.dep.id in self._loop_warned:
            return
        self._loop_warned.add(job.dep.id)
        self.notify(Notice(
            "warning",
            f"stopped following change events after {MAX_CHANGE_DEPTH} in a row: "
            f"{job.dep.name}() keeps changing an output that triggers listeners again; "
            f"return the same value when nothing changed, or use a button instead of .change",
            "Change loop",
        ))

    def started(self, job: Job) -> None:
        job.status = "running"
        self._deliver(JobStarted(job))

    def finish(self, job: Job) -> None:
        """Bookkeeping once `job` ended: announce it, run `.then()` steps, release reruns."""
        dep = job.dep
        jobs = self._jobs.get(dep.id, [])
        if job in jobs:
            jobs.remove(job)
        self._deliver(JobFinished(job))
        job.mark_finished()
        if job.cascade and job.status in ("done", "error") and not self._closed:
            for follower in self._listeners.after(dep):
                if follower.trigger_only_on_success and job.status != "done":
                    continue
                self._submit(follower, None, None, job.depth)
        deferred = self._deferred.get(dep.id)
        if deferred is not None and not any(j.cascade for j in jobs) and not self._closed:
            del self._deferred[dep.id]
            deferred.inputs = [self.get_value(c) for c in dep.inputs]  # the latest inputs
            self._enqueue(deferred)


def _same(old: Any, new: Any) -> bool:
    """Equal stored values (arrays and odd types that cannot compare count as different)."""
    if old is new:
        return True
    try:
        return type(old) is type(new) and bool(old == new)
    except Exception:
        return False
