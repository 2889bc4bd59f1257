"""Gradio 4.34's component templates and alternative spellings (`gr.Files`, `gr.TextArea`...).

Gradio exports the same components under several names (`gr.Text` is `gr.Textbox`, `gr.Mic` is
`gr.Microphone`) and a few "templates": a component with different defaults (`gr.Files` is a
File taking several files, `gr.TextArea` a seven-line Textbox). Demos use these spellings, so
they exist here with the same meaning; an app that writes `gr.Files()` must not fail to load.
"""

from __future__ import annotations

from typing import Any

from audiotui.components.audio import Microphone
from audiotui.components.choice import CheckboxGroup
from audiotui.components.display import JSON
from audiotui.components.file import File
from audiotui.components.text import Textbox
from audiotui.components.unsupported import (
    AnnotatedImage,
    Dataframe,
    HighlightedText,
    Image,
    ImageEditor,
    Video,
)


class Files(File):
    """`gr.Files`: a File whose default `file_count` is "multiple" (a list of paths in `fn`)."""

    def __init__(self, value: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("file_count", "multiple")
        super().__init__(value, **kwargs)


class TextArea(Textbox):
    """`gr.TextArea`: a Textbox that starts seven lines tall (Gradio's template default)."""

    def __init__(self, value: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("lines", 7)
        super().__init__(value, **kwargs)


# Same classes under Gradio's other names (gradio/components/__init__.py and templates.py);
# image/video templates differ from their base only in web-side defaults.
Text = Textbox
Mic = Microphone
Checkboxgroup = CheckboxGroup
Json = JSON
DataFrame = Dataframe
Highlight = HighlightedText
Highlightedtext = HighlightedText
Annotatedimage = AnnotatedImage
Sketchpad = ImageEditor
Paint = ImageEditor
ImageMask = ImageEditor
Webcam = Image
PlayableVideo = Video

TEMPLATE_NAMES = (
    "Files", "TextArea", "Text", "Mic", "Checkboxgroup", "Json", "DataFrame", "Highlight",
    "Highlightedtext", "Annotatedimage", "Sketchpad", "Paint", "ImageMask", "Webcam",
    "PlayableVideo",
)  # fmt: skip
"""Every name this module adds to `audiotui` (and so to the `gradio` alias)."""
