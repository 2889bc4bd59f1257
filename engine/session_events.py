"""What a `Session` tells its subscribers: values, properties, layouts, jobs, progress, notices.

They are small frozen records so that a front end can queue, coalesce or replay them; the
TUI turns each into a Textual message, tests collect them in a list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from audiotui.components.base import Block, BlockContext, Component
    from audiotui.job import Job

NoticeLevel = Literal["info", "warning", "error"]


@dataclass(frozen=True)
class ValueChanged:
    """`component`'s stored value is now `value` (after postprocess)."""

    component: Component
    value: Any


@dataclass(frozen=True)
class PropsChanged:
    """`component`'s property overrides are now `props` (all overrides so far, not a delta)."""

    component: Component
    props: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class LayoutChanged:
    """A `gr.render` run replaced what `container` holds in this session with `children`.

    The blocks that were inside before are gone for good (their values and listeners were
    dropped); the new ones already have their values (`Session.get_value`) and listeners.
    Layouts nested in `children` are complete too: `Session.layout_children` of a nested
    render container gives its current children.
    """

    container: BlockContext
    children: list[Block] = field(hash=False)


@dataclass(frozen=True)
class JobStarted:
    """`job` left the queue and its function is about to run."""

    job: Job


@dataclass(frozen=True)
class JobFinished:
    """`job` ended; `job.status` says how ("done", "error" or "cancelled")."""

    job: Job


@dataclass(frozen=True)
class ProgressUpdate:
    """A `gr.Progress` report from inside `job`'s function.

    `progress` is a fraction in [0, 1] when known; `index`/`length` are the step counts a
    `progress.tqdm(...)` or `progress((i, n))` call gives, in `unit`s.
    """

    job: Job
    progress: float | None
    desc: str | None = None
    index: int | None = None
    length: int | None = None
    unit: str = "steps"


@dataclass(frozen=True)
class Notice:
    """A toast: `gr.Info`, `gr.Warning`, a `gr.Error` or any failure of a function.

    `duration` is seconds to show it (None = until dismissed), as Gradio's argument.
    """

    level: NoticeLevel
    message: str
    title: str | None = None
    duration: float | None = 10


SessionEvent = (
    ValueChanged | PropsChanged | LayoutChanged | JobStarted | JobFinished | ProgressUpdate | Notice
)
"""Everything `Session.subscribe` callbacks receive."""
