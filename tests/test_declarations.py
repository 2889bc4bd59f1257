"""Blocks trees and listener declarations: what `with gr.Blocks()` records, before anything runs."""

from __future__ import annotations

from typing import ClassVar

import pytest

from audiotui.blocks import Blocks
from audiotui.components.base import Component
from audiotui.events import Dependency, on
from audiotui.layout import Accordion, Column, Group, Row, Tab, Tabs


class Box(Component):
    EVENTS: ClassVar[tuple[str, ...]] = ("change", "input", "submit", "click")


def test_components_attach_to_the_innermost_layout_in_order() -> None:
    with Blocks() as demo:
        with Row() as row:
            a = Box(label="a")
            with Column(scale=2) as col:
                b = Box()
        c = Box()
    assert demo.children == [row, c]
    assert row.children == [a, col]
    assert col.children == [b]
    assert demo.walk() == [row, a, col, b, c]
    assert set(demo.components) == {a, b, c}


def test_tab_outside_tabs_gets_an_implicit_tabs_container() -> None:
    with Blocks() as demo:
        with Tab("one") as t1:
            Box()
        with Tab("two") as t2:
            Box()
    tabs = [b for b in demo.walk() if isinstance(b, Tabs)]
    # consecutive orphan Tabs share one Tabs (gradio/blocks.py fill_expected_parents, 4.34)
    assert len(tabs) == 1
    assert t1.parent is tabs[0] and t2.parent is tabs[0]


def test_orphan_tabs_apart_get_their_own_tabs() -> None:
    with Blocks() as demo:
        with Tab("one") as t1:
            Box()
        Box()
        with Tab("two") as t2:
            Box()
    tabs = [b for b in demo.walk() if isinstance(b, Tabs)]
    assert len(tabs) == 2 and t1.parent is tabs[0] and t2.parent is tabs[1]


def test_explicit_tabs_hold_their_tabs() -> None:
    with Blocks(), Tabs() as tabs:
        with Tab("a") as a:
            pass
        with Tab("b") as b:
            pass
    assert tabs.children == [a, b]


def test_render_false_keeps_a_component_out_of_the_layout_until_rendered() -> None:
    with Blocks() as demo:
        hidden = Box(render=False)
        with Group() as group:
            hidden.render()
    assert group.children == [hidden]
    assert hidden in demo.components


def test_listener_records_every_setting() -> None:
    with Blocks() as demo:
        a, b = Box(), Box()
        first = a.submit(lambda x: x, a, b)
        dep = a.click(
            lambda x: x, [a], [b], api_name="go", scroll_to_output=True, show_progress="minimal",
            queue=False, batch=True, max_batch_size=8, preprocess=False, postprocess=False,
            cancels=[first], every=2.0, trigger_mode="multiple", concurrency_limit=3,
            concurrency_id="grp", show_api=False,
        )
    assert demo.fns == [first, dep]
    assert dep.triggers == [(a, "click")]
    assert dep.inputs == [a] and dep.outputs == [b]
    assert (dep.api_name, dep.scroll_to_output, dep.show_progress) == ("go", True, "minimal")
    assert (dep.queue, dep.batch, dep.max_batch_size) == (False, True, 8)
    assert (dep.preprocess, dep.postprocess, dep.every) == (False, False, 2.0)
    assert dep.cancels == [first]
    assert (dep.trigger_mode, dep.concurrency_limit, dep.concurrency_id) == ("multiple", 3, "grp")
    assert dep.show_api is False


def test_change_defaults_to_always_last_and_others_to_once() -> None:
    with Blocks():
        a = Box()
        change = a.change(lambda x: x, a, a)
        click = a.click(lambda x: x, a, a)
    assert change.trigger_mode == "always_last"
    assert click.trigger_mode == "once"


def test_set_of_inputs_means_one_dict_argument() -> None:
    with Blocks():
        a, b = Box(), Box()
        dep = a.change(lambda d: d, {b, a}, [])
    assert dep.inputs_as_dict is True
    assert dep.inputs == [a, b]


def test_listener_as_decorator_registers_and_returns_the_function() -> None:
    with Blocks() as demo:
        a, b = Box(), Box()

        @a.submit(inputs=a, outputs=b)
        def shout(text: str) -> str:
            return text.upper()

    assert shout("x") == "X"
    assert [d.fn for d in demo.fns] == [shout]
    assert demo.fns[0].triggers == [(a, "submit")]


