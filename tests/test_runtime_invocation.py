"""How functions are called: parameter placement, kinds of callables, mismatched signatures."""

from __future__ import annotations

import functools
from typing import Any, ClassVar, Optional

import audiotui as gr
from audiotui.components.base import Component
from audiotui.invocation import build_arguments, plan_call
from audiotui.request import Request, SelectData
from audiotui.runtime import Session
from audiotui.session_events import Notice, SessionEvent


class Box(Component):
    EVENTS: ClassVar[tuple[str, ...]] = ("click", "select")


def test_progress_after_the_last_input_goes_by_keyword_so_defaults_in_between_stay() -> None:
    def fn(x: int, y: int = 3, progress: gr.Progress = gr.Progress()) -> None:  # noqa: B008 - Gradio's idiom
        return None

    plan = plan_call(fn)
    marker = object()
    assert build_arguments(plan, [1], {"progress": marker}) == ([1], {"progress": marker})


def test_special_parameters_between_inputs_stay_positional() -> None:
    def fn(request: Request, a: int, evt: SelectData, b: int) -> None:
        return None

    plan = plan_call(fn)
    assert {k: v[0] for k, v in plan.specials.items()} == {"request": "request", "evt": "event"}
    args, kwargs = build_arguments(plan, [1, 2], {"request": "R", "evt": "E"})
    assert (args, kwargs) == (["R", 1, "E", 2], {})


def test_optional_and_unresolvable_string_annotations_are_recognised() -> None:
    def fn(text: str, req: Optional[gr.Request] = None) -> None:  # noqa: UP045 - the old spelling on purpose
        return None

    def odd(text: "NoSuchType", evt: "gr.SelectData | None") -> None:  # noqa: F821, UP037
        return None

    assert plan_call(fn).specials == {"req": ("request", None)}
    assert plan_call(odd).specials == {"evt": ("event", SelectData)}


def test_kinds_of_callables_are_detected() -> None:
    class AsyncModel:
        async def __call__(self, x: int) -> int:
            return x

    async def agen() -> Any:
        yield 1

    def gen() -> Any:
        yield 1

    async def coro(a: int, b: int) -> int:
        return a + b

    assert plan_call(AsyncModel()).kind == "async"
    assert plan_call(agen).kind == "async_generator"
    assert plan_call(gen).kind == "generator"
    assert plan_call(functools.partial(coro, 1)).kind == "async"
    assert plan_call(len).kind == "sync"


async def run_click(fn: Any, inputs: list[Any], n_outputs: int = 1) -> tuple[Session, list[SessionEvent], list[Box]]:
    with gr.Blocks() as demo:
        btn = Box()
        ins = [Box(v) for v in inputs]
        outs = [Box() for _ in range(n_outputs)]
        btn.click(fn, ins, outs)
    session = Session(demo)
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    session.trigger(btn, "click")
    await session.wait_idle()
    return session, events, outs


async def test_callable_objects_and_partials_run_as_listeners() -> None:
    class Scale:
        def __init__(self, k: int) -> None:
            self.k = k

        async def __call__(self, x: int) -> int:
            return x * self.k

    session, _, [out] = await run_click(Scale(3), [2])
    assert session.get_value(out) == 6
    session, _, [out] = await run_click(functools.partial(pow, 2), [5])
    assert session.get_value(out) == 32


async def test_more_inputs_than_parameters_is_reported_not_raised() -> None:
    def one(x: int) -> int:
        return x

    _, events, _ = await run_click(one, [1, 2])
    [notice] = [e for e in events if isinstance(e, Notice)]
    assert notice.level == "error" and "one() raised TypeError" in notice.message


async def test_no_outputs_ignores_the_return_value() -> None:
    session, events, _ = await run_click(lambda: "ignored", [], n_outputs=0)
    assert not any(isinstance(e, Notice) for e in events)
