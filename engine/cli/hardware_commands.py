"""`audiotui devices`, `record`, `play` and `info`: the headless commands a lab user runs over SSH.

Human text (headers, meters, progress, errors) goes to stderr and data (device lists, the saved
path, file facts) to stdout, so `audiotui record x.wav | ...` and `--json` compose in scripts.
Every failure a user can cause is one line and a non-zero exit; tracebacks only with
AUDIOTUI_DEBUG=1. `info` never touches PortAudio, so it works on a machine without audio.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from audiotui.cli.params import DURATION, SAMPLE_RATE, SIZE
from audiotui.errors import AudiotuiError
from audiotui.media.rotation import MAX_CHANNELS

F = TypeVar("F", bound=Callable[..., Any])
_STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


def _say(text: str) -> None:
    """One line of human text on stderr; a vanished terminal (SSH drop) must not stop us."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _one_line_errors(func: F) -> F:
    """Turn what a user can cause into `audiotui: error: ...` and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AudiotuiError as exc:
            _say(f"audiotui: error: {exc}")
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("AUDIOTUI_DEBUG"):
                raise
            _say(
                f"audiotui: unexpected error: {type(exc).__name__}: {exc} "
                "(set AUDIOTUI_DEBUG=1 to see the traceback)"
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _quiet_native_stderr() -> None:
    """Keep PortAudio/ALSA chatter off the terminal for the life of a real CLI process."""
    if sys.stderr is sys.__stderr__:
        from audiotui.media.devices import divert_native_stderr

        divert_native_stderr()


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event, caught: list[str]) -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP (an SSH drop) end the command cleanly instead of killing it."""
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: Any) -> None:
        caught.append(signal.Signals(signum).name)
        stop.set()

    for name in _STOP_SIGNALS:
        sig = getattr(signal, name, None)
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):  # not the main thread
                previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, old)


