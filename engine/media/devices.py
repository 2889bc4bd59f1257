"""Audio devices: loading PortAudio quietly, listing devices, and choosing one by index or name.

Everything that can go wrong before a single sample moves (no PortAudio library, no sound
server, zero devices, an unknown or ambiguous name, a rate the device refuses) ends up here
as a `NoAudioHardware` or `DeviceError` whose message is one actionable sentence, so the CLI
and the TUI can show it as one line and keep every file-based feature working.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, replace
from types import ModuleType
from typing import Any, Literal

from audiotui.errors import AudiotuiError, DeviceError, NoAudioHardware
from audiotui.wording import human_number

Kind = Literal["input", "output"]

ENV_VARS: dict[str, str] = {
    "input": "AUDIOTUI_INPUT_DEVICE",
    "output": "AUDIOTUI_OUTPUT_DEVICE",
}

MISSING_PORTAUDIO = (
    "PortAudio library not found: install it with `sudo apt-get install libportaudio2` "
    "(Debian/Ubuntu), `sudo dnf install portaudio` (Fedora) or `brew install portaudio` (macOS)."
)
NO_DEVICES = (
    "No audio devices found: the sound server (PulseAudio/PipeWire) is not running or not "
    "reachable and no sound card is visible; start it (or plug in a device) and try again."
)
SERVER_GONE = "the sound server is not reachable (was it stopped?); start it and try again"
HOST_AUDIO_ENV = "AUDIOTUI_HOST_AUDIO"
HOST_AUDIO_OFF = (
    f"{HOST_AUDIO_ENV}=off: this machine's sound devices are ignored, and no laptop devices "
    "are connected (run the command through `audiotui ssh HOST -- ...` to use your own)"
)

_MIN_RATE = 1000
_MAX_RATE = 384_000


@dataclass(frozen=True)
class DeviceInfo:
    """One PortAudio device as the CLI and the TUI show it."""

    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default_input: bool = False
    is_default_output: bool = False
    backend: str = "portaudio"  # or "bridge": a laptop's device over `audiotui ssh` (backend.py)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class HardwareStatus:
    """Whether recording/playback can work at all; `reason` says why not and how to fix it."""

    available: bool
    reason: str = ""


# -------------------------------------------------------------------------- fd 2 silencing

_quiet_lock = threading.RLock()
_quiet_depth = 0
_saved_fd: int | None = None


@contextmanager
def quiet_stderr() -> Iterator[None]:
    """Point fd 2 at /dev/null while PortAudio/ALSA/JACK C code may print to it.

    That chatter (``ALSA lib pcm.c:...``) is written by C code straight to fd 2, where it would
    garble a Textual screen or a one-line level meter; Python's own `sys.stderr` is left alone
    when it has been moved off fd 2 by `divert_native_stderr`. Re-entrant and thread-safe: the
    redirection is process-wide, so nested or concurrent users share one.
    """
    global _quiet_depth, _saved_fd
    with _quiet_lock:
        if _quiet_depth == 0:
            with suppress(AttributeError, OSError, ValueError):
                sys.stderr.flush()
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                _saved_fd = os.dup(2)
                os.dup2(devnull, 2)
                os.close(devnull)
            except OSError:
                _saved_fd = None
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _saved_fd is not None:
                os.dup2(_saved_fd, 2)
                os.close(_saved_fd)
                _saved_fd = None


_diverted = False


def divert_native_stderr() -> None:
    """Send fd 2 to /dev/null for the rest of the process, keeping Python's stderr visible.

    PortAudio also prints from its own threads at moments nobody can wrap (a sound server
    killed mid-stream makes ALSA report failed polls). A long-running command therefore moves
    `sys.stderr` *and* `sys.__stderr__` onto a duplicate of the terminal and gives fd 2 to
    /dev/null, so C chatter disappears while our messages, rich output and tracebacks still
    reach the user. Textual draws on `sys.__stderr__`, so the TUI calls this before the app
    starts; after that `quiet_stderr()` no longer blanks the screen for a moment either.
    """
    global _diverted
    if _diverted:
        return
    original = sys.stderr
    try:
        original.flush()
        encoding = getattr(original, "encoding", None) or "utf-8"
        keep = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        return
    terminal = os.fdopen(keep, "w", buffering=1, encoding=encoding, errors="backslashreplace")
    sys.stderr = terminal
    sys.__stderr__ = terminal  # type: ignore[misc]
    _diverted = True


# -------------------------------------------------------------------------- PortAudio loading

_sd: ModuleType | None = None
_load_error: str | None = None
_load_lock = threading.Lock()


def sounddevice_module() -> ModuleType:
    """Import sounddevice once, quietly; a missing PortAudio becomes `NoAudioHardware`.

    `import sounddevice` raises OSError when libportaudio2 is absent, and PortAudio's device
    scan prints ALSA/JACK noise to fd 2, hence the silencing and the cached failure.
    """
    global _sd, _load_error
    with _load_lock:
        if _sd is not None:
            return _sd
        if _load_error is not None:
            raise NoAudioHardware(_load_error)
        try:
            with quiet_stderr():
                import sounddevice
        except OSError:
            _load_error = MISSING_PORTAUDIO
            raise NoAudioHardware(_load_error) from None
        _sd = sounddevice
        return _sd


def rescan() -> None:
    """Make PortAudio list devices again (it lists them once, at import).

    Only safe while this process has no open stream: re-initialising PortAudio closes them.
    Under `audiotui ssh` the laptop's list is asked for again too; with
    AUDIOTUI_HOST_AUDIO=off this machine's PortAudio is left alone.
    """
    from audiotui.bridge import host

    host.forget_devices()
    if not host_audio_enabled():
        return
    sd = sounddevice_module()
    with quiet_stderr():
        sd._terminate()
        sd._initialize()


def _raw_devices() -> list[dict[str, Any]]:
    sd = sounddevice_module()
    with quiet_stderr():
        devices = list(sd.query_devices())
        if not devices:
            # A server started after our import is only seen after a re-scan.
            sd._terminate()
            sd._initialize()
            devices = list(sd.query_devices())
    return devices


def host_audio_enabled() -> bool:
    """False when AUDIOTUI_HOST_AUDIO=off (also 0/no/false): ignore this machine's devices.

    Set on a box with no sound card, or by `audiotui ssh` users who want only their laptop's
    devices: PortAudio is then never even loaded.
    """
    return os.environ.get(HOST_AUDIO_ENV, "").strip().lower() not in ("off", "0", "no", "false")


def _bridge_devices() -> tuple[list[DeviceInfo], str]:
    """The laptop's devices when this process runs under `audiotui ssh`, and why none if so."""
    from audiotui.bridge import host

    if not host.active():
        return [], ""
    try:
        return host.list_devices(), ""
    except AudiotuiError as exc:
        return [], str(exc)


