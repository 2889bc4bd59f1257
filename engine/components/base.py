"""Block, BlockContext and Component: the declarative base every component and layout shares.

A component holds constructor settings and knows how to convert values (`preprocess`:
stored value -> what `fn` receives; `postprocess`: what `fn` returns -> stored value).
It never holds a live value: the runtime's `Session` owns current values, so one app
definition can serve many sessions (the TUI, Client calls, tests) at once.
"""

from __future__ import annotations

import copy
import re
import reprlib
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from audiotui.context import Context, next_id
from audiotui.errors import AudioFormatError, ComponentError
from audiotui.events import EventListener
from audiotui.updates import record_constructor_args


def attach_event_listeners(cls: type[Block]) -> None:
    """Give `cls` one listener method per name in `cls.EVENTS` (unless it defines its own)."""
    for name in cls.EVENTS:
        if not isinstance(cls.__dict__.get(name), EventListener):
            existing = getattr(cls, name, None)
            if existing is None or isinstance(existing, EventListener):
                setattr(cls, name, EventListener(name))


class Block:
    """Anything placed in a Blocks tree: a component or a layout container."""

    EVENTS: ClassVar[Sequence[str]] = ()
    """Event names this block type fires; each becomes a listener method (`.change(...)`)."""

    def __init__(
        self,
        *,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        visible: bool = True,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        self._id = next_id()
        self.elem_id = _check_opt_str(self, "elem_id", elem_id)
        if isinstance(elem_classes, str):
            elem_classes = [elem_classes]
        if elem_classes is not None and not (
            isinstance(elem_classes, list) and all(isinstance(c, str) for c in elem_classes)
        ):
            fixed = [str(c) for c in elem_classes] if isinstance(
                elem_classes, (list, tuple, set)) else []
            tolerate(type(self).__name__, f"elem_classes should be a str or list of str, got "
                     f"{elem_classes!r}; using {fixed!r}")
            elem_classes = fixed
        self.elem_classes: list[str] = list(elem_classes or [])
        if isinstance(visible, str) and visible == "hidden":  # Gradio 6: rendered, not shown
            visible = False
        self.visible = _check_bool(self, "visible", visible, none=True)
        self.key = key
        self.parent: BlockContext | None = None
        self.is_rendered = False
        if render:
            self.render()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        attach_event_listeners(cls)
        # A returned `gr.Audio(visible=True)` must update exactly the arguments passed.
        record_constructor_args(cls)

    @property
    def id(self) -> int:
        return self._id

    def render(self) -> Block:
        """Attach to the innermost open layout and register with the Blocks being built."""
        root = Context.root_block
        if root is not None:
            root.register_block(self)
        if Context.block is not None and self.parent is None:
            Context.block.add_child(self)
        self.is_rendered = True
        return self

    def unrender(self) -> Block:
        """Detach from the layout (the block stays usable as an input/output)."""
        if self.parent is not None:
            self.parent.children = [c for c in self.parent.children if c is not self]
            self.parent = None
        self.is_rendered = False
        return self

    def get_config(self) -> dict[str, Any]:
        """Constructor settings a front end draws from (plain, JSON-able where possible)."""
        return {
            "elem_id": self.elem_id,
            "elem_classes": list(self.elem_classes),
            "visible": self.visible,
            "key": self.key,
        }

    def __repr__(self) -> str:
        label = getattr(self, "label", None)
        extra = f" label={label!r}" if label else ""
        return f"<{type(self).__name__} id={self._id}{extra}>"


class BlockContext(Block):
    """A layout container (`with gr.Row(): ...`): children attach to it while it is open."""

    def __init__(self, **kwargs: Any) -> None:
        self.children: list[Block] = []
        self._previous: list[BlockContext | None] = []
        super().__init__(**kwargs)

    def add_child(self, child: Block) -> None:
        child.parent = self
        self.children.append(child)

    def __enter__(self) -> BlockContext:
        self._previous.append(Context.block)
        Context.block = self
        return self

    def __exit__(self, *exc: object) -> None:
        Context.block = self._previous.pop()


class Component(Block):
    """A value-holding block: an input, an output, or both.

    Subclasses override `preprocess`, `postprocess`, `api_info` and `example_value`,
    and list their `EVENTS`. `value` may be a callable: it is evaluated when a session
    starts (and every `every` seconds), which the runtime does via `load_fn`.
    """

    EVENTS: ClassVar[Sequence[str]] = ("change", "input")
    FRONTEND_DEFAULT: ClassVar[Any] = None
    """What the component holds when built without a value (or with None).

    Gradio drops None props before they reach the browser (`utils.delete_none` in
    `Blocks.get_config_file`, gradio/blocks.py at 4.34), so the Svelte component's own default
    applies (js/number/Index.svelte `export let value = 0`, js/textbox `""`, js/chatbot `[]`...)
    and that is what the first call receives. Subclasses name theirs; it is postprocessed
    like any constructor value and deep-copied, so sessions never share it.
    """

    def __init__(
        self,
        value: Any = None,
        *,
        label: str | None = None,
        info: str | None = None,
        every: float | None = None,
        show_label: bool | None = None,
        container: bool = True,
        scale: int | None = None,
        min_width: int = 160,
        interactive: bool | None = None,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        self.label = _check_opt_str(self, "label", label)
        self.info = _check_opt_str(self, "info", info)
        # Gradio 4.34 stores every, scale and min_width unchecked (gradio/components/base.py
        # only warns that a non-integer scale "will cause issues"): warn and go on.
        name = type(self).__name__
        if every is not None and (
            isinstance(every, bool) or not isinstance(every, (int, float)) or every <= 0
        ):
            tolerate(name, f"every should be a positive number of seconds, got {every!r}; "
                     "the value is loaded once")
            every = None
        self.every = every
        self.show_label = show_label
        self.container = _check_bool(self, "container", container, none=True)
        if scale is not None and (isinstance(scale, bool) or not isinstance(scale, int)):
            fixed = round(scale) if isinstance(scale, (int, float)) else None
            tolerate(name, f"scale should be an integer, got {scale!r}; using {fixed!r}")
            scale = fixed
        self.scale = scale
        if isinstance(min_width, bool) or not isinstance(min_width, int) or min_width < 0:
            tolerate(name, f"min_width should be a non-negative int, got {min_width!r}; "
                     "using 160")
            min_width = 160
        self.min_width = min_width
        if interactive is not None:
            interactive = _check_bool(self, "interactive", interactive)
        self.interactive = interactive
        self.load_fn: Callable[[], Any] | None = value if callable(value) else None
        self.load_event: Any = None  # the Dependency that re-evaluates a callable value
        super().__init__(
            elem_id=elem_id, elem_classes=elem_classes, visible=visible, render=render, key=key
        )
        self.value = None if self.load_fn is not None else self._initial_value(value)

    def _initial_value(self, value: Any) -> Any:
        """`postprocess(value)` for the constructor, with errors that name the `value` argument.

        postprocess speaks about what a function *returned*; a bad constructor value is a
        mistake in the app's layout code, so the message must point there instead.
        """
        if value is None and self.FRONTEND_DEFAULT is not None:
            value = copy.deepcopy(self.FRONTEND_DEFAULT)
        try:
            return self.postprocess(value)
        except (ComponentError, AudioFormatError) as exc:
            name = type(self).__name__
            reason = re.sub(rf"^{name}( '[^']*'| \"[^\"]*\")?: ", "", str(exc))
            raise type(exc)(
                f"{name}: the value argument {reprlib.repr(value)} cannot be used: {reason}"
            ) from exc

    # -- conversion (override in subclasses) ----------------------------------------------
    def preprocess(self, payload: Any) -> Any:
        """Stored value -> the argument `fn` receives."""
        return payload

    def postprocess(self, value: Any) -> Any:
        """What `fn` returned -> the stored value the session keeps and the UI draws."""
        return value

    def api_info(self) -> dict[str, Any]:
        """JSON-schema-like description of the value, for `view_api`."""
        return {"type": {}, "description": "any valid value"}

    def example_value(self) -> Any:
        """A value a caller could pass (shown by `view_api`)."""
        return None

    def as_example(self, value: Any) -> Any:
        """How an example row shows this component's value (a short string)."""
        return value

    # -- Gradio 4.34's other public Component methods (gradio/components/base.py) ------------
    @classmethod
    def has_event(cls, event: str | Any) -> bool:
        """Does this component fire `event` (a name or a bound listener)?"""
        return getattr(event, "event_name", event) in cls.EVENTS

    def get_block_name(self) -> str:
        """The lower-case class name, as Gradio names a component's front-end module."""
        return type(self).__name__.lower()

    def example_payload(self) -> Any:
        """What a caller could send (Gradio's name for `example_value`)."""
        return self.example_value()

    def example_inputs(self) -> Any:
        """Gradio's older name for `example_payload`."""
        return self.example_value()

    def process_example(self, value: Any) -> Any:
        """How an example row shows `value` (Gradio's name for `as_example`)."""
        return self.as_example(value)

    def initial_value(self) -> Any:
        """A fresh stored value for a new session (deep-copied, so sessions never share)."""
        return copy.deepcopy(self.value)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            label=self.label,
            info=self.info,
            show_label=self.show_label,
            container=self.container,
            scale=self.scale,
            min_width=self.min_width,
            interactive=self.interactive,
            every=self.every,
        )
        return config


class FormComponent(Component):
    """A small input that Gradio groups into a shared form box (Textbox, Number, ...)."""


def tolerate(owner: str, message: str) -> None:
    """An argument Gradio 4.34 only stores, given a value we cannot use as it is: warn.

    Gradio's constructors keep most arguments unchecked, so an app with `autoplay=1` or
    `format="bytes"` runs there; refusing it here would stop an app that works. The warning
    names the app's line (`warn_app`), and Python shows it once per line; the caller then
    goes on with the nearest sensible value, which `message` names.
    """
    from audiotui.notices import warn_app

    warn_app(f"{owner}: {message}")


def _check_bool(block: Block | str, name: str, value: Any, none: bool = False) -> bool:
    """A flag; anything else is taken by truth value, as Gradio's front end would, with a
    warning unless it is an int or None (0/1 and None are common and harmless). None is
    `none`: Gradio drops None props, so the front end's default applies (visible: True)."""
    if isinstance(value, bool):
        return value
    if value is None:
        return none
    if not isinstance(value, int):
        owner = block if isinstance(block, str) else type(block).__name__
        tolerate(owner, f"{name} should be True or False, got {value!r}; using {bool(value)}")
    return bool(value)


def _check_opt_str(block: Block, name: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        tolerate(type(block).__name__, f"{name} should be a str or None, got {value!r}; "
                 f"using {str(value)!r}")
        return str(value)
    return value



