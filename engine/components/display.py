"""Display components: Button, ClearButton, Markdown, Label and JSON (Gradio 4.34 signatures)."""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from audiotui.components.base import Block, Component, _check_bool, _check_opt_str, tolerate
from audiotui.errors import ComponentError
from audiotui.updates import record_constructor_args

if TYPE_CHECKING:
    from audiotui.events import BoundListener

_VARIANTS = ("primary", "secondary", "stop")
_SIZES = (None, "sm", "lg")


@record_constructor_args
class Button(Component):
    """A clickable button; its value is its text (a function may rename it)."""

    EVENTS: ClassVar[tuple[str, ...]] = ("click",)

    def __init__(
        self,
        value: str | Callable[[], Any] = "Run",
        *,
        every: float | None = None,
        variant: Literal["primary", "secondary", "stop"] = "secondary",
        size: Literal["sm", "lg"] | None = None,
        icon: str | None = None,
        link: str | None = None,
        visible: bool = True,
        interactive: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
        scale: int | None = None,
        min_width: int | None = None,
    ) -> None:
        # gradio/components/button.py (4.34) stores variant/size/min_width unchecked.
        if variant not in _VARIANTS:
            tolerate("Button", f"variant should be one of {', '.join(_VARIANTS)}; got "
                     f"{variant!r}; using 'secondary'")
            variant = "secondary"
        if size not in _SIZES:
            tolerate("Button", f"size should be 'sm', 'lg' or None, got {size!r}; using None")
            size = None
        self.variant = variant
        self.size = size
        self.icon = _check_opt_str(self, "icon", icon)
        self.link = _check_opt_str(self, "link", link)
        if min_width is not None and (
            isinstance(min_width, bool) or not isinstance(min_width, int) or min_width < 0
        ):
            tolerate("Button", f"min_width should be a non-negative int or None, got "
                     f"{min_width!r}; using None")
            min_width = None
        super().__init__(
            value, every=every, visible=visible, interactive=interactive, elem_id=elem_id,
            elem_classes=elem_classes, render=render, key=key, scale=scale,
        )  # fmt: skip
        self.min_width = min_width  # type: ignore[assignment]  # None = as wide as its text

    def preprocess(self, payload: Any) -> str | None:
        return None if payload is None else str(payload)

    def postprocess(self, value: Any) -> str | None:
        return None if value is None else str(value)

    def api_info(self) -> dict[str, Any]:
        return {"type": "string"}

    def example_value(self) -> str:
        return "Run"

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(variant=self.variant, size=self.size, icon=self.icon, link=self.link)
        return config


@record_constructor_args
class ClearButton(Button):
    """`gr.ClearButton`: a Button that empties `components` (State goes back to its start)."""

    click: BoundListener  # attached from EVENTS by Block.__init_subclass__; typed for mypy

    def __init__(
        self,
        components: Block | Sequence[Block] | None = None,
        *,
        value: str = "Clear",
        every: float | None = None,
        variant: Literal["primary", "secondary", "stop"] = "secondary",
        size: Literal["sm", "lg"] | None = None,
        icon: str | None = None,
        link: str | None = None,
        visible: bool = True,
        interactive: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
        scale: int | None = None,
        min_width: int | None = None,
        api_name: str | None = None,
        show_api: bool = False,
    ) -> None:
        super().__init__(
            value, every=every, variant=variant, size=size, icon=icon, link=link,
            visible=visible, interactive=interactive, elem_id=elem_id,
            elem_classes=elem_classes, render=render, key=key, scale=scale, min_width=min_width,
        )  # fmt: skip
        self.api_name = api_name
        self.show_api = _check_bool(self, "show_api", show_api)
        self.cleared: list[Block] = []
        if components is not None:
            self.add(components)

    def add(self, components: Block | Sequence[Block]) -> ClearButton:
        """Also clear `components` on click (must be called inside the Blocks, like Gradio)."""
        items = [components] if isinstance(components, Block) else list(components)
        for item in items:
            if not isinstance(item, Block):
                raise TypeError(f"ClearButton: can only clear components, got {item!r}")
        self.cleared.extend(items)

        def clear() -> Any:
            # None goes through each component's postprocess, which gives its empty value
            # (Slider -> minimum, CheckboxGroup -> []); State restarts from its initial value.
            empties = [
                item.initial_value() if getattr(item, "stateful", False) else None
                for item in items
                if isinstance(item, Component)
            ]
            return empties[0] if len(empties) == 1 else empties

        self.click(
            clear, inputs=None, outputs=[i for i in items if isinstance(i, Component)],
            api_name=self.api_name, show_api=self.show_api, queue=False, show_progress="hidden",
        )  # fmt: skip
        return self


