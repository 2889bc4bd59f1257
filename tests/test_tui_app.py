"""Pilot tests for the app: Blocks layout, the tone demo, toasts, print capture, narrow screens."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_tui_support import app_for, settle
from textual.containers import Horizontal, Vertical
from textual.widgets import Collapsible, Input, Select, TabbedContent

import audiotui as gr
from audiotui.loader import load_app
from audiotui.tui.app import NARROW_COLUMNS, interactive_ids
from audiotui.tui.widgets.audio import AudioWidget
from audiotui.tui.widgets.job_status import JobStatus
from audiotui.tui.widgets.print_log import PrintLog

ROOT = Path(__file__).resolve().parent.parent


async def test_tone_demo_submit_draws_the_waveform_and_its_duration() -> None:
    demo = load_app(ROOT / "examples" / "tone.py")
    app = app_for(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        note, octave, duration = demo.input_components
        app.component_widgets[note.id].query_one(Select).focus()
        await pilot.press("enter", "down", "down", "down", "enter")  # D
        duration_field = app.component_widgets[duration.id].query_one(Input)
        duration_field.value = "2"
        await settle(pilot)
        await pilot.click(app.component_widgets[demo.submit_btn.id].query_one("Button"))
        await settle(pilot)
        audio = app.component_widgets[demo.output_components[0].id]
        assert isinstance(audio, AudioWidget)
        value = app.session.get_value(demo.output_components[0])
        assert value is not None and value.meta["frames"] == 96000
        assert audio.view.duration == 2.0
        lines = audio.view.render().plain.splitlines()
        assert any("⣿" in line for line in lines)
        assert lines[-1].startswith("|0:00")
        assert "0:02.0" in str(audio.query_one(".audio-info").render())


async def test_layout_maps_rows_columns_tabs_accordions_and_css_hooks() -> None:
    with gr.Blocks() as demo:
        with gr.Row(elem_id="top"):
            a = gr.Textbox(label="a", elem_id="field-a", elem_classes=["mine"], scale=2)
            with gr.Column(min_width=400):
                b = gr.Textbox(label="b")
        with gr.Tabs():
            with gr.Tab("first"):
                c = gr.Textbox(label="c")
            with gr.Tab("second"):
                gr.Textbox(label="d")
        with gr.Accordion("more", open=False):
            gr.Textbox(label="e")
        with gr.Group():
            hidden = gr.Textbox(label="hidden", visible=False)
    app = app_for(demo)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        row = app.query_one("#top")
        assert isinstance(row, Horizontal) and row.has_class("row")
        field = app.query_one("#field-a")
        assert field is app.component_widgets[a.id] and field.has_class("mine")
        assert str(field.styles.width) == "2fr"
        column = app.component_widgets[b.id].parent
        # min_width is the Row's wrapping floor (flex_row), not a CSS min-width that overflows
        assert isinstance(column, Vertical) and column.flex_min_cells == 50
        assert column.region.width >= 50 and column.region.right <= app.size.width
        tabs = app.query_one(TabbedContent)
        assert app.component_widgets[c.id] in tabs.query("*")
        assert app.query_one(Collapsible).collapsed is True
        assert app.component_widgets[hidden.id].display is False
        assert app.component_widgets[hidden.id].parent.has_class("group")


async def test_returned_update_shows_a_hidden_component() -> None:
    with gr.Blocks() as demo:
        secret = gr.Textbox("boo", label="secret", visible=False)
        show = gr.Button("show")
        show.click(lambda: gr.update(visible=True), None, secret)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.component_widgets[secret.id].display is False
        await pilot.click(app.component_widgets[show.id].query_one("Button"))
        await settle(pilot)
        assert app.component_widgets[secret.id].display is True


async def test_function_error_becomes_an_error_toast_naming_the_function() -> None:
    def divide(x: float) -> float:
        return 1 / x

    with gr.Blocks() as demo:
        num = gr.Number(0, label="x")
        out = gr.Number(label="1/x")
        go = gr.Button("go")
        go.click(divide, num, out)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click(app.component_widgets[go.id].query_one("Button"))
        await settle(pilot)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors, "no error toast"
        assert "divide" in errors[-1].message + errors[-1].title
        assert "ZeroDivisionError" in errors[-1].message


async def test_info_and_warning_notices_become_toasts() -> None:
    def hello() -> None:
        gr.Info("all good")
        gr.Warning("careful")

    with gr.Blocks() as demo:
        btn = gr.Button("hi")
        btn.click(hello, None, None)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click(app.component_widgets[btn.id].query_one("Button"))
        await settle(pilot)
        seen = {(n.severity, n.message) for n in app._notifications}
        assert ("information", "all good") in seen
        assert ("warning", "careful") in seen


async def test_user_print_goes_to_the_log_panel_not_the_screen() -> None:
    def shout() -> None:
        print("hello from the app")

    with gr.Blocks() as demo:
        btn = gr.Button("print")
        btn.click(shout, None, None)
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        log = app.query_one(PrintLog)
        assert log.display is False or not log.has_class("-open")
        await pilot.click(app.component_widgets[btn.id].query_one("Button"))
        await settle(pilot)
        assert log.history == ["hello from the app"]
        assert log.unseen == 1
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert log.has_class("-open") and log.unseen == 0


async def test_narrow_terminal_stacks_interface_inputs_above_outputs() -> None:
    demo = gr.Interface(lambda s: s, gr.Textbox(label="in"), gr.Textbox(label="out"))
    app = app_for(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-narrow")
        inp = app.component_widgets[demo.input_components[0].id]
        out = app.component_widgets[demo.output_components[0].id]
        assert out.region.y > inp.region.y
    app = app_for(demo)
    async with app.run_test(size=(NARROW_COLUMNS + 40, 30)) as pilot:
        await settle(pilot)
        assert not app.screen.has_class("-narrow")
        inp = app.component_widgets[demo.input_components[0].id]
        out = app.component_widgets[demo.output_components[0].id]
        assert out.region.x > inp.region.x


def test_interface_outputs_are_display_only_but_explicit_interactive_wins() -> None:
    editable_out = gr.Textbox(label="editable", interactive=True)
    demo = gr.Interface(lambda s: (s, s), gr.Textbox(label="in"),
                        [gr.Textbox(label="out"), editable_out])
    ids: set[Any] = interactive_ids(demo)
    assert demo.output_components[0].interactive is False  # set by the Interface, as Gradio
    assert demo.input_components[0].interactive is None
    assert demo.input_components[0].id in ids
    assert demo.output_components[0].id not in ids
    assert editable_out.id in ids


@pytest.mark.parametrize("mode", ["full", "minimal", "hidden"])
async def test_progress_shows_a_bar_and_description_while_the_function_runs(mode: str) -> None:
    """full: bar and description; minimal: name and timer only; hidden: nothing at all."""
    import threading

    release = threading.Event()
    reported = threading.Event()

    def slow(x: str, progress: Any = gr.Progress()) -> str:  # noqa: B008 - Gradio's idiom
        progress(0.5, desc="halfway")
        reported.set()
        release.wait(10)
        return x

    with gr.Blocks() as demo:
        text = gr.Textbox("a", label="in")
        out = gr.Textbox(label="out")
        go = gr.Button("go")
        go.click(slow, text, out, show_progress=mode)  # type: ignore[arg-type]
    app = app_for(demo)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.click(app.component_widgets[go.id].query_one("Button"))
        status = app.query_one(JobStatus)
        for _ in range(50):
            await pilot.pause(0.05)
            if reported.is_set() and any(e["progress"] for e in status.jobs.values()):
                break
        await pilot.pause(0.1)
        shown = str(status.render())
        if mode == "full":
            assert "slow" in shown and "50%" in shown and "halfway" in shown
        elif mode == "minimal":
            assert "slow" in shown and re.search(r"\d+\.\ds", shown)
            assert "50%" not in shown and "halfway" not in shown
        else:
            assert not status.has_class("-busy") and "slow" not in shown
        assert app.component_widgets[out.id].has_class("-pending") is (mode != "hidden")
        release.set()
        await settle(pilot)
        assert not status.has_class("-busy")
        assert app.session.get_value(out) == "a"


async def test_stop_button_cancels_a_running_generator() -> None:
    import time

    def count(n: float) -> Any:
        for i in range(1000):
            time.sleep(0.05)
            yield str(i)

    demo = gr.Interface(count, gr.Number(1, label="n"), gr.Textbox(label="count"))
    app = app_for(demo)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.click(app.component_widgets[demo.submit_btn.id].query_one("Button"))
        status = app.query_one(JobStatus)
        for _ in range(40):
            await pilot.pause(0.05)
            if status.has_class("-busy"):
                break
        assert status.has_class("-busy")
        await pilot.click(app.component_widgets[demo.stop_btn.id].query_one("Button"))
        await settle(pilot)
        assert not status.has_class("-busy")
        stopped_at = app.session.get_value(demo.output_components[0])
        await pilot.pause(0.3)
        assert app.session.get_value(demo.output_components[0]) == stopped_at


async def test_switching_tabs_fires_select_and_opening_an_accordion_fires_expand() -> None:
    calls: list[str] = []
    with gr.Blocks() as demo:
        with gr.Tabs():
            with gr.Tab("one"):
                gr.Textbox(label="a")
            with gr.Tab("two") as two:
                gr.Textbox(label="b")
        with gr.Accordion("more", open=False) as more:
            gr.Textbox(label="c")
        two.select(lambda: calls.append("select two"), None, None)
        more.expand(lambda: calls.append("expand"), None, None)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert calls == []
        app.query_one(TabbedContent).active = app.layout_widgets[two.id].id or ""
        await settle(pilot)
        app.query_one(Collapsible).collapsed = False
        await settle(pilot)
        assert calls == ["select two", "expand"]


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "examples").glob("*.py")))
async def test_every_example_opens_without_errors(example: str) -> None:
    demo = load_app(ROOT / "examples" / example)
    app = app_for(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.component_widgets, "nothing was drawn"
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == []
        assert not app.query(".unsupported")


async def test_a_queued_run_shows_as_pending_until_its_turn() -> None:
    import threading

    release = threading.Event()

    def hold() -> None:
        release.wait(10)

    with gr.Blocks() as demo:
        first = gr.Button("first")
        second = gr.Button("second")
        first.click(hold, None, None, concurrency_id="one", concurrency_limit=1)
        second.click(hold, None, None, concurrency_id="one", concurrency_limit=1)
    app = app_for(demo)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.click(app.component_widgets[first.id].query_one("Button"))
        await pilot.pause(0.2)
        await pilot.click(app.component_widgets[second.id].query_one("Button"))
        await pilot.pause(0.5)
        status = str(app.query_one(JobStatus).render())
        assert "hold pending" in status
        release.set()
        await settle(pilot)
        assert not app.query_one(JobStatus).has_class("-busy")


async def test_a_change_run_queued_behind_a_busy_one_shows_as_pending() -> None:
    import threading

    release = threading.Event()

    def hold(_value: str = "") -> None:
        release.wait(10)

    with gr.Blocks() as demo:
        start = gr.Button("start")
        word = gr.Textbox(label="word")
        start.click(hold, None, None, concurrency_id="one", concurrency_limit=1)
        word.change(hold, word, None, concurrency_id="one", concurrency_limit=1)
    app = app_for(demo)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.click(app.component_widgets[start.id].query_one("Button"))
        await pilot.pause(0.2)
        field = app.component_widgets[word.id].query_one(Input)
        field.focus()
        await pilot.press("a")
        await pilot.pause(0.5)
        status = str(app.query_one(JobStatus).render())
        assert status.count("hold") == 2 and "hold pending" in status
        release.set()
        await settle(pilot)
        assert not app.query_one(JobStatus).has_class("-busy")


async def test_container_false_drops_the_frame_and_show_label_follows_updates() -> None:
    with gr.Blocks() as demo:
        framed = gr.Audio(label="framed")
        bare = gr.Audio(label="bare", container=False)
        quiet = gr.Textbox(label="quiet", show_label=False)
        reveal = gr.Button("reveal")
        reveal.click(lambda: gr.update(show_label=True, label="loud"), None, quiet)
    app = app_for(demo)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        with_frame, without = app.component_widgets[framed.id], app.component_widgets[bare.id]
        assert with_frame.styles.border_top[0] == "round"
        assert without.styles.border_top[0] in ("", "none")
        assert without.styles.margin.bottom == 0 < with_frame.styles.margin.bottom
        label = app.component_widgets[quiet.id].query_one(".component-label")
        assert label.display is False
        await pilot.click(app.component_widgets[reveal.id].query_one("Button"))
        await settle(pilot)
        assert label.display is True and str(label.render()) == "loud"
