"""Audio controls a user reaches for after the basics: autoplay, max_length stopping a take by
itself, switching the microphone, and selecting a region with the mouse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from rich.style import Style
from test_tui_support import app_for, settle
from textual.widgets import Button, OptionList

import audiotui as gr
from audiotui.media.devices import HardwareStatus
from audiotui.tui.waveform import format_time
from audiotui.tui.widgets.pickers import DevicePicker
from audiotui.tui.widgets.waveform_view import WaveformColours

RATE = 8000


def _tone(path: Path, seconds: float) -> str:
    t = np.arange(int(seconds * RATE)) / RATE
    sf.write(path, 0.5 * np.sin(2 * np.pi * 440 * t), RATE, subtype="PCM_16")
    return str(path)


async def _until(pilot: Any, done: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)


def _status(widget: Any) -> str:
    return str(widget.query_one(".audio-status").render())


@pytest.mark.hardware
async def test_autoplay_output_starts_playing_when_a_function_writes_it(
    tmp_path: Path, virtual_audio: Any
) -> None:
    clip = _tone(tmp_path / "auto.wav", 0.4)
    played: list[Any] = []
    with gr.Blocks() as demo:
        audio = gr.Audio(type="filepath", autoplay=True, label="auto")
        make = gr.Button("make")
        make.click(lambda: clip, None, audio)
        audio.play(played.append, audio, None)
    app = app_for(demo, output_device=virtual_audio.speaker)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        assert played == []  # nothing to play yet: autoplay waits for a value
        await pilot.click(app.component_widgets[make.id].query_one("Button"))
        await _until(pilot, lambda: bool(played))
        await settle(pilot)
        assert len(played) == 1 and sf.info(played[0]).frames == int(0.4 * RATE)


@pytest.mark.hardware
async def test_max_length_stops_the_take_by_itself_and_fires_stop_recording_then_change(
    virtual_audio: Any,
) -> None:
    order: list[str] = []
    with gr.Blocks() as demo:
        audio = gr.Audio(sources=["microphone"], type="filepath", max_length=1, label="mic")
        for event in ("start_recording", "stop_recording", "change"):
            getattr(audio, event)(lambda _v, e=event: order.append(e), audio, None)
    app = app_for(demo, input_device=virtual_audio.mic)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[audio.id]
        widget.view.focus()
        await pilot.press("r")
        await _until(pilot, lambda: "REC" in _status(widget))
        shown = _status(widget)
        assert "device: virtual_mic" in shown and "max 0:01" in shown
        await _until(pilot, lambda: widget.take is None)  # no key pressed: max_length stops it
        await settle(pilot)
        assert order == ["start_recording", "stop_recording", "change"]
        take = app.session.get_value(audio)
        seconds = take.meta["frames"] / take.meta["sample_rate"]
        assert seconds == pytest.approx(1.0, abs=0.05)


@pytest.mark.hardware
async def test_picking_another_microphone_is_used_and_shown_at_once(virtual_audio: Any) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(sources=["microphone"], type="filepath", label="mic")
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[audio.id]
        assert "mic: default (i: change)" in _status(widget)
        widget.view.focus()
        await pilot.press("i")
        await _until(pilot, lambda: isinstance(app.screen, DevicePicker))
        picker = app.screen
        assert isinstance(picker, DevicePicker)
        names = [d.name for d in picker.devices]
        picker.query_one(OptionList).highlighted = names.index(virtual_audio.mic)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.input_device == virtual_audio.mic
        assert f"mic: {virtual_audio.mic} " in _status(widget)  # not the stale "default"
        await pilot.press("r")
        await _until(pilot, lambda: widget.take is not None and "REC" in _status(widget))
        assert f"device: {virtual_audio.mic}" in _status(widget)
        await pilot.press("r")
        await _until(pilot, lambda: widget.take is None)
        await settle(pilot)


@pytest.mark.hardware
async def test_picking_another_speaker_is_shown_and_the_next_play_uses_it(
    tmp_path: Path, virtual_audio: Any
) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(_tone(tmp_path / "two.wav", 2.0), type="filepath", label="out",
                         interactive=False)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[audio.id]
        await _until(pilot, lambda: widget.view.peaks is not None)
        assert "speaker: default (o: change)" in _status(widget)
        widget.view.focus()
        await pilot.press("space")  # a player on the default device first
        await _until(pilot, lambda: widget.transport is not None and widget.transport.playing)
        await pilot.press("o")
        await _until(pilot, lambda: isinstance(app.screen, DevicePicker))
        picker = app.screen
        assert isinstance(picker, DevicePicker)
        assert "Play to" in picker.title_text
        names = [d.name for d in picker.devices]
        assert virtual_audio.mic_feed in names  # a speaker other than the default
        picker.query_one(OptionList).highlighted = names.index(virtual_audio.mic_feed)
        await pilot.press("enter")
        await _until(pilot, lambda: not isinstance(app.screen, DevicePicker))
        await settle(pilot)
        assert app.output_device == virtual_audio.mic_feed
        assert f"speaker: {virtual_audio.mic_feed} (o: change)" in _status(widget)
        assert widget.transport is None  # the old player (old device) is closed
        await pilot.press("space")
        await _until(pilot, lambda: widget.transport is not None and widget.transport.playing)
        assert widget.transport.player.device_spec == virtual_audio.mic_feed
        await pilot.press("s")
        await settle(pilot)


@pytest.mark.parametrize(("width", "shown"), [(80, False), (140, True)])
async def test_the_output_key_shows_in_the_footer_only_where_it_fits(
    tmp_path: Path, width: int, shown: bool
) -> None:
    from textual.widgets._footer import FooterKey

    with gr.Blocks() as demo:
        audio = gr.Audio(_tone(tmp_path / "one.wav", 1.0), label="out", interactive=False)
    app = app_for(demo)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        widget.view.focus()
        await settle(pilot)
        keys = [k for k in app.screen.query(FooterKey) if k.region.height > 0]
        first_line = [str(k.render()).strip() for k in keys if k.region.y == keys[0].region.y]
        assert ("o output device" in first_line) is shown, first_line
        assert any("quit" in k for k in first_line)  # never pushed out by the hint
        await pilot.press("o")  # the key works whether or not it is in the footer
        await _until(pilot, lambda: isinstance(app.screen, DevicePicker)
                     or widget.has_class("-invalid"))  # the list, or why there is none
        assert isinstance(app.screen, DevicePicker) or widget.has_class("-invalid")
        if isinstance(app.screen, DevicePicker):
            await pilot.press("escape")
        await settle(pilot)


async def test_dragging_the_mouse_over_an_editable_waveform_selects_that_span(
    tmp_path: Path,
) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(_tone(tmp_path / "two.wav", 2.0), type="filepath", editable=True)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        view = widget.view
        quarter, half = view.size.width // 4, view.size.width // 2
        await pilot.mouse_down(view, offset=(quarter, 1))
        await pilot.hover(view, offset=(half, 1))
        await pilot.mouse_up(view, offset=(half, 1))
        await pilot.pause(0.1)
        assert view.selection is not None
        start, end = sorted(view.selection)
        assert start == pytest.approx(0.5, abs=0.05) and end == pytest.approx(1.0, abs=0.05)
        assert (f"selected {format_time(start, tenths=True)}–{format_time(end, tenths=True)}"
                in _status(widget))


async def test_footer_offers_only_the_keys_the_component_can_use(tmp_path: Path) -> None:
    clip = _tone(tmp_path / "out.wav", 0.3)
    with gr.Blocks() as demo:
        output = gr.Audio(clip, type="filepath", interactive=False, label="output")
        mic = gr.Audio(sources=["microphone"], type="filepath", label="mic")
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)

        async def keys_for(component: Any) -> set[str]:
            app.component_widgets[component.id].view.focus()
            await pilot.pause()
            return {b.binding.action for b in app.screen.active_bindings.values()}

        shown = await keys_for(output)
        assert "toggle_play" in shown and "download" in shown
        assert not shown & {"record", "pause_recording", "pick_input", "upload", "clear"}
        await pilot.press("r")
        assert app.component_widgets[output.id].take is None
        shown = await keys_for(mic)
        assert {"record", "pick_input", "clear", "trim"} <= shown  # editable by default
        assert not shown & {"upload", "browse"}  # microphone only


async def test_css_colours_of_waveform_options_paint_the_played_and_unplayed_parts(
    tmp_path: Path,
) -> None:
    options = gr.WaveformOptions(waveform_color="orange", waveform_progress_color="rgba(255,0,0,0.5)",
                                 trim_region_color="not-a-colour")
    with gr.Blocks() as demo:
        audio = gr.Audio(_tone(tmp_path / "c.wav", 2.0), type="filepath",
                         waveform_options=options)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        widget.seek(1.0)  # half played
        widget.view.selection = (0.2, 0.4)
        await pilot.pause()
        text = widget.view.render()
        colours = {str(s.style.color.name) for s in text.spans
                   if isinstance(s.style, Style) and s.style.color is not None}
        backgrounds = {str(s.style.bgcolor.name) for s in text.spans
                       if isinstance(s.style, Style) and s.style.bgcolor is not None}
        assert colours == {"#ffa500", "#ff0000"}  # CSS name and rgba(), as the browser reads
        assert backgrounds == {WaveformColours().selection}  # not a colour: Gradio's default
        first_line = text.plain.splitlines()[0]
        played = [s for s in text.spans if s.end <= len(first_line) and isinstance(s.style, Style)
                  and s.style.color is not None]
        assert [(s.start, str(s.style.color.name)) for s in played][:2] == [
            (0, "#ff0000"), (played[1].start, "#ffa500")]
        assert played[1].start == pytest.approx(len(first_line) / 2, abs=1)


async def test_info_line_shows_name_duration_rate_channels_and_format(tmp_path: Path) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(_tone(tmp_path / "facts.wav", 1.5), type="filepath")
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        info = str(app.component_widgets[audio.id].query_one(".audio-info").render())
        assert info.startswith("facts.wav · 0:01.5 · 8000 Hz · mono · WAV PCM_16")


async def test_file_names_and_reasons_with_brackets_are_shown_literally(tmp_path: Path) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(_tone(tmp_path / "take [live] [b].wav", 0.5), type="filepath")
    app = app_for(demo)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        reason = "cannot open [/dev/snd]: permission denied"
        app.set_hardware(HardwareStatus(False, reason))
        await pilot.pause(0.2)
        assert app.is_running and app._exception is None
        widget = app.component_widgets[audio.id]
        info = widget.query_one(".audio-info").render()
        assert str(info).startswith("take [live] [b].wav · 0:00.5")
        assert reason in str(widget.query_one(".audio-status").render())
        (toast,) = [n for n in app._notifications if n.title == "Recording and playback are off"]
        assert toast.message == reason and toast.markup is False


@pytest.mark.hardware
async def test_pause_button_and_key_appear_while_recording_and_pause_then_resume(
    virtual_audio: Any,
) -> None:
    order: list[str] = []
    with gr.Blocks() as demo:
        audio = gr.Audio(sources=["microphone"], type="filepath", label="mic")
        for event in ("start_recording", "pause_recording", "stop_recording"):
            getattr(audio, event)(lambda e=event: order.append(e), None, None)
    app = app_for(demo, input_device=virtual_audio.mic)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[audio.id]
        pause = widget.query_one("#pause-rec", Button)

        def keys() -> set[str]:
            return {b.binding.action for b in app.screen.active_bindings.values()}

        widget.view.focus()
        await pilot.pause()
        assert not pause.display and "pause_recording" not in keys()
        await pilot.press("r")
        await _until(pilot, lambda: widget.take is not None and pause.display)
        assert "pause_recording" in keys()
        await pilot.click(pause)
        await _until(pilot, lambda: widget.take.state == "paused")
        assert str(pause.label) == "▶ Resume" and "paused" in _status(widget)
        await pilot.pause(0.3)  # a Button ignores clicks during its 0.2 s press animation
        await pilot.click(pause)
        await _until(pilot, lambda: widget.take.state == "recording")
        assert str(pause.label) == "❚❚ Pause"
        await pilot.press("r")
        await _until(pilot, lambda: widget.take is None)
        await settle(pilot)
        assert not pause.display and "pause_recording" not in keys()
        assert order == ["start_recording", "pause_recording", "stop_recording"]


@pytest.mark.hardware
async def test_quitting_while_recording_saves_the_take_without_errors(
    virtual_audio: Any, caplog: pytest.LogCaptureFixture,
) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(sources=["microphone"], type="filepath", label="mic")
    app = app_for(demo, input_device=virtual_audio.mic)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[audio.id]
        widget.view.focus()
        await pilot.press("r")
        await _until(pilot, lambda: widget.take is not None and widget.take.elapsed > 0.3)
        path = Path(widget.take.recorder.path)
    # the app has closed: the take was finished on the way out, its file is complete
    assert sf.info(path).frames > 0
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []
