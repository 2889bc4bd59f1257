"""Preprocessing sees the session's current component settings (gr.update of choices)."""

from __future__ import annotations

import audiotui as gr
from audiotui.runtime import Session
from audiotui.session_events import Notice


async def test_dropdown_rejects_values_outside_its_choices_and_accepts_updated_ones() -> None:
    with gr.Blocks() as demo:
        dd = gr.Dropdown(["a", "b"], value="a")
        btn = gr.Button()
        out = gr.Textbox()
        dd.change(lambda v: f"got {v}", dd, out)
        btn.click(lambda: gr.update(choices=["c", "d"]), None, dd)
    session = Session(demo)
    notices: list[Notice] = []
    session.subscribe(lambda e: notices.append(e) if isinstance(e, Notice) else None)
    await session.start()

    await session.user_input(dd, "zzz")
    await session.wait_idle()
    assert session.get_value(out) != "got zzz"
    assert any("zzz" in n.message and "choices" in n.message for n in notices)

    session.trigger(btn, "click")
    await session.wait_idle()
    await session.user_input(dd, "c")
    await session.wait_idle()
    assert session.get_value(out) == "got c"
    assert dd.choices == [("a", "a"), ("b", "b")]  # the shared definition is untouched
    await session.close()


async def test_dropdown_with_custom_values_passes_them_through() -> None:
    with gr.Blocks() as demo:
        dd = gr.Dropdown(["a"], allow_custom_value=True)
        out = gr.Textbox()
        dd.change(lambda v: v, dd, out)
    session = Session(demo)
    await session.start()
    await session.user_input(dd, "mine")
    await session.wait_idle()
    assert session.get_value(out) == "mine"
    await session.close()


async def test_live_interface_with_state_does_not_rerun_itself() -> None:
    calls: list[str] = []

    def accumulate(text: str, history: list[str] | None) -> tuple[str, list[str]]:
        calls.append(text)
        history = [*(history or []), text]
        return " ".join(history), history

    demo = gr.Interface(accumulate, ["text", "state"], ["text", "state"], live=True)
    session = Session(demo)
    await session.start()
    box = demo.input_components[0]
    await session.user_input(box, "hello")
    await session.wait_idle()
    await session.user_input(box, "world")
    await session.wait_idle()
    assert calls == ["hello", "world"]
    assert session.get_value(demo.output_components[0]) == "hello world"
    await session.close()
