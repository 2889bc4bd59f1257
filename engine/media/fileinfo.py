"""Facts about an audio file for `audiotui info`: header fields plus levels from one streamed pass.

The file is read in blocks, so a multi-hour recording costs the memory of one block; the
levels are the same numbers the recorder's meter shows (audiotui.media.levels).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from audiotui.errors import AudioFormatError
from audiotui.media.levels import LevelAccumulator

BLOCK_FRAMES = 65536


def libsndfile_reason(exc: BaseException, path: Path) -> str:
    """libsndfile's reason, minus its misleading "does not exist" for files it tried as MP3."""
    reason = str(getattr(exc, "error_string", None) or exc)
    if "does not exist or is not a regular file" in reason and path.is_file():
        return "format not recognised"
    return reason


def file_facts(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Format, subtype, rate, channels, frames, duration and per-channel peak/RMS dBFS and clips.

    Raises AudioFormatError naming the file and the reason (missing, a directory, not audio,
    or damaged part-way through).
    """
    import soundfile as sf

    p = Path(path)
    if p.is_dir():
        raise AudioFormatError(f"'{p}' is a directory, not an audio file")
    if not p.exists():
        raise AudioFormatError(f"'{p}' does not exist")
    try:
        with sf.SoundFile(str(p)) as f:
            acc = LevelAccumulator(f.channels)
            while True:
                block = f.read(BLOCK_FRAMES, dtype="float32", always_2d=True)
                if not len(block):
                    break
                acc.add(block)
            rate, channels, fmt, subtype = f.samplerate, f.channels, f.format, f.subtype
    except (sf.LibsndfileError, RuntimeError) as exc:
        reason = libsndfile_reason(exc, p)
        raise AudioFormatError(
            f"'{p}' is not a readable audio file (libsndfile: {reason})"
        ) from None
    if acc.frames == 0 and p.stat().st_size == 0:
        raise AudioFormatError(f"'{p}' is empty")
    level = acc.level()
    # Frames are counted while reading: a truncated file's header can claim more than exists.
    return {
        "path": str(p),
        "format": fmt,
        "subtype": subtype,
        "sample_rate": int(rate),
        "channels": int(channels),
        "frames": acc.frames,
        "duration": acc.frames / rate if rate else 0.0,
        "peak_dbfs": [round(v, 2) for v in level.peak_dbfs],
        "rms_dbfs": [round(v, 2) for v in level.rms_dbfs],
        "clips": level.clips,
    }
