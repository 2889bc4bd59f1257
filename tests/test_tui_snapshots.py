"""SVG snapshots (fixed sizes, no cursor blink) of the screens users see first.

Snapshots live in tests/snapshots/; refresh them with `pytest --snapshot-update` after
checking the new SVGs by eye.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from pytest_textual_snapshot import SVGImageExtension
from test_tui_support import app_for, settle
from textual._doc import take_svg_screenshot
from textual.widgets import Input, Select

import audiotui as gr
from audiotui.loader import load_app
from audiotui.media.levels import Level
from audiotui.media.peaks import PeakPyramid
from audiotui.tui.widgets.audio import AudioWidget
from audiotui.tui.widgets.audio_recording import LiveRecording

ROOT = Path(__file__).resolve().parent.parent


class SnapshotsDir(SVGImageExtension):
    """Keep SVGs in tests/snapshots/<module>/ (the project's layout)."""

    @classmethod
    def dirname(cls, *, test_location: Any) -> str:
        return str(Path(test_location.filepath).parent / "snapshots" / test_location.basename)


@pytest.fixture
def svg_snapshot(snapshot: Any) -> Any:
    return snapshot.use_extension(SnapshotsDir)


def _shot(app: Any, size: tuple[int, int], run_before: Any = None) -> str:
    async def prepare(pilot: Any) -> None:
        await settle(pilot)
        for field in pilot.app.query(Input):
            field.cursor_blink = False
        if run_before is not None:
            await run_before(pilot)
        await settle(pilot)

    return take_svg_screenshot(app=app, terminal_size=size, run_before=prepare)


def _tone_file(path: Path, seconds: float = 2.0) -> Path:
    t = np.arange(int(seconds * 8000)) / 8000
    envelope = np.minimum(1.0, 4 * np.minimum(t, seconds - t) / seconds)
    sf.write(path, 0.8 * envelope * np.sin(2 * np.pi * 3 * t), 8000, subtype="PCM_16")
    return path


def test_tone_demo_first_screen(svg_snapshot: Any) -> None:
    app = app_for(load_app(ROOT / "examples" / "tone.py"))
    assert svg_snapshot == _shot(app, (120, 36))


def test_tone_demo_narrow_80x24(svg_snapshot: Any) -> None:
    app = app_for(load_app(ROOT / "examples" / "tone.py"))
    assert svg_snapshot == _shot(app, (80, 24))


def test_error_toast_names_the_function(svg_snapshot: Any) -> None:
    demo = load_app(ROOT / "examples" / "tone.py")
    app = app_for(demo)

    async def submit_without_duration(pilot: Any) -> None:
        note = demo.input_components[0]
        pilot.app.component_widgets[note.id].query_one(Select).value = "9"
        pilot.app.component_widgets[demo.input_components[2].id].query_one(Input).value = ""
        await settle(pilot)
        await pilot.click(pilot.app.component_widgets[demo.submit_btn.id].query_one("Button"))

    assert svg_snapshot == _shot(app, (120, 36), submit_without_duration)


def test_output_waveform_with_playhead(svg_snapshot: Any, tmp_path: Path) -> None:
    wav = _tone_file(tmp_path / "swell.wav")
    with gr.Blocks() as demo:
        gr.Audio(str(wav), label="output", interactive=False,
                 waveform_options=gr.WaveformOptions(waveform_progress_color="#f97316"))
    app = app_for(demo)

    async def move_playhead(pilot: Any) -> None:
        widget = next(iter(pilot.app.query(AudioWidget)))
        widget.seek(0.75)

    assert svg_snapshot == _shot(app, (100, 20), move_playhead)


class _FrozenTake:
    """A recording held still (4.2 s in, -6 dBFS, one clip) so the screen is repeatable."""

    state = "recording"
    elapsed = 4.2
    device_name = "virtual_mic"
    meter = LiveRecording.meter

    def __init__(self) -> None:
        t = np.arange(int(4.2 * 8000)) / 8000
        self.peaks = PeakPyramid.from_array(8000, (0.5 * np.sin(2 * np.pi * 2 * t)
                                                   * np.sin(2 * np.pi * 0.25 * t)))
        self.recorder = type("R", (), {"level": lambda _self: Level([-6.0], [-9.0], [1])})()
        self._grew = True

    def tick(self) -> bool:
        grew, self._grew = self._grew, False
        return grew

    def stop(self) -> None:
        """Nothing to save: the take never touched a device."""


def test_recording_in_progress(svg_snapshot: Any) -> None:
    with gr.Blocks() as demo:
        gr.Audio(sources=["microphone"], label="voice", max_length=30)
    app = app_for(demo)

    async def freeze_a_take(pilot: Any) -> None:
        widget = next(iter(pilot.app.query(AudioWidget)))
        widget.take = _FrozenTake()  # type: ignore[assignment]
        widget.add_class("-recording")
        widget._ticking(True)
        await pilot.pause(0.2)

    assert svg_snapshot == _shot(app, (100, 22), freeze_a_take)
