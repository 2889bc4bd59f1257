"""`gr.Timer` (Gradio 4.40+, the way Gradio 5 and 6 apps run something periodically).

A Timer is invisible; its `tick` listeners run every `value` seconds while it is active.
Here each tick listener becomes a periodic dependency of the session (the `every=` machinery
the runtime already has): it is started with the session and, as in Gradio, the first tick
comes one interval after the start, not at it. Returning `gr.Timer(active=False)` (or
`gr.update(active=...)`) to a timer stops or restarts its ticks for that session; a new
`value` (interval) takes effect only for sessions started afterwards.
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any, ClassVar

from audiotui.components.base import Component, tolerate
from audiotui.updates import record_constructor_args

if TYPE_CHECKING:
    from audiotui.events import Dependency


@record_constructor_args
class Timer(Component):
    """Ticks every `value` seconds while `active` (gradio/components/timer.py)."""

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "tick")

    def __init__(self, value: float = 1, *, active: bool = True, render: bool = True) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            tolerate("Timer", f"value should be a positive number of seconds, got {value!r}; "
                     "using 1")
            value = 1
        self.active = bool(active)
        super().__init__(value, render=render, visible=False)

    def preprocess(self, payload: Any) -> Any:
        return payload

    def postprocess(self, value: Any) -> Any:
        return value

    def api_info(self) -> dict[str, Any]:
        return {"type": "number", "description": "the interval in seconds"}

    def example_value(self) -> Any:
        return 1

    def attach_tick(self, dep: Dependency, root: Any) -> None:
        """Make a `tick` listener periodic: started with each session, skipped while the
        session's copy of this timer is inactive and at the start itself."""
        dep.every = float(self.value or 1)
        dep.triggers.append((root, "load"))
        if dep.fn is not None:
            dep.fn = _ticking(dep.fn, self, len(dep.outputs))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(active=self.active)
        return config


def _ticking(fn: Any, timer: Timer, outputs: int) -> Any:
    """`fn`, run only for periodic ticks of an active timer (else its outputs are untouched)."""

    def should_run() -> bool:
        from audiotui.job import current_job

        job = current_job.get()
        if job is None:  # a direct call (Client, demo(...)): run
            return True
        from audiotui.blocks import Blocks

        if isinstance(getattr(job, "target", None), Blocks):  # the start: Gradio waits a tick
            return False
        props = job.session.props(timer) if hasattr(job.session, "props") else {}
        return bool(props.get("active", timer.active))

    def unchanged() -> Any:
        from audiotui.updates import update

        if outputs == 0:
            return None
        return update() if outputs == 1 else tuple(update() for _ in range(outputs))

    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            return await fn(*args, **kwargs) if should_run() else unchanged()

        return run_async

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs) if should_run() else unchanged()

    return run
