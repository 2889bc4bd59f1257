"""Property updates: `gr.update(...)`, returned component instances, and how the runtime reads them.

A user function may return, for one output, a plain value, `gr.update(visible=False, value=...)`
or a fresh component such as `gr.Textbox(visible=False)` (Gradio 4's preferred form). The runtime
calls `split_update` once per output so that all three forms reduce to the same pair: property
overrides for the session, and maybe a new value.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from audiotui.components.base import Block


class _NoValue:
    """Sentinel type: "this update leaves the value alone" (None is a real value)."""

    _instance: _NoValue | None = None

    def __new__(cls) -> _NoValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_VALUE"

    def __bool__(self) -> bool:
        return False


NO_VALUE: Final = _NoValue()
"""Returned by `split_update` when an update changes properties but not the value."""

# Constructor arguments that describe where a block sits, not how it looks: an update that
# carried them would mean nothing, so they are dropped from returned component instances.
_NOT_PROPS = frozenset({"render", "key", "every"})


def update(**props: Any) -> dict[str, Any]:
    """`gr.update(**props)`: change an output's properties (and optionally its value).

    Returns the same dict shape Gradio 4 does, so code that inspects it keeps working.
    """
    return {"__type__": "update", **props}


def is_update(value: Any) -> bool:
    """True for a dict made by `update()` (the marker is what distinguishes it from a JSON value)."""
    return isinstance(value, dict) and value.get("__type__") == "update"


def record_constructor_args(cls: type) -> type:
    """Class decorator: remember which arguments each instance was built with.

    A returned `gr.Button(visible=True)` must re-show a hidden button although `visible=True`
    is the default, so comparing with a default instance is not enough: the arguments the
    user actually passed are the update. Only the outermost `__init__` of an instance records,
    so subclasses that call `super().__init__(...)` with filled-in defaults do not widen it.
    """
    original = cls.__dict__.get("__init__")
    if original is None or getattr(original, "_records_args", False):
        return cls
    signature = inspect.signature(original)

    @functools.wraps(original)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if "_constructor_args" not in self.__dict__:
            try:
                bound = signature.bind(self, *args, **kwargs)
            except TypeError:
                bound = None
            recorded: dict[str, Any] = {}
            if bound is not None:
                for name, value in list(bound.arguments.items())[1:]:
                    kind = signature.parameters[name].kind
                    if kind is inspect.Parameter.VAR_KEYWORD:
                        recorded.update(value)
                    elif kind is not inspect.Parameter.VAR_POSITIONAL:
                        recorded[name] = value
            self.__dict__["_constructor_args"] = recorded
        original(self, *args, **kwargs)

    __init__._records_args = True  # type: ignore[attr-defined]
    cls.__init__ = __init__  # type: ignore[misc]
    return cls


def constructor_args(component: Block) -> dict[str, Any] | None:
    """The arguments `component` was explicitly built with, or None when they were not recorded."""
    recorded = component.__dict__.get("_constructor_args")
    return dict(recorded) if recorded is not None else None


def split_update(component: Block, returned: Any) -> tuple[dict[str, Any], Any]:
    """Reduce what `fn` returned for `component` to `(props, value_or_NO_VALUE)`.

    - `gr.update(visible=False, value=3)` -> `({"visible": False}, 3)`
    - `gr.Textbox(visible=False)` -> `({"visible": False}, NO_VALUE)`
    - a list returned to a `Dataset` -> `({"samples": [...]}, NO_VALUE)` (Gradio updates its rows)
    - anything else -> `({}, returned)`

    The value is the raw one the user gave: the runtime postprocesses it with `component`
    (unless the listener has `postprocess=False`), exactly as for a plain return value.
    Components with props that need normalising (choices, samples) expose
    `normalise_update(props)`, applied here so every front end sees one shape.
    """
    from audiotui.components.base import Block

    if is_update(returned):
        props = {k: v for k, v in returned.items() if k != "__type__"}
    elif isinstance(returned, Block):  # gr.Textbox(visible=False), gr.Row(visible=True)...
        props = _props_of_instance(returned)
    else:
        samples_to_props = getattr(component, "samples_update", None)
        if samples_to_props is not None and isinstance(returned, list):
            props = samples_to_props(returned)
            return _normalise(component, props), NO_VALUE
        return {}, returned
    value = props.pop("value", NO_VALUE)
    return _normalise(component, props), value


def _props_of_instance(returned: Block) -> dict[str, Any]:
    recorded = constructor_args(returned)
    if recorded is not None:
        return {k: v for k, v in recorded.items() if k not in _NOT_PROPS}
    # Not recorded (a component class that was not decorated): fall back to what differs
    # from a default instance, which misses explicitly passed defaults but is never wrong.
    return _diff_from_default(returned)


def _diff_from_default(returned: Block) -> dict[str, Any]:
    try:
        default = type(returned)(render=False)
    except TypeError:
        return dict(returned.get_config())
    ours, theirs = returned.get_config(), default.get_config()
    props = {k: v for k, v in ours.items() if theirs.get(k) != v and k not in _NOT_PROPS}
    value = getattr(returned, "value", None)
    if value != getattr(default, "value", None):
        props["value"] = value
    return props


def _normalise(component: Block, props: dict[str, Any]) -> dict[str, Any]:
    normaliser: Callable[[dict[str, Any]], dict[str, Any]] | None = getattr(
        component, "normalise_update", None
    )
    return normaliser(props) if normaliser is not None else props
