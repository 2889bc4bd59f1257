"""UnsupportedWidget: a clear box for components the terminal cannot draw (images, chat, HTML...)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widgets import Static

from audiotui.tui.widgets.base import ComponentWidget


class UnsupportedWidget(ComponentWidget):
    """Says which component is missing and what it holds, so the app still runs around it.

    The first line names the kind; the second is the component's own `describe(value)`
    (a file's name and path, an array's shape), refreshed whenever the value changes, so a
    user can still find an image a function produced.
    """

    DEFAULT_CSS = """
    UnsupportedWidget .unsupported { color: $warning; border: dashed $warning; padding: 0 1; }
    """
    """Dashed warning box."""

    def compose_control(self) -> Iterable[Any]:
        yield Static(self._text(self._value), classes="unsupported", markup=False)

    def show_value(self, stored: Any) -> None:
        for box in self.query(".unsupported").results(Static):
            box.update(self._text(stored))

    def _text(self, stored: Any) -> str:
        kind = type(self.component).__name__
        heading = f"{kind} cannot be drawn in the terminal"
        describe = getattr(self.component, "describe", None)
        if describe is None:  # not an UnsupportedComponent: nothing more to say about it
            return f"{heading}; its value is still passed to functions"
        return f"{heading}\n{describe(stored)}"
