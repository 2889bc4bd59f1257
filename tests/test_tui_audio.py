"""Pilot tests for the audio widget: each Audio event fires with the right value, in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from test_tui_support import app_for, settle
from textual.widgets import Button

import audiotui as gr
from audiotui.media.devices import HardwareStatus
from audiotui.tui.widgets.audio import AudioWidget
from audiotui.tui.widgets.path_input import PathInput

RATE = 8000


def _tone(path: Path, seconds: float = 2.0, channels: int = 1) -> Path:
    t = np.arange(int(seconds * RATE)) / RATE
    data = 0.5 * np.sin(2 * np.pi * 440 * t)
    if channels == 2:
        data = np.stack([data, -data], axis=1)
    sf.write(path, data, RATE, subtype="PCM_16")
    return path


def _audio_app(value: Any = None, **kwargs: Any) -> tuple[Any, Any, list[tuple[str, Any]]]:
    calls: list[tuple[str, Any]] = []
    with gr.Blocks() as demo:
        audio = gr.Audio(value, type="filepath", label="voice", **kwargs)
        for event in ("change", "input", "upload", "clear", "play", "pause", "stop",
                      "start_recording", "pause_recording", "stop_recording"):
            def fn(v: Any, _e: str = event) -> None:
                calls.append((_e, v))

            fn.__name__ = f"on_{event}"
            getattr(audio, event)(fn, audio, None)
    return demo, audio, calls


def _trigger_log(app: Any) -> list[str]:
    """The events the TUI hands the Session, in order (jobs may then run in any order)."""
    log: list[str] = []
    session = app.session
    trigger = session.trigger

    def logged_trigger(block: Any, event: str, data: Any = None) -> Any:
        log.append(event)
        return trigger(block, event, data)

    session.trigger = logged_trigger  # Session.user_input fires through it too
    return log


async def _focus_audio(pilot: Any, widget: AudioWidget) -> None:
    widget.view.focus()
    await pilot.pause()


async def test_upload_by_path_fires_input_change_then_upload_with_the_file(tmp_path: Path) -> None:
    wav = _tone(tmp_path / "voice.wav")
    demo, audio, calls = _audio_app(sources=["upload"])
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        order = _trigger_log(app)
        await _focus_audio(pilot, widget)
        await pilot.press("u")
        field = widget.query_one(PathInput)
        assert field.has_focus
        field.value = str(tmp_path / "vo")
        await pilot.press("tab")
        assert field.value == str(wav)
        await pilot.press("enter")
        await settle(pilot)
        assert order == ["input", "change", "upload"]
        assert sorted(name for name, _ in calls) == ["change", "input", "upload"]
        stored = app.session.get_value(audio)
        assert stored.meta["frames"] == 2 * RATE and stored.meta["sample_rate"] == RATE
        assert Path(calls[-1][1]).read_bytes()[:4] == b"RIFF"
        assert widget.view.duration == pytest.approx(2.0)
        assert "voice.wav" in str(widget.query_one(".audio-info").render())


async def test_a_file_that_is_not_audio_shows_the_engine_error_in_place(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.wav"
    bogus.write_text("not audio at all")
    demo, audio, calls = _audio_app(sources=["upload"])
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        await _focus_audio(pilot, widget)
        await pilot.press("u")
        widget.query_one(PathInput).value = str(bogus)
        await pilot.press("enter")
        await settle(pilot)
        assert widget.has_class("-invalid")
        assert "notes.wav" in str(widget.query_one(".component-error").render())
        assert calls == []
        assert app.session.get_value(audio) is None


async def test_clear_stores_no_audio_and_fires_clear(tmp_path: Path) -> None:
    demo, audio, calls = _audio_app(str(_tone(tmp_path / "a.wav")))
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        order = _trigger_log(app)
        await _focus_audio(pilot, widget)
        await pilot.press("x")
        await settle(pilot)
        assert order == ["input", "change", "clear"]
        assert sorted(calls, key=lambda c: c[0]) == [
            ("change", None), ("clear", None), ("input", None)]
        assert app.session.get_value(audio) is None
        assert widget.view.peaks is None


async def test_skip_home_end_and_click_move_the_playhead(tmp_path: Path) -> None:
    demo, audio, _calls = _audio_app(
        str(_tone(tmp_path / "long.wav", seconds=6.0)),
        waveform_options=gr.WaveformOptions(skip_length=2),
    )
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        await _focus_audio(pilot, widget)
        await pilot.press("right", "right")
        assert widget.view.position == pytest.approx(4.0)
        await pilot.press("left")
        assert widget.view.position == pytest.approx(2.0)
        await pilot.press("end")
        assert widget.view.position == pytest.approx(6.0)
        await pilot.press("home")
        assert widget.view.position == pytest.approx(0.0)
        view = widget.view
        await pilot.click(view, offset=(view.size.width // 2, 1))
        assert widget.view.position == pytest.approx(3.0, abs=6.0 / view.size.width)
        assert "0:03" in str(widget.query_one(".audio-status").render())


async def test_zoom_and_scroll_change_the_visible_span(tmp_path: Path) -> None:
    demo, audio, _calls = _audio_app(str(_tone(tmp_path / "z.wav", seconds=8.0)))
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        await _focus_audio(pilot, widget)
        view = widget.view
        assert (view.view_start, view.view_end) == (0.0, 8.0)
        await pilot.press("plus")
        assert view.view_end - view.view_start == pytest.approx(4.0)
        await pilot.press("right_square_bracket")
        assert view.view_start > 0.0
        ruler = view.render().plain.splitlines()[-1]
        assert ruler.startswith("|")
        await pilot.press("minus", "minus")
        assert (view.view_start, view.view_end) == (0.0, 8.0)


async def test_stereo_audio_draws_one_lane_per_channel(tmp_path: Path) -> None:
    demo, audio, _calls = _audio_app(str(_tone(tmp_path / "s.wav", channels=2)))
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.component_widgets[audio.id].view
        lanes = view._lanes(view.size.width, view.size.height - 1)
        assert len(lanes) == 2
        assert "stereo" in str(app.component_widgets[audio.id].query_one(".audio-info").render())


async def test_trim_keeps_the_selection_and_undo_brings_the_original_back(tmp_path: Path) -> None:
    demo, audio, calls = _audio_app(str(_tone(tmp_path / "t.wav", seconds=4.0)), editable=True)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        original = app.session.get_value(audio)
        await _focus_audio(pilot, widget)
        widget.view.selection = (1.0, 3.0)
        await pilot.press("t")
        await settle(pilot)
        trimmed = app.session.get_value(audio)
        assert trimmed.meta["frames"] == 2 * RATE
        changed = [v for name, v in calls if name == "change"]
        assert changed and sf.info(changed[-1]).frames == 2 * RATE
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.session.get_value(audio) == original


async def test_download_writes_the_value_in_the_format_of_the_name(tmp_path: Path) -> None:
    demo, audio, _calls = _audio_app(str(_tone(tmp_path / "d.wav")))
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        await _focus_audio(pilot, widget)
        await pilot.press("d")
        target = tmp_path / "saved.flac"
        widget.query_one(PathInput).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        info = sf.info(str(target))
        assert info.format == "FLAC" and info.frames == 2 * RATE


async def test_without_hardware_play_and_record_are_disabled_with_the_reason(
    tmp_path: Path,
) -> None:
    demo, audio, calls = _audio_app(str(_tone(tmp_path / "h.wav")))
    app = app_for(demo)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(False, "no sound card found; plug one in"))
        await pilot.pause()
        widget = app.component_widgets[audio.id]
        buttons = {b.id: b for b in widget.query(Button)}
        assert buttons["play"].disabled and buttons["record"].disabled
        assert not buttons["clear"].disabled
        assert "no sound card found" in str(widget.query_one(".audio-status").render())
        await _focus_audio(pilot, widget)
        await pilot.press("space", "r")
        await settle(pilot)
        assert calls == []
        assert widget.view.peaks is not None  # the waveform still draws
        toasts = [n for n in app._notifications if n.title == "Recording and playback are off"]
        assert [t.message for t in toasts] == ["no sound card found; plug one in"]  # any width


@pytest.mark.hardware
async def test_play_fires_play_and_reaching_the_end_fires_stop(
    tmp_path: Path, virtual_audio: Any
) -> None:
    demo, audio, calls = _audio_app(str(_tone(tmp_path / "p.wav", seconds=0.5)))
    app = app_for(demo, output_device=virtual_audio.speaker)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[audio.id]
        await _focus_audio(pilot, widget)
        await pilot.press("space")
        for _ in range(40):
            await pilot.pause(0.1)
            if ("stop", calls[-1][1] if calls else None) in calls:
                break
        await settle(pilot)
        names = [name for name, _ in calls]
        assert names[0] == "play"
        assert "stop" in names and names.index("stop") > names.index("play")


@pytest.mark.hardware
async def test_recording_fires_start_stop_recording_then_change_with_the_take(
    virtual_audio: Any,
) -> None:
    demo, audio, calls = _audio_app(sources=["microphone"])
    app = app_for(demo, input_device=virtual_audio.mic)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[audio.id]
        order = _trigger_log(app)
        await _focus_audio(pilot, widget)
        await pilot.press("r")
        await pilot.pause(0.6)
        assert widget.has_class("-recording")
        await pilot.press("r")
        for _ in range(30):
            await pilot.pause(0.1)
            if not widget.has_class("-recording"):
                break
        await settle(pilot)
        assert order == ["start_recording", "stop_recording", "input", "change"]
        assert sorted(name for name, _ in calls) == [
            "change", "input", "start_recording", "stop_recording"]
        take = app.session.get_value(audio)
        assert take is not None and take.meta["frames"] > 0


async def test_streamed_output_grows_the_waveform_chunk_by_chunk() -> None:
    def chunks() -> Any:
        for i in range(4):
            t = np.arange(RATE // 2) / RATE
            yield RATE, (0.2 * (i + 1) * np.sin(2 * np.pi * 220 * t)).astype(np.float32)

    with gr.Blocks() as demo:
        out = gr.Audio(streaming=True, label="stream")
        go = gr.Button("go")
        go.click(chunks, None, out)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.click(app.component_widgets[go.id].query_one("Button"))
        await settle(pilot)
        for _ in range(50):
            await pilot.pause(0.05)
            if app.component_widgets[out.id].view.duration >= 2.0:
                break
        view = app.component_widgets[out.id].view
        assert view.duration == pytest.approx(2.0)
        lines = view.render().plain.splitlines()
        # the last chunk is drawn up to the right edge
        top_row = next(i for i, line in enumerate(lines) if line.strip("⠀ "))
        assert lines[top_row].rstrip("⠀ ")[-1] != "⠀"


@pytest.mark.hardware
async def test_streaming_microphone_fires_stream_with_each_chunk(virtual_audio: Any) -> None:
    chunks: list[Any] = []
    with gr.Blocks() as demo:
        mic = gr.Audio(sources=["microphone"], streaming=True, label="mic")

        def listen(chunk: Any) -> None:
            chunks.append(chunk)

        mic.stream(listen, mic, None)
    app = app_for(demo, input_device=virtual_audio.mic)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[mic.id]
        order = _trigger_log(app)
        await _focus_audio(pilot, widget)
        await pilot.press("r")
        for _ in range(40):
            await pilot.pause(0.1)
            if len(chunks) >= 2:
                break
        await pilot.press("r")
        await settle(pilot)
        assert len(chunks) >= 2
        rate, data = chunks[0]
        assert data.dtype == np.int16 and len(data) == pytest.approx(rate * 0.5, rel=0.1)
        assert order[0] == "start_recording" and "stream" in order
        assert order[-1] == "stop_recording"


async def test_browser_lists_only_audio_and_picking_a_file_uploads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audiotui.tui.widgets.pickers import AudioFileBrowser, AudioTree

    _tone(tmp_path / "take.wav")
    (tmp_path / "notes.txt").write_text("not audio")
    monkeypatch.chdir(tmp_path)
    demo, audio, calls = _audio_app(sources=["upload"])
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        await _focus_audio(pilot, widget)
        await pilot.press("b")
        await pilot.pause(0.3)
        assert isinstance(app.screen, AudioFileBrowser)
        tree = app.screen.query_one(AudioTree)
        shown = [str(node.label) for node in tree.root.children]
        assert shown == ["take.wav"]
        tree.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, AudioFileBrowser)
        stored = app.session.get_value(audio)
        assert stored is not None and stored.name == "take.wav"
        assert "upload" in [name for name, _ in calls]


async def test_ascii_mode_draws_the_waveform_without_braille(tmp_path: Path) -> None:
    demo, audio, _calls = _audio_app(str(_tone(tmp_path / "a.wav")))
    app = app_for(demo, ascii=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = app.component_widgets[audio.id].view.render().plain
        assert "|" in text
        assert not any(0x2800 <= ord(ch) <= 0x28FF for ch in text)


def test_terminal_without_utf8_falls_back_to_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from audiotui.tui.app import terminal_wants_ascii

    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="latin-1"))
    assert terminal_wants_ascii()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert not terminal_wants_ascii()
