"""Which components the user may edit: Gradio 4.34's rule, applied to the app's Session.

An input of some listener is interactive; an output only is a static display; a component
no listener reads is interactive only while it holds no value (the frontend's
`has_no_default_value`); an explicit `interactive=` always wins.
"""

from __future__ import annotations

from typing import Any


def interactive_ids(blocks: Any, session: Any = None) -> set[int]:
    """Components the user may edit: Gradio's rule (inputs, or unread and empty).

    With a `session`, its live listeners and shown components count, so components and
    listeners created by `gr.render` are judged like the app's own.
    """
    inputs: set[int] = set()
    outputs: set[int] = set()
    if session is not None:
        deps = session.dependencies()
        components = [b for b in session.walk() if getattr(b, "children", None) is None]
    else:
        deps = list(getattr(blocks, "fns", []))
        components = list(getattr(blocks, "components", []))
    for dep in deps:
        inputs.update(b.id for b in dep.inputs)
        outputs.update(b.id for b in dep.outputs)
        inputs.update(b.id for b, _ in dep.triggers if b is not None)
    # An Interface's outputs come display-only from the engine (interactive=False), though
    # its Flag button reads them.
    editable = set()
    for comp in components:
        if comp.interactive is not None:
            if comp.interactive:
                editable.add(comp.id)
        elif comp.id in inputs:
            editable.add(comp.id)
        elif comp.id not in outputs and _has_no_value(comp):
            # Gradio 4.34: a component no listener reads is a static display when it holds
            # a value (a player, no Record/Upload/Trim), and an input when it is empty.
            editable.add(comp.id)
    return editable


def _has_no_value(component: Any) -> bool:
    """Gradio's frontend `has_no_default_value`: None, "", 0, False or an empty list."""
    value = getattr(component, "value", None)
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    try:
        return not value
    except (TypeError, ValueError):  # an array-like value: it is a value
        return False
