"""audiotui: Gradio's audio playground for the terminal (`import audiotui as gr`).

Names are resolved lazily (PEP 562) so `import audiotui` stays fast: numpy, soundfile,
sounddevice and Textual load only when something that needs them is touched.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # components
    "Audio": "audiotui.components.audio",
    "Microphone": "audiotui.components.audio",
    "WaveformOptions": "audiotui.components.audio",
    "Textbox": "audiotui.components.text",
    "Number": "audiotui.components.number",
    "Slider": "audiotui.components.number",
    "Dropdown": "audiotui.components.choice",
    "Radio": "audiotui.components.choice",
    "Checkbox": "audiotui.components.choice",
    "CheckboxGroup": "audiotui.components.choice",
    "Button": "audiotui.components.display",
    "Markdown": "audiotui.components.display",
    "Label": "audiotui.components.display",
    "JSON": "audiotui.components.display",
    "File": "audiotui.components.file",
    "State": "audiotui.components.state",
    "Dataset": "audiotui.components.dataset",
    "Examples": "audiotui.examples",
    "ClearButton": "audiotui.components.display",
    "Image": "audiotui.components.unsupported",
    "Video": "audiotui.components.unsupported",
    "Gallery": "audiotui.components.unsupported",
    "Model3D": "audiotui.components.unsupported",
    "AnnotatedImage": "audiotui.components.unsupported",
    "ImageEditor": "audiotui.components.unsupported",
    "Chatbot": "audiotui.components.unsupported",
    "Plot": "audiotui.components.unsupported",
    "LinePlot": "audiotui.components.unsupported",
    "ScatterPlot": "audiotui.components.unsupported",
    "BarPlot": "audiotui.components.unsupported",
    "HTML": "audiotui.components.unsupported",
    "Dataframe": "audiotui.components.unsupported",
    "HighlightedText": "audiotui.components.unsupported",
    "ColorPicker": "audiotui.components.unsupported",
    "Code": "audiotui.components.unsupported",
    "MultimodalTextbox": "audiotui.components.unsupported",
    "FileExplorer": "audiotui.components.unsupported",
    "UploadButton": "audiotui.components.unsupported",
    "DownloadButton": "audiotui.components.unsupported",
    "DuplicateButton": "audiotui.components.unsupported",
    "LoginButton": "audiotui.components.unsupported",
    "LogoutButton": "audiotui.components.unsupported",
    "ParamViewer": "audiotui.components.unsupported",
    "Component": "audiotui.components.base",
    # layout
    "Row": "audiotui.layout",
    "Column": "audiotui.layout",
    "Tabs": "audiotui.layout",
    "Tab": "audiotui.layout",
    "TabItem": "audiotui.layout",
    "Accordion": "audiotui.layout",
    "Sidebar": "audiotui.layout",
    "ChatInterface": "audiotui.chat_interface",
    "ChatMessage": "audiotui.chat_interface",
    "Timer": "audiotui.components.timer",
    "Group": "audiotui.layout",
    # apps and events
    "Blocks": "audiotui.blocks",
    "Interface": "audiotui.interface",
    "TabbedInterface": "audiotui.interface",
    "on": "audiotui.events",
    "render": "audiotui.renderable",
    "Dependency": "audiotui.events",
    "update": "audiotui.updates",
    "Error": "audiotui.errors",
    "Warning": "audiotui.notices",
    "Info": "audiotui.notices",
    "Progress": "audiotui.progress",
    "Request": "audiotui.request",
    "EventData": "audiotui.request",
    "SelectData": "audiotui.request",
    # headless use
    "Client": "audiotui.client",
    "handle_file": "audiotui.client",
    "themes": "audiotui.loader",
    "FileData": "audiotui.data",
    "Files": "audiotui.compat_templates",
    "TextArea": "audiotui.compat_templates",
    "Text": "audiotui.compat_templates",
    "Mic": "audiotui.compat_templates",
    "Checkboxgroup": "audiotui.compat_templates",
    "Json": "audiotui.compat_templates",
    "DataFrame": "audiotui.compat_templates",
    "Highlight": "audiotui.compat_templates",
    "Highlightedtext": "audiotui.compat_templates",
    "Annotatedimage": "audiotui.compat_templates",
    "Sketchpad": "audiotui.compat_templates",
    "Paint": "audiotui.compat_templates",
    "ImageMask": "audiotui.compat_templates",
    "Webcam": "audiotui.compat_templates",
    "PlayableVideo": "audiotui.compat_templates",
}

__all__ = sorted(_EXPORTS)


_NEWER_THAN_4_34: dict[str, str] = {}
"""Names apps written for later Gradio releases reach for, with what to use instead."""


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        if name in _NEWER_THAN_4_34:
            raise AttributeError(_NEWER_THAN_4_34[name])
        raise AttributeError(f"module 'audiotui' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
