"""Textbox: single- or multi-line text, with Gradio 4.34's constructor and events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal

from audiotui.components.base import FormComponent, _check_bool, _check_opt_str, tolerate
from audiotui.errors import Error
from audiotui.updates import record_constructor_args

_TYPES = ("text", "password", "email")


@record_constructor_args
class Textbox(FormComponent):
    """Free text in, free text out.

    Values are coerced to `str` on the way in, because apps routinely pass numbers
    (the seed's tone demo uses `gr.Textbox(value=1)` and reads `"1"`).
    """

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "input", "select", "submit", "focus", "blur")
    FRONTEND_DEFAULT: ClassVar[Any] = ""  # js/textbox/Index.svelte: `export let value = ""`

    def __init__(
        self,
        value: str | Callable[[], Any] | None = "",
        *,
        lines: int = 1,
        max_lines: int = 20,
        placeholder: str | None = None,
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
        autofocus: bool = False,
        autoscroll: bool = True,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
        type: Literal["text", "password", "email"] = "text",  # noqa: A002 - Gradio's name
        text_align: Literal["left", "right"] | None = None,
        rtl: bool = False,
        show_copy_button: bool = False,
        max_length: int | None = None,
    ) -> None:
        # gradio/components/textbox.py (4.34) refuses only a `type` outside text/password/
        # email; the rest it stores, so they warn here and a usable value is taken.
        if isinstance(lines, bool) or not isinstance(lines, int) or lines < 1:
            tolerate("Textbox", f"lines should be a positive int, got {lines!r}; using 1")
            lines = 1
        if isinstance(max_lines, bool) or not isinstance(max_lines, int) or max_lines < 1:
            tolerate("Textbox", f"max_lines should be a positive int, got {max_lines!r}; "
                     "using 20")
            max_lines = 20
        if type not in _TYPES:
            raise ValueError(f"Textbox: type must be one of {', '.join(_TYPES)}; got {type!r}")
        if text_align not in (None, "left", "right"):
            tolerate("Textbox", f"text_align should be 'left', 'right' or None, got "
                     f"{text_align!r}; using None")
            text_align = None
        if max_length is not None and (
            isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1
        ):
            tolerate("Textbox", f"max_length should be a positive int or None, got "
                     f"{max_length!r}; using None (no limit)")
            max_length = None
        self.lines = lines
        self.max_lines = max(lines, max_lines)
        self.placeholder = _check_opt_str(self, "placeholder", placeholder)
        self.autofocus = _check_bool(self, "autofocus", autofocus)
        self.autoscroll = _check_bool(self, "autoscroll", autoscroll)
        self.type = type
        self.text_align = text_align
        self.rtl = _check_bool(self, "rtl", rtl)
        self.show_copy_button = _check_bool(self, "show_copy_button", show_copy_button)
        self.max_length = max_length
        super().__init__(
            value, label=label, info=info, every=every, show_label=show_label, container=container,
            scale=scale, min_width=min_width, interactive=interactive, visible=visible,
            elem_id=elem_id, elem_classes=elem_classes, render=render, key=key,
        )  # fmt: skip

    def preprocess(self, payload: Any) -> str | None:
        """The text `fn` receives; text longer than `max_length` is refused before `fn` runs."""
        if payload is None:
            return None
        text = str(payload)
        if self.max_length is not None and len(text) > self.max_length:
            raise Error(
                f"{self.label or 'Textbox'}: the text has {len(text)} characters but at most "
                f"{self.max_length} are allowed; shorten it."
            )
        return text

    def postprocess(self, value: Any) -> str | None:
        """Anything printable becomes its `str`; None stays None (an empty box)."""
        return None if value is None else str(value)

    def api_info(self) -> dict[str, Any]:
        return {"type": "string"}

    def example_value(self) -> str:
        return "Hello!!"

    def as_example(self, value: Any) -> str:
        return "" if value is None else str(value)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            lines=self.lines,
            max_lines=self.max_lines,
            placeholder=self.placeholder,
            autofocus=self.autofocus,
            autoscroll=self.autoscroll,
            type=self.type,
            text_align=self.text_align,
            rtl=self.rtl,
            show_copy_button=self.show_copy_button,
            max_length=self.max_length,
        )
        return config