def test_then_and_success_chain_after_their_dependency() -> None:
    with Blocks() as demo:
        a = Box()
        first = a.click(lambda: 1, None, a)
        after = first.then(lambda: 2, None, a)
        ok = first.success(lambda: 3, None, a)
    assert after.trigger_after is first and not after.trigger_only_on_success
    assert ok.trigger_after is first and ok.trigger_only_on_success
    assert after.triggers == [] and len(demo.fns) == 3


def test_gr_on_takes_several_triggers_or_none_for_input_changes() -> None:
    with Blocks():
        a, b = Box(), Box()
        both = on([a.submit, b.click], lambda x: x, a, b)
        changes = on(None, lambda x, y: x, [a, b], [])
    assert both.triggers == [(a, "submit"), (b, "click")]
    assert changes.triggers == [(a, "change"), (b, "change")]


def test_gr_on_used_as_a_decorator_without_triggers_listens_to_input_changes() -> None:
    """Gradio 4.34's `triggers` defaults to None: `@gr.on(inputs=..., outputs=...)`."""
    with Blocks() as demo:
        a, b, out = Box(), Box(), Box()

        @on(inputs=[a, b], outputs=out)
        def joined(x: str, y: str) -> str:
            return x + y

    (dep,) = demo.fns
    assert dep.fn is joined and dep.triggers == [(a, "change"), (b, "change")]
    assert dep.trigger_mode == "always_last"


def test_fn_none_hides_the_endpoint_from_the_api() -> None:
    with Blocks():
        a = Box()
        dep = a.click(None, a, a)
    assert isinstance(dep, Dependency) and dep.show_api is False


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"show_progress": "loud"}, "show_progress"),
        ({"trigger_mode": "sometimes"}, "trigger_mode"),
        ({"concurrency_limit": 0}, "concurrency_limit"),
        ({"cancels": ["x"]}, "cancels"),
        ({"inputs": ["not a component"]}, "inputs"),
        ({"nonsense": 1}, "nonsense"),
    ],
)
def test_bad_listener_arguments_are_named(kwargs: dict[str, object], message: str) -> None:
    with Blocks():
        a = Box()
        with pytest.raises((TypeError, ValueError), match=message):
            a.click(lambda x: x, **kwargs)


def test_js_is_accepted_with_a_warning() -> None:
    with Blocks():
        a = Box()
        with pytest.warns(UserWarning, match="js"):
            dep = a.click(lambda x: x, a, a, js="(x) => x")
    assert dep.js == "(x) => x"


def test_listener_outside_blocks_is_a_clear_error() -> None:
    a = Box()
    with pytest.raises(RuntimeError, match="Blocks"):
        a.click(lambda x: x, a, a)


def test_component_settings_gradio_only_stores_warn_naming_component_and_parameter() -> None:
    with pytest.warns(UserWarning, match="Box: elem_classes"):
        assert Box(elem_classes=3).elem_classes == []  # type: ignore[arg-type]
    with pytest.warns(UserWarning, match="Box: visible"):
        assert Box(visible="yes").visible is True  # type: ignore[arg-type]
    with pytest.warns(UserWarning, match="Box: every"):
        assert Box(every=-1).every is None
    with pytest.warns(UserWarning, match="Column: scale"):
        assert Column(scale=1.5).scale == 2  # type: ignore[arg-type]


def test_callable_value_is_kept_as_load_fn() -> None:
    counter = iter(range(10))
    box = Box(value=lambda: next(counter))
    assert box.load_fn is not None and box.value is None
    assert box.load_fn() == 0


def test_initial_values_are_copies_per_session() -> None:
    box = Box(value={"n": [1]})
    first, second = box.initial_value(), box.initial_value()
    first["n"].append(2)
    assert second == {"n": [1]}


def test_nested_blocks_are_absorbed_by_the_outer_app() -> None:
    with Blocks() as outer, Accordion("more", open=False) as acc, Blocks() as inner:
        x = Box()
        x.click(lambda v: v, x, x)
    assert x in outer.components
    assert inner.fns[0] in outer.fns
    assert acc.children == [inner] and acc.open is False


def test_queue_sets_default_concurrency_and_rejects_gradio3_arguments() -> None:
    demo = Blocks().queue(default_concurrency_limit=4)
    assert demo.queue_settings["default_concurrency_limit"] == 4
    with pytest.raises(TypeError, match="default_concurrency_limit"):
        Blocks().queue(concurrency_count=2)


def test_an_app_built_elsewhere_can_be_rendered_inside_blocks() -> None:
    with Blocks() as inner:
        x = Box()
        dep = x.click(lambda v: v, x, x)
    with Blocks() as outer, Row() as row:
        inner.render()
    assert x in outer.components and dep in outer.fns
    assert row.children == [inner]