def clock(seconds: float) -> str:
    """mm:ss.s (h:mm:ss.s past an hour), as sox and arecord print durations."""
    seconds = max(0.0, seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{int(hours)}:{int(minutes):02d}:{secs:04.1f}"
    return f"{int(minutes):02d}:{secs:04.1f}"


def meter_bar(dbfs: float, width: int = 20, floor: float = -60.0) -> str:
    """A bar from `floor` dBFS (empty) to 0 dBFS (full)."""
    fill = int(round(width * (min(0.0, max(floor, dbfs)) - floor) / -floor))
    return "#" * fill + "-" * (width - fill)


# ------------------------------------------------------------------------------ devices


@click.command()
@click.option("--input", "kind", flag_value="input", help="Only devices that can record.")
@click.option("--output", "kind", flag_value="output", help="Only devices that can play.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of text.")
@_one_line_errors
def devices(kind: str | None, as_json: bool) -> None:
    """List audio devices: > default input, < default output, * both."""
    from audiotui.media.devices import HOST_AUDIO_OFF, hardware_status, list_devices

    _quiet_native_stderr()
    status = hardware_status()
    if not status.available:
        if as_json:
            click.echo("[]")
        _say(f"audiotui: no audio hardware: {status.reason}")
        # AUDIOTUI_HOST_AUDIO=off asked for no devices here: the empty list is the answer, not
        # a failure. Missing PortAudio or a dead sound server is: a script must tell them apart.
        sys.exit(0 if status.reason == HOST_AUDIO_OFF else 1)
    found = list_devices(kind)  # type: ignore[arg-type]
    if as_json:
        click.echo(json.dumps([d.as_dict() for d in found], indent=2))
        return
    for dev in found:
        marker = (
            "*"
            if dev.is_default_input and dev.is_default_output
            else ">"
            if dev.is_default_input
            else "<"
            if dev.is_default_output
            else " "
        )
        click.echo(
            f"{marker} {dev.index:2d} {dev.name}, {dev.hostapi} ({dev.max_input_channels} in, "
            f"{dev.max_output_channels} out), {dev.default_samplerate:g} Hz"
        )


# ------------------------------------------------------------------------------ record


@click.command()
@click.argument("out", type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "-d",
    "--device",
    "--input-device",
    "device",
    help="Input device: index or part of its name (default: $AUDIOTUI_INPUT_DEVICE).",
)
@click.option("-r", "--rate", callback=SAMPLE_RATE, metavar="HZ",
              help="Sample rate in Hz (default: the device's).")
@click.option("-c", "--channels", type=click.IntRange(1, MAX_CHANNELS),
              help="Channels 1..32 (default 1, or --map's).")
@click.option(
    "--map", "channel_map", metavar="LIST",
    help="Device channels to keep, 1-based, in order: 1,3,5-8 (no -c needed).",
)
@click.option("-t", "--seconds", "duration", callback=DURATION, metavar="DURATION",
              help="Stop after this long: 90, 30s, 10m, 1h30m.")
@click.option("--split", callback=DURATION, metavar="DURATION",
              help="Start a new file every DURATION, gaplessly (OUT may hold %Y%m%d... and {n}).")
@click.option("--reconnect", is_flag=True,
              help="If the device goes away, wait for it and go on in a new file.")
@click.option(
    "--subtype", help="Sample format, e.g. PCM_16, PCM_24, FLOAT (default: the format's)."
)
@click.option("-b", "--blocksize", type=click.IntRange(16, 65536), default=1024,
              show_default=True)
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@click.option("--alarm-silence", callback=DURATION, metavar="SECONDS",
              help="Alarm when a channel stays below --silence-db this long.")
@click.option("--silence-db", type=click.FloatRange(max=0), default=-60.0, show_default=True,
              help="Silence threshold for --alarm-silence, dBFS (peak).")
@click.option("--alarm-clip", is_flag=True, help="Alarm when a channel reaches full scale.")
@click.option("--on-alarm", metavar="CMD",
              help="Shell command run on each alarm (AUDIOTUI_ALARM* variables describe it).")
@click.option("--min-free", callback=SIZE, default="512M", show_default=True, metavar="SIZE",
              help="Stop cleanly when free disk space falls below SIZE.")
@click.option("--json", "as_json", is_flag=True,
              help="JSON events on stdout, one per line (start, file, saved, alarm, gap, stop).")
@_one_line_errors
def record(
    out: Path,
    device: str | None,
    rate: float | None,
    channels: int | None,
    channel_map: str | None,
    duration: float | None,
    split: float | None,
    reconnect: bool,
    subtype: str | None,
    blocksize: int,
    force: bool,
    alarm_silence: float | None,
    silence_db: float,
    alarm_clip: bool,
    on_alarm: str | None,
    min_free: int,
    as_json: bool,
) -> None:
    """Record from an input device into OUT (.wav, .w64, .flac, .ogg, .mp3) until Ctrl-C.

    WAV becomes RF64 past 4 GB. With --split, OUT.wav is numbered OUT-0001.wav, OUT-0002.wav...
    """
    from audiotui.cli.record_run import RecordRun, RecordSettings
    from audiotui.media.rotation import parse_channel_map

    _quiet_native_stderr()
    say_recovered(out.expanduser().absolute().parent)
    try:  # parsed here, not by a callback: the disagreement below quotes the user's words
        picked = parse_channel_map(channel_map) if channel_map else None
    except AudiotuiError as exc:
        raise click.BadParameter(str(exc), param_hint="'--map'") from None
    if picked is not None and channels is not None and channels != len(picked):
        raise click.UsageError(
            f"-c {channels} and --map {channel_map} ({len(picked)} channel"
            f"{'' if len(picked) == 1 else 's'}) disagree; "
            "--map alone is enough"
        )
    try:  # the extension and --subtype are the user's words: a mismatch is a usage mistake
        from audiotui.media.recording_file import file_format_for

        if not out.is_dir():  # a folder gets its own message, naming the fix
            file_format_for(out, subtype)
    except AudiotuiError as exc:
        raise click.BadParameter(str(exc), param_hint="'OUT' / '--subtype'") from None
    # both are range-checked by their options (IntRange, parse_channel_map's MAX_CHANNELS)
    count = len(picked) if picked is not None else (channels or 1)
    settings = RecordSettings(
        out=out, device=device, rate=rate, channels=count, channel_map=picked,
        seconds=duration,
        subtype=subtype, blocksize=blocksize, force=force,
        split=split, reconnect=reconnect, alarm_silence=alarm_silence,
        silence_db=silence_db, alarm_clip=alarm_clip, on_alarm=on_alarm,
        min_free=min_free, as_json=as_json,
    )
    stop = threading.Event()
    caught: list[str] = []
    with _stop_on_signals(stop, caught):
        status = RecordRun(settings, stop, caught).run()
    if status:
        sys.exit(status)


def say_recovered(folder: Path | None = None) -> list[str]:
    """Repair takes a killed `record`/`run` left behind (in `folder` or registered), one line each.

    Shared by `record` and `run`: a SIGKILLed take is finished by whichever comes next. The
    lines are returned too, so `run` can repeat them inside the UI (its screen hides stderr).
    """
    from audiotui.media.recording_file import recover_interrupted

    try:
        reports = recover_interrupted(folder)
    except Exception as exc:  # recovery must never stop the command the user asked for
        line = f"audiotui: warning: could not check for interrupted recordings: {exc}"
        _say(line)
        return [line]
    lines = [report.describe() for report in reports]
    for line in lines:
        _say(line)
    return lines


# ------------------------------------------------------------------------------ play


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-d",
    "--device",
    "--output-device",
    "device",
    help="Output device: index or part of its name (default: $AUDIOTUI_OUTPUT_DEVICE).",
)
@click.option("-b", "--blocksize", type=click.IntRange(16, 65536), default=1024,
              show_default=True)
