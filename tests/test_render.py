"""`gr.render`: layouts rebuilt per session when their inputs change, with their own listeners."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

import audiotui as gr
from audiotui.client import Client
from audiotui.components.base import Block
from audiotui.data import FileData
from audiotui.errors import AppLoadError
from audiotui.layout import Column, Row
from audiotui.runtime import Session
from audiotui.session_events import LayoutChanged, Notice, SessionEvent

COMPAT_APPS = Path(__file__).resolve().parent / "compat" / "apps"


async def started(blocks: gr.Blocks) -> tuple[Session, list[SessionEvent]]:
    session = Session(blocks)
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    await session.start()
    await session.wait_idle()
    return session, events


def render_container(blocks: gr.Blocks, index: int = 0) -> Block:
    """The container a `@gr.render` left in the app's layout (the index-th one)."""
    from audiotui.renderable import Renderable

    found = [d.fn.container for d in blocks.fns if isinstance(d.fn, Renderable)]
    return found[index]


def labels(session: Session, container: Block) -> list[Any]:
    return [getattr(b, "label", None) for b in session.layout_children(container)]


def boxes_app() -> tuple[gr.Blocks, Any, Any]:
    """A Number of boxes, each a Textbox; a Join button (made inside) joins them into `out`."""
    with gr.Blocks() as demo:
        count = gr.Number(2, precision=0, label="count")
        out = gr.Textbox(label="joined")

        @gr.render(inputs=count)
        def boxes(n: int) -> None:
            made = [gr.Textbox(f"text {i}", label=f"box {i}") for i in range(n)]
            join = gr.Button("Join")
            join.click(lambda *texts: "+".join(texts), made, out)

    return demo, count, out


async def test_render_makes_one_textbox_per_count_and_rebuilds_when_the_count_changes() -> None:
    demo, count, _ = boxes_app()
    container = render_container(demo)
    session, events = await started(demo)
    try:
        assert labels(session, container) == ["box 0", "box 1", None]
        first = [e for e in events if isinstance(e, LayoutChanged)]
        assert len(first) == 1 and first[0].container is container
        assert first[0].children == session.layout_children(container)

        await session.user_input(count, 4)
        await session.wait_idle()
        assert labels(session, container) == ["box 0", "box 1", "box 2", "box 3", None]
        latest = [e for e in events if isinstance(e, LayoutChanged)][-1]
        assert [getattr(b, "label", None) for b in latest.children] == labels(session, container)
        boxes = session.layout_children(container)[:4]
        assert [session.get_value(b) for b in boxes] == [f"text {i}" for i in range(4)]
        assert container.children == []  # the shared app definition is never filled
    finally:
        await session.close()


async def test_render_inside_a_row_fills_a_row_and_sits_where_it_was_declared() -> None:
    with gr.Blocks() as demo:
        before = gr.Textbox(label="before")
        with gr.Row() as row:

            @gr.render()
            def inside() -> None:
                gr.Textbox(label="made")

        after = gr.Textbox(label="after")
    container = render_container(demo)
    assert isinstance(container, Row) and container.parent is row
    session, _ = await started(demo)
    try:
        walked = [b for b in session.walk() if not isinstance(b, (Row, Column))]
        assert [getattr(b, "label", None) for b in walked] == ["before", "made", "after"]
        assert walked[0] is before and walked[2] is after
        assert session.layout_children(container)[0].parent is container
    finally:
        await session.close()


async def test_listeners_created_inside_a_render_use_the_rendered_components() -> None:
    demo, count, out = boxes_app()
    container = render_container(demo)
    session, _ = await started(demo)
    try:
        first_box, _, join = session.layout_children(container)
        await session.user_input(first_box, "edited")
        session.trigger(join, "click")
        await session.wait_idle()
        assert session.get_value(out) == "edited+text 1"
    finally:
        await session.close()


async def test_a_rerender_drops_the_previous_listeners_and_blocks() -> None:
    demo, count, out = boxes_app()
    container = render_container(demo)
    session, _ = await started(demo)
    try:
        old_join = session.layout_children(container)[-1]
        live_before = len(session.dependencies())
        await session.user_input(count, 1)
        await session.wait_idle()
        assert session.trigger(old_join, "click") == []
        await session.wait_idle()
        assert session.get_value(out) == ""
        assert len(session.dependencies()) == live_before  # replaced, not accumulated
        new_join = session.layout_children(container)[-1]
        session.trigger(new_join, "click")
        await session.wait_idle()
        assert session.get_value(out) == "text 0"
    finally:
        await session.close()


