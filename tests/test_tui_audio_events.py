"""Audio events through Pilot, in Gradio's order: the player on input and output components,
pausing a recording, and a function's output firing change (never input)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from test_tui_support import app_for, settle

import audiotui as gr
from audiotui.media.devices import HardwareStatus

RATE = 16000
EVENTS = ("change", "input", "upload", "clear", "play", "pause", "stop",
          "start_recording", "pause_recording", "stop_recording")


def _tone(path: Path, seconds: float) -> str:
    t = np.arange(int(seconds * RATE)) / RATE
    sf.write(path, 0.5 * np.sin(2 * np.pi * 440 * t), RATE, subtype="PCM_16")
    return str(path)


def _listen(audio: Any, calls: list[tuple[str, Any]], *, reads_it: bool = True) -> None:
    """Record every event; `reads_it=False` leaves the audio an output only (display-only)."""
    for event in EVENTS:
        def fn(v: Any = None, _e: str = event) -> None:
            calls.append((_e, v))

        fn.__name__ = f"on_{event}"
        getattr(audio, event)(fn, audio if reads_it else None, None)


def _trigger_log(app: Any) -> list[str]:
    """Events handed to the Session, in the order the widget fired them."""
    log: list[str] = []
    trigger = app.session.trigger

    def logged(block: Any, event: str, data: Any = None) -> Any:
        log.append(event)
        return trigger(block, event, data)

    app.session.trigger = logged
    return log


async def _until(pilot: Any, done: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)


CLIP_SECONDS = 4.0


@pytest.mark.hardware
@pytest.mark.parametrize("as_output", [False, True], ids=["input", "output"])
async def test_player_fires_play_pause_and_stop_only_at_the_end(
    tmp_path: Path, virtual_audio: Any, as_output: bool
) -> None:
    # Long enough that play, pause, resume and stop all happen before the clip ends: from the
    # first key to the user's stop took 0.9-2.2 s of wall time with 4 busy loops on 2 cores
    # (load ~10), and a 0.6 s clip then reached its end first ("stop" fired; 2 runs in 8 failed).
    clip = _tone(tmp_path / "clip.wav", CLIP_SECONDS)
    calls: list[tuple[str, Any]] = []
    with gr.Blocks() as demo:
        # an output: written by a function and display-only, yet still playable
        audio = gr.Audio(clip, type="filepath", label="clip",
                         interactive=False if as_output else None)
        _listen(audio, calls, reads_it=not as_output)
        if as_output:
            gr.Button("again").click(lambda: clip, None, audio)
    app = app_for(demo, output_device=virtual_audio.speaker)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[audio.id]
        assert widget.interactive is not as_output
        order = _trigger_log(app)
        widget.view.focus()
        await pilot.press("space")
        await _until(pilot, lambda: widget.transport.playing)
        await pilot.press("space")  # pause
        await _until(pilot, lambda: order[-1:] == ["pause"])
        await pilot.press("space")  # resume
        await _until(pilot, lambda: order[-1:] == ["play"])
        await pilot.press("s")  # the user stops: the media stops, it did not end
        await _until(pilot, lambda: len(order) == 4)
        assert order == ["play", "pause", "play", "pause"]
        await pilot.press("space")  # from the start, to the end this time
        await _until(pilot, lambda: "stop" in order, seconds=CLIP_SECONDS + 10)
        await settle(pilot)
        assert order == ["play", "pause", "play", "pause", "play", "pause", "stop"]
        # every trigger ran its listener (jobs run in threads: they may finish in any order)
        assert sorted(name for name, _ in calls) == sorted(order)
        if not as_output:
            assert all(sf.info(v).frames == int(CLIP_SECONDS * RATE) for _, v in calls)


@pytest.mark.hardware
async def test_pausing_a_recording_fires_pause_recording_and_resuming_fires_nothing(
    virtual_audio: Any,
) -> None:
    calls: list[tuple[str, Any]] = []
    with gr.Blocks() as demo:
        audio = gr.Audio(sources=["microphone"], type="filepath", label="mic")
        _listen(audio, calls)
    app = app_for(demo, input_device=virtual_audio.mic)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[audio.id]
        order = _trigger_log(app)
        widget.view.focus()
        await pilot.press("r")
        await pilot.pause(0.3)
        await pilot.press("p")
        await pilot.pause(0.2)
        assert widget.take.state == "paused"
        await pilot.press("p")
        await pilot.pause(0.3)
        assert widget.take.state == "recording"
        await pilot.press("r")
        await _until(pilot, lambda: widget.take is None)
        await settle(pilot)
        assert order == ["start_recording", "pause_recording", "stop_recording", "input",
                         "change"]
        take = app.session.get_value(audio)
        (changed,) = [v for name, v in calls if name == "change"]
        assert sf.info(changed).frames == take.meta["frames"] > 0
        assert [v for name, v in calls if name in ("start_recording", "pause_recording")] == [
            None, None]


async def test_a_function_writing_the_audio_fires_change_but_not_input(tmp_path: Path) -> None:
    clip = _tone(tmp_path / "made.wav", 0.2)
    calls: list[tuple[str, Any]] = []
    with gr.Blocks() as demo:
        audio = gr.Audio(type="filepath", label="made")
        _listen(audio, calls)
        make = gr.Button("make")
        make.click(lambda: clip, None, audio)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.click(app.component_widgets[make.id])
        await settle(pilot)
        assert [name for name, _ in calls] == ["change"]
        assert np.array_equal(sf.read(calls[0][1])[0], sf.read(clip)[0])
        assert app.component_widgets[audio.id].view.duration == pytest.approx(0.2)
