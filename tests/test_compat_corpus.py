"""The widened compatibility corpus (issue 9), headless: ten more Gradio-style audio apps.

Each app of tests/compat/apps named here is driven through the Client or a Session, the way
tests/test_compat_apps.py drives the first ones, and judged by the audio it returns. The same
apps in the terminal UI are in tests/test_compat_corpus_tui.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from compat.audio_checks import APPS, CHIRP, PIANO, by_label, dominant_hz, read, read_int16
from compat.session_driving import started_session

from audiotui.client import AppError, Client
from audiotui.media.files import path_to_filedata


@pytest.fixture
def open_client() -> Iterator[Callable[[str], Client]]:
    clients: list[Client] = []

    def opener(name: str) -> Client:
        clients.append(Client(APPS / name))
        return clients[-1]

    yield opener
    for client in clients:
        client.close()


def test_the_corpus_has_forty_apps() -> None:
    assert len(list(APPS.glob("*.py"))) >= 40


def test_speed_tab_doubles_the_speed_and_octave_tab_raises_an_octave(
    open_client: Callable[[str], Client],
) -> None:
    client = open_client("speed_and_pitch_tabs.py")
    sr, data = read(client.predict(str(PIANO), 2.0, api_name="/speed"))
    assert (sr, len(data)) == (16000, 8000)
    assert dominant_hz(data, sr) == pytest.approx(880, abs=4)
    sr, data = read(client.predict(str(PIANO), api_name="/octave"))
    assert dominant_hz(data, sr) == pytest.approx(880, abs=4)


async def test_lazy_examples_run_once_on_first_click() -> None:
    demo, session = await started_session("lazy_cached_examples.py")
    try:
        module_calls = demo.fns[0].fn.__globals__["calls"]
        assert module_calls == []  # nothing computed at start
        rows = await demo.examples_handler.cached_outputs(1)
        await demo.examples_handler.cached_outputs(1)
        assert module_calls == [-12]
        (_, stored), = rows
        sr, data = read(stored.path)
        peak = np.abs(read_int16(CHIRP)).max() / 32768
        assert np.abs(data).max() == pytest.approx(peak * 10 ** (-12 / 20), rel=0.02)
    finally:
        await session.close()


async def test_render_draws_one_slider_per_layer_and_mixes_them() -> None:
    demo, session = await started_session("render_layers.py")
    try:
        def layers() -> list[Any]:
            return [b for b in session.walk() if str(getattr(b, "label", "")).startswith("Layer ")]

        assert len(layers()) == 2
        await session.user_input(by_label(demo, "Layers"), 3)
        await session.wait_idle()
        assert [b.label for b in layers()] == ["Layer 1", "Layer 2", "Layer 3"]
        mix = next(b for b in session.walk() if type(b).__name__ == "Button")
        session.trigger(mix, "click")
        await session.wait_idle()
        sr, data = read(session.get_value(by_label(demo, "Mix")).path)
        assert dominant_hz(data, sr) == pytest.approx(440, abs=3)  # only the last layer is up
    finally:
        await session.close()


def test_undo_history_reverses_then_restores(open_client: Callable[[str], Client]) -> None:
    client = open_client("undo_history.py")
    reversed_path, count = client.predict(str(CHIRP), "reverse", api_name="/apply")
    assert count == "1 edit(s)"
    assert np.array_equal(read_int16(reversed_path), read_int16(CHIRP)[::-1])
    restored, count = client.predict(api_name="/undo")
    assert count == "0 edit(s)"
    assert np.array_equal(read_int16(restored), read_int16(CHIRP))
    with pytest.raises(AppError, match="Nothing to undo"):
        client.predict(api_name="/undo")


async def test_error_stops_the_success_step_and_a_good_call_reaches_it() -> None:
    demo, session = await started_session("error_then_success.py")
    try:
        button = next(c for c in demo.components if type(c).__name__ == "Button")
        session.trigger(button, "click")
        await session.wait_idle()
        assert session.get_value(by_label(demo, "Pitch")) == ""
        await session.user_input(by_label(demo, "Sound"), path_to_filedata(str(PIANO)))
        session.trigger(button, "click")
        await session.wait_idle()
        assert session.get_value(by_label(demo, "Length")) == "1.00 s"
        assert session.get_value(by_label(demo, "Pitch")) == "440 Hz"
    finally:
        await session.close()


def test_progress_generator_streams_four_notes(open_client: Callable[[str], Client]) -> None:
    client = open_client("progress_synth.py")
    chunks = list(client.submit(220, api_name="/chord"))
    assert len(chunks) == 4
    pitches = [dominant_hz(*reversed(read(p))) for p in chunks]
    assert pitches == [pytest.approx(220 * 2 ** (s / 12), abs=3) for s in (0, 4, 7, 12)]


async def test_dropdown_choices_follow_the_uploaded_files(tmp_path: Path) -> None:
    import shutil

    piano, chirp = tmp_path / "piano.wav", tmp_path / "chirp.wav"
    shutil.copy(PIANO, piano)
    shutil.copy(CHIRP, chirp)
    demo, session = await started_session("choices_from_files.py")
    try:
        files = by_label(demo, "Sounds")
        await session.user_input(files, files.postprocess([str(piano), str(chirp)]))
        await session.wait_idle()
        chooser = by_label(demo, "Play")
        assert [v for _, v in session.configured(chooser).choices] == ["piano.wav", "chirp.wav"]
        await session.user_input(chooser, "chirp.wav")
        await session.wait_idle()
        played = session.get_value(by_label(demo, "Player"))
        assert np.array_equal(read_int16(played.path), read_int16(CHIRP))
    finally:
        await session.close()


def test_batched_gain_scales_each_call(open_client: Callable[[str], Client]) -> None:
    client = open_client("batch_gain.py")
    out = read_int16(client.predict(str(CHIRP), 0.5, api_name="/scale"))
    expected = (read_int16(CHIRP).astype(np.float32) * 0.5).astype(np.int16)
    assert np.array_equal(out, expected)


async def test_live_gate_reruns_when_the_threshold_moves() -> None:
    demo, session = await started_session("live_gate.py")
    try:
        await session.user_input(demo.input_components[0], path_to_filedata(str(CHIRP)))
        await session.wait_idle()
        first = session.get_value(by_label(demo, "Report"))
        await session.user_input(demo.input_components[1], 0.5)
        await session.wait_idle()
        second = session.get_value(by_label(demo, "Report"))
        assert int(first.split()[0]) < int(second.split()[0])
        gated = read_int16(session.get_value(by_label(demo, "Gated")).path)
        assert np.abs(gated[gated != 0]).min() >= 0.5 * 32768 - 1
    finally:
        await session.close()


async def test_decorated_listeners_and_gr_on_rebuild_the_tone() -> None:
    demo, session = await started_session("decorated_listeners.py")
    try:
        hz = by_label(demo, "Frequency")
        session.set_value(hz, 660)
        session.trigger(hz, "submit")
        await session.wait_idle()
        tone = session.get_value(by_label(demo, "Tone"))
        sr, data = read(tone.path)
        assert dominant_hz(data, sr) == pytest.approx(660, abs=3) and len(data) == 8000
        await session.user_input(by_label(demo, "Wave"), "square")
        await session.wait_idle()
        assert session.get_value(by_label(demo, "Settings")) == {
            "hz": 660.0, "seconds": 0.5, "wave": "square"}
        await asyncio.sleep(0)
    finally:
        await session.close()
