"""Keyboard first: focus starts in the first input, one key submits, the audio widget is one Tab
stop, Clear and x are undoable, every key is one key (F1) away, hints are whole (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from test_tui_support import app_for, settle
from textual.widgets import Button, Input, Select
from textual.widgets._footer import FooterKey

import audiotui as gr
from audiotui.loader import load_app
from audiotui.tui.help_screen import HelpScreen, help_text
from audiotui.tui.keys import HELP_KEY, SUBMIT_KEY, submit_target
from audiotui.tui.widgets.audio import AudioWidget
from audiotui.tui.widgets.status_line import PART_GAP, StatusLine, whole_hints
from audiotui.tui.widgets.waveform_view import WaveformView

ROOT = Path(__file__).resolve().parent.parent


def _tone(path: Path, seconds: float = 1.0) -> str:
    t = np.arange(int(48000 * seconds)) / 48000
    sf.write(path, (0.4 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 48000)
    return str(path)


def _inside(focused: Any, widget: Any) -> bool:
    return focused is not None and (focused is widget or widget in focused.ancestors)


async def _tabs_to_submit(app: Any, pilot: Any) -> int:
    target = submit_target(app)
    assert target is not None, "the app should have one obvious Submit button"
    for presses in range(30):
        if _inside(app.focused, target):
            return presses
        await pilot.press("tab")
        await pilot.pause()
    raise AssertionError("Tab never reached Submit")


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", ["examples/tone.py", "examples/reverse.py",
                                  "tests/compat/apps/reverse_audio.py"])
async def test_tone_demo_and_a_mic_app_reach_submit_in_at_most_4_tabs(name: str) -> None:
    app = app_for(load_app(ROOT / name))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert await _tabs_to_submit(app, pilot) <= 4


async def test_focus_starts_in_the_first_input() -> None:
    app = app_for(load_app(ROOT / "examples/tone.py"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, Select)
    app = app_for(load_app(ROOT / "examples/reverse.py"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused.parent, AudioWidget)


async def test_an_audio_widget_is_one_tab_stop() -> None:
    demo = gr.Interface(lambda a: a, gr.Audio(sources=["microphone", "upload"]), "audio")
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        audio = app.component_widgets[demo.input_components[0].id]
        stops = [w for w in app.screen.focus_chain if audio in w.ancestors]
        assert len(stops) == 1, stops
        assert not any(isinstance(w, Button) for w in stops)


async def test_submit_key_runs_an_interface_from_any_field() -> None:
    demo = gr.Interface(lambda s, n: f"{s}-{n}", [gr.Textbox(label="s"), gr.Number(label="n")],
                        gr.Textbox(label="out"))
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a", "b", "tab")
        await settle(pilot)
        await pilot.press(SUBMIT_KEY)
        await settle(pilot)
        assert app.session.get_value(demo.output_components[0]) in ("ab-0", "ab-0.0")


async def test_submit_key_presses_the_only_button_of_a_blocks_app() -> None:
    with gr.Blocks() as demo:
        box = gr.Textbox(label="in")
        out = gr.Textbox(label="out")
        gr.Button("Go").click(lambda s: s.upper(), box, out)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h", "i", SUBMIT_KEY)
        await settle(pilot)
        assert app.session.get_value(out) == "HI"


async def test_enter_in_a_textbox_still_submits_it() -> None:
    with gr.Blocks() as demo:
        box = gr.Textbox(label="in")
        out = gr.Textbox(label="out")
        box.submit(lambda s: s[::-1], box, out)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await pilot.press("a", "b", "enter")
        await settle(pilot)
        assert app.session.get_value(out) == "ba"


async def test_x_on_an_audio_widget_is_undone_by_ctrl_z(tmp_path: Path) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(value=_tone(tmp_path / "a.wav"), label="take", interactive=True)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        before = widget.value
        widget.view.focus()
        await pilot.press("x")
        await settle(pilot)
        assert app.session.get_value(audio) is None
        assert "no audio" in str(widget.view.render())  # not "reading waveform…" forever
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.session.get_value(audio) == before


async def test_interface_clear_is_undone_by_ctrl_z(tmp_path: Path) -> None:
    demo = gr.Interface(lambda a: a, gr.Audio(type="filepath"), gr.Textbox())
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        inp = demo.input_components[0]
        widget = app.component_widgets[inp.id]
        widget.commit(widget.value)  # nothing yet; load a take the way an upload does
        from audiotui.media.files import path_to_filedata

        take = path_to_filedata(_tone(tmp_path / "take.wav"))
        widget.commit(take)
        await settle(pilot)
        await pilot.click(app.component_widgets[demo.clear_btn.id])
        await settle(pilot)
        assert app.session.get_value(inp) is None
        app.set_focus(None)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.session.get_value(inp) == take


async def test_help_key_lists_every_key_of_every_widget() -> None:
    app = app_for(load_app(ROOT / "examples/tone.py"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(HELP_KEY)
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app).plain
        for binding in [*AudioWidget.BINDINGS, *WaveformView.BINDINGS]:
            assert binding.description in text  # type: ignore[union-attr]
        # The waveform's own keys are listed with the audio widget's, once, in reading order.
        audio = text.split("Audio (on its waveform)\n")[1].split("\n\n")[0]
        assert [line.split()[0] for line in audio.splitlines()] == [
            "space", "s", "left", "right", "home", "end", "+", "-", "[", "]", "r", "p", "x",
            "u", "b", "i", "o", "d", "shift+left", "shift+right", "t", "ctrl+z", "g", "c"]
        # `o` is in the footer only where it fits; the help screen always has it (once).
        assert len(re.findall(r"^ +o +output device$", text, re.MULTILINE)) == 1
        assert SUBMIT_KEY in text and "print log" in text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", ["examples/reverse.py", "examples/tone.py"])
async def test_hints_never_end_mid_word_at_60_columns(name: str) -> None:
    app = app_for(load_app(ROOT / name))
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        keys = list(app.screen.query(FooterKey))
        shown = [k for k in keys if k.region.height > 0]
        assert shown and any(HELP_KEY in str(k.render()) for k in shown)
        for key in shown:
            assert key.region.right <= 60, f"footer hint cut at the edge: {key.render()}"
        for line in app.screen.query(StatusLine):
            if line.region.width == 0:
                continue
            drawn = str(line.render()).rstrip()
            full = str(line._text)
            assert drawn == full or drawn.endswith(" …") or _whole_parts(line, drawn), drawn
            assert len(drawn) <= line.region.width


def _whole_parts(line: StatusLine, drawn: str) -> bool:
    """A status line of parts may shorten some: each shown piece is a whole part or the
    part's short wording, in order."""
    pieces = drawn.split(PART_GAP)
    wordings = [{part.text, part.short} for part in line._parts]
    return len(pieces) == len(wordings) and all(
        piece in wording for piece, wording in zip(pieces, wordings, strict=True))


def test_a_status_line_of_parts_is_always_whole_parts_at_any_width() -> None:
    from audiotui.tui.widgets.audio_status import device_parts, playback_parts

    line = StatusLine()
    line.show_parts(playback_parts(1.0, 2.0, playing=True, started=True, selection=(0.5, 1.5))
                    + device_parts(channels="ch 1-3 of 6", mic="virtual_mic",
                                   speaker="virtual_speaker", hardware_reason=None))
    for width in range(10, 140):
        drawn = line._fitted(width)
        assert drawn.startswith("▶ 0:01.0 / 0:02.0")  # the clock is never the part that goes
        if len(drawn) <= width:
            core = drawn.removesuffix(" …")
            texts = {w for part in line._parts for w in (part.text, part.short) if w}
            assert all(piece in texts for piece in core.split(PART_GAP)), drawn


def test_a_cut_status_line_ends_at_a_hint_boundary() -> None:
    from rich.text import Text

    text = Text("no audio — u: type a path · b: browse · r: record · i: choose mic")
    cut = whole_hints(text, 48).plain
    assert cut == "no audio — u: type a path · b: browse …"
