"""Pilot tests for `gr.render` in the terminal: containers rebuilt from the Session's LayoutChanged."""

from __future__ import annotations

from typing import Any

from test_tui_support import app_for, settle
from textual.widgets import Collapsible, Input, TabbedContent, TabPane

import audiotui as gr


def _textboxes(app: Any, label_prefix: str) -> list[Any]:
    return [w for w in app.component_widgets.values()
            if str(w.component.label or "").startswith(label_prefix)]


async def test_rendered_textboxes_follow_the_count_and_old_ones_are_dropped() -> None:
    with gr.Blocks() as demo:
        count = gr.Number(value=2, label="count", precision=0)

        @gr.render(inputs=count)
        def boxes(n: int) -> None:
            for i in range(int(n or 0)):
                gr.Textbox(value=f"v{i}", label=f"box {i}", elem_id=f"box-{i}")

    app = app_for(demo)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        shown = _textboxes(app, "box ")
        assert [w.query_one(Input).value for w in shown] == ["v0", "v1"]
        assert all(w.is_mounted for w in shown)
        await app.session.user_input(count, 3)
        await settle(pilot)
        again = _textboxes(app, "box ")
        assert [w.query_one(Input).value for w in again] == ["v0", "v1", "v2"]
        assert not any(w in again for w in shown)  # the first run's widgets are gone
        assert not any(w.is_attached for w in shown)
        assert len(app.query("#box-0")) == 1  # a reused elem_id does not clash
        await app.session.user_input(count, 0)
        await settle(pilot)
        assert _textboxes(app, "box ") == []


async def test_rendered_listeners_and_editability_come_from_the_session() -> None:
    with gr.Blocks() as demo:
        word = gr.Textbox(value="ab", label="word")

        @gr.render(inputs=word)
        def echo(text: str) -> None:
            source = gr.Textbox(value=text, label="rendered in")
            shout = gr.Textbox(label="rendered out")
            source.change(lambda s: s.upper(), source, shout)

    app = app_for(demo)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        (source,) = _textboxes(app, "rendered in")
        (out,) = _textboxes(app, "rendered out")
        assert source.interactive and not out.interactive  # rendered output: display only
        field = source.query_one(Input)
        field.focus()
        await pilot.press("end", "c")
        await settle(pilot)
        assert out.query_one(Input).value == "ABC"


async def test_nested_render_is_drawn_inside_its_parent_render() -> None:
    with gr.Blocks() as demo:
        outer_n = gr.Number(value=1, label="outer", precision=0)
        inner_n = gr.Number(value=2, label="inner", precision=0)

        @gr.render(inputs=outer_n)
        def outer(n: int) -> None:
            for i in range(int(n or 0)):
                gr.Markdown(f"group {i}")

                @gr.render(inputs=inner_n)
                def inner(m: int, i: int = i) -> None:
                    for j in range(int(m or 0)):
                        gr.Textbox(value=f"{i}.{j}", label=f"cell {i}.{j}")

    app = app_for(demo)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert [w.query_one(Input).value for w in _textboxes(app, "cell ")] == ["0.0", "0.1"]
        await app.session.user_input(inner_n, 3)
        await settle(pilot)
        assert [w.query_one(Input).value for w in _textboxes(app, "cell ")] == [
            "0.0", "0.1", "0.2"]
        await app.session.user_input(outer_n, 2)
        await settle(pilot)
        cells = _textboxes(app, "cell ")
        assert sorted(w.query_one(Input).value for w in cells) == [
            "0.0", "0.1", "0.2", "1.0", "1.1", "1.2"]
        assert all(w.is_attached for w in cells)


async def test_a_render_container_is_dimmed_while_its_function_runs() -> None:
    import threading

    release = threading.Event()
    with gr.Blocks() as demo:
        count = gr.Number(value=1, label="count", precision=0)

        @gr.render(inputs=count)
        def slow(n: int) -> None:
            if int(n or 0) > 1:
                release.wait(10)
            gr.Markdown(f"{n} items")

    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        container = app.layout_widgets[demo.children[-1].id]
        assert not container.has_class("-pending")
        await app.session.user_input(count, 2)
        await pilot.pause(0.3)
        assert container.has_class("-pending")
        release.set()
        await settle(pilot)
        assert not container.has_class("-pending")