@_one_line_errors
def play(file: Path, device: str | None, blocksize: int) -> None:
    """Play FILE on an output device, streamed from disk; Ctrl-C stops."""
    from audiotui.media.player import Player
    from audiotui.media.sources import FileSource

    _quiet_native_stderr()
    source = FileSource(file)  # checks the file before touching the device
    player = Player(device=device, blocksize=blocksize)
    ended = threading.Event()
    player.on_event = lambda name: ended.set() if name == "stop" else None
    player.load(source)
    stop = threading.Event()
    caught: list[str] = []
    with _stop_on_signals(stop, caught):
        player.play()
        _say(
            f"Playing '{file}' : {clock(player.duration)}, {source.rate} Hz, "
            f"{source.channels} channel(s) (Ctrl-C to stop)"
        )
        if _stderr_is_tty():
            _play_with_progress(player, stop, ended)
        else:
            while player.state == "playing" and not stop.wait(0.1):
                pass
        position = player.position
        failed = player.state == "failed"
        player.close()
    if failed:
        raise AudiotuiError(f"{player.error}; stopped at {clock(position)}")
    truncation = source.truncation
    if ended.is_set():
        # position is what the device was handed (the source's real end), not the header's
        _say(f"Played {clock(player.position)} of '{file}'")
    else:
        why = f" ({caught[0]})" if caught else ""
        _say(f"Stopped at {clock(position)} of {clock(player.duration)}{why}")
    if truncation is not None and truncation.reason:
        raise AudiotuiError(truncation.message())  # a damaged file: the exit status says so
    if truncation is not None:
        _say(f"audiotui: warning: {truncation.message()}")


def _play_with_progress(player: Any, stop: threading.Event, ended: threading.Event) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn

    console = Console(file=sys.stderr, highlight=False)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[time]}"))
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("playing", total=max(player.duration, 1e-6), time="")
        while player.state == "playing" and not stop.wait(0.1):
            pos = player.position
            bar.update(task, completed=pos, time=f"{clock(pos)} / {clock(player.duration)}")


# ------------------------------------------------------------------------------ info


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of text.")
@_one_line_errors
def info(files: tuple[Path, ...], as_json: bool) -> None:
    """Format, rate, channels, duration and peak/RMS levels of audio FILES (streamed)."""
    from audiotui.media.fileinfo import file_facts

    _quiet_native_stderr()  # libmpg123 prints "Note: Illegal Audio-MPEG-Header" to fd 2
    results: list[dict[str, Any]] = []
    failed = 0
    for path in files:
        try:
            facts = file_facts(path)
        except AudiotuiError as exc:
            _say(f"audiotui: error: {exc}")
            failed += 1
            continue
        results.append(facts)
        if facts["truncated"]:
            from audiotui.media.reading import Truncation

            cut = Truncation(
                Path(path).name, facts["sample_rate"], facts["declared_frames"],
                facts["frames"], facts["damage"],
            )
            _say(f"audiotui: warning: {cut.message()}")
        if not as_json:
            click.echo(_format_facts(facts))
    if as_json:
        click.echo(json.dumps(results, indent=2))
    if failed:
        sys.exit(1)


def _format_facts(facts: dict[str, Any]) -> str:
    def levels(values: list[float]) -> str:
        # `+ 0.0` and rounding first: a full-scale level is "0.00", never "-0.00"
        return "  ".join(f"{round(v, 2) + 0.0:7.2f}" for v in values)

    rows = [
        ("Input File", f"'{facts['path']}'"),
        ("Format", facts["format"]),
        ("Subtype", facts["subtype"]),
        ("Sample Rate", f"{facts['sample_rate']} Hz"),
        ("Channels", str(facts["channels"])),
        ("Frames", str(facts["frames"])),
        ("Duration", f"{clock(facts['duration'])} = {facts['duration']:.3f} s"),
    ]
    if facts.get("truncated"):
        damage = f" (libsndfile: {facts['damage']})" if facts.get("damage") else ""
        rows.append((
            "Truncated",
            f"header declares {clock(facts['declared_duration'])} = "
            f"{facts['declared_duration']:.3f} s ({facts['declared_frames']} frames), "
            f"readable {facts['duration']:.3f} s ({facts['frames']} frames){damage}",
        ))
    rows += [
        ("Peak dBFS", levels(facts["peak_dbfs"])),
        ("RMS dBFS", levels(facts["rms_dbfs"])),
        ("Clipped", "  ".join(str(c) for c in facts["clips"])),
    ]
    return "\n".join(f"{name:<12}: {value}" for name, value in rows) + "\n"
