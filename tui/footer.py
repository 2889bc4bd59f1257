"""KeyFooter: the focused widget's keys first, whole hints only, the help key always shown.

Textual's Footer lists app keys first and cuts the last hint at the right edge ("r rec" of
"r record/stop"). Here the keys are laid out by the non-stretching flex-wrap layout on a
one-line footer: a hint that does not fit goes to a second line that is never shown, so every
hint on screen is whole, and the rest are on the help screen (F1), which leads the list.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.layout import Layout
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from audiotui.tui.flex_row import FlexWrapLayout
from audiotui.tui.keys import HELP_KEY, SUBMIT_KEY


class KeyFooter(Footer):
    """One line of whole key hints: help, the focused widget's keys, then the app's."""

    DEFAULT_CSS = """
    KeyFooter { overflow: hidden hidden; }
    KeyFooter FooterKey { margin: 0; }
    """
    """One line; what does not fit wraps out of sight."""

    _key_layout = FlexWrapLayout(stretch=False)

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)

    @property
    def layout(self) -> Layout:
        """Whole hints per line (the second line is below the footer's one row)."""
        return self._key_layout

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        shown: dict[str, tuple[Any, bool, str, bool]] = {}
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = (binding, enabled, tooltip, node is self.app)

        def order(item: tuple[str, tuple[Any, bool, str, bool]]) -> int:
            binding, _enabled, _tooltip, from_app = item[1]
            if binding.key == HELP_KEY:
                return 0
            if binding.key == SUBMIT_KEY:
                return 2
            return 3 if from_app else 1

        for _action, (binding, enabled, tooltip, _from_app) in sorted(shown.items(), key=order):
            yield FooterKey(
                binding.key, self.app.get_key_display(binding), binding.description,
                binding.action, disabled=not enabled, tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
