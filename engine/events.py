"""Event listeners and the dependencies they register (what runs when, with which settings).

This module only records *declarations*, exactly as Gradio's listener signature takes them;
`audiotui.runtime.Session` gives them their runtime meaning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from audiotui.context import Context, next_id

if TYPE_CHECKING:
    from audiotui.blocks import Blocks
    from audiotui.components.base import Block

TriggerMode = Literal["once", "multiple", "always_last"]
ShowProgress = Literal["full", "minimal", "hidden"]

_ALWAYS_LAST_EVENTS = frozenset({"change", "key_up", "stream"})


@dataclass(eq=False)
class Dependency:
    """One registered listener: triggers, fn, inputs/outputs and every listener setting.

    Returned by every listener call so users can chain `.then()` / `.success()` and pass it
    to `cancels=`. Also callable, which is what makes `@btn.click(inputs=..., outputs=...)`
    work as a decorator when `fn` was left at its default.
    """

    triggers: list[tuple[Block | None, str]]
    fn: Callable[..., Any] | None
    inputs: list[Block]
    outputs: list[Block]
    inputs_as_dict: bool = False
    api_name: str | Literal[False] | None = None
    scroll_to_output: bool = False
    show_progress: ShowProgress = "full"
    queue: bool | None = True
    batch: bool = False
    max_batch_size: int = 4
    preprocess: bool = True
    postprocess: bool = True
    cancels: list[Dependency] = field(default_factory=list)
    every: float | None = None
    trigger_mode: TriggerMode = "once"
    js: str | None = None
    concurrency_limit: int | None | Literal["default"] = "default"
    concurrency_id: str | None = None
    show_api: bool = True
    trigger_after: Dependency | None = None
    trigger_only_on_success: bool = False
    stream_every: float = 0.5
    """Gradio 5: seconds of microphone audio per `stream` chunk (the TUI records that much)."""
    time_limit: float | None = None
    """Gradio 5: seconds after which a `stream` listener's recording stops."""
    blocks: Blocks | None = None
    id: int = field(default_factory=next_id)
    _decorator_kwargs: dict[str, Any] | None = None

    def __hash__(self) -> int:
        return self.id

    @property
    def name(self) -> str:
        """What logs and error messages call this dependency."""
        if self.fn is None:
            return "<no fn>"
        return getattr(self.fn, "__name__", type(self.fn).__name__)

    def then(
        self, fn: Callable[..., Any] | None | str = "decorator", inputs: Any = None,
        outputs: Any = None, **kwargs: Any,
    ) -> Any:
        """Run `fn` after this dependency finishes, whatever its outcome."""
        return _register(
            [], "then", fn, inputs=inputs, outputs=outputs, trigger_after=self, **kwargs
        )

    def success(
        self, fn: Callable[..., Any] | None | str = "decorator", inputs: Any = None,
        outputs: Any = None, **kwargs: Any,
    ) -> Any:
        """Run `fn` after this dependency finishes without error."""
        return _register(
            [], "then", fn, inputs=inputs, outputs=outputs, trigger_after=self,
            trigger_only_on_success=True, **kwargs,
        )

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if self._decorator_kwargs is None:
            raise TypeError("this Dependency is not a decorator")
        _register_now(fn=func, **self._decorator_kwargs)
        return func


class EventListener:
    """Descriptor: `Audio.change` on a class, a bound listener method on an instance."""

    def __init__(self, event_name: str) -> None:
        self.event_name = event_name

    def __set_name__(self, owner: type, name: str) -> None:
        self.event_name = name

    def __get__(self, block: Block | None, owner: type | None = None) -> Any:
        if block is None:
            return self
        return BoundListener(block, self.event_name)


