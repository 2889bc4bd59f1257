"""The widened compatibility corpus (issue 9) in the terminal UI: the apps of
tests/test_compat_corpus.py opened as `audiotui run` opens them and driven by Pilot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from compat.audio_checks import CHIRP, PIANO, by_label, dominant_hz, read, read_int16
from compat.tui_driving import SIZE, button, click, open_app, upload
from test_tui_support import settle
from textual.widgets import DataTable, Input, TabbedContent, TabPane


def widget(app: Any, component: Any) -> Any:
    return app.component_widgets[component.id]


async def test_speed_tabs_switch_and_the_octave_tab_runs() -> None:
    demo, app = open_app("speed_and_pitch_tabs.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tabs = app.query_one(TabbedContent)
        panes = list(tabs.query(TabPane))
        assert [str(tabs.get_tab(p).label) for p in panes] == ["Speed", "Octave"]
        await pilot.click(tabs.get_tab(panes[1]))
        await settle(pilot)
        assert tabs.active == panes[1].id
        await upload(pilot, widget(app, by_label(demo, "Octave input")), PIANO)
        await click(pilot, app, button(demo, "Octave up"))
        sr, data = read(widget(app, by_label(demo, "Octave up")).value.path)
        assert dominant_hz(data, sr) == pytest.approx(880, abs=4)


async def test_lazy_example_row_is_computed_on_its_first_pick() -> None:
    demo, app = open_app("lazy_cached_examples.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        calls = demo.fns[0].fn.__globals__["calls"]
        calls.clear()
        table = widget(app, demo.examples_handler.dataset).query_one(DataTable)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert calls == [-6]
        out = widget(app, demo.output_components[0]).value
        assert len(read_int16(out.path)) == len(read_int16(PIANO))


async def test_render_layers_redraw_when_the_count_changes() -> None:
    demo, app = open_app("render_layers.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.session.user_input(by_label(demo, "Layers"), 4)
        await settle(pilot)
        labels = [str(getattr(w.component, "label", "")) for w in app.component_widgets.values()]
        assert sum(label.startswith("Layer ") for label in labels) == 4
        mix = next(w for w in app.component_widgets.values()
                   if type(w.component).__name__ == "Button" and w.component.value == "Mix")
        await pilot.click(mix)
        await settle(pilot)
        sr, data = read(app.session.get_value(by_label(demo, "Mix")).path)
        assert dominant_hz(data, sr) == pytest.approx(550, abs=3)


async def test_undo_history_in_the_terminal() -> None:
    demo, app = open_app("undo_history.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        audio = by_label(demo, "Audio")
        await upload(pilot, widget(app, audio), CHIRP)
        await click(pilot, app, button(demo, "Apply"))
        assert np.array_equal(read_int16(widget(app, audio).value.path), read_int16(CHIRP)[::-1])
        await click(pilot, app, button(demo, "Undo"))
        assert np.array_equal(read_int16(widget(app, audio).value.path), read_int16(CHIRP))
        assert widget(app, by_label(demo, "History")).query_one(Input).value == "0 edit(s)"
        await click(pilot, app, button(demo, "Undo"))
        # The gr.Error's toast arrives as a message after the job ends; under load (two suites
        # side by side) one settle was not always enough, so wait for it (bounded).
        for _ in range(50):
            if any("Nothing to undo" in str(n.message) for n in app._notifications):
                break
            await pilot.pause(0.1)
        assert any("Nothing to undo" in str(n.message) for n in app._notifications)


async def test_error_toast_then_success_chain_in_the_terminal() -> None:
    demo, app = open_app("error_then_success.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await click(pilot, app, button(demo, "Analyse"))
        assert any("Upload a sound first" in str(n.message) for n in app._notifications)
        await upload(pilot, widget(app, by_label(demo, "Sound")), PIANO)
        await click(pilot, app, button(demo, "Analyse"))
        assert widget(app, by_label(demo, "Pitch")).query_one(Input).value == "440 Hz"
        assert any("pitch estimated" in str(n.message) for n in app._notifications)


async def test_progress_generator_appends_notes_to_the_output_widget() -> None:
    demo, app = open_app("progress_synth.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await click(pilot, app, demo.submit_btn)
        last = widget(app, demo.output_components[0]).value
        assert last.is_stream
        sr, data = read(last.path)
        assert dominant_hz(data, sr) == pytest.approx(440, abs=3)  # the octave, last


async def test_dropdown_lists_uploaded_files_in_the_terminal(tmp_path: Path) -> None:
    import shutil

    piano, chirp = tmp_path / "piano.wav", tmp_path / "chirp.wav"
    shutil.copy(PIANO, piano)
    shutil.copy(CHIRP, chirp)
    demo, app = open_app("choices_from_files.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        files = by_label(demo, "Sounds")
        await app.session.user_input(files, files.postprocess([str(piano), str(chirp)]))
        await settle(pilot)
        await app.session.user_input(by_label(demo, "Play"), "chirp.wav")
        await settle(pilot)
        played = widget(app, by_label(demo, "Player")).value
        assert np.array_equal(read_int16(played.path), read_int16(CHIRP))


async def test_batched_gain_in_the_terminal() -> None:
    demo, app = open_app("batch_gain.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await upload(pilot, widget(app, by_label(demo, "Sound")), CHIRP)
        await click(pilot, app, button(demo, "Scale"))
        out = read_int16(widget(app, by_label(demo, "Scaled")).value.path)
        assert np.array_equal(out, (read_int16(CHIRP).astype(np.float32) * 0.5).astype(np.int16))


async def test_live_gate_has_no_submit_and_reruns_on_upload() -> None:
    demo, app = open_app("live_gate.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert getattr(demo, "submit_btn", None) is None or demo.submit_btn.id not in app.component_widgets
        await upload(pilot, widget(app, demo.input_components[0]), CHIRP)
        report = widget(app, by_label(demo, "Report")).query_one(Input).value
        assert report.endswith("samples gated")
        assert widget(app, by_label(demo, "Gated")).value is not None


async def test_gr_on_triggers_rebuild_the_tone_in_the_terminal() -> None:
    demo, app = open_app("decorated_listeners.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.session.user_input(by_label(demo, "Wave"), "square")
        await settle(pilot)
        tone = widget(app, by_label(demo, "Tone")).value
        sr, data = read(tone.path)
        assert dominant_hz(data, sr) == pytest.approx(440, abs=3)
        assert app.session.get_value(by_label(demo, "Settings"))["wave"] == "square"
