"""UI takes (issue 8): losing the sound server mid-take says so, and takes are private files."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from test_tui_support import app_for, settle

import audiotui as gr
from audiotui.data import FileData
from audiotui.errors import DeviceError
from audiotui.media.devices import HardwareStatus
from audiotui.tui.widgets.audio import AudioWidget


async def _until(pilot: Any, done: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)


class _StandInTake:
    """What the widget sees of a LiveRecording whose device went away."""

    state = "failed"
    elapsed = 2.5
    device_name = "virtual_mic"

    def stop(self) -> None:
        pass


def _warnings(app: Any) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "warning"]


async def test_lost_device_mid_take_is_told_with_what_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "take.wav"
    sf.write(str(path), np.zeros(2 * 48000 + 24000, dtype=np.float32), 48000)
    fd = FileData(path=str(path), orig_name=path.name, size=path.stat().st_size,
                  mime_type="audio/wav", meta={"sample_rate": 48000, "channels": 1,
                                               "frames": 2 * 48000 + 24000})
    with gr.Blocks() as demo:
        gr.Audio(sources=["microphone"], label="voice")
    app = app_for(demo)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        widget = next(iter(app.query(AudioWidget)))
        widget.take = _StandInTake()
        # What the take calls back with when its device went away; the Recorder reports it.
        widget.recorder.take_finished(
            fd, DeviceError("input device 'virtual_mic' stopped delivering audio"))
        await settle(pilot)
        notes = _warnings(app)
        assert any(
            "Recording stopped: virtual_mic went away" in n and str(path) in n and "2.5 s" in n
            for n in notes
        ), notes
        assert widget.value is not None  # the take is still the widget's value


@pytest.mark.hardware
async def test_sound_server_killed_mid_take_shows_a_notice(virtual_audio: Any) -> None:
    with gr.Blocks() as demo:
        gr.Audio(sources=["microphone"], type="filepath", label="mic")
    app = app_for(demo, input_device=virtual_audio.mic)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.set_hardware(HardwareStatus(True, ""))
            widget = next(iter(app.query(AudioWidget)))
            widget.view.focus()
            await pilot.press("r")
            await _until(pilot, lambda: widget.take is not None and widget.take.elapsed > 1.0)
            path = Path(widget.take.recorder.path)
            virtual_audio.kill()
            await _until(pilot, lambda: widget.take is None, seconds=12)
            await settle(pilot)
            notes = _warnings(app)
            assert any(
                n.startswith(f"Recording stopped: {virtual_audio.mic} went away; saved {path}")
                for n in notes
            ), notes
    finally:
        virtual_audio.up()
    assert sf.info(str(path)).frames > 48000 * 0.8


@pytest.mark.hardware
async def test_ui_takes_are_private_files(virtual_audio: Any) -> None:
    with gr.Blocks() as demo:
        gr.Audio(sources=["microphone"], type="filepath", label="mic")
    app = app_for(demo, input_device=virtual_audio.mic)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = next(iter(app.query(AudioWidget)))
        widget.view.focus()
        await pilot.press("r")
        await _until(pilot, lambda: widget.take is not None and widget.take.elapsed > 0.3)
        path = Path(widget.take.recorder.path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # already while recording
        await pilot.press("r")
        await _until(pilot, lambda: widget.take is None)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir() if not p.name.startswith(".")] == [path.name]