class BoundListener:
    """`audio.change`: call it to register a listener; pass it to `gr.on([...])`."""

    def __init__(self, block: Block, event_name: str) -> None:
        self.block = block
        self.event_name = event_name
        self.__name__ = event_name

    def __call__(
        self, fn: Callable[..., Any] | None | str = "decorator", inputs: Any = None,
        outputs: Any = None, **kwargs: Any,
    ) -> Any:
        return _register(
            [(self.block, self.event_name)], self.event_name, fn, inputs=inputs, outputs=outputs,
            **kwargs,
        )

    def __repr__(self) -> str:
        return f"<listener {self.event_name} of {self.block!r}>"


def on(
    triggers: Sequence[BoundListener] | BoundListener | None = None,
    fn: Callable[..., Any] | None | str = "decorator",
    inputs: Any = None,
    outputs: Any = None,
    **kwargs: Any,
) -> Any:
    """`gr.on`: one listener for several triggers; None means "any change of the inputs"."""
    pairs: list[tuple[Block | None, str]] | None = None  # None: the inputs' change events
    if triggers is not None:
        if isinstance(triggers, BoundListener):
            triggers = [triggers]
        pairs = []
        for t in triggers:
            if not isinstance(t, BoundListener):
                raise TypeError(f"on(): each trigger must be a listener like btn.click, got {t!r}")
            pairs.append((t.block, t.event_name))
    return _register(pairs, "change", fn, inputs=inputs, outputs=outputs, **kwargs)


def _register(
    triggers: list[tuple[Block | None, str]] | None,
    event_name: str,
    fn: Callable[..., Any] | None | str,
    **kwargs: Any,
) -> Any:
    kwargs.setdefault("trigger_mode", None)
    if kwargs["trigger_mode"] is None:
        kwargs["trigger_mode"] = "always_last" if event_name in _ALWAYS_LAST_EVENTS else "once"
    kwargs["triggers"] = triggers
    if fn == "decorator":
        return Dependency(triggers=[], fn=None, inputs=[], outputs=[], _decorator_kwargs=kwargs)
    return _register_now(fn=fn, **kwargs)


_SETTINGS = (
    "api_name", "scroll_to_output", "show_progress", "queue", "batch", "max_batch_size",
    "preprocess", "postprocess", "every", "trigger_mode", "js", "concurrency_limit",
    "concurrency_id", "show_api", "trigger_after", "trigger_only_on_success",
    "stream_every", "time_limit",
)
_LATER_GRADIO_SETTINGS = frozenset({
    "api_description", "show_progress_on", "like_user_message", "key", "validator",
    "inputs_kwargs", "api_visibility",
})
"""Listener arguments of Gradio 5 and 6 (gradio/events.py `event_trigger`) with no terminal
meaning: accepted and dropped, so apps written for those versions load. `api_visibility`
("public" / "private" / "undocumented") is mapped to `show_api`/`api_name` first."""


