"""String shortcuts (`gr.Interface(fn, "audio", "text")`) and turning specs into components."""

from __future__ import annotations

import importlib
from typing import Any

from audiotui.components.base import Component

# name -> (module, class, constructor kwargs); Audio/Microphone are another module's, and
# every class is imported only when its name is asked for, so shortcuts cost nothing at import.
_SHORTCUTS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "audio": ("audiotui.components.audio", "Audio", {}),
    "microphone": ("audiotui.components.audio", "Audio", {"sources": ["microphone"]}),
    "text": ("audiotui.components.text", "Textbox", {}),
    "textbox": ("audiotui.components.text", "Textbox", {}),
    "textarea": ("audiotui.components.text", "Textbox", {"lines": 7}),
    "number": ("audiotui.components.number", "Number", {}),
    "slider": ("audiotui.components.number", "Slider", {}),
    "checkbox": ("audiotui.components.choice", "Checkbox", {}),
    "checkboxgroup": ("audiotui.components.choice", "CheckboxGroup", {}),
    "dropdown": ("audiotui.components.choice", "Dropdown", {}),
    "radio": ("audiotui.components.choice", "Radio", {}),
    "button": ("audiotui.components.display", "Button", {}),
    "label": ("audiotui.components.display", "Label", {}),
    "json": ("audiotui.components.display", "JSON", {}),
    "markdown": ("audiotui.components.display", "Markdown", {}),
    "file": ("audiotui.components.file", "File", {}),
    "files": ("audiotui.components.file", "File", {"file_count": "multiple"}),
    "state": ("audiotui.components.state", "State", {}),
    "dataset": ("audiotui.components.dataset", "Dataset", {}),
    "clearbutton": ("audiotui.components.display", "ClearButton", {}),
    # accepted so Gradio apps load; drawn as a "not shown in the terminal" box
    "image": ("audiotui.components.unsupported", "Image", {}),
    "video": ("audiotui.components.unsupported", "Video", {}),
    "gallery": ("audiotui.components.unsupported", "Gallery", {}),
    "chatbot": ("audiotui.components.unsupported", "Chatbot", {}),
    "plot": ("audiotui.components.unsupported", "Plot", {}),
    "html": ("audiotui.components.unsupported", "HTML", {}),
    "dataframe": ("audiotui.components.unsupported", "Dataframe", {}),
    "highlightedtext": ("audiotui.components.unsupported", "HighlightedText", {}),
    "colorpicker": ("audiotui.components.unsupported", "ColorPicker", {}),
    "code": ("audiotui.components.unsupported", "Code", {}),
    "model3d": ("audiotui.components.unsupported", "Model3D", {}),
    "annotatedimage": ("audiotui.components.unsupported", "AnnotatedImage", {}),
}


def shortcut_names() -> list[str]:
    """Every accepted string shortcut, sorted (what error messages list)."""
    return sorted(_SHORTCUTS)


def component_from_string(name: str, *, render: bool = True) -> Component:
    """A new component for a Gradio string shortcut such as `"audio"` or `"textbox"`.

    Matching ignores case, spaces, `-` and `_`, so `"CheckboxGroup"` and `"checkbox_group"`
    both work, as Gradio's class-name lookup allows.
    """
    if not isinstance(name, str):
        raise TypeError(f"component name must be a str, got {name!r}")
    key = name.lower().replace("_", "").replace("-", "").replace(" ", "")
    entry = _SHORTCUTS.get(key)
    if entry is None:
        raise ValueError(
            f"unknown component {name!r}; use one of: {', '.join(shortcut_names())} "
            "(or pass a component instance such as gr.Audio(...))"
        )
    module, cls_name, kwargs = entry
    cls = getattr(importlib.import_module(module), cls_name)
    return cls(render=render, **kwargs)  # type: ignore[no-any-return]


def get_component_instance(spec: Any, *, render: bool = True) -> Component:
    """A component from what Interface and Dataset accept: an instance, a class, or a name.

    An instance is returned as is (rendering is the caller's decision); a class is
    instantiated with its defaults.
    """
    if isinstance(spec, Component):
        if render and not spec.is_rendered:
            spec.render()
        return spec
    if isinstance(spec, str):
        return component_from_string(spec, render=render)
    if isinstance(spec, type) and issubclass(spec, Component):
        return spec(render=render)
    raise TypeError(f"expected a component, a component class or a name like 'audio', got {spec!r}")