async def test_a_listener_made_inside_can_be_triggered_by_a_button_outside() -> None:
    # The guide's pattern: State counts the boxes, Merge (declared after) reads them.
    with gr.Blocks() as demo:
        text_count = gr.State(1)
        add = gr.Button("Add Box")
        add.click(lambda n: n + 1, text_count, text_count)

        @gr.render(inputs=text_count)
        def render_count(n: int) -> None:
            made = [gr.Textbox(f"t{i}", key=i, label=f"Box {i}") for i in range(n)]
            merge.click(lambda *texts: " ".join(texts), made, output)

        merge = gr.Button("Merge")
        output = gr.Textbox(label="Merged Output")
    container = render_container(demo)
    session, _ = await started(demo)
    try:
        session.trigger(add, "click")
        await session.wait_idle()
        session.trigger(add, "click")
        await session.wait_idle()
        assert session.get_value(text_count) == 3
        assert labels(session, container) == ["Box 0", "Box 1", "Box 2"]
        session.trigger(merge, "click")
        await session.wait_idle()
        assert session.get_value(output) == "t0 t1 t2"
        # Only this render's listener is wired to Merge: one job per click.
        assert len(session.trigger(merge, "click")) == 1
        await session.wait_idle()
    finally:
        await session.close()


async def test_keyed_components_keep_their_values_across_rerenders_and_unkeyed_reset() -> None:
    with gr.Blocks() as demo:
        count = gr.Number(1, precision=0)

        @gr.render(inputs=count)
        def rows(n: int) -> None:
            for i in range(n):
                gr.Textbox("start", key=f"kept-{i}", label=f"kept {i}")
                gr.Textbox("start", label=f"plain {i}")
            if n == 1:
                gr.Textbox("text", key="slot", label="a box first")
            else:
                gr.Number(0, key="slot", label="then a number under the same key")

    container = render_container(demo)
    session, _ = await started(demo)
    try:
        kept, plain, slot = session.layout_children(container)
        await session.user_input(slot, "not a number")
        await session.user_input(kept, "typed")
        await session.user_input(plain, "typed too")
        await session.user_input(count, 2)
        await session.wait_idle()
        now = session.layout_children(container)
        assert [session.get_value(b) for b in now[:4]] == ["typed", "start", "start", "start"]
        assert now[0] is not kept  # a new component that took the old one's value
        assert session.get_value(now[-1]) == 0  # another type does not inherit the value
    finally:
        await session.close()


async def test_keyed_value_is_the_current_one_not_the_first() -> None:
    with gr.Blocks() as demo:
        count = gr.Number(1, precision=0)

        @gr.render(inputs=count)
        def one(n: int) -> None:
            gr.Textbox("fresh", key="box", label=f"render {n}")

    container = render_container(demo)
    session, _ = await started(demo)
    try:
        for n, typed in ((2, "a"), (3, "b")):
            (box,) = session.layout_children(container)
            await session.user_input(box, typed)
            await session.user_input(count, n)
            await session.wait_idle()
            (box,) = session.layout_children(container)
            assert getattr(box, "label", None) == f"render {n}"
            assert session.get_value(box) == typed
    finally:
        await session.close()


async def test_two_sessions_have_independent_layouts() -> None:
    demo, count, out = boxes_app()
    container = render_container(demo)
    first, _ = await started(demo)
    second, _ = await started(demo)
    try:
        await first.user_input(count, 3)
        await first.wait_idle()
        assert labels(first, container) == ["box 0", "box 1", "box 2", None]
        assert labels(second, container) == ["box 0", "box 1", None]
        assert not set(map(id, first.layout_children(container))) & set(
            map(id, second.layout_children(container))
        )
        # The second session's Join does not write into the first session's output.
        second.trigger(second.layout_children(container)[-1], "click")
        await second.wait_idle()
        assert second.get_value(out) == "text 0+text 1"
        assert first.get_value(out) == ""
        assert first.trigger(second.layout_children(container)[-1], "click") == []
    finally:
        await first.close()
        await second.close()


async def test_custom_triggers_replace_the_default_change_and_load() -> None:
    runs: list[str] = []
    with gr.Blocks() as demo:
        text = gr.Textbox("ab")
        go = gr.Button("go")

        @gr.render(inputs=text, triggers=[go.click])
        def letters(value: str) -> None:
            runs.append(value)
            for letter in value:
                gr.Textbox(letter)

    container = render_container(demo)
    session, _ = await started(demo)
    try:
        assert runs == [] and session.layout_children(container) == []
        await session.user_input(text, "xyz")
        await session.wait_idle()
        assert runs == []
        session.trigger(go, "click")
        await session.wait_idle()
        assert runs == ["xyz"]
        assert [session.get_value(b) for b in session.layout_children(container)] == list("xyz")
    finally:
        await session.close()


