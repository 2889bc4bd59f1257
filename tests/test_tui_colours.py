"""Every text and border cell stays legible at 16 colours, 256, truecolor and NO_COLOR.

The terminal downgrades Textual's truecolor to what it has; two close greys then become one
colour. Seen with TERM=xterm over SSH: Textbox and Dropdown borders black on black (231 cells).
The screens are rendered as the terminal would show them and no non-blank cell may have its
foreground equal to its background (issue 10).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from rich.color import ColorSystem
from rich.style import Style
from test_tui_support import app_for, settle

import audiotui as gr
from audiotui.loader import load_app
from audiotui.tui.colours import colour_depth

ROOT = Path(__file__).resolve().parent.parent
SCREENS = ["examples/tone.py", "examples/effects.py", "examples/audio_events.py",
           "tests/compat/apps/kitchen_sink.py", "tests/compat/apps/equalizer_layout.py"]
DEPTHS = {"16": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT,
          "truecolor": ColorSystem.TRUECOLOR, "none": None}


def _same_colour(style: Style | None, system: ColorSystem | None) -> bool:
    if style is None or style.color is None or style.bgcolor is None:
        return False
    fg, bg = style.color, style.bgcolor
    if style.reverse:
        fg, bg = bg, fg
    if system is None or system == ColorSystem.TRUECOLOR:
        return fg.get_truecolor() == bg.get_truecolor()
    low_fg, low_bg = fg.downgrade(system), bg.downgrade(system)
    return (low_fg.number, low_fg.triplet) == (low_bg.number, low_bg.triplet)


def illegible_cells(app: Any, system: ColorSystem | None) -> list[tuple[int, int, str]]:
    """(x, y, character) of every non-blank cell whose colours meet on this terminal."""
    cells = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            for char in segment.text:
                if not char.isspace() and _same_colour(segment.style, system):
                    cells.append((x, y, char))
                x += 1
    return cells


@pytest.fixture(params=list(DEPTHS))
def depth(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    name: str = request.param
    if name == "none":
        monkeypatch.setenv("NO_COLOR", "1")
        monkeypatch.delenv("AUDIOTUI_COLOURS", raising=False)
    else:
        monkeypatch.setenv("AUDIOTUI_COLOURS", name)
    return name


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", SCREENS)
async def test_no_text_or_border_cell_has_its_background_colour(name: str, depth: str) -> None:
    app = app_for(load_app(ROOT / name))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert colour_depth(app) == {"none": "mono"}.get(depth, depth)
        screens = {"first screen": illegible_cells(app, DEPTHS[depth])}
        await pilot.press("tab")  # a focused field draws its focus border
        await settle(pilot)
        screens["after tab"] = illegible_cells(app, DEPTHS[depth])
    for where, cells in screens.items():
        assert not cells, f"{name} at {depth} colours, {where}: {len(cells)} cells {cells[:8]}"


async def test_played_and_unplayed_waveform_differ_without_colour(tmp_path: Path) -> None:
    path = tmp_path / "tone.wav"
    sf.write(path, (0.5 * np.sin(np.arange(48000) / 48000 * 2 * np.pi * 220)).astype(np.float32),
             48000)
    with gr.Blocks() as demo:
        audio = gr.Audio(value=str(path), editable=True)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.component_widgets[audio.id].view
        view.set_position(0.5)
        view.selection = (0.6, 0.8)
        text = view.render()
        styles = {span.style for span in text.spans if isinstance(span.style, Style)}
        assert any(s.bold for s in styles), "played part: no attribute but colour"
        assert any(s.underline for s in styles), "selection: no attribute but colour"


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", ["examples/tone.py", "examples/reverse.py",
                                  "tests/compat/apps/equalizer_layout.py"])
async def test_ascii_means_every_cell_is_ascii(name: str) -> None:
    from audiotui.tui.launch import make_app

    app = make_app(load_app(ROOT / name), ascii=True)
    app.probe_hardware = False
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screens = {"first screen": app.screen._compositor.render_strips()}
        await pilot.press("f1")
        await settle(pilot)
        screens["help"] = app.screen._compositor.render_strips()
    for where, strips in screens.items():
        text = "\n".join("".join(segment.text for segment in strip) for strip in strips)
        odd = sorted({char for char in text if not char.isascii()})
        assert not odd, f"{name} --ascii, {where}: {odd}"
