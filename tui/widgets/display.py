"""Display widgets: Button, Markdown, Label (top classes with bars) and JSON (a tree)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Static

from audiotui.tui.widgets.base import ComponentWidget, plain

_VARIANTS = {"primary": "primary", "stop": "error", "secondary": "default"}


class ButtonWidget(ComponentWidget):
    """gr.Button: its value is its text; a press fires `click`."""

    DEFAULT_CSS = """
    ButtonWidget { width: auto; min-width: 10; }
    ButtonWidget Button { width: 1fr; }
    """
    """Buttons size to their text unless a Row stretches them."""

    def __init__(self, component: Any, value: Any = None, *, interactive: bool = True) -> None:
        super().__init__(component, value, interactive=interactive)
        if self.flex_min_cells is None:  # a terminal button needs its text, not 160 px
            self.flex_min_cells = max(len(str(value or "Run")) + 4, 10)

    def compose(self) -> ComposeResult:
        variant = _VARIANTS.get(str(getattr(self.component, "variant", "secondary")), "default")
        yield Button(plain(self._value or "Run"), variant=variant)  # type: ignore[arg-type]

    def show_value(self, stored: Any) -> None:
        for button in self.query(Button):
            button.label = plain(stored or "Run")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.fire("click")


class MarkdownWidget(ComponentWidget):
    """gr.Markdown: rendered text (no label, like Gradio)."""

    DEFAULT_CSS = """
    MarkdownWidget Markdown { margin: 0; padding: 0 1; }
    """
    """Markdown without its default margins, so titles sit tight."""

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # markdown-it loads only for apps that use it

        yield Markdown(str(self._value or ""))

    def show_value(self, stored: Any) -> None:
        from textual.widgets import Markdown

        for md in self.query(Markdown):
            md.update(str(stored or ""))


def label_rows(stored: Any, top: int | None = None) -> list[tuple[str, float | None]]:
    """Gradio's Label value -> (class, confidence) rows, most confident first."""
    if stored is None:
        return []
    if isinstance(stored, dict) and "confidences" in stored:
        rows = [(str(c.get("label")), float(c.get("confidence", 0.0)))
                for c in stored.get("confidences") or []]
        if not rows:
            return [(str(stored.get("label", "")), None)]
    elif isinstance(stored, dict):
        rows = [(str(k), float(v)) for k, v in stored.items()]
    else:
        return [(str(stored), None)]
    rows.sort(key=lambda r: -(r[1] or 0.0))
    return rows[:top] if top else rows


class LabelWidget(ComponentWidget):
    """gr.Label: the top class in bold, then one bar per class with its confidence."""

    def compose_control(self) -> Iterable[Any]:
        yield Static(classes="control label-bars")

    def show_value(self, stored: Any) -> None:
        rows = label_rows(stored, getattr(self.component, "num_top_classes", None))
        text = Text()
        if rows:
            text.append(rows[0][0] + "\n", style="bold")
        bar_width = 24
        for name, conf in rows:
            if conf is None:
                continue
            filled = int(round(max(0.0, min(conf, 1.0)) * bar_width))
            text.append("█" * filled, style="bold")
            text.append("░" * (bar_width - filled), style="dim")
            text.append(f" {conf:6.1%} {name}\n")
        for static in self.query(".label-bars").results(Static):
            static.update(text)


class JSONWidget(ComponentWidget):
    """gr.JSON: a collapsible tree of the value (Enter/space folds a node)."""

    DEFAULT_CSS = """
    JSONWidget Tree { height: auto; max-height: 20; }
    """
    """The tree grows with its content up to 20 lines, then scrolls."""

    def compose_control(self) -> Iterable[Any]:
        from textual.widgets import Tree

        tree: Tree[Any] = Tree("value", classes="control")
        tree.show_root = False
        yield tree

    def show_value(self, stored: Any) -> None:
        if isinstance(stored, str):
            with contextlib.suppress(ValueError):
                stored = json.loads(stored)
        from textual.widgets import Tree

        for tree in self.query(Tree):
            tree.clear()
            _add_json(tree.root, stored)
            tree.root.expand_all()


def _add_json(node: Any, value: Any, key: str | None = None) -> None:
    prefix = f"{key}: " if key is not None else ""
    if isinstance(value, dict):
        branch = node.add(Text(f"{prefix}{{{len(value)}}}")) if key is not None else node
        for k, v in value.items():
            _add_json(branch, v, str(k))
    elif isinstance(value, (list, tuple)):
        branch = node.add(Text(f"{prefix}[{len(value)}]")) if key is not None else node
        for i, v in enumerate(value):
            _add_json(branch, v, str(i))
    else:
        node.add_leaf(Text(prefix + json.dumps(value, default=str)))
