"""UnsupportedWidget: a clear box for components the terminal cannot draw (or State)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widgets import Static

from audiotui.tui.widgets.base import ComponentWidget


class UnsupportedWidget(ComponentWidget):
    """Says which component is missing so the app still runs with the rest of its UI."""

    DEFAULT_CSS = """
    UnsupportedWidget .unsupported { color: $warning; border: dashed $warning; padding: 0 1; }
    """
    """Dashed warning box."""

    def compose_control(self) -> Iterable[Any]:
        kind = type(self.component).__name__
        yield Static(
            f"{kind} cannot be drawn in the terminal; its value is still passed to functions",
            classes="unsupported", markup=False,
        )
