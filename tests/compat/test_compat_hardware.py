"""Gradio compatibility suite on the virtual sound server: recording and playback in the TUI.

Runs only where scripts/virtual-audio-up.sh can start PulseAudio (the `virtual_audio` and
`loopback` fixtures skip otherwise). A tone is played into the virtual microphone, or what the
app plays is recorded from the speaker's monitor, and judged by length and FFT pitch.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import soundfile as sf
from compat.audio_checks import APPS, CHIRP, by_label, dominant_hz, read, read_int16
from compat.tui_driving import (
    SIZE,
    button,
    click,
    hardware_app,
    record_while_playing,
    shown,
    upload,
)
from test_tui_support import settle

from audiotui.loader import load_app

pytestmark = pytest.mark.hardware


# -- the microphone (virtual sound server) -------------------------------------------------------
async def test_reverse_audio_records_the_microphone_and_returns_it_backwards(
    virtual_audio: Any,
) -> None:
    demo, app = hardware_app("reverse_audio.py", virtual_audio)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        mic = demo.input_components[0]
        await record_while_playing(pilot, app.component_widgets[mic.id], virtual_audio)
        widget = app.component_widgets[mic.id]
        assert "already exists" not in shown(widget, ".component-error")
        take = app.session.get_value(mic)
        assert take is not None, "the take should become the microphone's value"
        sr, recorded = read(take.path)
        loud = np.flatnonzero(np.abs(recorded[:, 0]) > 0.25)
        assert (loud[-1] - loud[0]) / sr >= 0.75  # the whole tone (the server is shared)
        assert dominant_hz(recorded[loud[0] : loud[-1]], sr) == pytest.approx(660, abs=3)
        await click(pilot, app, demo.submit_btn)
        out = app.session.get_value(demo.output_components[0])
        assert np.array_equal(read_int16(out.path), read_int16(take.path)[::-1])


async def test_streaming_microphone_feeds_state_while_recording(virtual_audio: Any) -> None:
    demo, app = hardware_app("stream_transcribe_state.py", virtual_audio)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        mic = demo.input_components[1]
        await record_while_playing(pilot, app.component_widgets[mic.id], virtual_audio)
        await settle(pilot)
        heard = app.session.get_value(demo.output_components[1])
        assert heard is not None and heard.startswith("heard ")
        assert float(heard.split()[1]) > 0.8


# -- the speaker (recorded back from its monitor) ---------------------------------------------
async def test_the_generated_tone_plays_through_the_speaker(loopback: Any) -> None:
    from audiotui.tui.launch import make_app

    demo = load_app(APPS / "generate_tone.py")
    app = make_app(demo, output_device="virtual_speaker")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.session.user_input(demo.input_components[0], "A")
        await click(pilot, app, demo.submit_btn)
        out = app.component_widgets[demo.output_components[0].id]
        out.view.focus()
        await pilot.press("space")
        await pilot.pause(1.5)
        assert not [n.message for n in app._notifications if "Playback" in (n.title or "")]
    heard, rate = sf.read(loopback.stop().path)
    loud = np.flatnonzero(np.abs(heard) > 0.1)
    assert len(loud) and (loud[-1] - loud[0]) / rate == pytest.approx(1.0, abs=0.05)
    assert dominant_hz(heard[loud[0] : loud[-1]], rate) == pytest.approx(440, abs=3)


async def test_streamed_chunks_play_back_to_back_through_the_speaker(loopback: Any) -> None:
    from audiotui.tui.launch import make_app

    demo = load_app(APPS / "stream_audio_out.py")
    app = make_app(demo, output_device="virtual_speaker")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await upload(pilot, app.component_widgets[by_label(demo, "Input Audio").id], CHIRP)
        await click(pilot, app, button(demo, "Stream"))
        await pilot.pause(1.5)  # let playback of the last chunk finish
    heard, rate = sf.read(loopback.stop().path)
    loud = np.flatnonzero(np.abs(heard) > 0.1)
    assert len(loud) and (loud[-1] - loud[0]) / rate == pytest.approx(0.75, abs=0.08)
    start, end = heard[loud[0] : loud[0] + rate // 10], heard[loud[-1] - rate // 10 : loud[-1]]
    assert dominant_hz(start, rate) < 600 and dominant_hz(end, rate) > 1500
