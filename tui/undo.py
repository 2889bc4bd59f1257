"""ClearUndo: what a Clear button wiped comes back with ctrl+z.

A Clear in Gradio is one click from losing a recording; in a terminal a stray Enter on the
focused Clear does the same. The values the Clear resets are kept (files stay on disk: takes
in the recordings folder, the rest in the run's temp store) and ctrl+z stores them back.
"""

from __future__ import annotations

from typing import Any

MAX_UNDO = 16
"""Clears remembered; older ones are forgotten (their files are not deleted)."""


class ClearUndo:
    """The values before each Clear of an Interface (newest last)."""

    def __init__(self) -> None:
        self._stack: list[list[tuple[Any, Any]]] = []

    def before_click(self, app: Any, component: Any) -> None:
        """Remember the values a Clear button is about to reset (other buttons: nothing)."""
        blocks = getattr(app, "blocks", None)
        clear = getattr(blocks, "clear_btn", None)
        if clear is None or component is not clear or app.session is None:
            return
        targets: list[Any] = []
        for comp in list(blocks.all_input_components) + list(blocks.output_components):
            if comp not in targets:
                targets.append(comp)
        values = [(comp, app.session.get_value(comp)) for comp in targets]
        if any(value is not None for _comp, value in values):
            self._stack.append(values)
            del self._stack[:-MAX_UNDO]

    def undo(self, app: Any) -> bool:
        """Put the values of the last Clear back; False when there is nothing to undo."""
        if not self._stack:
            return False
        for comp, value in self._stack.pop():
            app.session.set_value(comp, value)
        return True