def _register_now(
    *, fn: Any, triggers: list[tuple[Block | None, str]] | None, inputs: Any = None,
    outputs: Any = None, cancels: Any = None, **kwargs: Any,
) -> Dependency:
    visibility = kwargs.pop("api_visibility", None)
    if visibility == "private":
        kwargs["api_name"] = False
    elif visibility == "undocumented":
        kwargs["show_api"] = False
    for later in _LATER_GRADIO_SETTINGS & set(kwargs):
        kwargs.pop(later)
    if kwargs.get("time_limit") is not None and not (
        isinstance(kwargs["time_limit"], (int, float)) and kwargs["time_limit"] > 0
    ):
        kwargs["time_limit"] = None
    stream_every = kwargs.get("stream_every", 0.5)
    if isinstance(stream_every, bool) or not isinstance(stream_every, (int, float)) or (
        stream_every <= 0
    ):
        kwargs["stream_every"] = 0.5
    unknown = set(kwargs) - set(_SETTINGS)
    if unknown:
        raise TypeError(f"unexpected listener argument(s): {', '.join(sorted(unknown))}")
    root = Context.root_block
    if root is None:
        raise RuntimeError(
            "event listeners can only be attached inside a `with gr.Blocks():` context"
        )
    if fn is not None and not callable(fn):
        raise TypeError(f"fn must be callable or None, got {fn!r}")
    input_list, as_dict = _as_block_list(inputs, "inputs", allow_set=True)
    output_list, _ = _as_block_list(outputs, "outputs", allow_set=True)
    if triggers is None:  # gr.on(None, ...): every input's change event
        triggers = [(b, "change") for b in input_list if "change" in type(b).EVENTS]
    cancel_list = _as_cancels(cancels)
    settings = {k: v for k, v in kwargs.items() if k in _SETTINGS}
    _stream_listeners_stream(triggers, settings)
    if settings.get("show_progress") is None:
        settings.pop("show_progress", None)
    sp = settings.get("show_progress", "full")
    if sp not in ("full", "minimal", "hidden"):
        raise ValueError(f"show_progress must be 'full', 'minimal' or 'hidden', got {sp!r}")
    tm = settings.get("trigger_mode")
    if tm not in ("once", "multiple", "always_last"):
        raise ValueError(f"trigger_mode must be 'once', 'multiple' or 'always_last', got {tm!r}")
    cl = settings.get("concurrency_limit", "default")
    if cl != "default" and cl is not None and (
        isinstance(cl, bool) or not isinstance(cl, int) or cl < 1
    ):
        raise ValueError(f"concurrency_limit must be a positive int, None or 'default', got {cl!r}")
    if settings.get("js"):
        from audiotui.notices import warn_app

        warn_app("js= is ignored: there is no browser in the terminal")
    if fn is None:
        settings["show_api"] = False
    dep = Dependency(
        triggers=list(triggers), fn=fn, inputs=input_list, outputs=output_list,
        inputs_as_dict=as_dict, cancels=cancel_list, blocks=root, **settings,
    )
    for block, event in dep.triggers:  # gr.Timer: its tick listeners become periodic
        attach = getattr(block, "attach_tick", None) if event == "tick" else None
        if attach is not None:
            attach(dep, root)
            break
    root.add_dependency(dep)
    return dep


def _stream_listeners_stream(
    triggers: list[tuple[Block | None, str]], settings: dict[str, Any]
) -> None:
    """A `stream` listener turns its component's `streaming` on, as Gradio's does.

    Gradio 4.34 declares the event as `EventListener("stream", ..., callback=lambda block:
    setattr(block, "streaming", True))` (gradio/events.py, `Events.stream`) and runs the
    callback when a listener is attached, so `mic.stream(fn, ...)` on an Audio built without
    `streaming=True` still sends chunks while recording. Sources are left as built.

    Gradio 5's `stream_every` (chunk length) and `time_limit` (the longest stream) are what
    the front end records by, so they are kept on the component for the TUI's recorder: the
    shortest chunk and the shortest limit of its stream listeners.
    """
    for block, event in triggers:
        if event == "stream" and block is not None and hasattr(block, "streaming"):
            block.streaming = True
            every = float(settings.get("stream_every", 0.5))
            setattr(block, "stream_every", min(every, getattr(block, "stream_every", every)))  # noqa: B010
            limit = settings.get("time_limit")
            if limit is not None:
                old = getattr(block, "stream_time_limit", None)
                setattr(  # noqa: B010 - any streaming component, not only Audio
                    block, "stream_time_limit",
                    float(limit) if old is None else min(old, float(limit)),
                )


def _as_block_list(value: Any, what: str, *, allow_set: bool) -> tuple[list[Block], bool]:
    from audiotui.components.base import Block

    if value is None:
        return [], False
    as_dict = False
    if isinstance(value, Block):
        items = [value]
    elif isinstance(value, (set, frozenset)) and allow_set:
        items = sorted(value, key=lambda b: b.id)
        as_dict = what == "inputs"
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise TypeError(f"{what} must be a component, a list of components or a set, got {value!r}")
    for item in items:
        if not isinstance(item, Block):
            raise TypeError(f"{what} must hold components, got {item!r}")
    return items, as_dict


def _as_cancels(value: Any) -> list[Dependency]:
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if not isinstance(item, Dependency):
            raise TypeError(f"cancels must hold listener results (Dependency), got {item!r}")
    return list(items)
