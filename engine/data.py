"""FileData: how the engine stores a file-backed value (audio, files) between events."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FileData:
    """A value that lives on disk, as Gradio's FileData does.

    Audio values are files plus metadata so that long recordings never sit in memory and a
    crash never takes one with it. `meta` carries what was learned when the file was
    written or probed (sample_rate, channels, frames, format, subtype) so the UI can show it
    without reopening the file.

    Attributes:
        path: absolute path of the file (inside the session's private temp dir, or the
            user's own file, which is never modified).
        orig_name: the name the user knows it by (upload name), for display and downloads.
        is_stream: True while a streamed output is still growing.
        meta: probed facts; for audio: sample_rate, channels, frames, format, subtype.
    """

    path: str
    orig_name: str | None = None
    size: int | None = None
    mime_type: str | None = None
    is_stream: bool = False
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        return self.orig_name or os.path.basename(self.path)
