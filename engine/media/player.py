"""Playing a file, an array or a growing stream of chunks on an output device.

A feeder thread reads the source (files block by block from disk), converts rate and channel
count when the device cannot take the source as it is (python-soxr, streaming, so the speed
is always right), and keeps a small FIFO ahead of the PortAudio callback. The callback only
copies from that FIFO, or writes silence while paused or starved, so a slow disk or a late
chunk never turns into a glitch at the wrong speed. Events follow Gradio's Audio: "play",
"pause" (the media stopped for any reason) and "stop" (it reached the end).
"""

from __future__ import annotations

import collections
import contextlib
import os
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from audiotui.data import FileData
from audiotui.errors import AudiotuiError, DeviceError
from audiotui.media.backend import open_stream, output_rate_supported
from audiotui.media.devices import quiet_stderr, resolve_device
from audiotui.media.sources import (
    ChunkSource,
    ContainerStream,
    Source,
    as_float32,
    open_source,
    remix,
)

PlayerState = Literal["idle", "playing", "paused", "stopped", "failed"]
PlayerEvent = Literal["play", "pause", "stop"]

STALL_SECONDS = 3.0
_RATE_SUPPORT: dict[tuple[int, str, int, int], bool] = {}


class _Fifo:
    """Frames converted for the device, waiting for the callback; the only shared audio state."""

    def __init__(self, channels: int) -> None:
        self.channels = channels
        self._blocks: collections.deque[np.ndarray] = collections.deque()
        self._offset = 0
        self.frames = 0
        self._lock = threading.Lock()

    def push(self, block: np.ndarray) -> None:
        if len(block):
            with self._lock:
                self._blocks.append(block)
                self.frames += len(block)

    def pull_into(self, out: np.ndarray) -> int:
        """Fill `out` from the front, zero-padding what is missing; returns frames copied."""
        filled = 0
        with self._lock:
            while filled < len(out) and self._blocks:
                head = self._blocks[0]
                take = min(len(out) - filled, len(head) - self._offset)
                out[filled : filled + take] = head[self._offset : self._offset + take]
                filled += take
                self._offset += take
                if self._offset == len(head):
                    self._blocks.popleft()
                    self._offset = 0
            self.frames -= filled
        if filled < len(out):
            out[filled:] = 0
        return filled

    def clear(self) -> None:
        with self._lock:
            self._blocks.clear()
            self._offset = 0
            self.frames = 0


