"""Gradio compatibility suite, event by event: apps driven through a Session as the TUI drives them.

The Client only calls endpoints; these apps are about what users do (upload, play, type, click a
sample, a `gr.render` re-drawing itself), so each test fires the same events the terminal UI
fires and checks the audio and values that result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from compat.audio_checks import (
    CHIRP,
    DUET,
    PIANO,
    band_level,
    by_label,
    dominant_hz,
    read,
    read_int16,
    wav,
)
from compat.session_driving import started_session

from audiotui.data import FileData
from audiotui.runtime import Session


# -- audio debugger: every audio event -------------------------------------------------------
async def test_audio_debugger_counts_every_audio_event_once() -> None:
    from audiotui.media.files import path_to_filedata

    demo, session = await started_session("audio_component_events.py")
    try:
        audio = by_label(demo, "Input Audio")
        await session.user_input(audio, path_to_filedata(str(PIANO)))
        for event in ("upload", "play", "pause", "stop", "start_recording",
                      "pause_recording", "stop_recording"):
            session.trigger(audio, event)
        await session.wait_idle()
        for name in ("Change", "Input", "Upload", "Play", "Pause", "Stop", "Start Recording",
                     "Pause Recording", "Stop Recording"):
            assert session.get_value(by_label(demo, f"# Input {name} Events")) == 1, name
        assert session.get_value(by_label(demo, "# Input Clear Events")) == 0
        copied = session.get_value(by_label(demo, "Output Audio"))
        assert isinstance(copied, FileData)
        assert np.array_equal(read_int16(copied.path), read_int16(PIANO))
        output = by_label(demo, "Output Audio")
        session.trigger(output, "play")
        session.trigger(output, "stop")
        await session.user_input(audio, None)
        session.trigger(audio, "clear")
        await session.wait_idle()
        assert session.get_value(by_label(demo, "# Output Play Events")) == 1
        assert session.get_value(by_label(demo, "# Output Stop Events")) == 1
        assert session.get_value(by_label(demo, "# Input Clear Events")) == 1
        assert session.get_value(by_label(demo, "# Input Change Events")) == 2
    finally:
        await session.close()


async def test_audio_debugger_streaming_microphone_reports_each_chunk() -> None:
    from audiotui.media.files import array_to_filedata

    demo, session = await started_session("audio_component_events.py")
    try:
        mic = by_label(demo, "Streaming microphone")
        for n in (1600, 3200):
            chunk = (np.sin(np.arange(n) / 5) * 8000).astype(np.int16)
            session.set_value(mic, array_to_filedata(16000, chunk))
            session.trigger(mic, "stream")
            await session.wait_idle()
        assert session.get_value(by_label(demo, "# Stream Events")) == 2
        assert session.get_value(by_label(demo, "Last streamed chunk")) == "3200 samples at 16000 Hz"
    finally:
        await session.close()


# -- mixer with gr.render and State ----------------------------------------------------------
async def test_track_mixer_renders_a_gain_slider_per_track_and_mixes_them(tmp_path: Path) -> None:
    demo, session = await started_session("track_mixer.py")
    try:
        def gains() -> list[Any]:
            return [b for b in session.walk() if getattr(b, "label", None) == "Gain"]

        def markdown() -> list[str]:
            return [session.get_value(b) for b in session.walk() if type(b).__name__ == "Markdown"]

        assert gains() == [] and any("No tracks yet" in m for m in markdown())
        t = np.arange(8000) / 16000
        low = wav(tmp_path / "low.wav", 0.4 * np.sin(2 * np.pi * 220 * t))
        high = wav(tmp_path / "high.wav", 0.4 * np.sin(2 * np.pi * 1760 * t[:4000]))
        new_track = by_label(demo, "New track")
        add = next(c for c in demo.components if getattr(c, "value", None) == "Add to the mix")
        for path in (low, high):
            await session.user_input(new_track, FileData(path=str(path)))
            session.trigger(add, "click")
            await session.wait_idle()
        assert len(gains()) == 2
        assert any("Track 2**: 0.25 s at 16000 Hz" in m for m in markdown())
        assert session.get_value(new_track) is None  # cleared for the next track
        await session.user_input(gains()[1], 0.0)
        session.trigger(gains()[1], "release")
        await session.wait_idle()
        job = await session.run("mix")
        await job.result()
        sr, mixed = read(session.get_value(by_label(demo, "Mix")).path)
        assert (sr, len(mixed)) == (16000, 8000)
        assert dominant_hz(mixed, sr) == pytest.approx(220, abs=3)
        assert band_level(mixed, sr, 1760) < 0.01 * band_level(mixed, sr, 220)
        assert len(gains()) == 2 and session.get_value(gains()[1]) == 0.0  # keyed: kept
    finally:
        await session.close()


# -- examples with cached outputs ----------------------------------------------------------------
async def test_cached_examples_are_computed_once_at_start_and_served_on_click() -> None:
    demo, session = await started_session("cached_examples.py")
    try:
        calls = demo.fn.__globals__["calls"]
        assert calls == [1, -1]
        dataset = demo.examples_handler.dataset
        session.set_value(dataset, 0)
        session.trigger(dataset, "click")
        await session.wait_idle()
        assert calls == [1, -1]  # served from the cache, not recomputed
        shifted = session.get_value(by_label(demo, "Shifted"))
        sr, data = read(shifted.path)
        assert (sr, len(data)) == (16000, 8000)
        assert dominant_hz(data, sr) == pytest.approx(880, abs=4)
        assert session.get_value(by_label(demo, "Octaves")) == 1
        loaded = session.get_value(by_label(demo, "Input"))
        assert (loaded.meta["sample_rate"], loaded.meta["frames"]) == (16000, 16000)
    finally:
        await session.close()
    second = Session(demo)
    await second.start()
    await second.close()
    assert calls == [1, -1]  # a second session finds the cache ready


# -- change vs input -------------------------------------------------------------------------------
async def test_input_fires_only_for_user_edits_and_change_for_every_new_value() -> None:
    from audiotui.media.files import path_to_filedata

    demo, session = await started_session("change_vs_input.py")
    try:
        boxes = [c for c in demo.walk() if type(c).__name__ == "Textbox"]
        text, text_in, text_ch, text_ch2 = boxes
        sliders = [c for c in demo.walk() if type(c).__name__ == "Slider"]
        audios = [c for c in demo.walk() if type(c).__name__ == "Audio"]
        await session.user_input(text, "typed")
        await session.wait_idle()
        assert [session.get_value(b) for b in boxes[1:]] == ["typed"] * 3
        set_button = next(c for c in demo.components if type(c).__name__ == "Button")
        session.trigger(set_button, "click")
        await session.wait_idle()
        assert session.get_value(text_in) == "typed"  # programmatic: no input event
        assert (session.get_value(text_ch), session.get_value(text_ch2)) == ("asdf", "asdf")
        assert session.get_value(sliders[1]) != 35 and session.get_value(sliders[3]) == 35
        assert session.get_value(audios[1]) is None  # no upload happened
        for target in audios[2:]:
            assert np.array_equal(read_int16(session.get_value(target).path), read_int16(PIANO))
        await session.user_input(audios[0], path_to_filedata(str(CHIRP)))
        session.trigger(audios[0], "upload")
        await session.wait_idle()
        assert np.array_equal(read_int16(session.get_value(audios[1]).path), read_int16(CHIRP))
    finally:
        await session.close()


# -- Dataset of audio samples ------------------------------------------------------------------------
async def test_clicking_an_audio_sample_loads_it_into_the_player() -> None:
    demo, session = await started_session("audio_dataset.py")
    try:
        dataset = next(c for c in demo.components if type(c).__name__ == "Dataset")
        assert [row[1] for row in dataset.display_rows()][:2] == ["piano, A4", "duet, E5 and G5"]
        session.set_value(dataset, 1)
        session.trigger(dataset, "click")
        await session.wait_idle()
        player = by_label(demo, "Sample")
        assert session.get_value(player).meta["sample_rate"] == 22050
        assert session.get_value(by_label(demo, "Description")) == "duet, E5 and G5"
        session.trigger(next(c for c in demo.components if getattr(c, "value", None) == "Measure"),
                        "click")
        await session.wait_idle()
        assert session.get_value(by_label(demo, "Dominant frequency (Hz)")) == pytest.approx(659.25, abs=2)
    finally:
        await session.close()


# -- gr.Request and demo.load ---------------------------------------------------------------------------
async def test_request_describes_the_terminal_session() -> None:
    from audiotui.media.files import path_to_filedata

    demo, session = await started_session("request_info.py")
    try:
        hash_ = session.request.session_hash
        assert session.get_value(by_label(demo, "You are")) == f"session {hash_}, client localhost"
        mic = by_label(demo, "Say something")
        session.set_value(mic, path_to_filedata(str(DUET)))
        session.trigger(mic, "stop_recording")
        await session.wait_idle()
        tag = session.get_value(by_label(demo, "Recording"))
        assert tag == {"session": hash_, "seconds": 0.5, "channels": 2,
                       "peak": pytest.approx(0.5, abs=0.01)}
    finally:
        await session.close()


# -- gr.Examples inside Blocks, cached --------------------------------------------------------------
async def test_clicking_a_blocks_example_fills_its_inputs_and_the_echoed_output() -> None:
    demo, session = await started_session("echo_examples.py")
    try:
        dataset = next(c for c in demo.components if type(c).__name__ == "Dataset")
        session.set_value(dataset, 1)
        session.trigger(dataset, "click")
        await session.wait_idle()
        assert session.get_value(by_label(demo, "Delay (s)")) == 0.5
        source = session.get_value(by_label(demo, "Source"))
        assert np.array_equal(read_int16(source.path), read_int16(CHIRP))
        sr, wet = read(session.get_value(by_label(demo, "With echo")).path)
        _, dry = read(CHIRP)
        assert len(wet) == len(dry) + sr // 2
        assert np.allclose(wet[: sr // 2], dry[: sr // 2], atol=2 / 32767)
        assert np.allclose(wet[len(dry):], 0.5 * dry[len(dry) - sr // 2 :], atol=2 / 32767)
    finally:
        await session.close()


async def test_blocks_examples_with_cache_examples_true_are_computed_at_start() -> None:
    demo, session = await started_session("echo_examples.py")
    try:
        runs = demo.fns[0].fn.__globals__["runs"]
        assert sorted(runs) == [0.1, 0.5]
    finally:
        await session.close()
