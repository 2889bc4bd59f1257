"""Textbox and Number widgets: free text, and numbers validated against their range."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on
from textual.widgets import Input, TextArea

from audiotui.tui.widgets.base import ComponentWidget


class TextboxWidget(ComponentWidget):
    """gr.Textbox: one line (Input, Enter = submit) or several (TextArea), or a password."""

    def compose_control(self) -> Iterable[Any]:
        c = self.component
        lines = int(getattr(c, "lines", 1) or 1)
        placeholder = getattr(c, "placeholder", None) or ""
        if lines > 1:
            area = TextArea(classes="control", soft_wrap=True, show_line_numbers=False,
                            placeholder=placeholder)
            area.styles.height = min(lines, int(getattr(c, "max_lines", lines) or lines)) + 2
            yield area
        else:
            yield Input(
                placeholder=placeholder,
                password=getattr(c, "type", "text") == "password",
                classes="control",
            )

    def show_value(self, stored: Any) -> None:
        text = "" if stored is None else str(stored)
        for inp in self.query(Input):
            if inp.value != text:
                inp.value = text
        for area in self.query(TextArea):
            if area.text != text:
                area.text = text

    def apply_props(self, props: dict[str, Any]) -> None:
        super().apply_props(props)
        if "placeholder" in props:
            for inp in self.query(Input):
                inp.placeholder = str(props["placeholder"] or "")
            for area in self.query(TextArea):
                area.placeholder = str(props["placeholder"] or "")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.user_edit(event.value)

    @on(TextArea.Changed)
    def _typed_area(self, event: TextArea.Changed) -> None:
        event.stop()
        self.user_edit(event.text_area.text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.fire("submit")

    @on(Input.Blurred)
    def _blurred(self, event: Input.Blurred) -> None:
        self.fire("blur")


class NumberWidget(ComponentWidget):
    """gr.Number: typed text that becomes a number only when valid and inside the range.

    Out-of-range or non-numeric text is flagged under the field and never reaches the
    engine, so a function is never run with a value its component would refuse.
    """

    def compose_control(self) -> Iterable[Any]:
        yield Input(classes="control", type="text", placeholder="number")

    def show_value(self, stored: Any) -> None:
        text = "" if stored is None else _format_number(stored)
        for inp in self.query(Input):
            if inp.value != text and _parse(inp.value) != stored:
                inp.value = text

    def parse(self, text: str) -> tuple[float | int | None, str | None]:
        """Text -> (stored value, None) or (None, the problem to show)."""
        c = self.component
        if not text.strip():
            return None, None
        number = _parse(text)
        if number is None:
            return None, f"'{text}' is not a number; type digits like 3 or 2.5"
        lo, hi = getattr(c, "minimum", None), getattr(c, "maximum", None)
        if lo is not None and number < lo:
            return None, f"{_format_number(number)} is below the minimum {_format_number(lo)}"
        if hi is not None and number > hi:
            return None, f"{_format_number(number)} is above the maximum {_format_number(hi)}"
        precision = getattr(c, "precision", None)
        if precision == 0:
            if number != int(number):
                return None, f"{_format_number(number)} must be a whole number"
            return int(number), None
        if precision is not None:
            return round(float(number), int(precision)), None
        return float(number), None

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        number, problem = self.parse(event.value)
        if problem is not None:
            self.flag_error(problem)
            return
        self.flag_error(None)
        self.user_edit(number)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.has_class("-invalid"):
            self.fire("submit")

    @on(Input.Blurred)
    def _blurred(self, event: Input.Blurred) -> None:
        self.fire("blur")


def _parse(text: str) -> float | int | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() \
        else value


def _format_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)
