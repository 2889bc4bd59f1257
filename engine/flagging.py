"""Flagging: how an Interface's Flag button (or `allow_flagging="auto"`) keeps a sample.

Rows go to `flagging_dir/log.csv` as Gradio's CSVLogger writes them, and file-backed values are
copied next to the CSV so a flagged recording outlives the session's private temp folder.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from audiotui.components.base import Component
from audiotui.data import FileData


class FlagLogger:
    """Manual/auto flagging: one CSV row per flag in `flagging_dir/log.csv`.

    File-backed values (audio, files) are copied next to the CSV so a flagged sample survives
    the session's temp folder, and the CSV holds their paths relative to `flagging_dir`.
    """

    def __init__(self, flagging_dir: str | Path, components: Sequence[Component]) -> None:
        self.flagging_dir = Path(flagging_dir)
        self.components = list(components)
        self._lock = threading.Lock()

    @property
    def log_path(self) -> Path:
        return self.flagging_dir / "log.csv"

    def headers(self) -> list[str]:
        return [c.label or f"component {i}" for i, c in enumerate(self.components)] + [
            "flag", "username", "timestamp",
        ]

    def _copy_file(self, fd: FileData, folder: Path) -> str:
        folder.mkdir(parents=True, exist_ok=True)
        stem, suffix = os.path.splitext(fd.name)
        target = folder / f"{stem}{suffix}"
        n = 1
        while target.exists():
            target = folder / f"{stem}_{n}{suffix}"
            n += 1
        shutil.copyfile(fd.path, target)
        return str(target.relative_to(self.flagging_dir))

    def _cell(self, label: str, value: Any) -> str:
        folder = self.flagging_dir / (re.sub(r"[^\w.-]+", "_", label).strip("_") or "file")
        if value is None:
            return ""
        if isinstance(value, FileData):
            return self._copy_file(value, folder)
        if isinstance(value, (list, tuple)) and value and all(
            isinstance(v, FileData) for v in value
        ):
            return ";".join(self._copy_file(v, folder) for v in value)
        if isinstance(value, (dict, list, tuple)):
            return json.dumps(value, default=str)
        return str(value)

    def flag(self, values: Sequence[Any], flag_option: str = "", username: str = "") -> int:
        """Append one row; returns the number of flagged rows so far (header excluded)."""
        with self._lock:
            self.flagging_dir.mkdir(parents=True, exist_ok=True)
            headers = self.headers()
            row = [self._cell(h, v) for h, v in zip(headers, values, strict=False)]
            row += [flag_option, username, datetime.now().isoformat(timespec="seconds")]
            new = not self.log_path.exists()
            with self.log_path.open("a", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                if new:
                    writer.writerow(headers)
                writer.writerow(row)
            with self.log_path.open(encoding="utf-8") as f:
                return sum(1 for _ in csv.reader(f)) - 1


def flag_method(logger: FlagLogger, option: str) -> Callable[..., None]:
    """The listener function a Flag button runs: one row per click, values unprocessed."""

    def flag(*values: Any) -> None:
        from audiotui.notices import Info

        rows = logger.flag(values, option)
        # Gradio's Flag gives no sign it worked; say what was written, and where.
        label = f" as {option!r}" if option else ""
        Info(f"flagged{label}: row {rows} of {logger.log_path}", duration=5)

    flag.__name__ = "flag"
    return flag
