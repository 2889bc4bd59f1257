"""State that does not lie: the audio widget's labels, clocks and views say what is true (issue 10)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import soundfile as sf
from test_tui_support import app_for, settle
from textual.widgets import Button

import audiotui as gr
from audiotui.cli.hardware_commands import clock
from audiotui.media.devices import HardwareStatus
from audiotui.tui.waveform import format_time


def _tone(path: Path, seconds: float) -> str:
    t = np.arange(int(round(48000 * seconds))) / 48000
    sf.write(path, (0.4 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 48000)
    return str(path)


def _info(widget: Any) -> str:
    return str(widget.query_one(".audio-info").render())


def _status(widget: Any) -> str:
    return str(widget.query_one(".audio-status").render())


class _FakeTransport:
    """Stands in for the player: what the widget reads (no sound device needed)."""

    def __init__(self, playing: bool, position: float) -> None:
        self.playing, self.position, self.player = playing, position, object()

    def forget(self) -> None:
        self.player = None

    def close(self) -> None:
        pass


def test_ui_duration_agrees_with_info() -> None:
    assert format_time(2.995, tenths=True) == "0:03.0"
    assert clock(2.995).endswith("03.0")


async def test_info_line_of_a_2995_ms_file_reads_like_audiotui_info(tmp_path: Path) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(value=_tone(tmp_path / "a.wav", 2.995))
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "0:03.0" in _info(app.component_widgets[audio.id])


async def test_play_reads_pause_while_playing_and_the_icon_follows(tmp_path: Path) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(value=_tone(tmp_path / "a.wav", 2.0))
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        play = widget.query_one("#play", Button)
        assert "Play" in str(play.label) and _status(widget).startswith("■")
        widget.transport = _FakeTransport(True, 0.5)
        widget._update_status()
        assert "Pause" in str(play.label) and _status(widget).startswith("▶")
        widget.transport.playing = False
        widget.view.set_position(0.5)
        widget._update_status()
        assert "Play" in str(play.label) and _status(widget).startswith("❚❚")


async def test_a_new_file_starts_at_zero(tmp_path: Path) -> None:
    first, second = _tone(tmp_path / "a.wav", 2.0), _tone(tmp_path / "b.wav", 1.0)
    with gr.Blocks() as demo:
        audio = gr.Audio(value=first)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        widget.view.set_position(1.5)
        from audiotui.media.files import path_to_filedata

        app.session.set_value(audio, path_to_filedata(second))
        await settle(pilot)
        assert widget.view.position == 0.0
        assert "0:00.0 /" in _status(widget)


async def test_autoplay_plays_once_when_the_devices_answer_after_the_peaks(
    tmp_path: Path,
) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(value=_tone(tmp_path / "a.wav", 1.0), autoplay=True)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        assert widget.view.peaks is not None  # the peaks came first; no devices known yet
        played: list[int] = []
        widget.action_toggle_play = lambda: played.append(1)  # type: ignore[method-assign]
        app.set_hardware(HardwareStatus(True, ""))
        app.set_hardware(HardwareStatus(True, ""))  # a second answer (a render) plays nothing
        assert played == [1]


async def test_the_header_names_the_take_while_recording(tmp_path: Path) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(value=_tone(tmp_path / "old.wav", 1.0), sources=["microphone"])
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        assert "old.wav" in _info(widget)
        widget.take = SimpleNamespace(state="recording", elapsed=1.0, device_name="mic",
                                      recorder=SimpleNamespace(path=tmp_path / "take-1.wav"))
        widget._update_status()
        assert "take-1.wav" in _info(widget) and "old.wav" not in _info(widget)
        widget.take = None


async def test_a_zoomed_view_follows_the_playhead(tmp_path: Path) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(value=_tone(tmp_path / "a.wav", 10.0))
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        widget.view.zoom(0.1, around=0.0)
        assert widget.view.view_end < 2.0
        widget.transport = _FakeTransport(True, 5.0)
        widget._tick()
        assert widget.view.view_start <= 5.0 <= widget.view.view_end


async def test_shift_arrows_select_a_second_in_a_few_presses_at_every_zoom(
    tmp_path: Path,
) -> None:
    with gr.Blocks() as demo:
        audio = gr.Audio(value=_tone(tmp_path / "a.wav", 60.0), editable=True)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        widget.view.focus()
        for factor in (1.0, 0.1, 1 / 60):  # whole minute, 6 s, 1 s in view
            widget.view.selection = None
            widget.view.zoom(factor, around=0.0)
            presses = 0
            while True:
                await pilot.press("shift+right")
                presses += 1
                a, b = sorted(widget.view.selection)
                if b - a >= 1.0 - 1e-6 or presses > 30:
                    break
            assert presses <= 10, f"{presses} presses for 1 s with {factor} of the file in view"
            widget.view.zoom(1 / factor, around=0.0)
        assert widget.view.selection is not None
        assert any(s.underline for s in (span.style for span in widget.view.render().spans)
                   if hasattr(s, "underline"))


async def test_interactivity_follows_gradio_and_an_unlabelled_audio_is_called_audio(
    tmp_path: Path,
) -> None:
    with gr.Blocks() as demo:
        shown = gr.Audio(value=_tone(tmp_path / "a.wav", 1.0))  # read by nobody, has a value
        empty = gr.Audio()  # read by nobody, empty: the user fills it
        read = gr.Audio(value=_tone(tmp_path / "b.wav", 1.0), label="read")
        out = gr.Audio(label="out")
        read.change(lambda a: a, read, out)
    app = app_for(demo)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        widgets = app.component_widgets
        assert not widgets[shown.id].interactive and not widgets[out.id].interactive
        assert widgets[empty.id].interactive and widgets[read.id].interactive
        assert not widgets[shown.id].query("#record, #upload")
        assert str(widgets[empty.id].query_one(".component-label").render()) == "Audio"


async def test_print_log_has_a_title_and_says_nothing_printed_yet() -> None:
    from audiotui.tui.widgets.print_log import PrintLog

    with gr.Blocks() as demo:
        gr.Textbox(label="t")
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert "nothing printed yet" in str(app.query_one(PrintLog).border_title)


async def test_file_browser_goes_up_and_jumps_to_the_recordings_folder(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from audiotui.tui.widgets.pickers import AudioFileBrowser, AudioTree

    takes = tmp_path / "takes"
    monkeypatch.setenv("AUDIOTUI_RECORDINGS_DIR", str(takes))
    start = tmp_path / "a" / "b"
    start.mkdir(parents=True)
    with gr.Blocks() as demo:
        gr.Textbox(label="t")
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        browser = AudioFileBrowser(start)
        app.push_screen(browser)
        await settle(pilot)
        await pilot.press("backspace")
        await settle(pilot)
        assert Path(browser.query_one(AudioTree).path) == (tmp_path / "a").resolve()
        await pilot.press("r")
        await settle(pilot)
        assert Path(browser.query_one(AudioTree).path) == takes


async def test_flag_says_what_it_wrote(tmp_path: Path) -> None:
    demo = gr.Interface(lambda s: s, gr.Textbox(label="in"), gr.Textbox(label="out"),
                        flagging_dir=str(tmp_path / "flags"))
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.click(app.component_widgets[demo.flag_btns[0].id].query_one("Button"))
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert any("flagged" in m and "log.csv" in m and "row 1" in m for m in said), said


async def test_an_output_shows_an_elapsed_time_clock_while_its_function_runs() -> None:
    import asyncio
    import threading

    release = threading.Event()

    def slow(text: str) -> str:
        release.wait(10)
        return text

    demo = gr.Interface(slow, gr.Textbox(label="in"), gr.Textbox(label="out"))
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        out = app.component_widgets[demo.output_components[0].id]
        await pilot.press("h", "ctrl+s")
        shown = ""
        for _ in range(40):
            await pilot.pause(0.1)
            shown = str(out.query_one(".component-label").render())
            if "running 0.4 s" in shown or "running 0.5 s" in shown:
                break
        assert "out · running" in shown, shown
        release.set()
        await settle(pilot)
        assert str(out.query_one(".component-label").render()) == "out"
        await asyncio.sleep(0)


async def test_a_streaming_microphone_keeps_its_take(virtual_audio: Any) -> None:
    import pytest

    chunks: list[Any] = []
    with gr.Blocks() as demo:
        mic = gr.Audio(sources=["microphone"], streaming=True, label="mic")
        mic.stream(lambda chunk: chunks.append(chunk), mic, None)
    app = app_for(demo, input_device=virtual_audio.mic)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[mic.id]
        widget.view.focus()
        await pilot.press("r")
        for _ in range(40):
            await pilot.pause(0.1)
            if len(chunks) >= 3:
                break
        await pilot.press("r")
        for _ in range(50):
            await settle(pilot)
            if widget.take is None:
                break
            await pilot.pause(0.05)
        count = len(chunks)
        value = app.session.get_value(mic)
        assert value is not None and Path(value.path).name.startswith("take-")
        frames = sf.info(value.path).frames
        streamed = sum(len(data) for _rate, data in chunks)
        assert frames >= streamed * 0.9 and frames == pytest.approx(streamed, rel=0.35)
        assert len(chunks) == count  # keeping the take fired no more stream events


async def test_a_device_that_does_not_exist_is_flagged_on_the_first_screen(
    virtual_audio: Any,
) -> None:
    demo = gr.Interface(lambda a: a, gr.Audio(), gr.Audio())
    app = app_for(demo, output_device="no-such-speaker")
    app.probe_hardware = True  # demo.launch(): no CLI check before the UI opens
    async with app.run_test(size=(100, 30)) as pilot:
        said: list[str] = []
        for _ in range(100):
            await pilot.pause(0.05)
            said = [n.message for n in app._notifications]
            if any("--output-device" in m for m in said):
                break
        assert any("--output-device" in m and "virtual_" in m for m in said), said