async def test_demo_load_in_triggers_renders_at_start() -> None:
    with gr.Blocks() as demo:
        text = gr.Textbox("hi")

        @gr.render(inputs=text, triggers=[text.submit, demo.load])
        def letters(value: str) -> None:
            for letter in value:
                gr.Textbox(letter)

    container = render_container(demo)
    session, _ = await started(demo)
    try:
        assert [session.get_value(b) for b in session.layout_children(container)] == ["h", "i"]
    finally:
        await session.close()


async def test_a_failing_render_keeps_the_previous_layout_and_shows_the_error() -> None:
    with gr.Blocks() as demo:
        count = gr.Number(1, precision=0)

        @gr.render(inputs=count)
        def boxes(n: int) -> None:
            if n > 2:
                raise gr.Error("at most 2 boxes")
            for i in range(n):
                gr.Textbox(label=f"box {i}")

    container = render_container(demo)
    session, events = await started(demo)
    try:
        await session.user_input(count, 5)
        await session.wait_idle()
        assert labels(session, container) == ["box 0"]
        assert any(isinstance(e, Notice) and e.message == "at most 2 boxes" for e in events)
    finally:
        await session.close()


async def test_always_last_renders_from_the_newest_input_after_a_burst() -> None:
    runs: list[int] = []
    with gr.Blocks() as demo:
        count = gr.Number(0, precision=0)

        @gr.render(inputs=count)
        def boxes(n: int) -> None:
            runs.append(n)
            for _ in range(n):
                gr.Textbox()

    container = render_container(demo)
    session, _ = await started(demo)
    try:
        for n in (1, 2, 3, 4):
            await session.user_input(count, n)
        await session.wait_idle()
        assert runs[-1] == 4 and len(runs) < 5  # the start, then at most first + last of the burst
        assert len(session.layout_children(container)) == 4
    finally:
        await session.close()


async def test_callable_values_inside_a_render_are_evaluated_after_it() -> None:
    calls = iter(range(100))
    with gr.Blocks() as demo:
        count = gr.Number(1, precision=0)

        @gr.render(inputs=count)
        def stamped(n: int) -> None:
            gr.Textbox(lambda: f"call {next(calls)}", label=f"stamp {n}")

    container = render_container(demo)
    session, _ = await started(demo)
    try:
        await session.wait_idle()
        (box,) = session.layout_children(container)
        assert session.get_value(box) == "call 0"
        await session.user_input(count, 2)
        await session.wait_idle()
        (box,) = session.layout_children(container)
        assert session.get_value(box) == "call 1"
    finally:
        await session.close()


async def test_a_render_nested_in_a_render_follows_its_own_input_and_goes_with_its_parent() -> None:
    with gr.Blocks() as demo:
        outer_n = gr.Number(1, precision=0)

        @gr.render(inputs=outer_n)
        def outer(n: int) -> None:
            inner_n = gr.Number(n, precision=0, label="inner count")

            @gr.render(inputs=inner_n)
            def inner(m: int) -> None:
                for i in range(m):
                    gr.Textbox(label=f"leaf {n}.{i}")

    container = render_container(demo)
    session, _ = await started(demo)
    try:
        await session.wait_idle()
        inner_n, inner_box = session.layout_children(container)
        assert labels(session, inner_box) == ["leaf 1.0"]
        await session.user_input(inner_n, 3)
        await session.wait_idle()
        assert labels(session, inner_box) == ["leaf 1.0", "leaf 1.1", "leaf 1.2"]
        await session.user_input(outer_n, 2)
        await session.wait_idle()
        inner_n2, inner_box2 = session.layout_children(container)
        assert labels(session, inner_box2) == ["leaf 2.0", "leaf 2.1"]
        assert session.trigger(inner_n, "change") == []  # the old inner render is unwired
        walked = [getattr(b, "label", None) for b in session.walk()]
        assert "leaf 1.0" not in walked and walked.count("leaf 2.0") == 1
    finally:
        await session.close()


async def test_render_functions_receive_request_and_state_inputs() -> None:
    seen: list[Any] = []
    with gr.Blocks() as demo:
        items = gr.State(["a", "b"])

        @gr.render(inputs=items)
        def show(values: list[str], request: gr.Request) -> None:
            seen.append(request)
            for v in values:
                gr.Markdown(v)

    session, _ = await started(demo)
    try:
        assert seen == [session.request]
        assert [session.get_value(b) for b in session.layout_children(render_container(demo))] == [
            "a", "b",
        ]
    finally:
        await session.close()


