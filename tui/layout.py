"""Blocks tree -> Textual containers: Row, Column, Tabs/Tab, Accordion, Group, components.

Every container gets the block's `elem_id` as id and `elem_classes` as classes, plus a
kind class (`row`, `column`, `group`...) that `audiotui.tcss` styles, so a user's own
`.tcss` can target both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Collapsible, TabbedContent, TabPane

from audiotui.tui.flex_row import RowContainer
from audiotui.tui.widgets import is_drawn
from audiotui.tui.widgets.base import (
    PIXELS_PER_CELL,
    css_classes,
    plain,
    sibling_ids,
    widget_id,
)

# Builds the widget for one component: (component) -> widget.
ComponentFactory = Callable[[Any], Widget]
# A container's children as shown: the session's `layout_children` (gr.render fills some).
ChildrenOf = Callable[[Any], list[Any]]


def declared_children(block: Any) -> list[Any]:
    """The children written in the app (no renders): for callers without a session."""
    return list(getattr(block, "children", None) or [])


def _classes(block: Any, kind: str) -> str:
    return " ".join([kind, *css_classes(block)])


def build(block: Any, make_component: ComponentFactory, layouts: dict[int, Widget],
          children_of: ChildrenOf = declared_children) -> Widget | None:
    """The widget for `block` and everything inside it (None for blocks with nothing to show).

    Args:
        block: a layout or a component of the Blocks tree.
        make_component: creates a component's widget (the app supplies value/interactivity).
        layouts: filled with block id -> container, so `visible` updates can reach layouts.
        children_of: a container's children; the app passes `Session.layout_children` so
            that containers filled by `gr.render` (nested ones too) come out as shown.
    """
    kind = type(block).__name__
    if getattr(block, "children", None) is None:  # a component
        return make_component(block) if is_drawn(block) else None
    if kind == "Blocks" or hasattr(block, "fns"):  # a nested Blocks / Interface
        inner = _build_children(block, make_component, layouts, children_of)
        widget: Widget = Vertical(*inner, id=widget_id(block), classes=_classes(block, "blocks"))
    elif kind == "Row":
        inner = _build_children(block, make_component, layouts, children_of)
        widget = RowContainer(*inner, id=widget_id(block), classes=_classes(block, "row"))
    elif kind == "Tabs":
        panes = []
        pane_ids: dict[int, str] = {}
        with sibling_ids():
            for tab in children_of(block):
                pane_ids[tab.id] = widget_id(tab) or f"tab-{tab.id}"
        for i, tab in enumerate(c for c in children_of(block) if type(c).__name__ == "Tab"):
            inner = _build_children(tab, make_component, layouts, children_of)
            pane = TabPane(plain(tab.label or f"Tab {i + 1}"), *inner,
                           id=pane_ids[tab.id], classes=_classes(tab, "tab"))
            pane.display = bool(getattr(tab, "visible", True))
            layouts[tab.id] = pane
            panes.append(pane)
        selected = getattr(block, "selected", None)
        initial = next((pane_ids[tab.id] for tab in children_of(block) if selected is not None
                        and selected in (getattr(tab, "tab_id", None), getattr(tab, "label", None))),
                       "")
        # `initial`, not `.active`: the tab strip does not exist before the widget mounts.
        widget = TabbedContent(initial=initial, id=widget_id(block),
                               classes=_classes(block, "tabs"))
        for pane in panes:  # what `with TabbedContent(): yield TabPane(...)` does
            widget.compose_add_child(pane)
    elif kind in ("Accordion", "Sidebar"):  # gr.Sidebar: a collapsible section
        inner = _build_children(block, make_component, layouts, children_of)
        widget = Collapsible(*inner, title=plain(block.label),  # type: ignore[arg-type]
                             collapsed=not getattr(block, "open", True),
                             id=widget_id(block), classes=_classes(block, "accordion"))
    elif kind == "Group":
        inner = _build_children(block, make_component, layouts, children_of)
        widget = Vertical(*inner, id=widget_id(block), classes=_classes(block, "group"))
    else:  # Column, and any other container drawn as a column
        inner = _build_children(block, make_component, layouts, children_of)
        widget = Vertical(*inner, id=widget_id(block), classes=_classes(block, "column"))
        scale = getattr(block, "scale", None)
        if isinstance(scale, int) and scale > 0:
            widget.styles.width = f"{scale}fr"
        min_width = getattr(block, "min_width", None)
        if isinstance(min_width, int) and min_width > 0:
            # Read by the Row's flex-wrap layout; a CSS min-width would push siblings off screen.
            widget.flex_min_cells = max(min_width // PIXELS_PER_CELL, 10)  # type: ignore[attr-defined]
    widget.display = bool(getattr(block, "visible", True))
    layouts[block.id] = widget
    return widget


def _build_children(block: Any, make_component: ComponentFactory,
                    layouts: dict[int, Widget], children_of: ChildrenOf) -> list[Widget]:
    out = []
    with sibling_ids():
        for child in children_of(block):
            widget = build(child, make_component, layouts, children_of)
            if widget is not None:
                out.append(widget)
    return out


def build_children(block: Any, make_component: ComponentFactory,
                   layouts: dict[int, Widget],
                   children_of: ChildrenOf = declared_children) -> list[Widget]:
    """The widgets for a container's children (the app's main column, a render's output)."""
    return _build_children(block, make_component, layouts, children_of)


def apply_layout_props(layout: Widget, block: Any, props: dict[str, Any],
                       layouts: dict[int, Widget]) -> bool:
    """A layout's update (visible, Accordion open, Tabs selected); True if a tab switched."""
    if "visible" in props:
        layout.display = bool(props["visible"])
    if props.get("open") is not None and isinstance(layout, Collapsible):
        layout.collapsed = not props["open"]
    if props.get("selected") is not None:
        return select_tab(layout, block, props["selected"], layouts)
    return False


def select_tab(tabbed: Widget, block: Any, selected: Any, layouts: dict[int, Widget]) -> bool:
    """Show the tab of `block` (a Tabs) whose id or label is `selected` (gr.Tabs(selected=)).

    Returns whether the shown tab changed, so the caller can tell the app's own switch from
    a user's click.
    """
    if not isinstance(tabbed, TabbedContent):
        return False
    for tab in getattr(block, "children", None) or []:
        pane = layouts.get(tab.id)
        if pane is not None and pane.id and selected in (getattr(tab, "tab_id", None),
                                                         getattr(tab, "label", None)):
            if tabbed.active == pane.id:
                return False
            tabbed.active = pane.id
            return True
    return False
