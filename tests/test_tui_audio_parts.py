"""Each part of the audio widget works alone, mounted in a bare Textual app (issue 10).

The AudioWidget composes a WaveformView, a TransportBar, a Recorder, FileActions and a
PathPrompt; none of them needs the AudioWidget (or audiotui's app) to be tried: they are
asked through methods and answer with messages, which a tiny app collects here.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button

from audiotui.data import FileData
from audiotui.media.files import path_to_filedata
from audiotui.tui.widgets import audio_takes
from audiotui.tui.widgets.audio_files import FileActions, PathPrompt
from audiotui.tui.widgets.audio_status import device_parts, playback_parts
from audiotui.tui.widgets.audio_takes import Recorder
from audiotui.tui.widgets.audio_transport import TransportBar
from audiotui.tui.widgets.status_line import StatusLine, StatusPart
from audiotui.tui.widgets.waveform_view import WaveformView


class PartApp(App[None]):
    """Mounts the given widgets and keeps every message they post, in order."""

    def __init__(self, *parts: Widget) -> None:
        super().__init__()
        self.parts = parts
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield from self.parts

    @on(Message)
    def _keep(self, message: Message) -> None:
        if type(message).__module__.startswith("audiotui."):
            self.messages.append(message)

    def of(self, kind: type[Message]) -> list[Any]:
        return [m for m in self.messages if isinstance(m, kind)]


async def _until(pilot: Any, done: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if done():
            return
        await pilot.pause(0.02)


def _wav(path: Path, seconds: float = 1.0, rate: int = 8000) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, 0.5 * np.sin(2 * np.pi * 440 * t), rate, subtype="PCM_16")
    return path


# -- FileActions ---------------------------------------------------------------------------------
async def test_file_actions_posts_the_loaded_value_of_an_uploaded_path(tmp_path: Path) -> None:
    clip = _wav(tmp_path / "clip.wav")
    files = FileActions()
    app = PartApp(files)
    async with app.run_test() as pilot:
        files.upload(str(clip))
        await _until(pilot, lambda: bool(app.of(FileActions.Loaded)))
        (loaded,) = app.of(FileActions.Loaded)
        assert loaded.fd.meta["sample_rate"] == 8000 and loaded.fd.name == "clip.wav"
        assert not app.of(FileActions.Failed)


async def test_file_actions_says_why_a_path_is_refused_or_unreadable(tmp_path: Path) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("not audio")
    files = FileActions(refuse=lambda path: "too big" if path.endswith("big.wav") else None)
    app = PartApp(files)
    async with app.run_test() as pilot:
        files.upload(str(tmp_path / "big.wav"))
        await _until(pilot, lambda: len(app.of(FileActions.Failed)) == 1)
        files.upload(str(text))
        await _until(pilot, lambda: len(app.of(FileActions.Failed)) == 2)
        refused, unreadable = (m.message for m in app.of(FileActions.Failed))
        assert refused == "too big" and "notes.wav" in unreadable
        assert not app.of(FileActions.Loaded)


async def test_file_actions_trims_to_the_given_span(tmp_path: Path) -> None:
    before = path_to_filedata(str(_wav(tmp_path / "long.wav", seconds=2.0)))
    files = FileActions(trim=True)
    app = PartApp(files)
    async with app.run_test() as pilot:
        files.trim(before, 0.5, 1.0)
        await _until(pilot, lambda: bool(app.of(FileActions.Trimmed)))
        (trimmed,) = app.of(FileActions.Trimmed)
        assert trimmed.before is before
        assert trimmed.after.meta["frames"] == 4000  # half a second at 8 kHz


async def test_file_actions_composes_only_the_buttons_it_is_given() -> None:
    some, none = FileActions(upload=False, trim=True), FileActions(
        upload=False, clear=False, download=False)
    app = PartApp(some, none)
    async with app.run_test():
        assert [b.id for b in some.query(Button)] == ["trim", "clear", "download"]
        assert not none.query(Button) and not none.display  # takes no room in the row


# -- PathPrompt ----------------------------------------------------------------------------------
async def test_path_prompt_posts_the_entered_path_with_its_purpose() -> None:
    prompt = PathPrompt()
    app = PartApp(prompt)
    async with app.run_test() as pilot:
        prompt.ask("download", "~/take.flac")
        assert app.focused is prompt and "save as" in prompt.placeholder
        await pilot.press("enter")
        await _until(pilot, lambda: bool(app.of(PathPrompt.Chosen)))
        (chosen,) = app.of(PathPrompt.Chosen)
        assert chosen.purpose == "download"
        assert chosen.path == os.path.expanduser("~/take.flac")


# -- Recorder ------------------------------------------------------------------------------------
class _StandInTake:
    """Stands in for LiveRecording: started, paused and stopped without a sound device."""

    device_name = "stand-in mic"

    def __init__(self, device: Any, max_length: Any, on_finished: Any) -> None:
        self.max_length = max_length
        self.on_finished = on_finished
        self.state = "idle"
        self.loop = asyncio.get_running_loop()

    def start(self) -> None:
        self.state = "recording"

    def pause(self) -> None:
        self.state = "paused"

    def resume(self) -> None:
        self.state = "recording"

    def stop(self) -> None:  # on a worker thread, as the real one
        self.state = "stopped"
        self.loop.call_soon_threadsafe(self.on_finished, "the take", None)


class _Mic:
    max_length = 30
    streaming = False


async def test_recorder_posts_started_paused_and_take_finished(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(audio_takes, "LiveRecording", _StandInTake)
    recorder = Recorder(_Mic())
    app = PartApp(recorder)
    async with app.run_test() as pilot:
        recorder.start("stand-in mic")
        assert recorder.take.max_length == 30
        assert str(recorder.query_one("#record", Button).label) == "■ Finish"
        recorder.toggle_pause()
        recorder.toggle_pause()  # resuming posts nothing (Gradio has no resume event)
        recorder.finish()
        await _until(pilot, lambda: bool(app.of(Recorder.TakeFinished)))
        kinds = [type(m).__name__ for m in app.messages if isinstance(
            m, (Recorder.Started, Recorder.Paused, Recorder.TakeFinished))]
        assert kinds == ["Started", "Paused", "TakeFinished"]
        (finished,) = app.of(Recorder.TakeFinished)
        assert (finished.fd, finished.error, finished.device, finished.streamed) == (
            "the take", None, "stand-in mic", False)
        assert recorder.take is None
        assert str(recorder.query_one("#record", Button).label) == "● Record"


async def test_recorder_without_a_microphone_has_no_buttons_and_takes_no_room() -> None:
    recorder = Recorder(_Mic(), buttons=False)
    app = PartApp(recorder)
    async with app.run_test():
        assert not recorder.query(Button) and not recorder.display


# -- TransportBar --------------------------------------------------------------------------------
async def test_transport_bar_turns_player_reports_into_messages() -> None:
    bar = TransportBar()
    app = PartApp(bar)
    async with app.run_test() as pilot:
        transport = bar._transport(None)  # no Player yet: made on the first Play
        assert not bar.started and not bar.playing
        transport._from_audio_thread("play")  # as the audio thread reports
        transport._from_audio_thread("stop")
        await _until(pilot, lambda: len(app.of(TransportBar.PlayerEvent)) == 2)
        assert [m.name for m in app.of(TransportBar.PlayerEvent)] == ["play", "stop"]
        bar.show_playing(True)
        assert str(bar.query_one("#play", Button).label) == "❚❚ Pause"
        bar.use_device()  # another speaker: the next Play opens a new player
        assert bar.transport is None


# -- WaveformView --------------------------------------------------------------------------------
async def test_waveform_view_reads_a_value_and_posts_loaded(tmp_path: Path) -> None:
    value = path_to_filedata(str(_wav(tmp_path / "one.wav", seconds=1.0)))
    view = WaveformView()
    app = PartApp(view)
    async with app.run_test() as pilot:
        view.load(value)
        assert view.placeholder == "reading waveform…"
        await _until(pilot, lambda: bool(app.of(WaveformView.Loaded)))
        assert app.of(WaveformView.Loaded)[0].value is value
        assert view.duration == pytest.approx(1.0)
        view.load(FileData(path=str(tmp_path / "missing.wav"), orig_name="missing.wav"))
        await _until(pilot, lambda: bool(app.of(WaveformView.LoadFailed)))
        assert view.placeholder == "cannot draw this file"


# -- the status line -----------------------------------------------------------------------------
def _fitted(parts: Iterable[StatusPart], width: int) -> str:
    line = StatusLine()
    line.show_parts(list(parts))
    return line._fitted(width)


def test_status_line_shortens_then_leaves_out_the_least_important_hints() -> None:
    parts = playback_parts(0.0, 2.0, playing=False, started=False, selection=None)
    parts += device_parts(channels=None, mic="default", speaker="default",
                          hardware_reason=None)
    full = "■ 0:00.0 / 0:02.0  mic: default (i: change)  speaker: default (o: change)"
    assert _fitted(parts, 80) == full
    assert _fitted(parts, 72) == "■ 0:00.0 / 0:02.0  mic: default (i: change)  speaker: default (o)"
    assert _fitted(parts, 60) == "■ 0:00.0 / 0:02.0  mic: default (i)  speaker: default (o)"
    assert _fitted(parts, 52) == "■ 0:00.0 / 0:02.0  mic: default (i) …"
    assert _fitted(parts, 20) == "■ 0:00.0 / 0:02.0 …"
    assert _fitted(parts, 10).startswith("■ 0:00.0")  # the clock stays; the line cuts it


def test_why_nothing_plays_is_cut_but_never_left_out() -> None:
    reason = "No audio devices found: the sound server is not running; start it and try again."
    parts = device_parts(channels=None, mic="default", speaker=None, hardware_reason=reason)
    fitted = _fitted(parts, 72)
    assert fitted == f"play/record off: {reason}"  # the mic hint went; whole_hints cuts this
    clock = playback_parts(0.0, 2.0, playing=False, started=False, selection=None)
    assert _fitted(clock + parts, 72).startswith("■ 0:00.0 / 0:02.0  play/record off: No audio")
