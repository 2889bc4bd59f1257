"""The Interface screen: its Markdown texts, side-by-side columns, live mode and the Flag button."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from test_tui_support import app_for, settle
from textual.widgets import Input, Markdown

import audiotui as gr


def _buttons(app: Any) -> list[str]:
    return [str(w.component.value) for w in app.component_widgets.values()
            if isinstance(w.component, gr.Button)]


async def test_title_description_and_article_are_markdown_around_side_by_side_columns() -> None:
    demo = gr.Interface(lambda s: s[::-1], gr.Textbox(label="in"), gr.Textbox(label="out"),
                        title="Reverser", description="Turns **text** around.",
                        article="See [the docs](https://example.org).")
    app = app_for(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sources = [m.source for m in app.query(Markdown)]
        assert sources == ["# Reverser", "Turns **text** around.",
                           "See [the docs](https://example.org)."]
        first, last = app.query(Markdown).first(), app.query(Markdown).last()
        inputs = app.component_widgets[demo.input_components[0].id]
        outputs = app.component_widgets[demo.output_components[0].id]
        assert first.region.y < inputs.region.y and last.region.y > inputs.region.bottom
        assert inputs.region.y == outputs.region.y and inputs.region.right <= outputs.region.x
        assert _buttons(app) == ["Clear", "Submit", "Flag"]


async def test_live_interface_has_no_submit_and_runs_as_the_user_types() -> None:
    demo = gr.Interface(lambda s: s.upper(), "text", "text", live=True)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Submit" not in _buttons(app)
        app.component_widgets[demo.input_components[0].id].query_one(Input).focus()
        await pilot.press(*"ab")
        await settle(pilot)
        assert app.session.get_value(demo.output_components[0]) == "AB"


async def test_flag_button_logs_the_inputs_and_outputs_shown(tmp_path: Path) -> None:
    demo = gr.Interface(lambda s: s[::-1], gr.Textbox(label="in"), gr.Textbox(label="out"),
                        flagging_dir=str(tmp_path / "flags"))
    app = app_for(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.component_widgets[demo.input_components[0].id].query_one(Input).focus()
        await pilot.press(*"abc", "enter")
        await settle(pilot)
        assert app.session.get_value(demo.output_components[0]) == "cba"
        await pilot.click(app.component_widgets[demo.flag_btns[0].id].query_one("Button"))
        await settle(pilot)
        rows = list(csv.DictReader((tmp_path / "flags" / "log.csv").open()))
        assert [(r["in"], r["out"]) for r in rows] == [("abc", "cba")]
