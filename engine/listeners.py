"""The listener table of one Session: which dependencies each event starts.

A `Blocks` lists its dependencies once, but a session's set changes while it runs: every
`gr.render` run adds the listeners it created and drops those of the run before. Keeping the
lookups in one small table makes adding and removing a dependency a single, symmetric step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audiotui.components.base import Block
    from audiotui.events import Dependency


class Listeners:
    """Dependencies by trigger `(block id, event)`, `.then()` followers, and load listeners."""

    def __init__(self) -> None:
        self._by_event: dict[tuple[int, str], list[Dependency]] = {}
        self._followers: dict[int, list[Dependency]] = {}
        self.load: list[Dependency] = []
        """Listeners of a Blocks' "load" (demo.load, callable values, renders)."""

    def add(self, dep: Dependency) -> bool:
        """Wire `dep` to its triggers; True when one of them is a Blocks' "load"."""
        from audiotui.blocks import Blocks

        on_load = False
        for block, event in dep.triggers:
            if isinstance(block, Blocks) and event == "load":
                on_load = True
                if dep not in self.load:
                    self.load.append(dep)
            elif block is not None:
                self._by_event.setdefault((block.id, event), []).append(dep)
        if dep.trigger_after is not None:
            self._followers.setdefault(dep.trigger_after.id, []).append(dep)
        return on_load

    def remove(self, dep: Dependency) -> None:
        """Unwire `dep` everywhere `add` wired it (events that fire later will not start it)."""
        for block, event in dep.triggers:
            key = (block.id, event) if block is not None else None
            if key is not None and dep in self._by_event.get(key, ()):
                self._by_event[key].remove(dep)
                if not self._by_event[key]:
                    del self._by_event[key]
        if dep in self.load:
            self.load.remove(dep)
        if dep.trigger_after is not None:
            followers = self._followers.get(dep.trigger_after.id, [])
            if dep in followers:
                followers.remove(dep)

    def of(self, block: Block, event: str) -> list[Dependency]:
        """The dependencies `block`'s `event` starts, in registration order (a copy)."""
        return list(self._by_event.get((block.id, event), ()))

    def after(self, dep: Dependency) -> list[Dependency]:
        """The `.then()` / `.success()` steps that follow `dep` (a copy)."""
        return list(self._followers.get(dep.id, ()))