async def test_a_keyed_control_keeps_the_focus_when_its_render_reruns() -> None:
    from audiotui.tui.widgets.slider import SliderBar

    with gr.Blocks() as demo:
        gains = gr.State([1.0])

        @gr.render(inputs=gains)
        def sliders(values: list[float]) -> None:
            for i, value in enumerate(values):
                gain = gr.Slider(0, 2, value=value, step=0.5, label=f"gain {i}", key=f"g{i}")

                def store(v: float, values: list[float], i: int = i) -> list[float]:
                    return [*values[:i], v, *values[i + 1:]]

                gain.release(store, [gain, gains], gains)

    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        (old,) = _textboxes(app, "gain 0")
        old.query_one(SliderBar).focus()
        await pilot.press("end")  # a jump releases at once: the State changes, render reruns
        await settle(pilot)
        assert app.session.get_value(gains) == [2.0]
        (new,) = _textboxes(app, "gain 0")
        assert new is not old
        assert app.focused is new.query_one(SliderBar)
        await pilot.press("home")
        await settle(pilot)
        assert app.session.get_value(gains) == [0.0]


async def test_elem_ids_and_classes_textual_refuses_are_adapted_and_shared_ids_do_not_crash(
) -> None:
    with gr.Blocks() as demo:
        with gr.Row(elem_id="my row", elem_classes=["a.b", "2col"]):
            first = gr.Textbox(elem_id="1st box", elem_classes="wide tall")
            twin_a = gr.Textbox(elem_id="twin")
            twin_b = gr.Textbox(elem_id="twin")
        with gr.Tabs(selected="second"):
            with gr.Tab("one", id="first", elem_id="pane"):
                gr.Textbox(label="in one")
            with gr.Tab("two", id="second", elem_id="pane"):
                gr.Textbox(label="in two")

        @gr.render(inputs=None)
        def twins() -> None:
            gr.Textbox(elem_id="made")
            gr.Textbox(elem_id="made")
    app = app_for(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        row = app.query_one("#my_row")
        assert row.has_class("a_b") and row.has_class("_2col")
        box = app.component_widgets[first.id]
        assert box.id == "_1st_box" and box.has_class("wide") and box.has_class("tall")
        assert app.component_widgets[twin_a.id].id == "twin"
        assert app.component_widgets[twin_b.id].id is None  # Textual allows one per parent
        tabs = app.query_one(TabbedContent)
        assert tabs.active == tabs.query(TabPane).last().id  # selected= still finds its pane
        made = [w for w in app.component_widgets.values()
                if getattr(w.component, "elem_id", None) == "made"]
        assert sorted(str(w.id) for w in made) == ["None", "made"]


async def test_returning_tabs_selected_switches_the_tab_without_a_user_select_event() -> None:
    selects: list[Any] = []
    with gr.Blocks() as demo:
        with gr.Tabs() as tabs:
            with gr.Tab("one", id="first") as first:
                gr.Textbox(label="in one")
            with gr.Tab("two", id="second") as second:
                gr.Textbox(label="in two")
        go = gr.Button("go")
        go.click(lambda: gr.Tabs(selected="second"), None, tabs)
        first.select(lambda: selects.append("first"), None, None)
        second.select(lambda: selects.append("second"), None, None)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tabbed = app.query_one(TabbedContent)
        assert tabbed.active == app.layout_widgets[first.id].id
        await pilot.click(app.component_widgets[go.id].query_one("Button"))
        await settle(pilot)
        assert tabbed.active == app.layout_widgets[second.id].id
        assert selects == []  # the app switched it; Gradio fires select on user clicks only
        tabbed.active = app.layout_widgets[first.id].id  # as a click on the tab does
        await settle(pilot)
        assert selects == ["first"]


async def test_returning_accordion_open_unfolds_it() -> None:
    with gr.Blocks() as demo:
        with gr.Accordion("more", open=False) as more:
            gr.Textbox(label="inside")
        go = gr.Button("go")
        go.click(lambda: gr.Accordion(open=True), None, more)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        fold = app.query_one(Collapsible)
        assert fold.collapsed is True
        await pilot.click(app.component_widgets[go.id].query_one("Button"))
        await settle(pilot)
        assert fold.collapsed is False
