"""Pilot tests: each form widget hands the Session the right value and fires its events."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from test_tui_support import app_for, settle
from textual.widgets import (
    Checkbox,
    DataTable,
    Input,
    RadioSet,
    Select,
    SelectionList,
    TextArea,
    Tree,
)

import audiotui as gr
from audiotui.blocks import parse_file_size
from audiotui.components.base import Component
from audiotui.tui.widgets.display import label_rows
from audiotui.tui.widgets.path_input import complete_path
from audiotui.tui.widgets.slider import SliderBar


def _recorder(calls: list[Any], name: str) -> Any:
    def fn(*args: Any) -> None:
        calls.append((name, *args))

    fn.__name__ = name
    return fn


async def test_number_out_of_range_is_flagged_and_never_sent() -> None:
    calls: list[Any] = []
    with gr.Blocks() as demo:
        num = gr.Number(5, minimum=0, maximum=10, label="n")
        num.change(_recorder(calls, "change"), num, None)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[num.id]
        field = widget.query_one(Input)
        field.focus()
        field.value = ""
        await pilot.press(*"42")
        await settle(pilot)
        assert widget.has_class("-invalid")
        assert "above the maximum 10" in str(widget.query_one(".component-error").render())
        assert app.session.get_value(num) != 42
        assert all(call[1] != 42 for call in calls)
        field.value = ""
        await pilot.press("7")
        await settle(pilot)
        assert not widget.has_class("-invalid")
        assert app.session.get_value(num) == 7
        assert calls[-1] == ("change", 7.0)


async def test_number_rejects_text_that_is_not_a_number() -> None:
    with gr.Blocks() as demo:
        num = gr.Number(1)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[num.id]
        widget.query_one(Input).value = "abc"
        await settle(pilot)
        assert widget.has_class("-invalid")
        assert "'abc' is not a number" in str(widget.query_one(".component-error").render())
        assert app.session.get_value(num) == 1


async def test_slider_arrow_keys_release_once_keys_stop_and_home_end_at_once() -> None:
    calls: list[Any] = []
    with gr.Blocks() as demo:
        slider = gr.Slider(0, 10, value=2, step=2, label="s")
        slider.change(_recorder(calls, "change"), slider, None)
        slider.release(_recorder(calls, "release"), slider, None)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.component_widgets[slider.id].query_one(SliderBar)
        bar.focus()
        await pilot.press("right", "right")
        await settle(pilot)
        assert app.session.get_value(slider) == 6
        assert ("release", 6) not in calls
        await pilot.pause(0.6)
        await settle(pilot)
        assert calls.count(("release", 6)) == 1
        await pilot.press("right", "end")
        await settle(pilot)
        assert app.session.get_value(slider) == 10
        assert ("change", 10) in calls
        assert calls.count(("release", 10)) == 1
        await pilot.pause(0.6)
        await settle(pilot)
        assert [c for c in calls if c[0] == "release"] == [("release", 6), ("release", 10)]
        await pilot.press("home")
        await settle(pilot)
        assert app.session.get_value(slider) == 0
        assert calls[-1] == ("release", 0)


async def test_dropdown_with_index_type_passes_the_index_to_the_function() -> None:
    calls: list[Any] = []
    with gr.Blocks() as demo:
        dd = gr.Dropdown(["C", "C#", "D"], type="index", label="note")
        dd.change(_recorder(calls, "change"), dd, None)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        select = app.component_widgets[dd.id].query_one(Select)
        select.focus()
        await pilot.press("enter", "down", "down", "enter")
        await settle(pilot)
        assert app.session.get_value(dd) == "C#"
        assert calls == [("change", 1)]


async def test_multiselect_dropdown_stores_the_list_of_picked_values() -> None:
    with gr.Blocks() as demo:
        dd = gr.Dropdown(["a", "b", "c"], multiselect=True, label="tags")
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sel = app.component_widgets[dd.id].query_one(SelectionList)
        sel.focus()
        await pilot.press("space", "down", "down", "space")
        await settle(pilot)
        assert app.session.get_value(dd) == ["a", "c"]


async def test_radio_and_checkbox_group_and_checkbox_store_their_values() -> None:
    with gr.Blocks() as demo:
        radio = gr.Radio(["x", "y"], label="r")
        group = gr.CheckboxGroup(["p", "q", "r"], label="g")
        box = gr.Checkbox(label="ok")
    app = app_for(demo)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        app.component_widgets[radio.id].query_one(RadioSet).focus()
        await pilot.press("down", "enter")
        app.component_widgets[group.id].query_one(SelectionList).focus()
        await pilot.press("down", "space")
        app.component_widgets[box.id].query_one(Checkbox).focus()
        await pilot.press("space")
        await settle(pilot)
        assert app.session.get_value(radio) in ("x", "y")
        assert app.session.get_value(group) == ["q"]
        assert app.session.get_value(box) is True


async def test_textbox_typing_stores_text_and_enter_fires_submit() -> None:
    calls: list[Any] = []
    with gr.Blocks() as demo:
        text = gr.Textbox(label="t")
        text.submit(_recorder(calls, "submit"), text, None)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.component_widgets[text.id].query_one(Input).focus()
        await pilot.press(*"hi", "enter")
        await settle(pilot)
        assert app.session.get_value(text) == "hi"
        assert calls == [("submit", "hi")]


async def test_textbox_password_hides_and_multiline_keeps_lines_and_placeholder() -> None:
    with gr.Blocks() as demo:
        secret = gr.Textbox(type="password", placeholder="key", label="secret")
        notes = gr.Textbox(lines=3, placeholder="write here", label="notes")
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        field = app.component_widgets[secret.id].query_one(Input)
        assert field.password is True and field.placeholder == "key"
        area = app.component_widgets[notes.id].query_one(TextArea)
        assert area.placeholder == "write here"
        assert area.size.height >= 3
        area.focus()
        await pilot.press(*"ab", "enter", "c")
        await settle(pilot)
        assert app.session.get_value(notes) == "ab\nc"


async def test_engine_updates_are_shown_without_echoing_back_as_input() -> None:
    calls: list[Any] = []
    with gr.Blocks() as demo:
        src = gr.Textbox(label="src")
        dst = gr.Textbox(label="dst")
        dst.change(_recorder(calls, "dst_change"), dst, None)
        src.submit(lambda s: s.upper(), src, dst)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.component_widgets[src.id].query_one(Input).focus()
        await pilot.press(*"ab", "enter")
        await settle(pilot)
        assert app.component_widgets[dst.id].query_one(Input).value == "AB"
        assert app.session.get_value(dst) == "AB"
        # the engine's own change of dst fires change once; the widget did not echo it
        assert calls.count(("dst_change", "AB")) <= 1


def test_label_rows_sort_by_confidence_and_keep_the_top_classes() -> None:
    value = {
        "label": "cat",
        "confidences": [
            {"label": "dog", "confidence": 0.2},
            {"label": "cat", "confidence": 0.7},
            {"label": "eel", "confidence": 0.1},
        ],
    }
    assert label_rows(value, 2) == [("cat", 0.7), ("dog", 0.2)]
    assert label_rows({"a": 0.1, "b": 0.9}) == [("b", 0.9), ("a", 0.1)]
    assert label_rows("plain") == [("plain", None)]


async def test_label_and_json_widgets_draw_their_values() -> None:
    with gr.Blocks() as demo:
        label = gr.Label({"cat": 0.75, "dog": 0.25}, label="guess")
        data = gr.JSON({"a": [1, 2], "b": {"c": True}}, label="data")
    app = app_for(demo)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        text = str(app.component_widgets[label.id].query_one(".label-bars").render())
        assert "cat" in text and "75.0%" in text and "█" in text
        tree = app.component_widgets[data.id].query_one(Tree)
        labels = [str(node.label) for node in tree.root.children]
        assert labels == ["a: [2]", "b: {1}"]


async def test_component_without_a_terminal_widget_gets_a_clear_placeholder() -> None:
    class Video(Component):
        pass

    with gr.Blocks() as demo:
        Video(label="clip")
        ok = gr.Textbox(label="still works")
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        placeholders = app.query(".unsupported")
        assert len(placeholders) == 1
        assert "Video cannot be drawn" in str(placeholders.first().render())
        assert ok.id in app.component_widgets


def test_path_completion_completes_common_prefix_and_filters_extensions(tmp_path: Path) -> None:
    (tmp_path / "take-one.wav").write_bytes(b"")
    (tmp_path / "take-two.wav").write_bytes(b"")
    (tmp_path / "takeaway.txt").write_bytes(b"")
    (tmp_path / "songs").mkdir()
    base = str(tmp_path) + os.sep
    assert complete_path(base + "take", [".wav"]) == base + "take-"
    assert complete_path(base + "take-o", [".wav"]) == base + "take-one.wav"
    assert complete_path(base + "so", [".wav"]) == base + "songs" + os.sep
    assert complete_path(base + "takeaway", [".wav"]) is None


async def test_file_widget_loads_a_typed_path_and_flags_a_missing_one(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("hello")
    with gr.Blocks() as demo:
        file = gr.File(label="f")
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[file.id]
        field = widget.query_one(Input)
        field.focus()
        field.value = str(tmp_path / "missing.txt")
        await pilot.press("enter")
        await settle(pilot)
        assert widget.has_class("-invalid")
        assert "no such file" in str(widget.query_one(".component-error").render())
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        stored = app.session.get_value(file)
        assert stored is not None and Path(stored.path).read_text() == "hello"


@pytest.mark.parametrize("pick", [0, 1])
async def test_selecting_an_example_row_fills_the_inputs(pick: int) -> None:
    demo = gr.Interface(
        lambda a, b: f"{a}{b}",
        [gr.Textbox(label="a"), gr.Number(label="b")],
        "text",
        examples=[["x", 1], ["y", 2]],
    )
    app = app_for(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.query_one(DataTable)
        table.focus()
        await pilot.press(*(["down"] * pick), "enter")
        await settle(pilot)
        a, b = demo.input_components
        assert app.session.get_value(a) == ["x", "y"][pick]
        assert app.session.get_value(b) == [1, 2][pick]
        assert app.component_widgets[a.id].query_one(Input).value == ["x", "y"][pick]


async def test_unsupported_box_describes_the_value_and_follows_changes() -> None:
    with gr.Blocks() as demo:
        chat = gr.Chatbot(label="log")
        fill = gr.Button("fill")
        fill.click(lambda: [["hi", "hello"], ["bye", "ciao"]], None, chat)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        box = app.component_widgets[chat.id].query_one(".unsupported")
        before = str(box.render())
        assert before.startswith("Chatbot cannot be drawn in the terminal")
        assert "value: empty" in before
        await pilot.click(app.component_widgets[fill.id])
        await settle(pilot)
        assert "value: 2 items" in str(box.render())


async def test_file_over_max_file_size_is_refused_in_place_and_a_small_one_loads(
    tmp_path: Path,
) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(2049))
    small = tmp_path / "small.bin"
    small.write_bytes(bytes(2048))
    calls: list[Any] = []
    with gr.Blocks() as demo:
        file = gr.File(label="f")
        file.upload(_recorder(calls, "upload"), file, None)
    demo.max_file_size = parse_file_size("2kb")  # what launch(max_file_size="2kb") records
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        widget = app.component_widgets[file.id]
        field = widget.query_one(Input)
        field.focus()
        field.value = str(big)
        await pilot.press("enter")
        await settle(pilot)
        error = str(widget.query_one(".component-error").render())
        assert "big.bin is 2.001 KB (2049 bytes), over this app's max_file_size of 2 KB (2048 bytes)" in error
        assert app.session.get_value(file) is None and calls == []
        field.value = str(small)
        await pilot.press("enter")
        await settle(pilot)
        assert not widget.has_class("-invalid")
        assert Path(app.session.get_value(file).path).stat().st_size == 2048
        assert len(calls) == 1


async def test_user_text_with_brackets_is_shown_as_written_not_read_as_markup() -> None:
    odd = "take [/tmp] [b]bold"
    with gr.Blocks() as demo, gr.Tabs(), gr.Tab(odd), gr.Accordion(odd):
        gr.Radio([odd, "plain"], label="radio")
        gr.Checkbox(label=odd)
        gr.Dropdown([odd, "plain"], value=odd, label="one")
        gr.Dropdown([odd, "plain"], multiselect=True, label="many")
        gr.CheckboxGroup([odd, "plain"], label="group")
        button = gr.Button(odd)
        data = gr.JSON({odd: [odd]})
        box = gr.Textbox(label="box")
        gr.Examples([[odd]], box)
    app = app_for(demo)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        assert app.is_running and app._exception is None
        assert str(app.component_widgets[button.id].query_one("Button").label) == odd
        tree = app.component_widgets[data.id].query_one(Tree)
        labels = [str(n.label) for n in tree.root.children]
        labels += [str(n.label) for n in tree.root.children[0].children]
        assert labels == [f"{odd}: [1]", f'0: "{odd}"']
        table = app.query_one(DataTable)
        assert str(table.get_cell_at((0, 0))) == odd
        assert any(str(b.label) == odd for b in app.query("RadioButton"))
        assert str(app.query_one(Checkbox).label) == odd
