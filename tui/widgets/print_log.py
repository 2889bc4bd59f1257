"""PrintLog: the user's print() output, captured so it never writes over the screen."""

from __future__ import annotations

from textual import events
from textual.widgets import RichLog


class PrintLog(RichLog):
    """Hidden until toggled (ctrl+l); counts lines that arrived while hidden."""

    DEFAULT_CSS = """
    PrintLog { height: 10; dock: bottom; border-top: solid $panel; display: none; }
    PrintLog.-open { display: block; }
    """
    """Docked at the bottom, ten lines, hidden by default."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(wrap=True, markup=False, highlight=False, **kwargs)  # type: ignore[arg-type]
        self.unseen = 0
        self.history: list[str] = []
        """Every captured line (RichLog renders lazily; this is what was printed)."""
        self._partial = ""

    def on_print(self, event: events.Print) -> None:
        text = self._partial + event.text
        *lines, self._partial = text.split("\n")
        for line in lines:
            self.history.append(line)
            self.write(line)
            if not self.has_class("-open"):
                self.unseen += 1

    def toggle(self) -> None:
        self.toggle_class("-open")
        if self.has_class("-open"):
            self.unseen = 0
