"""DatasetWidget: gr.Dataset / gr.Examples rows as a table; choosing a row fires click."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.widgets import DataTable

from audiotui.tui.widgets.base import ComponentWidget


class DatasetWidget(ComponentWidget):
    """Rows of example values; Enter or a click picks one (value = its index)."""

    DEFAULT_CSS = """
    DatasetWidget DataTable { height: auto; max-height: 12; }
    """
    """Short tables grow with their rows, long ones scroll."""

    def compose_control(self) -> Iterable[Any]:
        table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True,
                                          classes="control")
        yield table

    def on_mount(self) -> None:
        c = self.component
        components = list(getattr(c, "components", []) or [])
        headers = list(getattr(c, "headers", []) or [])
        if not headers:
            headers = [getattr(comp, "label", None) or type(comp).__name__ for comp in components]
        table = self.query_one(DataTable)
        table.add_columns(*(Text(str(h)) for h in headers or ["example"]))
        for i, row in enumerate(getattr(c, "samples", []) or []):
            cells = []
            for j, value in enumerate(row):
                comp = components[j] if j < len(components) else None
                shown = comp.as_example(value) if comp is not None else value
                cells.append(Text(_short(shown)))
            table.add_row(*cells, key=str(i))

    @on(DataTable.RowSelected)
    def _picked(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = int(event.row_key.value or 0)
        self.commit(index)  # picking the same row again runs it again, as in Gradio
        self.fire("click")
        self.fire("select", {"index": index, "value": self.component.samples[index]})


def _short(value: Any, limit: int = 40) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