@record_constructor_args
class Markdown(Component):
    """Formatted text; indentation common to every line is removed (Gradio's `cleandoc`)."""

    EVENTS: ClassVar[tuple[str, ...]] = ("change",)
    FRONTEND_DEFAULT: ClassVar[Any] = ""  # js/markdown: `export let value = ""`

    def __init__(
        self,
        value: str | Callable[[], Any] | None = "",
        *,
        label: str | None = None,
        every: float | None = None,
        show_label: bool | None = None,
        rtl: bool = False,
        latex_delimiters: list[dict[str, Any]] | None = None,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
        sanitize_html: bool = True,
        line_breaks: bool = False,
        header_links: bool = False,
        height: int | str | None = None,
        show_copy_button: bool = False,
    ) -> None:
        self.rtl = _check_bool(self, "rtl", rtl)
        self.latex_delimiters = latex_delimiters
        self.sanitize_html = _check_bool(self, "sanitize_html", sanitize_html)
        self.line_breaks = _check_bool(self, "line_breaks", line_breaks)
        self.header_links = _check_bool(self, "header_links", header_links)
        self.height = height
        self.show_copy_button = _check_bool(self, "show_copy_button", show_copy_button)
        super().__init__(
            value, label=label, every=every, show_label=show_label, visible=visible,
            elem_id=elem_id, elem_classes=elem_classes, render=render, key=key,
        )  # fmt: skip

    def preprocess(self, payload: Any) -> str | None:
        return None if payload is None else str(payload)

    def postprocess(self, value: Any) -> str | None:
        return None if value is None else inspect.cleandoc(str(value))

    def api_info(self) -> dict[str, Any]:
        return {"type": "string"}

    def example_value(self) -> str:
        return "# Hello!"

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            rtl=self.rtl,
            sanitize_html=self.sanitize_html,
            line_breaks=self.line_breaks,
            header_links=self.header_links,
            height=self.height,
            show_copy_button=self.show_copy_button,
        )
        return config


