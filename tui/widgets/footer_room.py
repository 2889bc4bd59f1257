"""Whether one more key hint fits on the footer's one line (tui/footer.py's KeyFooter)."""

from __future__ import annotations

from textual.screen import Screen


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