def test_render_is_refused_outside_blocks_and_for_async_or_generator_functions() -> None:
    with pytest.raises(AppLoadError, match="inside a `with gr.Blocks"):
        gr.render()
    with gr.Blocks():
        with pytest.raises(AppLoadError, match="plain function"):

            @gr.render()
            async def later() -> None:
                gr.Textbox()

        with pytest.raises(AppLoadError, match="trigger must be a listener"):
            gr.render(triggers=["click"])
        with pytest.raises(AppLoadError, match="needs parentheses"):

            @gr.render
            def bare() -> None:
                gr.Textbox()


def test_the_client_renders_at_start_and_does_not_list_renders_as_endpoints() -> None:
    with gr.Blocks() as demo:
        names = gr.State(["x"])
        name = gr.Textbox("y")
        shown = gr.Textbox()
        add = gr.Button("add")

        def append(ns: list[str], n: str) -> tuple[list[str], str]:
            return ns + [n], ",".join(ns + [n])

        add.click(append, [names, name], [names, shown], api_name="add")

        @gr.render(inputs=names)
        def show(ns: list[str]) -> None:
            for n in ns:
                gr.Textbox(n)

    client = Client(demo)
    try:
        assert [ep.name for ep in client.endpoints] == ["add"]
        container = render_container(demo)
        shown = client.session.layout_children(container)
        assert [client.session.get_value(b) for b in shown] == ["x"]
        # An API call stores outputs without firing change events, as in Gradio: no re-render.
        assert client.predict("z", api_name="/add") == "x,z"
        assert client.session.get_value(names) == ["x", "z"]
        assert len(client.session.layout_children(container)) == 1
    finally:
        client.close()


def _tone(path: Path, hz: float, frames: int) -> str:
    t = np.arange(frames) / 16000
    sf.write(path, 0.4 * np.sin(2 * np.pi * hz * t), 16000, subtype="PCM_16")
    return str(path)


async def test_the_track_mixer_app_renders_a_gain_slider_per_added_track(tmp_path: Path) -> None:
    from audiotui.loader import load_app

    demo = load_app(COMPAT_APPS / "track_mixer.py")
    by_label = {getattr(c, "label", None): c for c in demo.components}
    add = next(c for c in demo.components if getattr(c, "value", None) == "Add to the mix")
    session, _ = await started(demo)
    try:
        for hz, frames in ((220, 8000), (1760, 4000)):
            path = _tone(tmp_path / f"{hz}.wav", hz, frames)
            await session.user_input(by_label["New track"], FileData(path=path))
            session.trigger(add, "click")
            await session.wait_idle()
        sliders = [b for b in session.walk() if getattr(b, "label", None) == "Gain"]
        assert len(sliders) == 2
        await session.user_input(sliders[1], 0.0)
        session.trigger(sliders[1], "release")
        await session.wait_idle()
        tracks = session.get_value(next(c for c in demo.components if type(c).__name__ == "State"))
        assert [t["gain"] for t in tracks] == [1.0, 0.0]
        # The re-render that followed kept both sliders, the second one at the new gain.
        sliders = [b for b in session.walk() if getattr(b, "label", None) == "Gain"]
        assert [session.get_value(s) for s in sliders] == [1.0, 0.0]
    finally:
        await session.close()


async def test_a_rerender_cancels_queued_jobs_of_old_listeners_and_lets_running_ones_finish() -> None:
    import threading

    release = threading.Event()
    with gr.Blocks() as demo:
        count = gr.Number(1, precision=0)
        out = gr.Textbox()

        @gr.render(inputs=count)
        def one_button(n: int) -> None:
            btn = gr.Button(f"slow {n}")

            def slow() -> str:
                release.wait(10)
                return f"done {n}"

            btn.click(slow, None, out, trigger_mode="multiple")

    container = render_container(demo)
    session, _ = await started(demo)
    try:
        (btn,) = session.layout_children(container)
        running, queued = session.trigger(btn, "click") + session.trigger(btn, "click")
        while running.status != "running":
            await asyncio.sleep(0.01)
        assert queued.status == "pending"
        await session.user_input(count, 2)
        while len(session.layout_children(container)) != 1 or (
            session.layout_children(container)[0] is btn
        ):
            await asyncio.sleep(0.01)
        assert queued.status == "cancelled"
        release.set()
        await session.wait_idle()
        assert running.status == "done" and session.get_value(out) == "done 1"
    finally:
        release.set()
        await session.close()
