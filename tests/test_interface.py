"""Interface and TabbedInterface: generated layout, buttons, listeners and flagging."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import audiotui as gr
from audiotui.data import FileData
from audiotui.flagging import FlagLogger
from audiotui.interface import InterfaceTypes
from audiotui.layout import Accordion, Tab
from audiotui.runtime import Session


def _echo(text: str) -> str:
    return text


def _predict_triggers(iface: gr.Interface) -> list[tuple[object, str]]:
    return list(iface.predict_dep.triggers)


def test_unlabelled_inputs_take_the_fn_parameter_names() -> None:
    def scale(recording, factor):  # noqa: ANN001, ANN202 - a user's untyped function
        return recording

    iface = gr.Interface(scale, ["audio", gr.Slider(1, 4, label="Factor")], "audio")
    assert [c.label for c in iface.input_components] == ["recording", "Factor"]
    assert [c.label for c in iface.output_components] == ["output"]


def test_several_unlabelled_outputs_are_numbered() -> None:
    iface = gr.Interface(lambda t: (t, t), "text", ["text", "text"])
    assert [c.label for c in iface.output_components] == ["output 0", "output 1"]


def test_string_shortcuts_become_components() -> None:
    iface = gr.Interface(_echo, "microphone", ["audio", "label"])
    mic = iface.input_components[0]
    assert type(mic).__name__ == "Audio"
    assert mic.sources == ["microphone"]
    assert [type(c).__name__ for c in iface.output_components] == ["Audio", "Label"]


def test_bad_input_spec_is_a_type_error_naming_interface() -> None:
    with pytest.raises(TypeError, match="Interface: inputs"):
        gr.Interface(_echo, [42], "text")
    with pytest.raises(ValueError, match="unknown component 'audoi'"):
        gr.Interface(_echo, "audoi", "text")


def test_standard_interface_has_submit_clear_and_flag_buttons() -> None:
    iface = gr.Interface(_echo, "text", "text")
    assert iface.interface_type is InterfaceTypes.STANDARD
    assert iface.submit_btn.value == "Submit"
    assert iface.clear_btn.value == "Clear"
    assert iface.flag_btn.value == "Flag"
    assert iface.stop_btn is None  # only generators get a Stop button
    triggers = _predict_triggers(iface)
    assert (iface.submit_btn, "click") in triggers
    assert (iface.input_components[0], "submit") in triggers  # Enter in a Textbox submits
    assert iface.predict_dep.api_name == "predict"
    assert iface.predict_dep.inputs == iface.input_components
    assert iface.predict_dep.outputs == iface.output_components


def test_components_and_buttons_are_laid_out_in_the_interface() -> None:
    iface = gr.Interface(_echo, "text", "text", description="Say something", article="The end")
    tree = iface.walk()
    for block in [*iface.input_components, *iface.output_components, iface.submit_btn]:
        assert block in tree
        assert iface.blocks[block.id] is block
    markdowns = [b.value for b in tree if type(b).__name__ == "Markdown"]
    assert markdowns[0] == "Say something" and markdowns[-1] == "The end"


def test_input_only_interface_has_no_outputs() -> None:
    seen = []
    iface = gr.Interface(seen.append, "text", None)
    assert iface.interface_type is InterfaceTypes.INPUT_ONLY
    assert iface.predict_dep.outputs == []
    assert iface.submit_btn is not None


def test_output_only_interface_has_a_generate_button_and_no_clear() -> None:
    iface = gr.Interface(lambda: "hi", None, "text")
    assert iface.interface_type is InterfaceTypes.OUTPUT_ONLY
    assert iface.submit_btn.value == "Generate"
    assert iface.clear_btn is None
    assert iface.predict_dep.inputs == []


def test_unified_interface_uses_one_component_for_both_roles() -> None:
    box = gr.Textbox()
    iface = gr.Interface(str.upper, box, box)
    assert iface.interface_type is InterfaceTypes.UNIFIED
    assert iface.walk().count(box) == 1
    clear = [d for d in iface.fns if d.name == "reset"][0]
    assert clear.outputs == [box]  # cleared once, not twice


def test_live_interface_reruns_on_change_with_always_last_and_no_submit() -> None:
    iface = gr.Interface(_echo, ["text", gr.Slider()], "text", live=True)
    assert iface.submit_btn is None
    dep = iface.predict_dep
    assert dep.trigger_mode == "always_last"
    assert set(dep.triggers) == {(c, "change") for c in iface.input_components}


def test_live_interface_with_streaming_microphone_listens_to_stream() -> None:
    mic = gr.Audio(sources=["microphone"], streaming=True)
    iface = gr.Interface(lambda a: a, mic, "audio", live=True)
    assert iface.predict_dep.triggers == [(mic, "stream")]
    assert iface.predict_dep.show_progress == "hidden"


def test_generator_interface_gets_a_stop_button_cancelling_predict() -> None:
    def count(n):  # noqa: ANN001, ANN202
        yield from range(int(n))

    iface = gr.Interface(count, "number", "number")
    assert iface.stop_btn is not None
    stop = [d for d in iface.fns if (iface.stop_btn, "click") in d.triggers][0]
    assert stop.cancels == [iface.predict_dep]


def test_web_only_arguments_are_accepted_with_one_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gr.Interface(
            _echo, "text", "text", theme="soft", css="x{}", js="()=>1", head="<meta>",
            thumbnail="t.png", analytics_enabled=False,
        )
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1
    for name in ("theme", "css", "js", "head", "thumbnail", "analytics_enabled"):
        assert name in messages[0]


def test_allow_flagging_never_has_no_flag_button_and_bad_value_is_refused() -> None:
    assert gr.Interface(_echo, "text", "text", allow_flagging="never").flag_btn is None
    with pytest.raises(ValueError, match="allow_flagging must be"):
        gr.Interface(_echo, "text", "text", allow_flagging="sometimes")


def test_flagging_options_make_one_button_each() -> None:
    iface = gr.Interface(_echo, "text", "text", flagging_options=["good", ("Bad!", "bad")])
    assert [b.value for b in iface.flag_btns] == ["Flag as good", "Bad!"]


def test_additional_inputs_sit_in_an_accordion_and_reach_fn() -> None:
    extra = gr.Slider(0, 1, label="Mix")
    iface = gr.Interface(lambda a, m: a, "audio", "audio", additional_inputs=[extra])
    assert iface.predict_dep.inputs == [iface.input_components[0], extra]
    assert isinstance(extra.parent, Accordion)
    assert extra.parent.label == "Additional Inputs" and extra.parent.open is False


def test_submit_and_clear_accept_button_instances_and_none() -> None:
    go = gr.Button("Go!", render=False)
    iface = gr.Interface(_echo, "text", "text", submit_btn=go, clear_btn=None)
    assert iface.submit_btn is go and go in iface.walk()
    assert iface.clear_btn is None


def test_state_input_and_output_are_one_state_carrying_fn_results() -> None:
    def count(total=10, step=1):  # noqa: ANN001, ANN202
        total += step
        return total, f"total {total}"

    iface = gr.Interface(count, ["state", gr.Number(precision=0)], ["state", "text"])
    state = iface.input_components[0]
    assert iface.output_components[0] is state and type(state).__name__ == "State"
    assert state.value == 10  # "state" takes fn's default for that parameter
    assert state not in iface.flag_logger.components
    with gr.Client(iface) as client:
        assert [p.name for p in client.endpoint().parameters] == ["step"]
        assert client.predict(5) == "total 15"
        assert client.predict(2) == "total 17"


def test_state_needs_exactly_one_state_input_and_output() -> None:
    with pytest.raises(ValueError, match="exactly one state input and one state output"):
        gr.Interface(lambda s, t: (s, t), ["state", "text"], "text")


def test_flag_logger_writes_a_csv_row_and_copies_files(tmp_path: Path) -> None:
    audio_file = tmp_path / "take.wav"
    audio_file.write_bytes(b"RIFF....WAVE")
    text = gr.Textbox(label="Note", render=False)
    audio = gr.Audio(label="Take", render=False)
    logger = FlagLogger(tmp_path / "flags", [text, audio])
    fd = FileData(path=str(audio_file), orig_name="take.wav")
    assert logger.flag(["first", fd], "good") == 1
    assert logger.flag(["second", fd], "") == 2
    with (tmp_path / "flags" / "log.csv").open() as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Note", "Take", "flag", "username", "timestamp"]
    assert rows[1][:3] == ["first", "Take/take.wav", "good"]
    assert rows[2][1] == "Take/take_1.wav"  # a second flag never overwrites the first copy
    assert (tmp_path / "flags" / "Take" / "take_1.wav").read_bytes() == b"RIFF....WAVE"


def test_tabbed_interface_puts_each_app_in_a_tab() -> None:
    a = gr.Interface(_echo, "text", "text")
    b = gr.Interface(str.upper, "text", "text")
    tabbed = gr.TabbedInterface([a, b], ["Echo", "Shout"], title="Both")
    tabs = [blk for blk in tabbed.walk() if isinstance(blk, Tab)]
    assert [t.label for t in tabs] == ["Echo", "Shout"]
    assert tabbed.title == "Both"
    assert a.predict_dep in tabbed.fns and b.predict_dep in tabbed.fns
    assert a.input_components[0] in tabbed.walk()


def test_tabbed_interface_default_names_and_mismatch() -> None:
    a = gr.Interface(_echo, "text", "text")
    tabbed = gr.TabbedInterface([a])
    assert [t.label for t in tabbed.walk() if isinstance(t, Tab)] == ["Tab 0"]
    with pytest.raises(ValueError, match="2 tab_names for 1 interfaces"):
        gr.TabbedInterface([gr.Interface(_echo, "text", "text")], ["x", "y"])


# -- runtime behaviour, driven through a Session as the TUI drives it ---------------------------
async def _started(app: gr.Blocks) -> Session:
    session = Session(app)
    await session.start()
    await session.wait_idle()
    return session


async def test_submit_runs_fn_with_the_inputs_and_stores_the_output() -> None:
    iface = gr.Interface(lambda word, n: word * int(n), ["text", "number"], "text")
    session = await _started(iface)
    word, n = iface.input_components
    await session.user_input(word, "ab")
    await session.user_input(n, 3)
    await session.wait_idle()
    assert session.get_value(iface.output_components[0]) in (None, "")  # not live: no run yet
    session.trigger(iface.submit_btn, "click")
    await session.wait_idle()
    assert session.get_value(iface.output_components[0]) == "ababab"


async def test_live_interface_reruns_when_an_input_changes() -> None:
    iface = gr.Interface(str.upper, "text", "text", live=True)
    session = await _started(iface)
    await session.user_input(iface.input_components[0], "quiet")
    await session.wait_idle()
    assert session.get_value(iface.output_components[0]) == "QUIET"


async def test_clear_resets_inputs_and_outputs_to_their_initial_values() -> None:
    iface = gr.Interface(str.upper, gr.Textbox("start"), gr.Textbox())
    session = await _started(iface)
    box, out = iface.input_components[0], iface.output_components[0]
    await session.user_input(box, "changed")
    session.trigger(iface.submit_btn, "click")
    await session.wait_idle()
    assert session.get_value(out) == "CHANGED"
    session.trigger(iface.clear_btn, "click")
    await session.wait_idle()
    assert session.get_value(box) == "start"
    assert session.get_value(out) == out.initial_value()


def _tone(seconds):  # noqa: ANN001, ANN202
    t = np.arange(int(8000 * seconds)) / 8000
    return 8000, np.sin(2 * np.pi * 440 * t).astype(np.float32)


async def test_flag_button_writes_a_row_and_copies_the_audio(tmp_path: Path) -> None:
    flags = tmp_path / "flags"
    iface = gr.Interface(_tone, gr.Number(label="Seconds"), gr.Audio(label="Tone"),
                         flagging_dir=str(flags), flagging_options=["good", "bad"])
    session = await _started(iface)
    await session.user_input(iface.input_components[0], 0.5)
    session.trigger(iface.submit_btn, "click")
    await session.wait_idle()
    session.trigger(iface.flag_btns[1], "click")
    await session.wait_idle()
    with (flags / "log.csv").open() as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["Seconds", "Tone", "flag"]
    assert rows[1][0] == "0.5" and rows[1][2] == "bad"
    copied = flags / rows[1][1]
    assert copied.parent == flags / "Tone"
    data, sr = sf.read(copied)
    assert (sr, len(data)) == (8000, 4000)


async def test_auto_flagging_flags_every_successful_run(tmp_path: Path) -> None:
    iface = gr.Interface(str.upper, "text", "text", allow_flagging="auto",
                         flagging_dir=str(tmp_path))
    assert iface.flag_btn is None
    session = await _started(iface)
    for word in ("a", "b"):
        await session.user_input(iface.input_components[0], word)
        session.trigger(iface.submit_btn, "click")
        await session.wait_idle()
    with (tmp_path / "log.csv").open() as f:
        rows = list(csv.reader(f))
    assert [r[:2] for r in rows[1:]] == [["a", "A"], ["b", "B"]]


async def test_examples_fill_the_inputs_and_cached_outputs_are_computed_once() -> None:
    calls = []

    def shout(word, times):  # noqa: ANN001, ANN202
        calls.append(word)
        return word.upper() * int(times)

    iface = gr.Interface(shout, ["text", "number"], "text",
                         examples=[["hey", 2], ["yo", 1]], cache_examples=True)
    session = await _started(iface)
    assert sorted(calls) == ["hey", "yo"]  # the cache filled at start-up
    handler = iface.examples_handler
    session.set_value(handler.dataset, 1)
    session.trigger(handler.dataset, "click")
    await session.wait_idle()
    assert [session.get_value(c) for c in iface.input_components] == ["yo", 1]
    assert session.get_value(iface.output_components[0]) == "YO"
    await _started(iface)  # a second session finds the cache ready
    assert len(calls) == 2


async def test_tone_interface_runs_and_flags_from_the_terminal_ui(tmp_path: Path) -> None:
    from audiotui.loader import load_app
    from audiotui.tui.launch import make_app

    iface = load_app(Path(__file__).resolve().parent.parent / "examples" / "tone.py")
    iface.flag_logger.flagging_dir = tmp_path
    app = make_app(iface)
    async with app.run_test(size=(120, 50)) as pilot:
        session = app.session
        await session.user_input(iface.input_components[0], "A")
        await pilot.click(app.component_widgets[iface.submit_btn.id])
        await pilot.pause()
        await session.wait_idle()
        out = session.get_value(iface.output_components[0])
        data, sr = sf.read(out.path)
        assert (sr, len(data)) == (48000, 48000)
        spectrum = np.abs(np.fft.rfft(data))
        assert np.argmax(spectrum) == pytest.approx(440, abs=1)  # 1 s: bin index = Hz
        await pilot.click(app.component_widgets[iface.flag_btn.id])
        await pilot.pause()
        await session.wait_idle()
    with (tmp_path / "log.csv").open() as f:
        rows = list(csv.reader(f))
    assert rows[1][:3] == ["A", "4", "1"]
    assert (tmp_path / rows[1][3]).is_file()
