"""Option types for the command line: a bad value is a usage mistake named by its flag.

Parsing inside the command body raised AudiotuiError, which exits 1 and does not say which
flag was wrong (`record -t abc` printed "cannot read duration 'abc'"). As click types the
mistake reaches `main()` as a UsageError: one line naming `-t` / `--seconds`, exit status 2.
"""

from __future__ import annotations

from typing import Any

import click

from audiotui.errors import AudiotuiError
from audiotui.wording import human_number


class _Parsed(click.ParamType):
    """A click type around one of the engine's parsers (which raise AudiotuiError)."""

    def parse(self, text: str) -> Any:
        raise NotImplementedError

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return self.parse(value)
        except AudiotuiError as exc:
            self.fail(str(exc), param, ctx)


class Duration(_Parsed):
    """`90`, `30s`, `10m`, `1h30m`, `250ms`, `1d` -> seconds (longer than zero)."""

    name = "duration"

    def parse(self, text: str) -> float:
        from audiotui.media.rotation import parse_duration

        return parse_duration(text)


class Size(_Parsed):
    """`512M`, `2G`, `100000` -> bytes."""

    name = "size"

    def parse(self, text: str) -> int:
        from audiotui.media.diskspace import parse_size

        return parse_size(text)


class SampleRate(click.ParamType):
    """A rate in Hz that some device could run at, checked before any device is opened."""

    name = "rate"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from audiotui.media.devices import MAX_RATE, MIN_RATE

        try:
            rate = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of Hz (such as 44100 or 48000)", param, ctx)
        if not MIN_RATE <= rate <= MAX_RATE:
            self.fail(f"{human_number(rate)} Hz is outside {MIN_RATE}-{MAX_RATE} Hz; "
                      "use a rate such as 44100 or 48000", param, ctx)
        return rate


DURATION = Duration()
SIZE = Size()
SAMPLE_RATE = SampleRate()
