"""FileWidget: gr.File as a path picker (Tab completes) showing the chosen file(s)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from textual import on, work
from textual.widgets import Input, Static

from audiotui.tui.widgets.base import ComponentWidget
from audiotui.tui.widgets.path_input import PathInput


def _names(value: Any) -> str:
    if value is None:
        return "no file"
    items = value if isinstance(value, list) else [value]
    return ", ".join(str(getattr(v, "name", v)) for v in items)


class FileWidget(ComponentWidget):
    """Type a path and press Enter; several paths (file_count="multiple") separated by `;`."""

    def compose_control(self) -> Iterable[Any]:
        yield Static(_names(self._value), classes="file-names", markup=False)
        if self.interactive:
            types = getattr(self.component, "file_types", None)
            exts = [t for t in (types or []) if isinstance(t, str) and t.startswith(".")]
            yield PathInput(extensions=exts or None, placeholder="path (Tab completes, Enter)")

    def show_value(self, stored: Any) -> None:
        for names in self.query(".file-names").results(Static):
            names.update(_names(stored))

    @on(Input.Submitted, "PathInput")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        paths = [os.path.expanduser(p.strip()) for p in event.value.split(";") if p.strip()]
        if paths:
            self._load(paths)

    @work(thread=True, exclusive=True, group="file", exit_on_error=False)
    def _load(self, paths: list[str]) -> None:
        missing = [p for p in paths if not os.path.isfile(p)]
        if missing:
            self.app.call_from_thread(
                self.flag_error, f"no such file: {missing[0]} (check the path; Tab completes)"
            )
            return
        refusal = next(filter(None, map(self.upload_refusal, paths)), None)
        if refusal is not None:
            self.app.call_from_thread(self.flag_error, refusal)
            return
        try:
            stored = self.component.postprocess(
                paths if getattr(self.component, "file_count", "single") != "single" else paths[0]
            )
        except Exception as exc:  # ComponentError names what is wrong
            self.app.call_from_thread(self.flag_error, str(exc))
            return
        self.app.call_from_thread(self._loaded, stored)

    def _loaded(self, stored: Any) -> None:
        if self.user_edit(stored):
            self.show_value(stored)
            self.fire("upload", stored)