def hardware_status() -> HardwareStatus:
    """Can this process record or play at all? Never raises."""
    bridged, bridge_error = _bridge_devices()
    if bridged:
        return HardwareStatus(True, "")
    if not host_audio_enabled():
        return HardwareStatus(False, bridge_error or HOST_AUDIO_OFF)
    try:
        devices = _raw_devices()
    except NoAudioHardware as exc:
        return HardwareStatus(False, bridge_error or str(exc))
    except Exception as exc:  # PortAudio can fail in ways we cannot enumerate
        return HardwareStatus(False, f"PortAudio failed to list devices ({exc}); {NO_DEVICES}")
    if not devices:
        return HardwareStatus(False, bridge_error or NO_DEVICES)
    return HardwareStatus(True, "")


def list_devices(kind: Kind | None = None) -> list[DeviceInfo]:
    """All devices (or only those that can record / play); `NoAudioHardware` if there are none.

    Under `audiotui ssh` the laptop's devices (`local:<name>`) come first and hold the
    defaults; this machine's follow unless AUDIOTUI_HOST_AUDIO=off.
    """
    infos, bridge_error = _bridge_devices()
    if host_audio_enabled():
        try:
            own = _portaudio_devices()
        except NoAudioHardware:
            if not infos:
                raise
            own = []
        if infos:  # the laptop's defaults are the defaults
            own = [replace(d, is_default_input=False, is_default_output=False) for d in own]
        infos = infos + own
    elif not infos:
        raise NoAudioHardware(bridge_error or HOST_AUDIO_OFF)
    if kind == "input":
        return [d for d in infos if d.max_input_channels > 0]
    if kind == "output":
        return [d for d in infos if d.max_output_channels > 0]
    return infos


