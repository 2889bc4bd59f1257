"""One widget per component kind; `widget_for` picks it by the component's class (or base)."""

from __future__ import annotations

import importlib
from typing import Any

# Component class name -> (module, widget class); looked up along the MRO so a subclass
# (gr.Microphone is an Audio) gets its parent's widget.
_WIDGETS: dict[str, tuple[str, str]] = {
    "Textbox": ("text", "TextboxWidget"),
    "Number": ("text", "NumberWidget"),
    "Slider": ("slider", "SliderWidget"),
    "Dropdown": ("choice", "DropdownWidget"),
    "Radio": ("choice", "RadioWidget"),
    "Checkbox": ("choice", "CheckboxWidget"),
    "CheckboxGroup": ("choice", "CheckboxGroupWidget"),
    "Button": ("display", "ButtonWidget"),
    "Markdown": ("display", "MarkdownWidget"),
    "Label": ("display", "LabelWidget"),
    "JSON": ("display", "JSONWidget"),
    "File": ("file", "FileWidget"),
    "Dataset": ("table", "DatasetWidget"),
    "Audio": ("audio", "AudioWidget"),
}


def widget_class(component: Any) -> type[Any]:
    """The widget class drawing `component` (UnsupportedWidget when none fits)."""
    for cls in type(component).__mro__:
        target = _WIDGETS.get(cls.__name__)
        if target is not None:
            module = importlib.import_module(f"audiotui.tui.widgets.{target[0]}")
            return getattr(module, target[1])  # type: ignore[no-any-return]
    from audiotui.tui.widgets.placeholder import UnsupportedWidget

    return UnsupportedWidget


def is_drawn(component: Any) -> bool:
    """State holds a value but has nothing to show."""
    return type(component).__name__ != "State"