@record_constructor_args
class Label(Component):
    """A classification result: one label, or labels with confidences drawn as bars.

    Stored as `{"label": top_label, "confidences": [{"label": ..., "confidence": ...}, ...]}`
    (`confidences` is None for a plain label), sorted by confidence and cut to
    `num_top_classes`, which is what the TUI draws and what `fn` gets back as a dict.
    """

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "select")

    def __init__(
        self,
        value: dict[str, float] | str | float | Callable[[], Any] | None = None,
        *,
        num_top_classes: int | None = None,
        label: str | None = None,
        every: float | None = None,
        show_label: bool | None = None,
        container: bool = True,
        scale: int | None = None,
        min_width: int = 160,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
        color: str | None = None,
    ) -> None:
        if num_top_classes is not None and (
            isinstance(num_top_classes, bool)
            or not isinstance(num_top_classes, int)
            or num_top_classes < 1
        ):
            raise ValueError(
                f"Label: num_top_classes must be a positive int or None, got {num_top_classes!r}"
            )
        self.num_top_classes = num_top_classes
        self.color = _check_opt_str(self, "color", color)
        super().__init__(
            value, label=label, every=every, show_label=show_label, container=container,
            scale=scale, min_width=min_width, visible=visible, elem_id=elem_id,
            elem_classes=elem_classes, render=render, key=key,
        )  # fmt: skip

    def preprocess(self, payload: Any) -> dict[str, float] | str | None:
        """A plain label as its string; confidences as `{label: confidence}`."""
        if payload is None:
            return None
        if payload.get("confidences") is None:
            label = payload.get("label")
            return None if label is None else str(label)
        return {c["label"]: c["confidence"] for c in payload["confidences"]}

    def postprocess(self, value: Any) -> dict[str, Any] | None:
        if value is None or value == {}:
            return None
        if (
            isinstance(value, (str, Path))
            and str(value).endswith(".json")
            and Path(value).is_file()
        ):
            value = json.loads(Path(value).read_text(encoding="utf-8"))
        if isinstance(value, bool) or not isinstance(value, (str, int, float, dict)):
            raise ComponentError(
                f"{self._name()}: expected a label (str or number) or a dict of "
                f"{{label: confidence}}, got {type(value).__name__}"
            )
        if not isinstance(value, dict):
            return {"label": str(value), "confidences": None}
        if isinstance(value.get("confidences"), list):  # an already stored value
            value = {c["label"]: c["confidence"] for c in value["confidences"]}
        pairs = [(str(k), _confidence(self._name(), k, v)) for k, v in value.items()]
        pairs.sort(key=lambda kv: kv[1], reverse=True)
        if self.num_top_classes is not None:
            pairs = pairs[: self.num_top_classes]
        return {
            "label": pairs[0][0],
            "confidences": [{"label": k, "confidence": v} for k, v in pairs],
        }

    def _name(self) -> str:
        return f"Label {self.label!r}" if self.label else "Label"

    def api_info(self) -> dict[str, Any]:
        return {
            "type": "object",
            "description": "a label, or {label: confidence} for the top classes",
        }

    def example_value(self) -> dict[str, float]:
        return {"cat": 0.75, "dog": 0.25}

    def as_example(self, value: Any) -> str:
        stored = self.postprocess(value)
        return "" if stored is None else str(stored["label"])

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(num_top_classes=self.num_top_classes, color=self.color)
        return config


def _confidence(owner: str, label: Any, value: Any) -> float:
    if hasattr(value, "item") and callable(value.item):  # numpy scalar, without numpy
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ComponentError(
            f"{owner}: the confidence of {label!r} must be a finite number, got {value!r}"
        )
    return float(value)


@record_constructor_args
class JSON(Component):
    """Any JSON-able value, pretty-printed; a JSON string is parsed first."""

    EVENTS: ClassVar[tuple[str, ...]] = ("change",)

    def __init__(
        self,
        value: Any = None,
        *,
        label: str | None = None,
        every: float | None = None,
        show_label: bool | None = None,
        container: bool = True,
        scale: int | None = None,
        min_width: int = 160,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
        open: bool = False,  # noqa: A002 - Gradio's name
        show_indices: bool = False,
        height: int | str | None = None,
    ) -> None:
        self.open = _check_bool(self, "open", open)
        self.show_indices = _check_bool(self, "show_indices", show_indices)
        self.height = height
        super().__init__(
            value, label=label, every=every, show_label=show_label, container=container,
            scale=scale, min_width=min_width, visible=visible, elem_id=elem_id,
            elem_classes=elem_classes, render=render, key=key,
        )  # fmt: skip

    def _name(self) -> str:
        return f"JSON {self.label!r}" if self.label else "JSON"

    def postprocess(self, value: Any) -> Any:
        """Parse JSON text; make numpy values and tuples plain, so the value always dumps."""
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise ComponentError(
                    f"{self._name()}: the returned string is not valid JSON ({exc}); return "
                    "a dict/list or a JSON string"
                ) from None
        return _plain(self._name(), value)

    def api_info(self) -> dict[str, Any]:
        return {"type": {}, "description": "any valid json"}

    def example_value(self) -> dict[str, Any]:
        return {"foo": "bar"}

    def as_example(self, value: Any) -> str:
        return json.dumps(value)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(open=self.open, show_indices=self.show_indices, height=self.height)
        return config


def _plain(owner: str, value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: _plain(owner, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(owner, v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy arrays and scalars
        return _plain(owner, value.tolist())
    raise ComponentError(
        f"{owner}: a {type(value).__name__} cannot be shown as JSON; return dicts, lists, "
        "strings, numbers, booleans or None"
    )