def _portaudio_devices() -> list[DeviceInfo]:
    sd = sounddevice_module()
    devices = _raw_devices()
    if not devices:
        raise NoAudioHardware(NO_DEVICES)
    hostapis = [api["name"] for api in sd.query_hostapis()]
    default_in, default_out = _default_indices(sd)
    return [
        DeviceInfo(
            index=int(dev["index"]),
            name=str(dev["name"]),
            hostapi=hostapis[dev["hostapi"]] if dev["hostapi"] < len(hostapis) else "?",
            max_input_channels=int(dev["max_input_channels"]),
            max_output_channels=int(dev["max_output_channels"]),
            default_samplerate=float(dev["default_samplerate"]),
            is_default_input=int(dev["index"]) == default_in,
            is_default_output=int(dev["index"]) == default_out,
        )
        for dev in devices
    ]


def _default_indices(sd: ModuleType) -> tuple[int, int]:
    try:
        pair = sd.default.device
        return int(pair[0]), int(pair[1])
    except (TypeError, ValueError, IndexError):
        return -1, -1


def resolve_device(spec: int | str | None, kind: Kind) -> DeviceInfo:
    """Choose a device by index, case-insensitive name (exact, else unique substring), the
    AUDIOTUI_INPUT_DEVICE / AUDIOTUI_OUTPUT_DEVICE variable, or the system default."""
    if kind not in ENV_VARS:
        raise ValueError(f"kind must be 'input' or 'output', not {kind!r}")
    source = ""
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        env = os.environ.get(ENV_VARS[kind], "").strip()
        if env:
            spec, source = env, f" (from {ENV_VARS[kind]})"
    devices = _candidates(spec)
    usable = [d for d in devices if _channels(d, kind) > 0]
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        for dev in usable:
            if dev.is_default_input if kind == "input" else dev.is_default_output:
                return dev
        if usable:
            return usable[0]
        raise NoAudioHardware(f"No {kind} device found: {NO_DEVICES}")
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().lstrip("-").isdigit()):
        index = int(spec)
        for dev in devices:
            if dev.index == index:
                _check_direction(dev, kind)
                return dev
        raise DeviceError(
            f"device {index}{source} does not exist: run `audiotui devices` to see the "
            f"{len(devices)} available ({_names(usable)})"
        )
    wanted = str(spec).strip().lower()
    exact = [d for d in devices if d.name.lower() == wanted]
    if exact:
        _check_direction(exact[0], kind)
        return exact[0]
    matches = [d for d in usable if wanted in d.name.lower()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise DeviceError(
            f"no {kind} device matches {spec!r}{source}: choose one of {_names(usable)} "
            "or run `audiotui devices`"
        )
    raise DeviceError(
        f"{kind} device {spec!r} is ambiguous: it matches {_names(matches)}; "
        "use the index or the full name"
    )


def _candidates(spec: int | str | None) -> list[DeviceInfo]:
    """Where to look for `spec`: under `audiotui ssh`, the default and every `local:` name or
    index are the laptop's, found without loading PortAudio here at all (its ALSA scan opens
    this machine's devices, and HOST's sound hardware must stay untouched while the laptop's is
    used); anything else may be this machine's too."""
    bridged, _ = _bridge_devices()
    if bridged:
        text = str(spec).strip().lower() if spec is not None else ""
        index = int(text) if text.lstrip("-").isdigit() else None
        from audiotui.bridge.host import INDEX_BASE, PREFIX

        if not text or text.startswith(PREFIX) or (index is not None and index >= INDEX_BASE):
            return bridged
    return list_devices()


def _channels(dev: DeviceInfo, kind: Kind) -> int:
    return dev.max_input_channels if kind == "input" else dev.max_output_channels


def _check_direction(dev: DeviceInfo, kind: Kind) -> None:
    if _channels(dev, kind) <= 0:
        verb = "record from" if kind == "input" else "play to"
        raise DeviceError(
            f"device {dev.index} {dev.name!r} has no {kind} channels: cannot {verb} it"
        )


def _names(devices: list[DeviceInfo]) -> str:
    if not devices:
        return "none"
    return ", ".join(f"{d.index} {d.name!r}" for d in devices)


def check_samplerate(rate: float | None) -> None:
    """Refuse rates no device can do before PortAudio prints an obscure code."""
    if rate is None:
        return
    if not (_MIN_RATE <= float(rate) <= _MAX_RATE):
        raise DeviceError(
            f"unsupported sample rate {human_number(rate)} Hz: use a rate between {_MIN_RATE} and "
            f"{_MAX_RATE} Hz, such as 44100 or 48000"
        )


def stream_error(
    exc: BaseException, dev: DeviceInfo, kind: Kind, rate: float | None = None
) -> AudiotuiError:
    """Translate a PortAudio failure to open/start a stream into one sentence with a fix."""
    text = str(exc)
    verb = "record from" if kind == "input" else "play to"
    where = f"cannot {verb} device {dev.index} {dev.name!r}"
    if "-9993" in text or "Error querying device -1" in text:
        return NoAudioHardware(f"{where}: {SERVER_GONE}.")
    if "-9997" in text or "Invalid sample rate" in text:
        rate_text = f"{human_number(rate)} Hz" if rate else "the requested rate"
        return DeviceError(
            f"{where}: it does not support {rate_text}; try its default "
            f"{human_number(dev.default_samplerate)} Hz or 48000"
        )
    if "-9998" in text or "Invalid number of channels" in text:
        return DeviceError(
            f"{where}: it does not support that many channels "
            f"(it has {_channels(dev, kind)}); pass fewer channels"
        )
    if "-9999" in text or "-9996" in text:
        return DeviceError(
            f"{where}: the device refused (is it a{'n output' if kind == 'input' else 'n input'}"
            f" only device?); choose another with `audiotui devices` ({text})"
        )
    return DeviceError(f"{where}: {text}")


def named_device_problems(
    input_device: int | str | None, output_device: int | str | None
) -> list[tuple[str, str]]:
    """(where, why) for each device someone named (a flag or environment variable) that is not there.

    `where` is the flag (`--input-device`) or the variable that named it. Only named devices are
    looked up, so without one PortAudio is not loaded here. No PortAudio at all is not a
    problem of the name (files in and out still work; the UI says how to get sound). Shared by
    `audiotui run`, which refuses before the UI opens, and `demo.launch()`, which shows it.
    """
    problems: list[tuple[str, str]] = []
    for spec, kind, flag in ((input_device, "input", "--input-device"),
                             (output_device, "output", "--output-device")):
        named = spec if spec is not None else os.environ.get(ENV_VARS[kind], "").strip()
        if named in (None, ""):
            continue
        try:
            resolve_device(spec, kind)  # type: ignore[arg-type]
        except DeviceError as exc:
            problems.append((flag if spec is not None else ENV_VARS[kind], str(exc)))
        except NoAudioHardware:
            break
    return problems
