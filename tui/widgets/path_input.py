"""PathInput: a file path field that completes on Tab (common prefix of matching entries)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.suggester import Suggester
from textual.widgets import Input

AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".mp3", ".opus", ".aiff", ".aif", ".au", ".m4a")


def complete_path(text: str, extensions: Iterable[str] | None = None) -> str | None:
    """Longest completion of `text` among directories and files with `extensions`.

    Returns None when nothing matches. A unique directory gets its trailing slash so the
    next Tab goes inside it, as in a shell.
    """
    expanded = os.path.expanduser(text) if text.startswith("~") else text
    folder, prefix = os.path.split(expanded)
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return None
    exts = tuple(e.lower() for e in extensions) if extensions else None
    matches = []
    for name in names:
        if not name.startswith(prefix) or (name.startswith(".") and not prefix.startswith(".")):
            continue
        full = os.path.join(folder, name)
        if os.path.isdir(full):
            matches.append(name + os.sep)
        elif exts is None or name.lower().endswith(exts):
            matches.append(name)
    if not matches:
        return None
    common = os.path.commonprefix(matches)
    completed = os.path.join(folder, common) if folder else common
    if text.startswith("~") and not completed.startswith("~"):
        home = os.path.expanduser("~")
        if completed.startswith(home):
            completed = "~" + completed[len(home):]
    return completed


class PathSuggester(Suggester):
    """Shows the completion greyed-out after the cursor while typing."""

    def __init__(self, extensions: Iterable[str] | None = None) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.extensions = tuple(extensions) if extensions else None

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        completed = complete_path(value, self.extensions)
        return completed if completed and completed != value else None


class PathInput(Input):
    """An Input whose Tab completes a path (and moves focus on when nothing completes)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "complete path", show=False, priority=True),
    ]
    """Tab completes like a shell."""

    def __init__(self, *, extensions: Iterable[str] | None = None, placeholder: str = "",
                 id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        self.extensions = tuple(extensions) if extensions else None
        super().__init__(placeholder=placeholder, suggester=PathSuggester(self.extensions),
                         id=id, classes=classes)

    def action_complete(self) -> None:
        completed = complete_path(self.value, self.extensions) if self.value else None
        if completed and completed != self.value:
            self.value = completed
            self.cursor_position = len(completed)
        else:
            self.screen.focus_next()
