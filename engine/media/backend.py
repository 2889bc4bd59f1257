"""The device backend seam: where a device's sound really is.

The recorder, the player and the microphone stream open every stream through `open_stream`,
with a `DeviceInfo` that says which backend owns it (`DeviceInfo.backend`):

- "portaudio": a device of this machine, through sounddevice;
- "bridge": a device of the laptop at the far end of `audiotui ssh` (`local:<name>`),
  through the authenticated PCM protocol of `audiotui.bridge` over the forwarded socket.

Both give the same object: `start()`, `stop()` (let queued output play out), `abort()`,
`close()`, `closed`, `latency` (seconds), and they call the same callbacks as sounddevice
(`callback(data, frames, time_info, status)` with `status.input_overflow` /
`status.output_underflow`, and `finished_callback()` when the stream ends by itself - the
recorder and player treat that as "the device went away"). Every failure to open or start is
an `AudiotuiError` already worded for the user, so nothing above this module imports
sounddevice or knows which backend it has; a HOST without PortAudio records from the laptop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Protocol

from audiotui.media.devices import DeviceInfo, quiet_stderr, sounddevice_module, stream_error

Kind = Literal["input", "output"]
Callback = Callable[[Any, int, Any, Any], None]


class AudioStream(Protocol):
    """What `open_stream` returns (a sounddevice stream has exactly these)."""

    @property
    def closed(self) -> bool: ...

    @property
    def latency(self) -> Any: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def abort(self) -> None: ...

    def close(self) -> None: ...


def is_bridge(device: DeviceInfo) -> bool:
    return device.backend == "bridge"


def open_stream(
    kind: Kind,
    device: DeviceInfo,
    *,
    samplerate: int,
    channels: int,
    blocksize: int,
    callback: Callback,
    finished_callback: Callable[[], None],
    latency: str | float | None = None,
) -> AudioStream:
    """Open (not start) an input or output stream of float32 frames on `device`."""
    if is_bridge(device):
        from audiotui.bridge.host import BridgeStream

        return BridgeStream(kind, device, samplerate=samplerate, channels=channels,
                            blocksize=blocksize, callback=callback,
                            finished_callback=finished_callback)
    sd = sounddevice_module()
    cls = sd.InputStream if kind == "input" else sd.OutputStream
    extra: dict[str, Any] = {} if latency is None else {"latency": latency}
    try:
        with quiet_stderr():
            stream = cls(device=device.index, samplerate=samplerate, channels=channels,
                         blocksize=blocksize, dtype="float32", callback=callback,
                         finished_callback=finished_callback, **extra)
    except (sd.PortAudioError, ValueError) as exc:
        raise stream_error(exc, device, kind, samplerate) from None
    return _PortAudioStream(stream, device, kind, samplerate)


def output_rate_supported(device: DeviceInfo, rate: int, channels: int) -> bool:
    """Can `device` play `rate` as it is (else the player converts with soxr)?"""
    if is_bridge(device):
        from audiotui.bridge.host import rate_supported

        return rate_supported(device, rate)
    sd = sounddevice_module()
    try:
        with quiet_stderr():
            sd.check_output_settings(device=device.index, samplerate=rate, channels=channels)
    except (sd.PortAudioError, ValueError):
        return False
    return True


class _PortAudioStream:
    """A sounddevice stream whose start() failure is already one sentence for the user."""

    def __init__(self, stream: Any, device: DeviceInfo, kind: Kind, rate: int) -> None:
        self._stream = stream
        self._device = device
        self._kind: Kind = kind
        self._rate = rate

    @property
    def closed(self) -> bool:
        return bool(self._stream.closed)

    @property
    def latency(self) -> Any:
        return self._stream.latency

    def start(self) -> None:
        sd = sounddevice_module()
        try:
            with quiet_stderr():
                self._stream.start()
        except sd.PortAudioError as exc:
            raise stream_error(exc, self._device, self._kind, self._rate) from None

    def stop(self) -> None:
        self._stream.stop()

    def abort(self) -> None:
        self._stream.abort()

    def close(self) -> None:
        self._stream.close()
