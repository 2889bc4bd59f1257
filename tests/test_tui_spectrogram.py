"""The spectrogram face and per-channel lanes of the audio widget, driven with Pilot."""

from __future__ import annotations

import threading
import time
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from rich.console import Console
from rich.segment import Segment
from test_tui_support import app_for, settle

import audiotui as gr
from audiotui.media.devices import HardwareStatus
from audiotui.media.levels import Level
from audiotui.tui.lanes import Lane
from audiotui.tui.widgets.audio import AudioWidget
from audiotui.tui.widgets.audio_recording import LiveRecording

RATE = 16000


def _tones(path: Path, freqs: list[float | None], seconds: float = 2.0) -> Path:
    """One channel per entry: a sine at that frequency, or silence for None."""
    t = np.arange(int(seconds * RATE)) / RATE
    columns = [np.zeros_like(t) if f is None else 0.5 * np.sin(2 * np.pi * f * t)
               for f in freqs]
    sf.write(path, np.stack(columns, axis=1), RATE, subtype="PCM_16")
    return path


def _view_segments(widget: AudioWidget) -> list[list[Segment]]:
    renderable = widget.view.render()
    console = Console(width=widget.view.size.width, color_system="256")
    lines = console.render_lines(renderable, console.options.update_width(widget.view.size.width),
                                 pad=False)
    return lines


def _text(lines: list[list[Segment]]) -> list[str]:
    return ["".join(seg.text for seg in line) for line in lines]


async def _audio_app(path: Path, size: tuple[int, int] = (100, 30)) -> tuple[Any, Any]:
    with gr.Blocks() as demo:
        audio = gr.Audio(str(path), label="take")
    return app_for(demo), audio


async def test_g_toggles_between_waveform_and_spectrogram(tmp_path: Path) -> None:
    app, audio = await _audio_app(_tones(tmp_path / "tone.wav", [1000.0]))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        widget.view.focus()
        assert widget.view.mode == "waveform"
        assert widget.view.spectrum is not None  # built by the same pass as the peaks
        await pilot.press("g")
        await pilot.pause()
        assert widget.view.mode == "spectrogram"
        text = _text(_view_segments(widget))
        assert any("▀" in line for line in text[:-1]) and any("1k" in line for line in text)
        assert text[-1].rstrip().endswith("0 dB")  # the dB legend under the cells
        await pilot.press("g")
        await pilot.pause()
        assert widget.view.mode == "waveform"
        assert "▀" not in "".join(_text(_view_segments(widget)))


async def test_no_color_draws_the_spectrogram_with_density_glyphs(tmp_path: Path) -> None:
    app, audio = await _audio_app(_tones(tmp_path / "tone.wav", [1000.0]))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.no_color = True  # what NO_COLOR in the environment sets
        widget = app.component_widgets[audio.id]
        widget.view.toggle_mode()
        await pilot.pause()
        text = "".join(_text(_view_segments(widget))[:-1])
        assert "▀" not in text and "█" in text


async def test_spectrogram_follows_zoom_and_playhead(tmp_path: Path) -> None:
    app, audio = await _audio_app(_tones(tmp_path / "tone.wav", [1000.0], seconds=4.0))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        widget.view.focus()
        await pilot.press("g", "plus")
        await pilot.pause()
        assert widget.view.view_end - widget.view.view_start == pytest.approx(2.0)
        # zoomed in past the pyramid: level-0 columns at once, exact ones from a worker
        view = widget.view
        assert view.spectrum.needs_samples(int(view.view_start * RATE),
                                           int(view.view_end * RATE), view.size.width)
        busy = [w for w in app.workers if w.group == "spectrogram" and not w.is_finished]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause()
        rate = view.spectrum.sample_rate
        exact = view.spectrum.columns(int(view.view_start * rate), int(view.view_end * rate),
                                      view.size.width)
        shown = view._painter.columns(view.spectrum, view.lane_plan(), view.view_start,
                                      view.view_end, view.size.width)
        np.testing.assert_array_equal(shown[0], exact)
        start = widget.view.view_start
        widget.seek(start + 0.5)  # a quarter into the zoomed view
        await pilot.pause()
        lines = _text(_view_segments(widget))[:-1]
        head = widget.view._playhead_cell(start + 0.5)
        assert head == widget.view.size.width // 4
        assert all(line[head] == "│" for line in lines)
        widget.view.selection = (start + 0.5, start + 1.0)  # shift+arrows / a drag
        ruler = _view_segments(widget)[-1]
        marked = "".join(s.text for s in ruler if s.style and s.style.bgcolor
                         and s.style.bgcolor.triplet
                         and s.style.bgcolor.triplet.hex == widget.view.colours.selection)
        assert abs(len(marked) - widget.view.size.width / 4) <= 1


async def test_stereo_with_different_channels_shows_two_lanes(tmp_path: Path) -> None:
    app, audio = await _audio_app(_tones(tmp_path / "two.wav", [300.0, None]))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        view = widget.view
        assert view.lane_plan() == [Lane(0, 3), Lane(1, 3)]
        waveform = _text(_view_segments(widget))
        loud, silent = waveform[0:3], waveform[3:6]
        assert loud[0].endswith("ch1") and silent[0].endswith("ch2")  # lane labels
        assert any(ch not in " ⠀" for ch in loud[0][:-3])  # the sine reaches the top line
        assert all(set(line) <= {" ", "⠀"} for line in (silent[0][:-3], silent[2]))
        view.toggle_mode()
        await pilot.pause()
        columns = view._painter.columns(view.spectrum, view.lane_plan(), view.view_start,
                                        view.view_end, view.size.width)
        assert columns[0][50].max() > -10 > columns[1][50].max()


