"""The queue: concurrency groups and batching, deciding when each pending job may start.

Gradio's queue limits how many runs of an event execute at once (`concurrency_limit`, shared by
every dependency with the same `concurrency_id`, the lowest limit winning) and gathers pending
calls of a `batch=True` dependency into one call. Dependencies with `queue=False` skip both, as
they skip Gradio's queue. Starting is deferred to the next loop iteration so that triggers
arriving together (a burst of submits) can be batched.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from audiotui.blocks import Blocks
    from audiotui.events import Dependency
    from audiotui.job import Job

Execute = Callable[[list["Job"]], Coroutine[Any, Any, None]]


@dataclass
class ConcurrencyGroup:
    """Jobs sharing one limit: waiting (`pending`) and how many run now."""

    key: str
    limit: int | None
    pending: deque[Job] = field(default_factory=deque)
    running: int = 0
    scheduled: bool = False


def resolve_limit(dep: Dependency, blocks: Blocks) -> int | None:
    """`concurrency_limit` of `dep` as a number: "default" -> the queue's default, None = no limit."""
    limit = dep.concurrency_limit
    if limit == "default":
        limit = blocks.queue_settings.get("default_concurrency_limit", 1)
        if limit == "not_set":
            limit = 1
    return limit


class Queue:
    """Per-session scheduler: `submit` a job, and `execute(batch)` is run when its turn comes."""

    def __init__(self, blocks: Blocks, execute: Execute) -> None:
        self._blocks = blocks
        self._execute = execute
        self._groups: dict[str, ConcurrencyGroup] = {}
        self.tasks: set[asyncio.Task[None]] = set()

    def group_for(self, dep: Dependency) -> ConcurrencyGroup:
        key = f"id:{dep.concurrency_id}" if dep.concurrency_id else f"dep:{dep.id}"
        group = self._groups.get(key)
        if group is None:
            if dep.concurrency_id:
                members = [d for d in self._blocks.fns if d.concurrency_id == dep.concurrency_id]
                if dep not in members:
                    members.append(dep)
            else:
                members = [dep]
            limits = [lim for lim in (resolve_limit(d, self._blocks) for d in members) if lim]
            group = ConcurrencyGroup(key, min(limits) if limits else None)
            self._groups[key] = group
        return group

    def submit(self, job: Job) -> None:
        """Queue `job`; it starts when its group has room (at the earliest next loop turn)."""
        if job.dep.queue is False:
            self._start([job], None)
            return
        group = self.group_for(job.dep)
        group.pending.append(job)
        self._schedule(group)

    def forget(self, dep: Dependency) -> None:
        """Drop `dep`'s own group once nothing waits in it (a listener a re-render replaced).

        Running jobs keep their group object; only the lookup entry goes.
        """
        key = f"dep:{dep.id}"
        group = self._groups.get(key)
        if group is not None and not group.pending:
            del self._groups[key]

    def remove(self, job: Job) -> bool:
        """Take a job that has not started out of the queue; False if it was not waiting."""
        if job.dep.queue is False:
            return False
        group = self.group_for(job.dep)
        try:
            group.pending.remove(job)
        except ValueError:
            return False
        return True

    def _schedule(self, group: ConcurrencyGroup) -> None:
        if not group.scheduled:
            group.scheduled = True
            asyncio.get_running_loop().call_soon(self._pump, group)

    def _pump(self, group: ConcurrencyGroup) -> None:
        group.scheduled = False
        while group.pending and (group.limit is None or group.running < group.limit):
            first = group.pending.popleft()
            batch = [first]
            if first.dep.batch:
                for job in list(group.pending):
                    if len(batch) >= max(1, first.dep.max_batch_size):
                        break
                    if job.dep is first.dep:
                        group.pending.remove(job)
                        batch.append(job)
            self._start(batch, group)

    def _start(self, jobs: list[Job], group: ConcurrencyGroup | None) -> None:
        if group is not None:
            group.running += 1
        task = asyncio.get_running_loop().create_task(self._execute(jobs))
        for job in jobs:
            job.task = task
        self.tasks.add(task)

        def finished(t: asyncio.Task[None]) -> None:
            self.tasks.discard(t)
            if group is not None:
                group.running -= 1
                if group.pending:
                    self._schedule(group)

        task.add_done_callback(finished)
