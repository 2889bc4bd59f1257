"""WaveformColours: the waveform, progress and selection colours of a gr.Audio, for Rich."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class WaveformColours:
    """Colours from the component's `waveform_options` (Gradio's defaults otherwise)."""

    waveform: str = "#9ca3af"
    progress: str = "#f97316"
    selection: str = "#3b3f4a"

    @classmethod
    def from_options(cls, options: Any) -> WaveformColours:
        """The colours a gr.Audio's `waveform_options` (or None) ask for."""
        return cls.from_css(getattr(options, "waveform_color", None),
                            getattr(options, "waveform_progress_color", None),
                            getattr(options, "trim_region_color", None))

    @classmethod
    def from_css(cls, waveform: Any = None, progress: Any = None,
                 selection: Any = None) -> WaveformColours:
        """Gradio takes any CSS colour ("orange", "#f00", "rgba(...)"); Rich takes few.

        Each is converted to `#rrggbb`; one the browser would ignore (not a colour) leaves
        Gradio's default, as it would there, instead of failing at the first repaint.
        """
        defaults = cls()
        return cls(
            waveform=_terminal_colour(waveform, defaults.waveform),
            progress=_terminal_colour(progress, defaults.progress),
            selection=_terminal_colour(selection, defaults.selection),
        )


def _terminal_colour(css: Any, default: str) -> str:
    from textual.color import Color, ColorParseError

    if not isinstance(css, str) or not css.strip():
        return default
    try:
        return Color.parse(css.strip()).hex6
    except ColorParseError:
        return default
