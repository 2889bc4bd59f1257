"""Whether one more key hint fits on the footer's one line (tui/footer.py's KeyFooter)."""

from __future__ import annotations

from textual.screen import Screen
from textual.widget import Widget


def footer_has_room(screen: Screen[object], hint: str) -> bool:
    """True when `hint` ("o output device") fits after every hint the footer shows now.

    The footer lays its hints out in order on one line, each padded by a cell on either
    side and one cell apart; what does not fit goes out of sight. A widget asks this from
    its `check_action` (and must answer False for the hint itself meanwhile, since reading
    `active_bindings` asks it again).
    """
    app = screen.app
    shown = {a.binding.action: a.binding for a in screen.active_bindings.values()
             if a.binding.show}
    labels = [f"{app.get_key_display(b)} {b.description}" for b in shown.values()] + [hint]
    return sum(len(label) + 2 for label in labels) + len(labels) - 1 <= app.size.width


class FooterRoom:
    """Whether a widget's optional footer hint fits, answered from its `check_action`.

    Measuring reads `active_bindings`, which asks the same `check_action` again: that ask
    answers False, so the hint is not counted twice. The width is remembered so the widget
    refreshes its bindings only when the terminal's width changed.
    """

    def __init__(self, hint: str) -> None:
        self.hint = hint
        self._measuring = False
        self._width = 0

    def fits(self, widget: Widget) -> bool:
        if self._measuring or not widget.is_attached:
            return False
        self._measuring = True
        try:
            return footer_has_room(widget.screen, self.hint)
        finally:
            self._measuring = False

    def width_changed(self, width: int) -> bool:
        changed, self._width = width != self._width, width
        return changed
