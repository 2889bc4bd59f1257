"""ButtonGroup: the few buttons one part of a compound widget owns, side by side."""

from __future__ import annotations

from typing import ClassVar

from textual.geometry import Size
from textual.widgets import Button

from audiotui.tui.flex_row import GAP, ButtonStrip, FlexWrapLayout


class ButtonGroup(ButtonStrip):
    """Buttons at their natural width, as wide as they are on one line.

    Groups sit in a ButtonStrip next to other parts' groups, one cell apart like the
    buttons inside, so a row of groups reads as one row of buttons; a group wider than the
    row wraps its own buttons. A group with no buttons shown takes no room.
    """

    DEFAULT_CSS: ClassVar[str] = """
    ButtonGroup { width: auto; }
    ButtonGroup.-empty { display: none; }
    ButtonGroup Button { min-width: 6; }
    """
    """Natural width; gone when empty (no double gap in the row)."""

    def get_content_width(self, container: Size, viewport: Size) -> int:
        # The flex-wrap layout measures a zero-width arrangement as empty: add the buttons.
        widths = [FlexWrapLayout._natural_width(child, container, viewport)
                  for child in self.displayed_children]
        return sum(widths) + GAP * (len(widths) - 1) if widths else 0

    def enable(self, on: bool, *ids: str) -> None:
        """Enable or disable this group's buttons (only those with `ids`, when given)."""
        for button in self.query(Button):
            if not ids or button.id in ids:
                button.disabled = not on
