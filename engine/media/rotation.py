"""Names and lengths for a long recording cut into files: `--split`, `--map` and durations.

A lab recording runs for days; one file per hour (or per 30 s) keeps each file small enough to
copy, open and lose. The Recorder cuts gaplessly (the sample after the last of one file is the
first of the next, on the writer thread, same stream); this module only decides what the files
are called and parses what the user typed, so the rules are testable without a device.

Names. The output pattern may hold strftime fields (`%Y%m%d-%H%M%S`, the local time the file's
first sample was captured) and a counter `{n}` (`{n}` is 4 digits, `{n:02d}` any format). A
pattern with neither, when files are numbered, becomes `NAME-{n}.EXT` in the same folder:
`OUT.wav` -> `OUT-0001.wav`, `OUT-0002.wav`. A name that exists already (a coarse strftime
pattern, or a previous run) gets `-2`, `-3`... before the extension rather than overwriting;
a single file (no --split/--reconnect) is refused instead, as before.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from audiotui.errors import AudiotuiError

_UNITS = {"ms": 0.001, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(ms|sec|min|s|m|h|d)?", re.IGNORECASE)
_COUNTER = re.compile(r"\{n(:[^{}]*)?\}")
MAX_CHANNELS = 32


def parse_duration(text: str) -> float:
    """Seconds from `2s`, `30s`, `1.5h`, `1h30m`, `90` (plain seconds), `250ms`, `1d`."""
    spec = text.strip().lower().replace(" ", "")
    if not spec:
        raise AudiotuiError("empty duration: write it like 30s, 10m, 1h or 1h30m")
    total, pos = 0.0, 0
    while pos < len(spec):
        match = _PART.match(spec, pos)
        if match is None or match.end() == pos:
            raise AudiotuiError(
                f"cannot read duration {text!r}: write it like 30s, 10m, 1h or 1h30m"
            )
        total += float(match.group(1)) * _UNITS[match.group(2) or "s"]
        pos = match.end()
    if total <= 0:
        raise AudiotuiError(f"duration {text!r} must be longer than zero")
    return total


def parse_channel_map(text: str, available: int | None = None) -> list[int]:
    """`1,3,5-8` (1-based, ranges, order kept) -> 0-based device channel indices."""
    picked: list[int] = []
    for raw in text.split(","):
        part = raw.strip()
        if not part:
            continue
        bounds = part.split("-")
        try:
            if len(bounds) == 1:
                numbers = [int(bounds[0])]
            elif len(bounds) == 2:
                first, last = int(bounds[0]), int(bounds[1])
                step = 1 if last >= first else -1
                numbers = list(range(first, last + step, step))
            else:
                raise ValueError(part)
        except ValueError:
            raise AudiotuiError(
                f"cannot read channel map {text!r}: give 1-based channels and ranges, "
                "e.g. 1,3,5-8"
            ) from None
        for number in numbers:
            if number < 1:
                raise AudiotuiError(f"channel map {text!r}: channels count from 1, not {number}")
            if available is not None and number > available:
                raise AudiotuiError(
                    f"channel map {text!r}: channel {number} asked, the device has {available}"
                )
            picked.append(number - 1)
    if not picked:
        raise AudiotuiError(f"channel map {text!r} names no channel")
    if len(picked) > MAX_CHANNELS:
        raise AudiotuiError(f"channel map {text!r} names {len(picked)} channels; at most 32")
    return picked


def has_fields(pattern: str) -> bool:
    """Does the pattern hold strftime fields or a `{n}` counter?"""
    return bool(_COUNTER.search(pattern)) or bool(re.search(r"%[A-Za-z]", pattern))


class FileNamer:
    """The n-th file of a recording, from the output pattern (see the module docstring)."""

    def __init__(
        self,
        pattern: str | Path,
        *,
        numbered: bool,
        exists: Callable[[Path], bool] | None = None,
    ) -> None:
        text = str(pattern)
        self.numbered = numbered
        if numbered and not has_fields(Path(text).name):
            path = Path(text)
            text = str(path.with_name(f"{path.stem}-{{n}}{path.suffix}"))
        self.pattern = text
        self._exists = exists or (lambda p: p.exists() or p.is_symlink())

    def expand(self, n: int, when: float | None = None) -> Path:
        """The name pattern gives for file `n` (1-based) whose first sample is at `when`."""
        moment = time.localtime(when if when is not None else time.time())
        text = self.pattern
        if "%" in text:
            text = time.strftime(text, moment)

        def counter(match: re.Match[str]) -> str:
            spec = match.group(1)
            return format(n, spec[1:]) if spec else f"{n:04d}"

        try:
            text = _COUNTER.sub(counter, text)
        except ValueError as exc:
            raise AudiotuiError(f"bad counter in {self.pattern!r}: {exc}") from None
        return Path(text).expanduser().absolute()

    def name(self, n: int, when: float | None = None, *, overwrite: bool = False) -> Path:
        """`expand`, then `-2`, `-3`... while the name is taken (unless `overwrite`).

        A single file (not numbered) keeps its name: the Recorder refuses an existing one.
        """
        path = self.expand(n, when)
        if overwrite or not self.numbered:
            return path
        candidate, extra = path, 1
        while self._exists(candidate):
            extra += 1
            candidate = path.with_name(f"{path.stem}-{extra}{path.suffix}")
        return candidate
