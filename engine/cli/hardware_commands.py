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

from audiotui.errors import AudiotuiError

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
    from audiotui.media.devices import hardware_status, list_devices

    _quiet_native_stderr()
    status = hardware_status()
    if not status.available:
        if as_json:
            click.echo("[]")
        _say(f"audiotui: no audio hardware: {status.reason}")
        return
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
@click.option("-r", "--rate", type=float, help="Sample rate in Hz (default: the device's).")
@click.option("-c", "--channels", type=int, default=1, show_default=True)
@click.option("-t", "--seconds", type=float, help="Stop after this many seconds.")
@click.option(
    "--subtype", help="Sample format, e.g. PCM_16, PCM_24, FLOAT (default: the format's)."
)
@click.option("-b", "--blocksize", type=int, default=1024, show_default=True)
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@_one_line_errors
def record(
    out: Path,
    device: str | None,
    rate: float | None,
    channels: int,
    seconds: float | None,
    subtype: str | None,
    blocksize: int,
    force: bool,
) -> None:
    """Record from an input device into OUT (.wav, .flac, .ogg, .mp3) until Ctrl-C."""
    from audiotui.media.recorder import Recorder

    _quiet_native_stderr()
    say_recovered(out.expanduser().absolute().parent)
    rec = Recorder(
        out,
        device=device,
        samplerate=rate,
        channels=channels,
        blocksize=blocksize,
        subtype=subtype,
        overwrite=force,
        max_length=seconds,
    )
    stop = threading.Event()
    caught: list[str] = []
    with _stop_on_signals(stop, caught):
        rec.start()
        assert rec.device is not None
        layout = {1: "Mono", 2: "Stereo"}.get(channels, f"{channels} channels")
        limit = f", {seconds:g} s" if seconds else ""
        _say(
            f"Recording {rec.format} '{out}' : {rec.subtype}, Rate {rec.samplerate} Hz, {layout}"
            f", from {rec.device.index} '{rec.device.name}'{limit} (Ctrl-C to stop)"
        )
        live = _stderr_is_tty()
        while rec.state in ("recording", "paused") and not stop.wait(0.1):
            if live:
                _draw_meter(rec)
        fd = rec.stop()
        if live:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write("\r\033[K")
    # What a reader gets back from the closed file, not what was handed to the encoder.
    frames = int(fd.meta.get("frames", 0))
    saved = clock(frames / rec.samplerate if rec.samplerate else 0.0)
    why = f" (stopped by {caught[0]})" if caught else ""
    if rec.overflows:
        _say(f"audiotui: warning: {rec.overflows} input overflow(s): some audio was lost")
    if rec.error is not None:
        _say(f"audiotui: error: {rec.error}")
        _say(f"Saved {saved} ({frames} frames) recorded before the error to {fd.path}")
        with contextlib.suppress(OSError):
            click.echo(fd.path)
        sys.exit(1)
    _say(f"Saved {saved} ({frames} frames) to {fd.path}{why}")
    with contextlib.suppress(OSError):
        click.echo(fd.path)


def say_recovered(folder: Path | None = None) -> None:
    """Repair takes a killed `record`/`run` left behind (in `folder` or registered), one line each.

    Shared by `record` and `run`: a SIGKILLed take is finished by whichever comes next.
    """
    from audiotui.media.recording_file import recover_interrupted

    try:
        reports = recover_interrupted(folder)
    except Exception as exc:  # recovery must never stop the command the user asked for
        _say(f"audiotui: warning: could not check for interrupted recordings: {exc}")
        return
    for report in reports:
        _say(report.describe())


def _draw_meter(rec: Any) -> None:
    level = rec.level()
    bars = "  ".join(f"[{meter_bar(p)}] {p:6.1f} dB" for p in level.peak_dbfs)
    state = " PAUSED" if rec.state == "paused" else ""
    line = f"\r{clock(rec.elapsed)}  {bars}  clips {sum(level.clips)}  overflows {rec.overflows}{state}"
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(line + "\033[K")
        sys.stderr.flush()


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
@click.option("-b", "--blocksize", type=int, default=1024, show_default=True)
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
        return "  ".join(f"{v:7.2f}" for v in values)

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
