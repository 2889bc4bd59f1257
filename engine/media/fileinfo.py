"""Facts about an audio file for `audiotui info`: header fields plus levels from one streamed pass.

The file is read in blocks, so a multi-hour recording costs the memory of one block; the
levels are the same numbers the recorder's meter shows (audiotui.media.levels).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from audiotui.media.levels import LevelAccumulator

BLOCK_FRAMES = 65536


def libsndfile_reason(exc: BaseException, path: Path) -> str:
    """libsndfile's reason, minus its misleading "does not exist" for files it tried as MP3."""
    reason = str(getattr(exc, "error_string", None) or exc)
    if "does not exist or is not a regular file" in reason and path.is_file():
        return "format not recognised"
    return reason


def file_facts(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Format, subtype, rate, channels, length and per-channel peak/RMS dBFS and clips.

    The whole file is decoded (this is an inspection: accuracy first), so `frames` and
    `duration` are what can really be read, and `declared_frames`/`declared_duration` what
    the header claims; `truncated` is True when the two differ (`damage` then holds
    libsndfile's reason if decoding stopped on an error).

    Raises AudioFormatError naming the file and the reason (missing, a directory, not
    audio, an impossible header, or no readable frame: "empty").
    """
    from audiotui.media.reading import Decoder

    p = Path(path)
    with Decoder(p) as dec:
        acc = LevelAccumulator(dec.channels)
        buffer = np.empty((BLOCK_FRAMES, dec.channels), np.float32)
        while n := dec.read_into(buffer):
            acc.add(buffer[:n])
        if acc.frames == 0:
            raise dec.empty_error()
        truncation = dec.truncation
        rate, declared = dec.rate, dec.declared_frames
        facts_head = {"format": dec.format, "subtype": dec.subtype}
    level = acc.level()
    return {
        "path": str(p),
        **facts_head,
        "sample_rate": rate,
        "channels": acc.channels,
        "frames": acc.frames,
        "duration": acc.frames / rate,
        "declared_frames": declared,
        "declared_duration": declared / rate,
        "truncated": truncation is not None,
        "damage": truncation.reason if truncation is not None else "",
        "peak_dbfs": [round(v, 2) for v in level.peak_dbfs],
        "rms_dbfs": [round(v, 2) for v in level.rms_dbfs],
        "clips": level.clips,
    }
