"""Invocation: turning a dependency's inputs into a call of its function, and its result back
into per-output changes, with Gradio's rules.

Kept apart from the Session so the rules (which parameters get a Progress/Request/EventData,
how a return value maps onto outputs, how batches are split) can be read in one place and run
in worker threads: nothing here touches session state or the event loop.
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from audiotui.errors import ComponentError
from audiotui.updates import NO_VALUE, split_update

if TYPE_CHECKING:
    from audiotui.components.base import Block
    from audiotui.events import Dependency
    from audiotui.progress import Progress

FnKind = Literal["sync", "async", "generator", "async_generator"]
SpecialKind = Literal["progress", "request", "event"]

Change = tuple[dict[str, Any], Any]
"""(property overrides, stored value or NO_VALUE) for one output."""


@dataclass
class CallPlan:
    """How to call one function: its kind and which parameters the runtime fills itself."""

    kind: FnKind
    parameters: list[inspect.Parameter] | None
    specials: dict[str, tuple[SpecialKind, Any]] = field(default_factory=dict)

    @property
    def progress_default(self) -> Progress | None:
        for kind, payload in self.specials.values():
            if kind == "progress":
                return payload  # type: ignore[no-any-return]
        return None


def plan_call(fn: Callable[..., Any]) -> CallPlan:
    """Inspect `fn` once: sync/async/generator, and its Progress/Request/EventData parameters."""
    target: Any = fn
    while isinstance(target, functools.partial):
        target = target.func
    if not inspect.isroutine(target):  # a callable object: its __call__ decides the kind
        target = getattr(target, "__call__", target)  # noqa: B004
    if inspect.isasyncgenfunction(target):
        kind: FnKind = "async_generator"
    elif inspect.isgeneratorfunction(target):
        kind = "generator"
    elif inspect.iscoroutinefunction(target):
        kind = "async"
    else:
        kind = "sync"
    try:
        parameters = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):  # builtins without a text signature
        return CallPlan(kind, None)
    hints = _type_hints(fn)
    specials: dict[str, tuple[SpecialKind, Any]] = {}
    for param in parameters:
        special = _special(param, hints.get(param.name, param.annotation))
        if special is not None:
            specials[param.name] = special
    return CallPlan(kind, parameters, specials)


def _type_hints(fn: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn)
    except Exception:  # unresolvable string annotations: fall back to matching names
        return {}


def _special(param: inspect.Parameter, annotation: Any) -> tuple[SpecialKind, Any] | None:
    from audiotui.progress import Progress
    from audiotui.request import EventData, Request

    if isinstance(param.default, Progress):
        return ("progress", param.default)
    candidates = [annotation, *typing.get_args(annotation)]
    if isinstance(annotation, str):
        candidates = [_by_name(annotation)]
    for ann in candidates:
        if ann is Request:
            return ("request", None)
        if isinstance(ann, type) and issubclass(ann, EventData):
            return ("event", ann)
    return None


def _by_name(annotation: str) -> Any:
    """`"gr.Request"`, `"Optional[gr.SelectData]"` -> the class, when a string annotation
    could not be evaluated (a local import, a typo elsewhere in the signature)."""
    from audiotui import request

    known = {
        "Request": request.Request,
        "EventData": request.EventData,
        "SelectData": request.SelectData,
    }
    for token in re.findall(r"\w+", annotation):
        if token in known:
            return known[token]
    return None


def build_arguments(
    plan: CallPlan, values: list[Any], specials: dict[str, Any]
) -> tuple[list[Any], dict[str, Any]]:
    """Positional input values, with special values placed where their parameters are.

    Inputs fill the non-special parameters in order, as in Gradio; a special parameter
    after the last input is passed by keyword, so parameters with defaults in between
    keep them. Surplus inputs are passed on, so Python's own error names the mismatch.
    """
    if plan.parameters is None:
        return list(values), {}
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    rest = list(values)
    for param in plan.parameters:
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            args.extend(rest)
            rest = []
        elif param.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            if param.name in specials:
                if rest or param.kind is inspect.Parameter.POSITIONAL_ONLY:
                    args.append(specials[param.name])
                else:
                    kwargs[param.name] = specials[param.name]
            elif rest:
                args.append(rest.pop(0))
        elif param.kind is inspect.Parameter.KEYWORD_ONLY and param.name in specials:
            kwargs[param.name] = specials[param.name]
    args.extend(rest)
    return args, kwargs


def split_result(dep: Dependency, result: Any) -> list[Change | None]:
    """Map what `dep.fn` returned onto its outputs: a change per output, None = untouched.

    One output gets the whole value (even a tuple); several need a tuple/list of exactly
    that many values; a dict keyed by output components updates only those.
    """
    from audiotui.components.base import Block

    outputs = dep.outputs
    if not outputs:
        return []
    if isinstance(result, dict) and result and all(isinstance(k, Block) for k in result):
        changes: list[Change | None] = [None] * len(outputs)
        for block, value in result.items():
            index = _index_of(outputs, block)
            if index is None:
                raise ComponentError(
                    f"{dep.name}() returned a value for {block!r}, which is not one of its "
                    f"outputs; add it to outputs= or remove it from the returned dict"
                )
            changes[index] = convert_one(dep, outputs[index], value)
        return changes
    if len(outputs) == 1:
        return [convert_one(dep, outputs[0], result)]
    if not isinstance(result, (tuple, list)):
        raise ComponentError(
            f"{dep.name}() returned a single {type(result).__name__} but the listener has "
            f"{len(outputs)} outputs; return a tuple of {len(outputs)} values"
        )
    if len(result) != len(outputs):
        raise ComponentError(
            f"{dep.name}() returned {len(result)} values but the listener has "
            f"{len(outputs)} outputs; return exactly one value per output"
        )
    return [convert_one(dep, block, value) for block, value in zip(outputs, result, strict=True)]


def split_batch(dep: Dependency, result: Any, size: int) -> list[list[Change | None]]:
    """Split a batch function's tuple of lists (one list per output) into `size` results."""
    n = len(dep.outputs)
    if n == 0:
        return [[] for _ in range(size)]
    if not isinstance(result, (tuple, list)) or len(result) != n:
        raise ComponentError(
            f"{dep.name}() runs with batch=True, so it must return a tuple of {n} list(s), "
            f"one per output (even for a single output), got {type(result).__name__}"
        )
    for column in result:
        if not isinstance(column, (list, tuple)) or len(column) != size:
            raise ComponentError(
                f"{dep.name}() runs with batch=True on {size} call(s): each returned list "
                f"must hold {size} value(s), one per call"
            )
    return [
        [convert_one(dep, block, result[o][i]) for o, block in enumerate(dep.outputs)]
        for i in range(size)
    ]


def convert_one(dep: Dependency, block: Block, returned: Any) -> Change:
    """Props and postprocessed (stored) value for one output of `dep`."""
    from audiotui.components.base import Component

    if not isinstance(block, Component):  # a layout: only property updates mean anything
        props, _ = split_update(block, returned)
        return props, NO_VALUE
    props, value = split_update(block, returned)
    if value is not NO_VALUE and dep.postprocess:
        value = block.postprocess(value)
    return props, value


def _index_of(outputs: list[Block], block: Block) -> int | None:
    for i, out in enumerate(outputs):
        if out is block:
            return i
    return None