async def test_six_channels_on_a_small_widget_get_a_channel_picker(tmp_path: Path) -> None:
    app, audio = await _audio_app(
        _tones(tmp_path / "six.wav", [200.0, 400.0, 800.0, 1600.0, 3200.0, 6400.0])
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        widget.view.styles.max_height = 7  # six lines of lanes: three channels fit
        widget.view.focus()
        await pilot.pause()
        status = widget.query_one(".audio-status")
        assert [lane.channel for lane in widget.view.lane_plan()] == [0, 1, 2]
        widget._update_status()
        assert "ch 1-3 of 6 (c: channels)" in status.render().plain
        await pilot.press("c")
        await pilot.pause()
        assert [lane.channel for lane in widget.view.lane_plan()] == [3, 4, 5]
        assert "ch 4-6 of 6" in status.render().plain
        await pilot.press("c")
        await pilot.pause()
        assert widget.view.lane_plan() == [Lane(None, 6)]
        assert "all 6 ch mixed" in status.render().plain
        await pilot.press("c")
        await pilot.pause()
        assert [lane.channel for lane in widget.view.lane_plan()] == [0, 1, 2]


async def test_six_channels_grow_the_view_to_a_lane_each(tmp_path: Path) -> None:
    app, audio = await _audio_app(_tones(tmp_path / "six.wav", [200.0] * 6))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        view = app.component_widgets[audio.id].view
        assert [lane.channel for lane in view.lane_plan()] == [0, 1, 2, 3, 4, 5]
        assert view.channels_shown() == ""


def test_many_channels_get_one_meter_cell_each() -> None:
    take = types.SimpleNamespace(
        recorder=types.SimpleNamespace(
            level=lambda: Level([-3.0 - 6 * i for i in range(16)], [-9.0] * 16,
                                [1] + [0] * 15),
            overflows=0,
        )
    )
    text = LiveRecording.meter(take).plain  # type: ignore[arg-type]
    assert text.startswith("1█!2") and "16" in text and "max  -3.0 dB" in text
    assert len(text) < 100  # 16 channels on one line


# -- live spectrogram while recording (a stand-in input device, no hardware) ----------------
class _ToneStream:
    """Stands in for sounddevice.InputStream: real-time blocks of a 1 kHz tone."""

    def __init__(self, *, callback: Any, finished_callback: Any, channels: int = 1,
                 **_: Any) -> None:
        self._callback = callback
        self._finished = finished_callback
        self._channels = channels
        self._running = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.closed = False

    def start(self) -> None:
        self._running.set()
        self._thread.start()

    def _run(self) -> None:
        status = types.SimpleNamespace(input_overflow=False)
        n, block = 0, 512
        while self._running.is_set():
            t = np.arange(n, n + block) / RATE
            tone = (0.5 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
            self._callback(np.repeat(tone[:, None], self._channels, 1), block, None, status)
            n += block
            time.sleep(block / RATE)

    def stop(self) -> None:
        self._running.clear()
        if self._thread.is_alive():
            self._thread.join()

    def close(self) -> None:
        self.closed = True
        self._finished()


@pytest.fixture
def tone_microphone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from audiotui.media import recorder
    from audiotui.media.devices import DeviceInfo

    device = DeviceInfo(0, "tone_mic", "test", 2, 0, float(RATE))
    if hasattr(recorder, "open_stream"):  # the device backend seam (media/backend.py)
        monkeypatch.setattr(recorder, "open_stream",
                            lambda kind, device, **kwargs: _ToneStream(**kwargs))
    else:
        sd = types.SimpleNamespace(InputStream=_ToneStream, PortAudioError=OSError)
        monkeypatch.setattr(recorder, "sounddevice_module", lambda: sd)
    monkeypatch.setattr(recorder, "resolve_device", lambda spec, kind: device)
    monkeypatch.setenv("AUDIOTUI_RECORDINGS_DIR", str(tmp_path / "takes"))
    monkeypatch.setenv("AUDIOTUI_INPUT_CHANNELS", "2")


async def test_spectrogram_is_live_while_recording(tone_microphone: None) -> None:
    with gr.Blocks() as demo:
        mic = gr.Audio(sources=["microphone"], label="mic")
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[mic.id]
        widget.view.focus()
        await pilot.press("g", "r")
        assert widget.take is not None, widget.query_one(".component-error").render()
        seen: list[int] = []
        for _ in range(60):
            await pilot.pause(0.1)
            spectrum = widget.view.spectrum
            if spectrum is not None:
                seen.append(spectrum.frames)
            if len(seen) >= 3 and seen[-1] > RATE // 2 and seen[-1] > seen[0]:
                break
        assert widget.view.spectrum is widget.take.spectrum
        assert len(seen) >= 2 and seen[-1] > seen[0]  # it grows while the take runs
        assert [lane.channel for lane in widget.view.lane_plan()] == [0, 1]
        view = widget.view
        columns = view._painter.columns(view.spectrum, view.lane_plan(), view.view_start,
                                        view.view_end, view.size.width)
        done = columns[0][: int(view.size.width * view.duration / 10.0) - 2]
        edges = view.spectrum.edges
        loudest = np.bincount(done.argmax(axis=1)).argmax()
        assert edges[loudest] <= 1000 < edges[loudest + 1]
        assert "▀" in "".join(_text(_view_segments(widget)))
        meter = widget.query_one(".audio-meter").render().plain
        assert meter.count("dB") == 2  # a meter per channel
        await pilot.press("r")
        for _ in range(50):
            await pilot.pause(0.1)
            if widget.take is None:
                break
        assert widget.take is None
