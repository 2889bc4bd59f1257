"""Which colours the terminal shows, so every border and label stays legible at its depth.

Textual draws in truecolor and the terminal's console downgrades each colour to what the
terminal has. Two nearby greys (a field's border and the screen behind it) then become the same
colour: with TERM=xterm over SSH (16 colours, no COLORTERM) Textbox and Dropdown borders were
black on black. The app marks itself with `-colours-16` / `-colours-256` / `-colours-mono`
and `audiotui.tcss` picks border and text colours that stay apart at that depth.
"""

from __future__ import annotations

import os
from typing import Any, Literal

ColourDepth = Literal["truecolor", "256", "16", "mono"]

ENV = "AUDIOTUI_COLOURS"
"""Force a depth (truecolor, 256, 16 or none) when the terminal's answer is wrong."""

_NAMES: dict[str, ColourDepth] = {
    "truecolor": "truecolor", "24bit": "truecolor", "256": "256", "8bit": "256",
    "16": "16", "8": "16", "standard": "16", "none": "mono", "mono": "mono", "0": "mono",
}

CLASSES: dict[ColourDepth, str] = {
    "truecolor": "-colours-truecolor", "256": "-colours-256", "16": "-colours-16",
    "mono": "-colours-mono",
}


def colour_depth(app: Any) -> ColourDepth:
    """The depth this app is drawn at: AUDIOTUI_COLOURS, NO_COLOR, then the terminal's.

    A headless app (tests, SVG snapshots) has no terminal to ask; it is drawn as a
    256-colour SSH terminal shows it.
    """
    forced = _NAMES.get(os.environ.get(ENV, "").strip().lower())
    if forced is not None:
        return forced
    if getattr(app, "no_color", False) or "NO_COLOR" in os.environ:
        return "mono"
    if getattr(app, "is_headless", False):
        return "256"
    system = getattr(getattr(app, "console", None), "color_system", None)
    if system in ("standard", "windows"):
        return "16"
    return "truecolor" if system == "truecolor" else "256"


def apply_colour_depth(app: Any) -> ColourDepth:
    """Put the depth's class on the app (its CSS rules then apply on every screen)."""
    depth = colour_depth(app)
    for name, css_class in CLASSES.items():
        app.set_class(name == depth, css_class)
    return depth
