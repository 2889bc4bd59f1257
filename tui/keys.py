"""App-wide keyboard behaviour: where focus starts, what the Submit key runs, the help key.

A Gradio user points at Submit; a terminal user should not have to count Tabs to it. Focus
starts in the first input, and one key runs the app's obvious action from anywhere: an
Interface's Submit, or the only button with a click listener in a Blocks app.
"""

from __future__ import annotations

from typing import Any

SUBMIT_KEY = "ctrl+s"
"""Runs the Submit button from any field (ctrl+enter does not reach most terminals' apps)."""

HELP_KEY = "f1"
"""Opens the list of every key of every widget (the footer shows only what fits)."""


def _shown(widget: Any) -> bool:
    node = widget
    while node is not None and getattr(node, "display", True):
        node = node.parent
    return node is None


def submit_target(app: Any) -> Any:
    """The Submit button's widget, or None when the app has no single obvious action.

    An Interface names its button (`submit_btn`); in a Blocks app it is the only shown,
    enabled Button some listener is triggered by.
    """
    blocks = getattr(app, "blocks", None)
    widgets = getattr(app, "component_widgets", {})
    button = getattr(blocks, "submit_btn", None)
    if button is not None and not isinstance(button, (bool, str)):
        widget = widgets.get(getattr(button, "id", None))
        return widget if widget is not None and _shown(widget) else None
    session = getattr(app, "session", None)
    if session is None:
        return None
    clicked = {id(block) for dep in session.dependencies() for block, event in dep.triggers
               if block is not None and event == "click"}
    candidates = [w for w in widgets.values()
                  if type(w.component).__name__ == "Button" and id(w.component) in clicked
                  and _shown(w) and w.interactive]
    return candidates[0] if len(candidates) == 1 else None


def first_input(app: Any) -> Any:
    """The first focusable part of the first component the user may edit (or None)."""
    chain = list(app.screen.focus_chain)
    for widget in chain:
        for node in widget.ancestors_with_self:
            component = getattr(node, "component", None)
            if component is not None:
                if getattr(node, "interactive", False) and type(component).__name__ != "Button":
                    return widget
                break
    return None


def focus_first_input(app: Any) -> None:
    """Put focus where the first key typed is meant to go (unless the user moved it)."""
    focused = app.focused
    if focused is not None and getattr(focused, "id", None) != "main":
        return
    target = first_input(app)
    if target is not None:
        # Synchronously: `Widget.focus()` only queues the change, and a key already queued
        # behind it would still go to the scroll view.
        app.screen.set_focus(target)


def submit(app: Any) -> bool:
    """Press the Submit button (as a click would); False when there is none."""
    widget = submit_target(app)
    if widget is None:
        app.notify("this app has no single Submit button; Tab to the one you want",
                   title="Nothing to submit", severity="warning", timeout=4)
        return False
    widget.fire("click")
    return True


def device_problems(input_device: Any, output_device: Any) -> list[str]:
    """One sentence per named device (flag or environment variable) that does not exist.

    Runs in the hardware probe's thread (PortAudio is already loaded there); `audiotui run`
    refuses such a device before the UI opens, `demo.launch()` shows it on the first screen.
    """
    from audiotui.media.devices import named_device_problems

    try:
        return [f"{where}: {why}" for where, why in
                named_device_problems(input_device, output_device)]
    except Exception:  # a failing lookup must not take the probe down; the toast says why
        return []
