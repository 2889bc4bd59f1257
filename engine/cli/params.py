"""Option checks for the command line: a bad value is a usage mistake named by its flag.

Parsing inside the command body raised AudiotuiError, which exits 1 and does not say which
flag was wrong (`record -t abc` printed "cannot read duration 'abc'"). As option callbacks
the mistake reaches `main()` as a click.BadParameter: one line naming `-t` / `--seconds`,
exit status 2. (Callbacks rather than ParamType subclasses: ParamType's generic parameters
changed between click 8.1 and 8.2.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from audiotui.errors import AudiotuiError

Callback = Callable[[click.Context, click.Parameter, Any], Any]


def _parsed(parse: Callable[[str], Any]) -> Callback:
    """An option callback around one of the engine's parsers (which raise AudiotuiError)."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None or not isinstance(value, str):
            return value
        try:
            return parse(value)
        except AudiotuiError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from None

    return callback


def _duration(text: str) -> float:
    """`90`, `30s`, `10m`, `1h30m`, `250ms`, `1d` -> seconds (longer than zero)."""
    from audiotui.media.rotation import parse_duration

    return parse_duration(text)


def _size(text: str) -> int:
    """`512M`, `2G`, `100000` -> bytes."""
    from audiotui.media.diskspace import parse_size

    return parse_size(text)


def _sample_rate(text: str) -> float:
    """A rate in Hz that some device could run at, checked before any device is opened."""
    from audiotui.media.devices import check_samplerate

    try:
        rate = float(text)
    except ValueError:
        raise AudiotuiError(f"{text!r} is not a number of Hz (such as 44100 or 48000)") from None
    check_samplerate(rate)  # the same bounds and words the Recorder and Player use
    return rate


DURATION = _parsed(_duration)
SIZE = _parsed(_size)
SAMPLE_RATE = _parsed(_sample_rate)
