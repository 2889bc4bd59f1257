"""Gradio fidelity (issue 9) in the terminal UI: the apps of tests/test_compat_fidelity.py opened
with `make_app` and driven by Pilot as a user drives them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from compat.audio_checks import by_label
from compat.tui_driving import SIZE, button, click, open_app
from test_tui_support import settle

from audiotui.data import FileData


class _FakeTake:
    """Stands in for a microphone take (no PortAudio in these tests); records which kind ran."""

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        self.kind = kind
        self.args, self.kwargs = args, kwargs
        self.on_chunk = args[3] if len(args) > 3 else None
        self.state = "recording"
        self.elapsed = 0.0
        self.peaks = None
        self.device_name = "fake"
        self.recorder = self

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...

    def tick(self) -> bool:
        return False

    def meter(self, width: int = 20) -> str:
        return ""


@pytest.fixture
def fake_takes(monkeypatch: pytest.MonkeyPatch) -> list[_FakeTake]:
    from audiotui.tui.widgets import audio_takes

    made: list[_FakeTake] = []

    def factory(kind: str) -> Any:
        def make(*args: Any, **kwargs: Any) -> _FakeTake:
            take = _FakeTake(kind, *args, **kwargs)
            made.append(take)
            return take
        return make

    monkeypatch.setattr(audio_takes, "MicrophoneChunks", factory("chunks"))
    monkeypatch.setattr(audio_takes, "LiveRecording", factory("recording"))
    return made


# -- 1. a .stream listener makes its Audio stream ------------------------------------------------
async def test_stream_listener_records_in_chunks(fake_takes: list[_FakeTake]) -> None:
    from audiotui.media.files import array_to_filedata

    demo, app = open_app("stream_listener_unflagged.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        widget = app.component_widgets[by_label(demo, "Microphone").id]
        widget.hardware_reason = None
        widget.view.focus()
        await pilot.press("r")
        await settle(pilot)
        assert [t.kind for t in fake_takes] == ["chunks"]
        chunk: FileData = array_to_filedata(
            16000, np.full(8000, 1200, dtype=np.int16), normalize=False)
        await fake_takes[0].on_chunk(chunk)
        await settle(pilot)
        assert app.session.get_value(by_label(demo, "Status")) == "0.50 s heard, last peak 1200"


# -- 2. components without a value start at their front-end default --------------------------
async def test_unset_number_counts_up_from_zero_in_the_terminal() -> None:
    from textual.widgets import Input

    demo, app = open_app("frontend_defaults.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        steps = by_label(demo, "Steps")
        assert app.component_widgets[steps.id].query_one(Input).value == "0"
        assert app.component_widgets[by_label(demo, "Note").id].query_one(Input).value == ""
        await click(pilot, app, button(demo, "Step"))
        await click(pilot, app, button(demo, "Step"))
        assert app.session.get_value(steps) == 2
        assert app.session.get_value(by_label(demo, "Doubled")) == 4
        assert app.component_widgets[steps.id].query_one(Input).value == "2"
        tone = app.component_widgets[by_label(demo, "Tone").id].value
        assert tone is not None and tone.meta["frames"] == 8000
        assert not app.query(".toast, Toast")  # no `NoneType + int` error toasts


# -- 3. what Gradio 4.34 only stores is accepted ------------------------------------------------
@pytest.mark.filterwarnings("ignore::UserWarning")
async def test_odd_arguments_app_opens_and_streams_bytes_in_the_terminal() -> None:
    import soundfile as sf
    from compat.audio_checks import CHIRP
    from compat.tui_driving import upload

    demo, app = open_app("odd_arguments.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await upload(pilot, app.component_widgets[by_label(demo, "Input").id], CHIRP)
        await click(pilot, app, button(demo, "Stream"))
        last = app.component_widgets[by_label(demo, "Streamed").id].value
        assert last.is_stream and sf.info(last.path).frames == 2022  # the third slice's frames
        assert app.component_widgets[by_label(demo, "Rate").id].display


# -- 4. `with demo.clear():` ----------------------------------------------------------------------
async def test_cleared_and_rebuilt_app_shows_only_the_rebuilt_layout() -> None:
    from compat.audio_checks import CHIRP, read
    from compat.tui_driving import upload

    demo, app = open_app("clear_and_rebuild.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(app.component_widgets) == 4
        await upload(pilot, app.component_widgets[by_label(demo, "Input").id], CHIRP)
        await click(pilot, app, button(demo, "Apply"))
        out = app.component_widgets[by_label(demo, "Output").id].value
        sr, data = read(out.path)
        assert (sr, len(data)) == (16000, 12000)


# -- 5. an app no variable holds ------------------------------------------------------------------
async def test_unbound_interface_runs_in_the_terminal() -> None:
    from compat.audio_checks import CHIRP, read_int16
    from compat.tui_driving import upload

    demo, app = open_app("unbound_interface.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await upload(pilot, app.component_widgets[demo.input_components[0].id], CHIRP)
        await click(pilot, app, demo.submit_btn)
        out = app.component_widgets[demo.output_components[0].id].value
        faded = read_int16(out.path)[:, 0]
        assert len(faded) == 12000 and abs(int(faded[-1])) <= 1


# -- 6. a themed app reading Gradio's private theme API --------------------------------------------
async def test_theme_internals_app_opens_and_beeps_in_the_terminal() -> None:
    from compat.audio_checks import dominant_hz, read

    demo, app = open_app("theme_internals.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.session.user_input(by_label(demo, "Pitch"), 500)
        await click(pilot, app, button(demo, "Beep"))
        sr, data = read(app.component_widgets[by_label(demo, "Beep").id].value.path)
        assert dominant_hz(data, sr) == pytest.approx(500, abs=2)


# -- 7. image inputs and outputs of an audio app, examples cached at start ---------------------------
async def test_image_app_starts_without_error_toasts_and_shows_the_cached_row() -> None:
    pytest.importorskip("PIL")
    from textual.widgets import DataTable, Input

    demo, app = open_app("image_and_audio.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not [n for n in app._notifications if n.severity == "error"]
        table = app.component_widgets[demo.examples_handler.dataset.id].query_one(DataTable)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        info = app.component_widgets[by_label(demo, "Info").id].query_one(Input)
        assert info.value == "6x8 at 16000 Hz"
        assert app.session.get_value(by_label(demo, "Flipped")).path.endswith((".webp", ".png"))


# -- 9. Gradio 5 and 6 idioms: gr.Timer, gr.Sidebar, Blocks(fill_width=) -----------------------------
async def test_timer_metronome_ticks_in_the_terminal_and_the_sidebar_collapses() -> None:
    from textual.widgets import Collapsible, Input

    demo, app = open_app("timer_metronome.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sidebar = app.query_one(Collapsible)
        assert sidebar.title == "Sidebar" and not sidebar.collapsed
        beat = app.component_widgets[by_label(demo, "Beat").id].query_one(Input)
        for _ in range(100):
            await pilot.pause(0.02)
            if beat.value.startswith("beat "):
                break
        assert beat.value.startswith("beat ")
        assert app.component_widgets[by_label(demo, "Click").id].value is not None


async def test_stream_every_and_time_limit_shape_the_terminal_recording(
    fake_takes: list[_FakeTake],
) -> None:
    demo, app = open_app("stream_every_limit.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        widget = app.component_widgets[by_label(demo, "Mic").id]
        widget.hardware_reason = None
        widget.view.focus()
        await pilot.press("r")
        await settle(pilot)
        take = fake_takes[0]
        assert take.kind == "chunks"
        assert take.args[1] == 3.0 and take.kwargs["chunk_seconds"] == 0.25  # max_length, chunk


# -- 9. ChatInterface (type="messages") with audio in a reply ---------------------------------------
async def test_chat_interface_shows_text_and_plays_the_audio_reply() -> None:
    from compat.audio_checks import dominant_hz, read
    from textual.widgets import Input, Markdown

    demo, app = open_app("chat_tone_bot.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        box = app.component_widgets[demo.textbox.id].query_one(Input)
        box.focus()
        for text in ("hello", "c"):
            box.value = text
            await pilot.press("enter")
            await settle(pilot)
        shown_md = app.component_widgets[demo.transcript.id].query_one(Markdown)
        source = shown_md.source if hasattr(shown_md, "source") else str(shown_md._markdown)
        assert "**You:** hello" in source and "♪ audio" in source
        reply = app.component_widgets[demo.reply_audio.id].value
        sr, data = read(reply.path)
        assert dominant_hz(data, sr) == pytest.approx(261.63, abs=3)
        assert box.value == ""


async def test_audio_loop_replays_when_the_end_is_reached(monkeypatch: pytest.MonkeyPatch) -> None:
    from compat.audio_checks import PIANO
    from test_tui_support import app_for

    import audiotui as gr
    from audiotui.media.files import path_to_filedata

    with gr.Blocks() as demo:
        looping = gr.Audio(path_to_filedata(str(PIANO)), label="Loop", loop=True)
        once = gr.Audio(path_to_filedata(str(PIANO)), label="Once")
    app = app_for(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        calls: list[tuple[str, str]] = []
        for component in (looping, once):
            w = app.component_widgets[component.id]
            monkeypatch.setattr(w, "_run_transport",
                                lambda what, value, c=component: calls.append((c.label, what)))
            w._player_event("pause")  # a user's stop
            w._player_event("stop")   # the end of the audio
        assert calls == [("Loop", "toggle")]


async def test_audio_recording_true_starts_the_microphone_when_devices_are_found(
    fake_takes: list[_FakeTake],
) -> None:
    from test_tui_support import app_for

    import audiotui as gr

    with gr.Blocks() as demo:
        gr.Audio(sources=["microphone"], recording=True, label="Auto")
        gr.Audio(sources=["microphone"], label="Manual")
    app = app_for(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert fake_takes == []  # no devices known yet: nothing starts

        class Found:
            available, reason = True, None

        for widget in app.component_widgets.values():
            widget.set_hardware(Found())
            widget.set_hardware(Found())  # found again later: started once only
        await settle(pilot)
        assert [t.kind for t in fake_takes] == ["recording"]
        auto = app.component_widgets[by_label(demo, "Auto").id]
        assert auto.take is fake_takes[0]
