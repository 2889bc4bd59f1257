"""Disk space for long recordings: the projection shown before a take, and the floor under it.

A day of 16 channels at 48 kHz/24-bit is 200 GB; finding out at 3 a.m. that the disk filled
up at midnight (and that the system then failed too) is what this prevents: `audiotui record`
shows the projected size against the free space before it starts, and stops cleanly (every
file closed and valid) when the free space falls under a floor.

Testing aid: `AUDIOTUI_DISK_FREE=<bytes>` makes the folder look as if it had that many bytes
free when the run began, minus what the run has written since (a tiny file system, without
mounting one). Documented in the README.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from audiotui.errors import AudiotuiError

_SAMPLE_BYTES = {
    "PCM_S8": 1, "PCM_U8": 1, "PCM_16": 2, "PCM_24": 3, "PCM_32": 4, "FLOAT": 4, "DOUBLE": 8,
    "ULAW": 1, "ALAW": 1,
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*([kmgt]?)(i?b?)\s*$", re.IGNORECASE)
_FACTORS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
DEFAULT_FLOOR = "512M"


def parse_size(text: str) -> int:
    """Bytes from `512M`, `1G`, `1.5GB`, `100k`, `4096` (binary units)."""
    match = _SIZE.match(text)
    if match is None:
        raise AudiotuiError(f"cannot read size {text!r}: write it like 512M, 2G or 100000")
    return int(float(match.group(1)) * _FACTORS[match.group(2).lower()])


def human(size: float) -> str:
    """1.2 GB, 340 MB, 12 kB (binary units, as `df -h` prints them)."""
    for unit, factor in (("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if abs(size) >= factor:
            value = size / factor
            return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{int(size)} B"


def bytes_per_second(rate: int, channels: int, fmt: str, subtype: str | None) -> float:
    """Disk a take uses per second while it runs (journal included for compressed formats).

    WAV-family: exact. FLAC/OGG/MP3: the WAV journal (16-bit, 24-bit for a 24-bit FLAC) plus
    the encoded file growing beside it (estimated: FLAC ~60 % of the journal, lossy ~10 %).
    """
    sub = (subtype or "").upper()
    if fmt.upper() in ("FLAC", "OGG", "MP3"):
        journal = rate * channels * (3 if sub == "PCM_24" else 2)
        return journal * (1.6 if fmt.upper() == "FLAC" else 1.1)
    return float(rate * channels * _SAMPLE_BYTES.get(sub, 2))


def free_bytes(folder: Path, written_by_run: int = 0) -> int:
    """Bytes free for an unprivileged writer in `folder` (see the testing aid above)."""
    fake = os.environ.get("AUDIOTUI_DISK_FREE", "").strip()
    if fake:
        try:
            return max(0, int(fake) - written_by_run)
        except ValueError:
            pass
    stats = os.statvfs(folder)
    return int(stats.f_bavail * stats.f_frsize)


def projection(
    per_second: float, free: int, floor: int, seconds: float | None
) -> str:
    """One line: what the take needs and how long the disk lasts."""
    usable = max(0, free - floor)
    rate = f"{human(per_second * 3600)}/h"
    last = usable / per_second if per_second > 0 else float("inf")
    lasts = _span(last)
    if seconds is not None:
        need = per_second * seconds
        verdict = "fits" if need <= usable else "DOES NOT FIT"
        return (
            f"Disk: needs ~{human(need)} ({rate}); {human(free)} free, {human(floor)} kept "
            f"free: {verdict} (room for {lasts})"
        )
    return (
        f"Disk: ~{rate}; {human(free)} free, {human(floor)} kept free: room for {lasts}"
    )


def _span(seconds: float) -> str:
    if seconds == float("inf"):
        return "ever"
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"
