"""Gradio compatibility suite in the terminal UI: each app opened with `make_app`, driven by Pilot.

The apps are the unmodified `import gradio as gr` files of tests/compat/apps, loaded as
`audiotui run` loads them. Users' actions go through the widgets (keys, clicks, the upload path
field); what comes out is judged as audio (rate, length, pitch, reversal) and as what the screen
shows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from compat.audio_checks import (
    CHIRP,
    DUET,
    PIANO,
    by_label,
    dominant_hz,
    read,
    read_int16,
    wav,
)
from compat.tui_driving import (
    SIZE,
    button,
    click,
    open_app,
    shown,
    upload,
)
from test_tui_support import settle
from textual.widgets import DataTable, Input, TabbedContent, TabPane

from audiotui.tui.widgets.slider import SliderBar


# -- tone generator -------------------------------------------------------------------------
async def test_tone_generator_in_the_terminal() -> None:
    demo, app = open_app("generate_tone.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        note = demo.input_components[0]
        await app.session.user_input(note, "E")
        await click(pilot, app, demo.submit_btn)
        out = app.component_widgets[demo.output_components[0].id]
        sr, data = read(out.value.path)
        assert (sr, len(data)) == (48000, 48000)
        assert dominant_hz(data, sr) == pytest.approx(329.63, abs=1.5)
        assert "48000 Hz" in shown(out, ".audio-info") or "48 kHz" in shown(out, ".audio-info")


# -- reverse a recording ----------------------------------------------------------------------
async def test_reverse_audio_runs_on_its_example_row() -> None:
    demo, app = open_app("reverse_audio.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        mic = app.component_widgets[demo.input_components[0].id]
        assert not mic.query("#upload")  # microphone only: no upload button
        # without a microphone, the example row is how a recording gets in
        table = app.component_widgets[demo.examples_handler.dataset.id].query_one(DataTable)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        await click(pilot, app, demo.submit_btn)
        out = app.session.get_value(demo.output_components[0])
        assert np.array_equal(read_int16(out.path), read_int16(CHIRP)[::-1])


# -- audio debugger -------------------------------------------------------------------------------
async def test_audio_debugger_counts_upload_and_clear_from_the_keyboard() -> None:
    demo, app = open_app("audio_component_events.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        audio = by_label(demo, "Input Audio")
        widget = app.component_widgets[audio.id]
        await upload(pilot, widget, PIANO)
        counts = {name: app.session.get_value(by_label(demo, f"# Input {name} Events"))
                  for name in ("Upload", "Change", "Input", "Clear")}
        assert counts == {"Upload": 1, "Change": 1, "Input": 1, "Clear": 0}
        output = app.session.get_value(by_label(demo, "Output Audio"))
        assert np.array_equal(read_int16(output.path), read_int16(PIANO))
        widget.view.focus()
        await pilot.press("x")
        await settle(pilot)
        assert app.session.get_value(audio) is None
        assert app.session.get_value(by_label(demo, "# Input Clear Events")) == 1
        number = app.component_widgets[by_label(demo, "# Input Upload Events").id]
        assert number.query_one(Input).value == "1"


# -- mixer with gr.render ---------------------------------------------------------------------------
async def test_track_mixer_draws_a_slider_per_added_track() -> None:
    demo, app = open_app("track_mixer.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await upload(pilot, app.component_widgets[by_label(demo, "New track").id], PIANO)
        await click(pilot, app, button(demo, "Add to the mix"))
        in_session = [b for b in app.session.walk() if getattr(b, "label", None) == "Gain"]
        assert len(in_session) == 1  # the engine rendered it; the screen must show it too
        sliders = [w for w in app.component_widgets.values() if w.component.label == "Gain"]
        assert len(sliders) == 1
        bar = sliders[0].query_one(SliderBar)
        bar.focus()
        await pilot.press("home")
        await settle(pilot)
        await click(pilot, app, button(demo, "Mix"))
        mixed = app.session.get_value(by_label(demo, "Mix"))
        assert not read(mixed.path)[1].any()  # the only track at gain 0: silence


# -- streaming in and out ----------------------------------------------------------------------------
async def test_streaming_output_chunks_reach_the_output_widget() -> None:
    demo, app = open_app("stream_audio_out.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await upload(pilot, app.component_widgets[by_label(demo, "Input Audio").id], CHIRP)
        await click(pilot, app, button(demo, "Stream"))
        out = by_label(demo, "Streamed Audio")
        last = app.component_widgets[out.id].value
        assert last.is_stream and sf.info(last.path).frames == 4000
        assert np.array_equal(read_int16(last.path), read_int16(CHIRP)[-4000:])


async def test_streaming_microphone_interface_opens_with_its_state_hidden() -> None:
    demo, app = open_app("stream_transcribe_state.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        mic = demo.input_components[1]
        assert mic.id in app.component_widgets
        states = [c for c in demo.components if type(c).__name__ == "State"]
        assert states and all(
            c.id not in app.component_widgets or not app.component_widgets[c.id].display
            for c in states
        )


# -- FFT pitch histogram into a Label -----------------------------------------------------------------
async def test_main_note_label_shows_the_top_pitch_class() -> None:
    demo, app = open_app("main_note.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.component_widgets[demo.examples_handler.dataset.id].query_one(DataTable)
        table.focus()
        await pilot.press("down", "enter")  # the duet example
        await settle(pilot)
        await click(pilot, app, demo.submit_btn)
        label = app.component_widgets[demo.output_components[0].id]
        lines = shown(label, ".label-bars").splitlines()
        assert lines[0] == "E"
        assert sum("%" in line for line in lines) == 4


# -- TabbedInterface of effects ----------------------------------------------------------------------
async def test_effects_tabs_switch_and_run_the_reverse_tab() -> None:
    demo, app = open_app("audio_effects_tabs.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tabs = app.query_one(TabbedContent)
        panes = list(tabs.query(TabPane))
        assert [str(tabs.get_tab(p).label) for p in panes] == ["Gain", "Reverse", "Echo", "Speed"]
        reverse_app = demo.interface_list[1]
        await pilot.click(tabs.get_tab(panes[1]))
        await settle(pilot)
        assert tabs.active == panes[1].id
        widget = app.component_widgets[reverse_app.input_components[0].id]
        await upload(pilot, widget, PIANO)
        await click(pilot, app, reverse_app.submit_btn)
        out = app.session.get_value(reverse_app.output_components[0])
        assert np.allclose(read(out.path)[1][::-1], read(PIANO)[1], atol=1 / 32767)


# -- cached examples ---------------------------------------------------------------------------------
async def test_picking_a_cached_example_fills_the_output_without_running_fn() -> None:
    demo, app = open_app("cached_examples.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        calls = demo.fn.__globals__["calls"]
        assert calls == [1, -1]
        table = app.component_widgets[demo.examples_handler.dataset.id].query_one(DataTable)
        table.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert calls == [1, -1]
        shifted = app.component_widgets[by_label(demo, "Shifted").id].value
        sr, data = read(shifted.path)
        assert (sr, len(data)) == (22050, 2 * (11025 - 1))  # an octave down doubles the length
        assert dominant_hz(data, sr) == pytest.approx(659.25 / 2, abs=3)


# -- kitchen sink ----------------------------------------------------------------------------------
async def test_kitchen_sink_shows_a_box_for_each_component_it_cannot_draw() -> None:
    with pytest.warns(UserWarning, match="theme ignored"):
        demo, app = open_app("kitchen_sink.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        boxes = {type(w.component).__name__: w for w in app.component_widgets.values()
                 if type(w).__name__ == "UnsupportedWidget"}
        assert set(boxes) >= {"Image", "Chatbot", "HTML", "Dataframe", "HighlightedText"}
        for kind, widget in boxes.items():
            assert shown(widget, ".unsupported").startswith(f"{kind} cannot be drawn")
        table = app.component_widgets[demo.examples_handler.dataset.id].query_one(DataTable)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        await click(pilot, app, demo.submit_btn)
        half = app.session.get_value(by_label(demo, "Half volume"))
        assert np.abs(read(half.path)[1]).max() == pytest.approx(0.3, abs=0.01)
        assert app.session.get_value(by_label(demo, "Stats"))["sr"] == 16000


async def test_unsupported_box_names_the_file_it_holds(tmp_path: Path) -> None:
    cover = tmp_path / "cover.png"
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.warns(UserWarning):
        demo, app = open_app("kitchen_sink.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        image = by_label(demo, "Cover art")
        await app.session.user_input(image, image.postprocess(str(cover)))
        await settle(pilot)
        assert str(cover) in shown(app.component_widgets[image.id], ".unsupported")


# -- callable default values ---------------------------------------------------------------------
async def test_callable_defaults_are_shown_when_the_app_opens() -> None:
    demo, app = open_app("callable_defaults.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seed = by_label(demo, "Seed")
        shown_seed = app.component_widgets[seed.id].query_one(Input).value
        assert shown_seed == str(app.session.get_value(seed))
        noise = app.component_widgets[by_label(demo, "Noise").id]
        assert noise.value is not None and sf.info(noise.value.path).frames == 8000
        await app.session.user_input(seed, 7)
        await click(pilot, app, button(demo, "Noise from this seed"))
        regenerated = app.component_widgets[by_label(demo, "Noise").id].value
        rng = np.random.default_rng(7)
        expected = (rng.uniform(-0.5, 0.5, 8000) * 32767).astype(np.int16)
        assert np.array_equal(read_int16(regenerated.path)[:, 0], expected)


# -- change vs input ---------------------------------------------------------------------------------
async def test_typing_fires_input_and_change_but_set_values_only_change() -> None:
    demo, app = open_app("change_vs_input.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text, text_in, text_ch, text_ch2 = [c for c in demo.walk() if type(c).__name__ == "Textbox"]
        field = app.component_widgets[text.id].query_one(Input)
        field.focus()
        await pilot.press(*"hey")
        await settle(pilot)
        assert [app.session.get_value(c) for c in (text_in, text_ch, text_ch2)] == ["hey"] * 3
        await click(pilot, app, button(demo, "Set Values"))
        assert app.session.get_value(text_in) == "hey"
        assert app.component_widgets[text_ch2.id].query_one(Input).value == "asdf"
        audio, audio_in, audio_ch, audio_ch2 = [c for c in demo.walk() if type(c).__name__ == "Audio"]
        assert app.session.get_value(audio_in) is None
        assert np.array_equal(read_int16(app.session.get_value(audio_ch2).path), read_int16(PIANO))
        await upload(pilot, app.component_widgets[audio.id], DUET)
        assert np.array_equal(read_int16(app.session.get_value(audio_in).path), read_int16(DUET))


# -- upload size limit -------------------------------------------------------------------------------
async def test_an_upload_over_max_file_size_is_refused_in_the_terminal(tmp_path: Path) -> None:
    demo, app = open_app("upload_limit.py")
    big = wav(tmp_path / "big.wav", 0.1 * np.ones(60000))  # 120 kB, over 100 kB
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        widget = app.component_widgets[demo.input_components[0].id]
        await upload(pilot, widget, big)
        assert app.session.get_value(demo.input_components[0]) is None
        assert "max_file_size" in shown(widget, ".component-error")


async def test_an_upload_under_max_file_size_is_measured() -> None:
    demo, app = open_app("upload_limit.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await upload(pilot, app.component_widgets[demo.input_components[0].id], PIANO)
        await click(pilot, app, demo.submit_btn)
        level = app.component_widgets[demo.output_components[0].id].query_one(Input).value
        assert level.startswith("1.00 s at 16000 Hz")


# -- Blocks with Group / Row / Column ---------------------------------------------------------------
async def test_equaliser_layout_is_drawn_as_rows_columns_and_groups(tmp_path: Path) -> None:
    demo, app = open_app("equalizer_layout.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        source = app.component_widgets[by_label(demo, "Source").id]
        low = app.component_widgets[by_label(demo, "Low (< 300 Hz) dB").id]
        assert source.parent.has_class("group") and source.parent.parent.has_class("column")
        assert source.parent.parent.parent.has_class("row")
        assert low.parent.has_class("group") and low.region.x > source.region.x
        t = np.arange(16000) / 16000
        mix = wav(tmp_path / "mix.wav", 0.3 * np.sin(2 * np.pi * 100 * t) + 0.3 * np.sin(2 * np.pi * 5000 * t))
        await upload(pilot, source, mix)
        await app.session.user_input(by_label(demo, "Low (< 300 Hz) dB"), -24)
        await click(pilot, app, button(demo, "Apply"))
        sr, out = read(app.session.get_value(by_label(demo, "Equalised")).path)
        spectrum = np.abs(np.fft.rfft(out[:, 0]))
        assert spectrum[100] == pytest.approx(spectrum[5000] * 10 ** (-24 / 20), rel=0.05)
        await click(pilot, app, button(demo, "Flat"))
        assert app.session.get_value(by_label(demo, "Low (< 300 Hz) dB")) == 0


# -- Dataset of audio samples ---------------------------------------------------------------------
async def test_choosing_a_dataset_row_loads_the_sample_and_measure_finds_its_pitch() -> None:
    demo, app = open_app("audio_dataset.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dataset = next(c for c in demo.components if type(c).__name__ == "Dataset")
        table = app.component_widgets[dataset.id].query_one(DataTable)
        assert table.row_count == 3
        table.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        player = app.component_widgets[by_label(demo, "Sample").id]
        assert sf.info(player.value.path).frames == 11025
        assert "duet" in app.component_widgets[by_label(demo, "Description").id].query_one(Input).value
        await click(pilot, app, button(demo, "Measure"))
        hz = float(app.component_widgets[by_label(demo, "Dominant frequency (Hz)").id]
                   .query_one(Input).value)
        assert hz == pytest.approx(659.25, abs=2)  # E5, the duet's first channel


# -- Progress, Info/Warning, Error -----------------------------------------------------------------
async def test_noise_gate_notices_and_errors_become_toasts() -> None:
    demo, app = open_app("denoise_progress.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await click(pilot, app, demo.submit_btn)  # nothing recorded yet
        await upload(pilot, app.component_widgets[demo.input_components[0].id], PIANO)
        await click(pilot, app, demo.submit_btn)
        messages = [n.message for n in app._notifications]
        assert any("Record or upload something to gate" in m for m in messages)
        assert any("Nothing was below the threshold" in m for m in messages)
        out = app.session.get_value(demo.output_components[0])
        assert np.allclose(read(out.path)[1], read(PIANO)[1], atol=1 / 32767)


# -- gr.Request and demo.load ---------------------------------------------------------------------
async def test_request_greeting_is_shown_when_the_app_opens() -> None:
    demo, app = open_app("request_info.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown_text = app.component_widgets[by_label(demo, "You are").id].query_one(Input).value
        assert shown_text == f"session {app.session.request.session_hash}, client localhost"


# -- MP3 memos ---------------------------------------------------------------------------------------
async def test_saved_memos_are_listed_by_the_file_widget() -> None:
    from audiotui.media.files import path_to_filedata

    demo, app = open_app("voice_memo.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        memo = by_label(demo, "Memo")
        assert not app.component_widgets[memo.id].query("#upload")  # gr.Microphone
        for path, title in ((PIANO, "first take"), (DUET, "second take")):
            await app.session.user_input(memo, path_to_filedata(str(path)))  # as a take lands
            await app.session.user_input(by_label(demo, "Title"), title)
            await click(pilot, app, button(demo, "Save memo"))
        names = shown(app.component_widgets[by_label(demo, "All memos").id], ".file-names")
        assert "first_take.mp3" in names and "second_take.mp3" in names
        saved = app.component_widgets[by_label(demo, "Saved memo").id].value
        assert sf.info(saved.path).format == "MP3" and sf.info(saved.path).channels == 2


# -- several takes through the File widget (gr.Files) ---------------------------------------------------
async def test_batch_loudness_takes_several_paths_and_levels_them() -> None:
    demo, app = open_app("batch_loudness.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        takes = app.component_widgets[by_label(demo, "Takes").id]
        field = takes.query_one(Input)
        field.focus()
        field.value = f"{PIANO}; {CHIRP}"
        await pilot.press("enter")
        await settle(pilot)
        assert "piano_a4.wav, rising_chirp.wav" in shown(takes, ".file-names")
        await click(pilot, app, button(demo, "Level them"))
        report = app.session.get_value(by_label(demo, "Report"))
        assert len(report.splitlines()) == 2 and "gain" in report
        joined = app.component_widgets[by_label(demo, "Levelled takes").id].value
        sr, data = read(joined.path)
        assert len(data) == sf.info(PIANO).frames + sf.info(CHIRP).frames
        rms = float(np.sqrt(np.mean(data[: sf.info(PIANO).frames, 0].astype(np.float64) ** 2)))
        assert 20 * np.log10(rms) == pytest.approx(-20.0, abs=0.2)


# -- gr.Examples inside Blocks --------------------------------------------------------------------------
async def test_choosing_a_blocks_example_row_shows_the_echoed_take() -> None:
    demo, app = open_app("echo_examples.py")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dataset = next(c for c in demo.components if type(c).__name__ == "Dataset")
        table = app.component_widgets[dataset.id].query_one(DataTable)
        table.focus()
        await pilot.press("enter")  # the piano row, 0.1 s
        await settle(pilot)
        assert app.session.get_value(by_label(demo, "Delay (s)")) == pytest.approx(0.1)
        shown_take = app.component_widgets[by_label(demo, "With echo").id].value
        sr, wet = read(shown_take.path)
        _, dry = read(PIANO)
        assert len(wet) == len(dry) + sr // 10
        assert dominant_hz(wet, sr) == pytest.approx(440, abs=1.5)


async def test_max_file_size_under_the_main_guard_limits_terminal_uploads(tmp_path: Path) -> None:
    demo, app = open_app("upload_limit_guarded.py")
    big = wav(tmp_path / "big.wav", 0.1 * np.ones(60000))  # 120 kB, over the guarded 100 kB
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        widget = app.component_widgets[demo.input_components[0].id]
        await upload(pilot, widget, big)
        assert app.session.get_value(demo.input_components[0]) is None
        assert "max_file_size" in shown(widget, ".component-error")
        await upload(pilot, widget, PIANO)
        await click(pilot, app, demo.submit_btn)
        peak = app.session.get_value(demo.output_components[0])
        assert peak == pytest.approx(0.6, abs=0.01)
