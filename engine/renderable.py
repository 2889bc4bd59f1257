"""`gr.render`: a part of the layout that a function rebuilds, per session, when its inputs change.

The decorator leaves an empty container (a Column, or a Row inside a Row) in the app's layout
and a listener that runs the function. The function creates components and listeners as an
app does; they are collected instead of joining the shared `Blocks`, because each session has
its own copy of a rendered layout (two users with different inputs see different layouts).
The Session wires what a run created, drops what the previous run created, and announces the
new children with a `LayoutChanged` event so a front end can rebuild that one container.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from audiotui.context import Context
from audiotui.errors import AppLoadError

if TYPE_CHECKING:
    from audiotui.components.base import Block, BlockContext, Component
    from audiotui.events import Dependency

__all__ = ["LayoutBook", "Renderable", "Rendered", "render"]

TriggerMode = Literal["once", "multiple", "always_last"]
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Rendered:
    """What one run of a render function created, not yet wired into any session.

    Attributes:
        renderable: the `gr.render` that ran.
        children: the top-level blocks, in layout order (nested ones hang below them).
        blocks: every block created (components and layouts), in creation order.
        dependencies: every listener created, in registration order.
    """

    renderable: Renderable
    children: list[Block]
    blocks: list[Block]
    dependencies: list[Dependency]

    @property
    def container(self) -> BlockContext:
        return self.renderable.container

    def keyed(self) -> dict[Any, Component]:
        """Components with a `key`, by key (what keeps its value across re-renders)."""
        from audiotui.components.base import Component

        out: dict[Any, Component] = {}
        for block in self.blocks:
            if isinstance(block, Component) and block.key is not None:
                try:
                    out[block.key] = block
                except TypeError:  # an unhashable key cannot match a later render's
                    continue
        return out


class Renderable:
    """One `@gr.render` use: its container in the layout and the function that fills it.

    The instance is the listener's `fn`: calling it runs the user's function in a private
    building context and returns a `Rendered`, which the runtime applies to its session.
    """

    def __init__(self, fn: Callable[..., Any], container: BlockContext) -> None:
        self.fn = fn
        self.container = container
        self.__name__ = getattr(fn, "__name__", "render")  # how jobs and errors name it
        self.dependency: Dependency | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Rendered:
        """Run the function and collect what it created (called in a worker thread)."""
        from audiotui.blocks import Blocks

        # Context is per thread, but an async caller could share the loop thread with code
        # that builds an app: save whatever is open and build from a clean slate.
        saved = (Context.root_block, Context.block)
        Context.root_block = Context.block = None
        try:
            collector = Blocks(title=f"render of {self.__name__}")
            with collector:
                holder = type(self.container)(render=False)
                with holder:
                    self.fn(*args, **kwargs)
        finally:
            Context.root_block, Context.block = saved
        for child in holder.children:
            child.parent = self.container
        return Rendered(
            self, list(holder.children), list(collector.blocks.values()), list(collector.fns)
        )

    def __repr__(self) -> str:
        return f"<render {self.__name__} into {self.container!r}>"


def render(
    inputs: Sequence[Component] | Component | set[Component] | None = None,
    triggers: Sequence[Any] | Any | None = None,
    *,
    queue: bool = True,
    trigger_mode: TriggerMode | None = "always_last",
    concurrency_limit: int | None | Literal["default"] = None,
    concurrency_id: str | None = None,
) -> Callable[[F], F]:
    """`@gr.render(inputs=..., triggers=...)`: rebuild part of the layout from a function.

    The function runs when a session starts and whenever a trigger fires (by default the
    `.change` of each input, plus the app's load); what it creates replaces what its last
    run created. Components with the same `key` across runs keep their current value.
    Listeners that use components created inside must be created inside too.

    Args:
        inputs: components whose values the function receives, in order.
        triggers: listeners such as `[btn.click, text.submit]` (add `demo.load` to also
            render at start); None = every input's `.change` plus the load.
        queue, trigger_mode, concurrency_limit, concurrency_id: as for any listener.
    """
    from audiotui.components.base import Block

    root = Context.root_block
    if root is None:
        raise AppLoadError(
            "gr.render can only decorate a function inside a `with gr.Blocks():` block"
        )
    if callable(inputs) and not isinstance(inputs, Block):
        raise AppLoadError(
            f"gr.render needs parentheses: write @gr.render() or @gr.render(inputs=...) "
            f"above {getattr(inputs, '__name__', 'the function')}()"
        )
    if isinstance(inputs, Block):
        input_list: Any = [inputs]
    else:
        input_list = [] if inputs is None else inputs
    if triggers is None:
        pairs = [(root, "load")]
        pairs += [(b, "change") for b in input_list if "change" in type(b).EVENTS]
    else:
        listed = triggers if isinstance(triggers, (list, tuple)) else [triggers]
        pairs = [_trigger_pair(t) for t in listed]

    def decorate(fn: F) -> F:
        if not callable(fn):
            raise AppLoadError(f"gr.render decorates a function, got {fn!r}")
        if (
            inspect.iscoroutinefunction(fn)
            or inspect.isgeneratorfunction(fn)
            or inspect.isasyncgenfunction(fn)
        ):
            raise AppLoadError(
                f"gr.render: {getattr(fn, '__name__', fn)}() must be a plain function "
                f"(not async, not a generator): it builds the layout in one go"
            )
        _declare(fn, input_list, pairs, queue, trigger_mode, concurrency_limit, concurrency_id)
        return fn

    return decorate


def _declare(
    fn: Callable[..., Any],
    inputs: Any,
    pairs: list[tuple[Any, str]],
    queue: bool,
    trigger_mode: TriggerMode | None,
    concurrency_limit: int | None | Literal["default"],
    concurrency_id: str | None,
) -> Renderable:
    from audiotui.events import BoundListener, on
    from audiotui.layout import Column, Row

    container_class = Row if isinstance(Context.block, Row) else Column
    renderable = Renderable(fn, container_class())
    renderable.dependency = on(
        [BoundListener(block, event) for block, event in pairs], renderable,
        inputs=inputs, outputs=[renderable.container], api_name=False, show_api=False,
        queue=queue, trigger_mode=trigger_mode or "always_last",
        concurrency_limit=concurrency_limit, concurrency_id=concurrency_id, postprocess=False,
    )
    return renderable


def _trigger_pair(trigger: Any) -> tuple[Any, str]:
    """`btn.click` -> (btn, "click"); `demo.load` (a bound method) -> (demo, "load")."""
    from audiotui.blocks import Blocks
    from audiotui.events import BoundListener

    if isinstance(trigger, BoundListener):
        return trigger.block, trigger.event_name
    owner = getattr(trigger, "__self__", None)
    if isinstance(owner, Blocks) and getattr(trigger, "__name__", None) == "load":
        return owner, "load"
    raise AppLoadError(
        f"gr.render: each trigger must be a listener such as btn.click or demo.load, "
        f"got {trigger!r}"
    )


@dataclass
class Replacement:
    """What showing a new render run took away: listeners to unwire and blocks that are gone."""

    dependencies: list[Dependency]
    blocks: list[Block]


@dataclass
class LayoutBook:
    """One session's rendered layouts: what each render container holds right now.

    Containers declared in the app are known from the start; a render nested inside a
    render only counts while the layout that created it is shown, so a late result of a
    nested render whose parent was already replaced is dropped.
    """

    current: dict[int, Rendered] = field(default_factory=dict)
    containers: set[int] = field(default_factory=set)

    @classmethod
    def for_dependencies(cls, deps: Sequence[Dependency]) -> LayoutBook:
        return cls(containers={d.fn.container.id for d in deps if isinstance(d.fn, Renderable)})

    def children(self, container: Block) -> list[Block] | None:
        """The session's children of a render container; None for any other block."""
        if container.id not in self.containers:
            return None
        shown = self.current.get(container.id)
        return list(shown.children) if shown is not None else []

    def walk(self, root: BlockContext) -> list[Block]:
        """Every block under `root` in layout order, render containers holding their runs."""
        out: list[Block] = []
        stack = list(reversed(root.children))
        while stack:
            block = stack.pop()
            out.append(block)
            shown = self.children(block)
            stack.extend(reversed(shown if shown is not None else getattr(block, "children", [])))
        return out

    def dependencies(self) -> list[Dependency]:
        """Listeners created by the runs shown now."""
        return [dep for shown in self.current.values() for dep in shown.dependencies]

    def replace(self, rendered: Rendered, values: dict[int, Any]) -> Replacement | None:
        """Show `rendered`, giving its blocks their session values in `values`.

        A keyed component takes the current value of the previous run's component with
        the same key and type; every other one starts from its initial value. Returns what
        the previous run (and the renders nested in it) leaves behind, or None when the
        container is no longer shown in this session (the result must then be dropped).
        """
        from audiotui.components.base import Component

        if rendered.container.id not in self.containers:
            return None
        displaced = self._displace(rendered.container.id)
        before = displaced[0].keyed() if displaced else {}
        after = rendered.keyed()
        for block in rendered.blocks:
            if not isinstance(block, Component):
                continue
            same = before.get(block.key) if block.key is not None else None
            if (
                same is not None and type(same) is type(block)
                and after.get(block.key) is block and same.id in values
            ):
                values[block.id] = values[same.id]
            else:
                values[block.id] = block.initial_value()
        gone = [block for old in displaced for block in old.blocks]
        for block in gone:
            values.pop(block.id, None)
        self.current[rendered.container.id] = rendered
        for dep in rendered.dependencies:
            if isinstance(dep.fn, Renderable):
                self.containers.add(dep.fn.container.id)
        return Replacement([dep for old in displaced for dep in old.dependencies], gone)

    def _displace(self, container_id: int) -> list[Rendered]:
        """Take the run shown in the container and, recursively, the renders nested in it
        (the container's own run comes first)."""
        displaced: list[Rendered] = []
        stack = [container_id]
        while stack:
            old = self.current.pop(stack.pop(), None)
            if old is None:
                continue
            displaced.append(old)
            for dep in old.dependencies:
                if isinstance(dep.fn, Renderable):
                    self.containers.discard(dep.fn.container.id)
                    stack.append(dep.fn.container.id)
        return displaced
