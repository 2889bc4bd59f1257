"""Session values: inputs, outputs, updates, pre/postprocessing, change events, load events."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import pytest

import audiotui as gr
from audiotui.components.base import Component
from audiotui.runtime import MAX_CHANGE_DEPTH, Session
from audiotui.session_events import Notice, PropsChanged, SessionEvent, ValueChanged


class Box(Component):
    """A plain value holder with the events the tests fire."""

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "input", "click", "select")


class Num(Component):
    """Stores text, hands functions ints: shows whether pre/postprocess ran."""

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "input")

    def preprocess(self, payload: Any) -> Any:
        return None if payload is None else int(payload)

    def postprocess(self, value: Any) -> Any:
        return None if value is None else str(value)


async def started(blocks: gr.Blocks) -> tuple[Session, list[SessionEvent]]:
    session = Session(blocks)
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    await session.start()
    return session, events


async def click(session: Session, button: Component) -> None:
    session.trigger(button, "click")
    await session.wait_idle()


async def test_list_inputs_arrive_as_positional_arguments_in_order() -> None:
    with gr.Blocks() as demo:
        a, b, out, btn = Box("x"), Box("y"), Box(), Box()
        btn.click(lambda first, second: first + second, [a, b], out)
    session, _ = await started(demo)
    await click(session, btn)
    assert session.get_value(out) == "xy"


async def test_set_of_inputs_arrives_as_one_dict_keyed_by_component() -> None:
    seen: dict[Any, Any] = {}
    with gr.Blocks() as demo:
        a, b, out, btn = Box(2), Box(3), Box(), Box()

        def total(data: dict[Any, Any]) -> int:
            seen.update(data)
            return data[a] * data[b]

        btn.click(total, {a, b}, out)
    session, _ = await started(demo)
    await click(session, btn)
    assert seen == {a: 2, b: 3}
    assert session.get_value(out) == 6


async def test_single_output_receives_the_whole_return_value_even_a_tuple() -> None:
    with gr.Blocks() as demo:
        out, btn = Box(), Box()
        btn.click(lambda: (1, 2), None, out)
    session, _ = await started(demo)
    await click(session, btn)
    assert session.get_value(out) == (1, 2)


async def test_multiple_outputs_are_filled_from_a_tuple() -> None:
    with gr.Blocks() as demo:
        x, y, btn = Box(), Box(), Box()
        btn.click(lambda: ("left", "right"), None, [x, y])
    session, _ = await started(demo)
    await click(session, btn)
    assert (session.get_value(x), session.get_value(y)) == ("left", "right")


async def test_wrong_number_of_returned_values_is_an_error_naming_the_function() -> None:
    with gr.Blocks() as demo:
        x, y, btn = Box("keep"), Box(), Box()

        def only_one() -> str:
            return "lonely"

        btn.click(only_one, None, [x, y])
    session, events = await started(demo)
    [job] = session.trigger(btn, "click")
    await session.wait_idle()
    assert job.status == "error"
    assert "only_one()" in (job.error or "") and "2 outputs" in (job.error or "")
    assert any(isinstance(e, Notice) and e.level == "error" for e in events)
    assert session.get_value(x) == "keep"


async def test_returning_a_dict_updates_only_the_named_outputs() -> None:
    with gr.Blocks() as demo:
        x, y, btn = Box("old x"), Box("old y"), Box()
        btn.click(lambda: {y: "new y"}, None, [x, y])
    session, events = await started(demo)
    await click(session, btn)
    assert session.get_value(x) == "old x"
    assert session.get_value(y) == "new y"
    assert [e.component for e in events if isinstance(e, ValueChanged)] == [y]


async def test_returning_a_dict_with_a_component_that_is_not_an_output_fails() -> None:
    with gr.Blocks() as demo:
        x, stranger, btn = Box(), Box(), Box()
        btn.click(lambda: {stranger: 1}, None, [x])
    session, _ = await started(demo)
    [job] = session.trigger(btn, "click")
    await session.wait_idle()
    assert job.status == "error" and "not one of its outputs" in (job.error or "")


async def test_update_dict_changes_props_and_value() -> None:
    with gr.Blocks() as demo:
        out, btn = Box("before"), Box()
        btn.click(lambda: gr.update(visible=False, label="Result", value="after"), None, out)
    session, events = await started(demo)
    await click(session, btn)
    assert session.props(out) == {"visible": False, "label": "Result"}
    assert session.get_value(out) == "after"
    props_events = [e for e in events if isinstance(e, PropsChanged)]
    assert props_events[-1].props == {"visible": False, "label": "Result"}


async def test_update_without_value_keeps_the_stored_value() -> None:
    with gr.Blocks() as demo:
        out, btn = Box("kept"), Box()
        btn.click(lambda: gr.update(interactive=False), None, out)
    session, events = await started(demo)
    await click(session, btn)
    assert session.get_value(out) == "kept"
    assert session.props(out) == {"interactive": False}
    assert not any(isinstance(e, ValueChanged) for e in events)


async def test_returned_component_instance_updates_its_properties() -> None:
    with gr.Blocks() as demo:
        out, btn = Box("v"), Box()
        btn.click(lambda: Box(label="Renamed", visible=False), None, out)
    session, _ = await started(demo)
    await click(session, btn)
    props = session.props(out)
    assert props["label"] == "Renamed" and props["visible"] is False
    assert session.get_value(out) == "v"


async def test_props_accumulate_across_updates() -> None:
    with gr.Blocks() as demo:
        out, b1, b2 = Box(), Box(), Box()
        b1.click(lambda: gr.update(visible=False), None, out)
        b2.click(lambda: gr.update(label="L"), None, out)
    session, _ = await started(demo)
    await click(session, b1)
    await click(session, b2)
    assert session.props(out) == {"visible": False, "label": "L"}


async def test_preprocess_and_postprocess_run_by_default() -> None:
    received: list[Any] = []
    with gr.Blocks() as demo:
        inp, out, btn = Num("41"), Num(), Box()

        def inc(n: Any) -> Any:
            received.append(n)
            return n + 1

        btn.click(inc, inp, out)
    session, _ = await started(demo)
    await click(session, btn)
    assert received == [41]
    assert session.get_value(out) == "42"


async def test_preprocess_false_and_postprocess_false_pass_raw_values() -> None:
    received: list[Any] = []
    with gr.Blocks() as demo:
        inp, out, btn = Num("41"), Num(), Box()

        def echo(raw: Any) -> Any:
            received.append(raw)
            return len(raw)

        btn.click(echo, inp, out, preprocess=False, postprocess=False)
    session, _ = await started(demo)
    await click(session, btn)
    assert received == ["41"]
    assert session.get_value(out) == 2


async def test_function_updates_fire_change_but_not_input() -> None:
    log: list[str] = []
    with gr.Blocks() as demo:
        out, btn = Box(), Box()
        btn.click(lambda: "set", None, out)
        out.change(lambda v: log.append(f"change:{v}"), out, None)
        out.input(lambda v: log.append(f"input:{v}"), out, None)
    session, _ = await started(demo)
    await click(session, btn)
    await session.wait_idle()
    assert log == ["change:set"]


async def test_user_input_fires_input_then_change() -> None:
    log: list[str] = []
    with gr.Blocks() as demo:
        box = Box()
        box.input(lambda v: log.append(f"input:{v}"), box, None, trigger_mode="multiple")
        box.change(lambda v: log.append(f"change:{v}"), box, None, trigger_mode="multiple")
    session, events = await started(demo)
    await session.user_input(box, "typed")
    await session.wait_idle()
    assert session.get_value(box) == "typed"
    assert sorted(log) == ["change:typed", "input:typed"]
    assert any(isinstance(e, ValueChanged) and e.value == "typed" for e in events)


async def test_an_unchanged_output_value_does_not_fire_change() -> None:
    log: list[Any] = []
    with gr.Blocks() as demo:
        out, btn = Box("same"), Box()
        btn.click(lambda: "same", None, out)
        out.change(lambda v: log.append(v), out, None)
    session, _ = await started(demo)
    await click(session, btn)
    assert log == []


async def test_a_self_triggering_change_loop_is_cut_with_a_warning() -> None:
    with gr.Blocks() as demo:
        counter = Box(0)
        counter.change(lambda n: n + 1, counter, counter)
    session, events = await started(demo)
    await session.user_input(counter, 1)
    await session.wait_idle()
    assert session.get_value(counter) == 1 + MAX_CHANGE_DEPTH + 1
    warnings = [e for e in events if isinstance(e, Notice) and e.level == "warning"]
    assert len(warnings) == 1 and "change events" in warnings[0].message


async def test_each_session_gets_its_own_deep_copy_of_initial_values() -> None:
    with gr.Blocks() as demo:
        history = Box([])
        btn = Box()

        def remember(items: list[str]) -> list[str]:
            items.append("x")
            return items

        btn.click(remember, history, history)
    first, _ = await started(demo)
    second, _ = await started(demo)
    await click(first, btn)
    await click(first, btn)
    assert first.get_value(history) == ["x", "x"]
    assert second.get_value(history) == []
    assert history.value == []


async def test_set_value_stores_and_announces_without_running_listeners() -> None:
    log: list[Any] = []
    with gr.Blocks() as demo:
        box = Box()
        box.change(lambda v: log.append(v), box, None)
    session, events = await started(demo)
    session.set_value(box, 7)
    await session.wait_idle()
    assert session.get_value(box) == 7
    assert log == []
    assert events == [ValueChanged(box, 7)]


async def test_callable_value_is_evaluated_when_the_session_starts() -> None:
    calls: list[int] = []

    def initial() -> str:
        calls.append(1)
        return f"call {len(calls)}"

    with gr.Blocks() as demo:
        box = Box(initial)
    assert box.load_event is not None and box.load_event.show_api is False
    assert demo.api_endpoints() == {}
    first = Session(demo)
    assert first.get_value(box) is None
    await first.start()
    assert first.get_value(box) == "call 1"
    second, _ = await started(demo)
    assert second.get_value(box) == "call 2"


async def test_callable_value_with_every_reruns_until_its_load_event_is_cancelled() -> None:
    ticks: list[int] = []

    def tick() -> int:
        ticks.append(1)
        return len(ticks)

    with gr.Blocks() as demo:
        box = Box(tick, every=0.01)
    session, _ = await started(demo)
    assert session.get_value(box) == 1
    for _ in range(500):
        if len(ticks) >= 3:
            break
        await asyncio.sleep(0.01)
    assert len(ticks) >= 3
    session.cancel(box.load_event)
    await session.wait_idle()
    seen = len(ticks)
    await asyncio.sleep(0.05)
    assert len(ticks) == seen
    await session.close()


async def test_demo_load_runs_when_a_session_starts_with_inputs_and_outputs() -> None:
    with gr.Blocks() as demo:
        name, greeting = Box("Ada"), Box()
    demo.load(lambda n: f"hello {n}", name, greeting)  # after the with block, as Gradio allows
    session, _ = await started(demo)
    await session.wait_idle()
    assert session.get_value(greeting) == "hello Ada"


async def test_demo_load_works_as_a_decorator_inside_the_blocks() -> None:
    with gr.Blocks() as demo:
        out = Box()

        @demo.load(inputs=None, outputs=out)
        def fill() -> str:
            return "loaded"

    session, _ = await started(demo)
    await session.wait_idle()
    assert session.get_value(out) == "loaded"


async def test_layout_outputs_take_property_updates() -> None:
    with gr.Blocks() as demo:
        with gr.Row() as row:
            btn = Box()
        btn.click(lambda: gr.update(visible=False), None, row)
    session, _ = await started(demo)
    await click(session, btn)
    assert session.props(row) == {"visible": False}


@pytest.mark.parametrize("mode", ["once", "multiple", "always_last"])
async def test_listeners_without_fn_do_nothing_but_chain(mode: str) -> None:
    with gr.Blocks() as demo:
        out, btn = Box(), Box()
        btn.click(None, None, None, trigger_mode=mode).then(lambda: "after", None, out)
    session, _ = await started(demo)
    await click(session, btn)
    assert session.get_value(out) == "after"


async def test_gr_state_is_per_session_and_starts_from_a_deep_copy() -> None:
    initial = {"takes": []}
    with gr.Blocks() as demo:
        state, btn = gr.State(initial), Box()

        def record(current: dict[str, list[int]]) -> dict[str, list[int]]:
            current["takes"].append(len(current["takes"]))
            return current

        btn.click(record, state, state)
    first, _ = await started(demo)
    second, _ = await started(demo)
    await click(first, btn)
    await click(first, btn)
    await click(second, btn)
    assert first.get_value(state) == {"takes": [0, 1]}
    assert second.get_value(state) == {"takes": [0]}
    assert initial == {"takes": []}
