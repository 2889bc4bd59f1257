"""State: a hidden, per-session value that functions read and write (`gr.State`)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, ClassVar

from audiotui.components.base import Component
from audiotui.updates import record_constructor_args


@record_constructor_args
class State(Component):
    """Per-session memory: each session starts from a deep copy of `value` and never shares it.

    Nothing is drawn for it. `time_to_live` and `delete_callback` are kept for the runtime,
    which owns session lifetimes (a terminal session usually lives as long as the app).
    """

    EVENTS: ClassVar[tuple[str, ...]] = ("change",)
    stateful: ClassVar[bool] = True
    """Marks values that stay out of the API and the layout (the runtime and TUI check it)."""

    def __init__(
        self,
        value: Any = None,
        render: bool = True,
        *,
        time_to_live: float | None = None,
        delete_callback: Callable[[Any], None] | None = None,
    ) -> None:
        if time_to_live is not None and (
            isinstance(time_to_live, bool)
            or not isinstance(time_to_live, (int, float))
            or time_to_live <= 0
        ):
            raise ValueError(
                f"State: time_to_live must be a positive number of seconds or None, got {time_to_live!r}"
            )
        if delete_callback is not None and not callable(delete_callback):
            raise TypeError(
                f"State: delete_callback must be callable or None, got {delete_callback!r}"
            )
        if not callable(value):
            try:
                copy.deepcopy(value)
            except (TypeError, copy.Error) as exc:
                raise TypeError(
                    "State: the initial value must be deep-copyable, because every session "
                    f"gets its own copy ({exc}); store something simpler or build it in a "
                    "function passed as value="
                ) from None
        self.time_to_live = time_to_live
        self.delete_callback = delete_callback
        super().__init__(value, render=render, visible=False)

    def api_info(self) -> dict[str, Any]:
        return {"type": {}, "description": "any valid value"}

    def example_value(self) -> Any:
        return copy.deepcopy(self.value)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(time_to_live=self.time_to_live)
        return config
