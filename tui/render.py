"""RenderedLayouts: the terminal side of `gr.render`, rebuilding a container on LayoutChanged.

The engine replaces a render container's blocks per session and announces it; this module
swaps the container's widgets to match, keeping the app's widget maps and audio hardware in
step and the keyboard focus on the "same" control when the new run has a keyed twin of it
(a slider the user is moving would otherwise lose the focus at every re-render).
"""

from __future__ import annotations

from typing import Any

from textual.widget import Widget

from audiotui.tui.layout import build
from audiotui.tui.widgets.base import sibling_ids


class RenderedLayouts:
    """Tracks which widgets each render container holds, so a newer run can replace them.

    Args:
        app: the AudiotuiApp; its `component_widgets` / `layout_widgets` maps are kept
            current, and its `session` gives each container's children and the live
            listeners that decide editability.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self._built: dict[int, set[int]] = {}  # container id -> block ids built in it

    async def replace(self, container: Any, children: list[Any]) -> None:
        """Show `children` (the newest run) in `container`'s widget instead of the old run."""
        app = self.app
        target = app.layout_widgets.get(container.id)
        if target is None:  # inside a render whose own layout is not built yet
            return
        focus = self._focused_key(target)
        self._forget(container.id)
        await target.remove_children()  # before mounting, so reused elem_ids do not clash
        app.refresh_editable()
        built: dict[int, Widget] = {}
        before = set(app.component_widgets)
        widgets = []
        with sibling_ids():
            for child in children:
                widget = build(child, app._component_widget, built, app.session.layout_children)
                if widget is not None:
                    widgets.append(widget)
        app.layout_widgets.update(built)
        added = (set(app.component_widgets) - before) | set(built)
        self._built[container.id] = added
        if widgets:
            await target.mount_all(widgets)
        app.hardware_for([app.component_widgets[i] for i in added
                          if i in app.component_widgets])
        if focus is not None:
            self._refocus(focus, added)

    def _forget(self, container_id: int) -> None:
        """Drop the widgets a previous run built (and those of renders nested in it)."""
        app = self.app
        for block_id in self._built.pop(container_id, set()):
            self._forget(block_id)
            widget = app.component_widgets.pop(block_id, None)
            shutdown = getattr(widget, "shutdown", None)
            if shutdown is not None:
                shutdown()  # stop playback and takes, as the app's unmount does
            app.layout_widgets.pop(block_id, None)

    def _focused_key(self, target: Widget) -> tuple[Any, type[Any], type[Widget]] | None:
        """(key, component type, focused widget type) when the focus is on a keyed component
        inside `target`; Gradio's `key=` is what says a new component is the same one."""
        focused = self.app.focused
        if focused is None or target not in focused.ancestors:
            return None
        for node in focused.ancestors_with_self:
            component = getattr(node, "component", None)
            if component is not None:
                key = getattr(component, "key", None)
                return (key, type(component), type(focused)) if key is not None else None
        return None

    def _refocus(self, focus: tuple[Any, type[Any], type[Widget]], added: set[int]) -> None:
        key, kind, control = focus
        for block_id in added:
            widget = self.app.component_widgets.get(block_id)
            component = getattr(widget, "component", None)
            if widget is None or type(component) is not kind or component.key != key:
                continue
            matches = [w for w in widget.query(control) if w.focusable]
            if isinstance(widget, control) and widget.focusable:
                matches.insert(0, widget)
            if matches:
                matches[0].focus()
            return
