"""Terminal options of `audiotui run`: NO_COLOR, --fps and --no-mouse reach the running app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from test_tui_support import app_for, settle
from textual.filter import Monochrome, NoColor

import audiotui as gr
from audiotui.tui import app as tui_app
from audiotui.tui import launch as tui_launch


def _clip(path: Path) -> str:
    sf.write(path, np.zeros(800), 8000)
    return str(path)


def test_no_color_environment_variable_turns_the_ui_monochrome(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo = gr.Interface(lambda s: s, "text", "text")
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = app_for(demo)
    assert not any(isinstance(f, (Monochrome, NoColor)) for f in coloured.get_line_filters())
    monkeypatch.setenv("NO_COLOR", "1")
    plain = app_for(demo)
    assert plain.no_color
    assert any(isinstance(f, (Monochrome, NoColor)) for f in plain.get_line_filters())


@pytest.mark.parametrize("fps", [5, 20])
async def test_fps_sets_the_audio_widgets_redraw_interval(tmp_path: Path, fps: int) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(_clip(tmp_path / "a.wav"), type="filepath")
    app = app_for(demo, fps=fps)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        ticker = app.component_widgets[audio.id]._ticker
        assert ticker._interval == pytest.approx(1 / fps)


def test_no_mouse_runs_the_app_without_mouse_reporting(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[dict[str, Any]] = []
    monkeypatch.setattr(tui_app.AudiotuiApp, "run", lambda self, **kw: runs.append(kw))
    monkeypatch.setattr(tui_launch, "_keep_native_stderr_off_screen", lambda: None)
    demo = gr.Interface(lambda s: s, "text", "text")
    tui_launch.run_app(demo, mouse=False)
    tui_launch.run_app(demo)
    assert [kw.get("mouse") for kw in runs] == [False, True]