class Player:
    """One output stream playing one source at a time.

    Args:
        device: index or name substring; None = AUDIOTUI_OUTPUT_DEVICE or the system default.
        blocksize: frames per PortAudio callback.
        latency: PortAudio's suggested latency ("high" avoids server-side underruns).
    """

    def __init__(
        self,
        *,
        device: int | str | None = None,
        blocksize: int = 1024,
        latency: str | float = "high",
    ) -> None:
        self.device_spec = device
        self.blocksize = blocksize
        self.latency = latency
        self.on_event: Callable[[PlayerEvent], None] | None = None
        self.error: BaseException | None = None
        self.underflows = 0
        self.out_rate = 0
        self.out_channels = 0
        self._source: Source | None = None
        self._state: PlayerState = "idle"
        self._paused = False
        self._stream: Any = None
        self._fifo = _Fifo(1)
        self._resampler: Any = None
        self._lock = threading.RLock()
        self._feeder: threading.Thread | None = None
        self._closing = False
        self._eof = False
        self._drained = threading.Event()
        self._stream_finished = threading.Event()
        self._base_seconds = 0.0
        self._played = 0
        self._fed = 0  # source frames read into the FIFO since the last start/seek
        self._last_callback = 0.0
        self._latency = 0.0
        self._priming = False
        self._primed = 0
        self._preroll = 0
        self._bytes: ContainerStream | None = None  # the byte stream being appended, if any

    # ------------------------------------------------------------------ state

    @property
    def state(self) -> PlayerState:
        return self._state

    @property
    def duration(self) -> float:
        """Seconds in the source (grows while a stream is appended)."""
        src = self._source
        return src.frames / src.rate if src is not None and src.rate else 0.0

    @property
    def position(self) -> float:
        """Seconds from the start of the source to what the callback last handed the device."""
        if self.out_rate == 0 or self._played == 0:
            return min(self._base_seconds, self.duration)
        # What is audible lags what the callback handed over by the device's output latency.
        heard = max(0.0, self._played / self.out_rate - self._latency)
        return min(self._base_seconds + heard, self.duration)

    # ------------------------------------------------------------------ control

    def load(self, source: FileData | str | os.PathLike[str] | tuple[int, Any] | Source) -> None:
        """Replace what is playing (stopping it) with a file, FileData or (sr, array)."""
        new = source if isinstance(source, Source) else open_source(source)
        self._shutdown()
        if self._source is not None:
            self._source.close()
        self._source = new
        self._base_seconds = 0.0
        self._played = 0
        self._state = "idle"
        self.error = None

    def play(self) -> None:
        """Start from the current position (from the start after reaching the end)."""
        if self._source is None:
            raise AudiotuiError("nothing to play: load a file or an array first")
        if self._state == "playing":
            return
        if self._state == "paused":
            self.resume()
            return
        if self._base_seconds >= self.duration and self._source.ended:
            self._base_seconds = 0.0
        self._open_stream()
        self._emit("play")

    def pause(self) -> None:
        if self._state == "playing":
            self._paused = True
            self._state = "paused"
            self._emit("pause")

    def resume(self) -> None:
        if self._state == "paused":
            self._paused = False
            self._state = "playing"
            self._emit("play")

    def stop(self) -> None:
        """Stop at once and rewind; fires "pause" (Gradio's "stop" means reaching the end)."""
        was_running = self._state in ("playing", "paused")
        self._shutdown()
        self._base_seconds = 0.0
        self._played = 0
        if self._state != "failed":
            self._state = "stopped"
        if was_running:
            self._emit("pause")

    def seek(self, seconds: float) -> None:
        """Jump to `seconds` (clamped to the source); playback goes on from there."""
        if self._source is None:
            return
        seconds = max(0.0, min(float(seconds), self.duration))
        with self._lock:
            self._fifo.clear()
            self._source.seek(int(round(seconds * self._source.rate)))
            self._resampler = self._new_resampler()
            self._eof = False
            self._drained.clear()
            self._base_seconds = seconds
            self._played = 0
            self._fed = 0

    def append(self, chunk: tuple[int, Any] | bytes | bytearray | memoryview) -> None:
        """Add a chunk of a streamed output; the first chunk starts playback.

        Bytes may be whole containers or slices of one cut anywhere (see ContainerStream).
        """
        src = self._source
        new_stream = not isinstance(src, ChunkSource) or (
            src.ended and self._state not in ("playing", "paused")
        )
        if isinstance(chunk, (bytes, bytearray, memoryview)):
            if new_stream or self._bytes is None:
                self._bytes = ContainerStream()
            decoded = self._bytes.feed(bytes(chunk))
            if decoded is None:
                return  # a slice cut inside a frame: its audio comes with the next one
            rate, data = decoded
        elif isinstance(chunk, tuple) and len(chunk) == 2:
            rate, data = int(chunk[0]), as_float32(chunk[1])
        else:
            raise AudiotuiError(
                f"a streamed chunk must be (sample_rate, array) or bytes, not {type(chunk).__name__}"
            )
        if new_stream or not isinstance(src, ChunkSource):
            src = ChunkSource(rate, data.shape[1])
            src.append(rate, data)
            self.load(src)
            self.play()
        else:
            src.append(rate, data)

    def finish_stream(self) -> None:
        """No more chunks will come: play what is left, then fire "stop"."""
        if isinstance(self._source, ChunkSource):
            self._source.ended = True

    def close(self) -> None:
        self._shutdown()
        if self._source is not None:
            self._source.close()

    # ------------------------------------------------------------------ stream

    def _open_stream(self) -> None:
        src = self._source
        assert src is not None
        dev = resolve_device(self.device_spec, "output")
        channels = max(1, min(src.channels, dev.max_output_channels))
        rate = src.rate
        key = (dev.index, dev.name, rate, channels)
        if key not in _RATE_SUPPORT:  # probing opens the device: ~5 ms, so remember the answer
            _RATE_SUPPORT[key] = output_rate_supported(dev, rate, channels)
        if not _RATE_SUPPORT[key]:
            rate = int(dev.default_samplerate)  # the device can't: convert with soxr instead
        self.out_rate, self.out_channels = rate, channels
        self._fifo = _Fifo(channels)
        self._closing = False
        self._eof = False
        self._drained.clear()
        self._stream_finished.clear()
        src.seek(int(round(self._base_seconds * src.rate)))
        self._played = 0
        self._fed = 0
        self._resampler = self._new_resampler()
        stream = open_stream(
            "output", dev, samplerate=rate, channels=channels, blocksize=self.blocksize,
            latency=self.latency, callback=self._callback,
            finished_callback=self._stream_finished.set,
        )
        self._stream = stream
        self._latency = float(stream.latency)
        # PortAudio pulls a burst of several blocks at start-up to fill the device buffer.
        self._preroll = max(rate // 5, int(self._latency * rate) + 4 * (self.blocksize or 1024))
        self._priming, self._primed = isinstance(src, ChunkSource) and not src.ended, 0
        self._paused = False
        self._fill(until=time.monotonic() + 0.5)
        self._state = "playing"
        self._last_callback = time.monotonic()
        self._feeder = threading.Thread(target=self._feed_loop, name="audiotui-player", daemon=True)
        self._feeder.start()
        try:
            stream.start()
        except AudiotuiError:
            self._shutdown()
            self._state = "failed"
            raise

    def _new_resampler(self) -> Any:
        src = self._source
        if src is None or not self.out_rate or src.rate == self.out_rate:
            return None
        import soxr

        return soxr.ResampleStream(
            src.rate, self.out_rate, self.out_channels, dtype="float32", quality="HQ"
        )

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # PortAudio's thread: copy from the FIFO, nothing else.
        self._last_callback = time.monotonic()
        if status.output_underflow:
            self.underflows += 1
        if self._paused:
            outdata.fill(0)
            return
        if self._priming:
            # A stream waits for a small cushion (bounded in time) so that the burst PortAudio
            # pulls at start-up does not run ahead of the next chunk and leave a gap.
            ready = self._eof or self._fifo.frames >= self._preroll
            if not ready and self._primed < self._preroll:
                outdata.fill(0)
                self._primed += frames
                return
            self._priming = False
        got = self._fifo.pull_into(outdata)
        self._played += got
        if got < frames:
            if self._eof:
                self._drained.set()
            elif isinstance(self._source, ChunkSource):
                self._priming, self._primed = True, 0  # starved: re-cushion before resuming

    def _target_frames(self) -> int:
        return max(4 * (self.blocksize or 1024), self.out_rate // 4)

    def _fill(self, until: float | None = None) -> bool:
        """Top up the FIFO; True if something was done (so the feeder need not sleep)."""
        did = False
        while self._fifo.frames < self._target_frames() and not self._closing:
            with self._lock:
                src = self._source
                if src is None or self._eof:
                    return did
                block = src.read(max(1024, self.blocksize or 1024))
                if len(block) == 0 and not src.ended:
                    return did  # a stream waiting for its next chunk
                last = len(block) == 0
                self._fed += len(block)
                block = remix(block, self.out_channels)
                if self._resampler is not None:
                    block = self._resampler.resample_chunk(block, last=last)
                self._fifo.push(np.ascontiguousarray(block, dtype=np.float32))
                if last:
                    # Trailing silence: PulseAudio drops the last tens of ms of a stream that
                    # stops right after its final sample (measured in the virtual-audio notes),
                    # and at low rates as much as ~1 block (an 8 kHz MP3 lost 0.12 s).
                    pad = max(self.out_rate * 3 // 20, 2 * (self.blocksize or 1024))
                    self._fifo.push(np.zeros((pad, self.out_channels), np.float32))
                    self._eof = True
                did = True
            if until is not None and time.monotonic() > until:
                break
        return did

    def _feed_loop(self) -> None:
        while not self._closing:
            if self._drained.is_set():
                self._finish_at_end()
                return
            lost = self._stream_finished.is_set() or (
                time.monotonic() - self._last_callback > STALL_SECONDS
            )
            if lost and not self._closing:
                self._fail()
                return
            if not self._fill():
                time.sleep(min(0.02, (self.blocksize or 1024) / max(self.out_rate, 1) / 2))

    def _finish_at_end(self) -> None:
        # stop() (not abort) lets the device play out what it already holds.
        self._close_stream(abort=False)
        src = self._source
        # What really went out: where this run started plus every source frame the FIFO
        # took (the callback drained it all before "drained"), not the header's length.
        fed = self._fed / src.rate if src is not None and src.rate else 0.0
        self._base_seconds = self._base_seconds + fed
        self._played = 0
        self._state = "stopped"
        self._emit("pause")
        self._emit("stop")

    def _fail(self) -> None:
        why = getattr(self._stream, "lost_reason", None) or (
            "unplugged, or the sound server went away")
        self._close_stream(abort=True)
        self._base_seconds = self.position
        self._played = 0
        self.error = DeviceError(f"the output device stopped taking audio ({why})")
        self._state = "failed"
        self._emit("pause")

    def _shutdown(self) -> None:
        self._closing = True
        self._close_stream(abort=True)
        feeder = self._feeder
        if feeder is not None and feeder is not threading.current_thread():
            feeder.join(timeout=5)
        self._feeder = None

    def _close_stream(self, *, abort: bool) -> None:
        with self._lock:
            stream, self._stream = self._stream, None
            self._closing = True
        if stream is None:
            return
        with contextlib.suppress(Exception), quiet_stderr():
            if abort:
                stream.abort()
            else:
                stream.stop()
            stream.close()

    def _emit(self, name: PlayerEvent) -> None:
        if self.on_event is not None:
            self.on_event(name)
