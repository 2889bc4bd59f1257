"""Warnings about an app's own code point at the app's line, not at an audiotui file."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import audiotui as gr


def _warned_from(build: Callable[[], object]) -> list[tuple[str, str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build()
    return [(Path(w.filename).name, str(w.message)) for w in caught]


def _interface_with_theme() -> object:
    return gr.Interface(lambda a: a, "audio", "audio", theme="soft")


def _tabbed_with_css() -> object:
    return gr.TabbedInterface([gr.Interface(lambda t: t, "text", "text")], css="a{}")


def _dropdown_with_max_choices() -> object:
    return gr.Dropdown(["a", "b"], max_choices=2)


def _listener_decorator_with_js() -> object:
    with gr.Blocks() as demo:
        button = gr.Button()
        box = gr.Textbox()

        @button.click(inputs=None, outputs=box, js="() => 1")
        def answer() -> str:
            return "1"

    return demo


def _gr_on_with_js() -> object:
    with gr.Blocks() as demo:
        button = gr.Button()
        box = gr.Textbox()
        gr.on([button.click], lambda: "1", None, box, js="() => 1")
    return demo


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (_interface_with_theme, "theme ignored"),
        (_tabbed_with_css, "css ignored"),
        (_dropdown_with_max_choices, "max_choices only applies"),
        (_listener_decorator_with_js, "js= is ignored"),
        (_gr_on_with_js, "js= is ignored"),
    ],
)
def test_warning_about_app_code_points_at_the_app_file(
    build: Callable[[], object], words: str
) -> None:
    warned = [(name, msg) for name, msg in _warned_from(build) if words in msg]
    assert warned, f"no warning containing {words!r}"
    assert {name for name, _ in warned} == {Path(__file__).name}
