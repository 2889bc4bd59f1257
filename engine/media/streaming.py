"""Live microphone input delivered as (sr, int16) chunks, as Gradio's streaming Audio does.

The PortAudio callback only queues blocks; a worker thread cuts them into chunks of
`chunk_seconds` and calls the user's function. When that function is slower than real time
(its last call took longer than a chunk lasts), the chunks that piled up are joined into the
next call (Gradio's coalescing) and counted; a device that merely delivers a burst does not
cause joining. Nothing is dropped unless the backlog exceeds `max_pending_seconds`, which
bounds memory.
"""

from __future__ import annotations

import collections
import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from audiotui.errors import AudiotuiError, DeviceError
from audiotui.media.backend import open_stream
from audiotui.media.devices import DeviceInfo, check_samplerate, quiet_stderr, resolve_device

StreamState = Literal["idle", "streaming", "stopped", "failed"]
ChunkCallback = Callable[[tuple[int, np.ndarray]], Any]

MIN_CHUNK_SECONDS = 0.01
STALL_SECONDS = 3.0
FIRST_CALLBACK_SECONDS = 6.0


def to_int16(block: np.ndarray) -> np.ndarray:
    """float32 in [-1, 1] to int16, clipping rather than wrapping around."""
    scaled: np.ndarray = np.round(np.clip(block, -1.0, 1.0) * 32767.0)
    return scaled.astype(np.int16)


class MicrophoneStream:
    """Calls `callback((sr, int16 array))` with every `chunk_seconds` of input.

    Args:
        callback: receives one (sample_rate, int16 array) tuple; the array is (n,) for mono,
            (n, channels) otherwise, like Gradio's numpy audio.
        device: index or name substring; None = AUDIOTUI_INPUT_DEVICE or the system default.
        samplerate: Hz; None = the device's default rate.
        channels: input channels.
        chunk_seconds: seconds per chunk (Gradio 4.34 uses 0.5; 0.02 works).
        max_pending_seconds: backlog kept for a slow callback before the oldest audio is
            dropped (and counted in `dropped_frames`).
    """

    def __init__(
        self,
        callback: ChunkCallback,
        *,
        device: int | str | None = None,
        samplerate: float | None = None,
        channels: int = 1,
        chunk_seconds: float = 0.5,
        max_pending_seconds: float = 30.0,
    ) -> None:
        if chunk_seconds < MIN_CHUNK_SECONDS:
            raise AudiotuiError(
                f"chunk_seconds must be at least {MIN_CHUNK_SECONDS} s, not {chunk_seconds}"
            )
        if channels < 1:
            raise AudiotuiError(f"channels must be at least 1, not {channels}")
        self.callback = callback
        self.device_spec = device
        self.requested_samplerate = samplerate
        self.channels = channels
        self.chunk_seconds = chunk_seconds
        self.max_pending_seconds = max_pending_seconds
        self.on_finished: Callable[[BaseException | None], None] | None = None

        self.device: DeviceInfo | None = None
        self.samplerate = 0
        self.chunk_frames = 0
        self.coalesced = 0
        self.chunks_delivered = 0
        self.dropped_frames = 0
        self.overflows = 0
        self.error: BaseException | None = None
        self._state: StreamState = "idle"
        self._blocks: collections.deque[np.ndarray] = collections.deque()
        self._queued_frames = 0
        self._cond = threading.Condition()
        self._stopping = False
        self._stream: Any = None
        self._worker: threading.Thread | None = None
        self._stream_finished = threading.Event()
        self._last_callback = 0.0
        self._started_at = 0.0
        self._max_pending_frames = 0
        self._last_call_seconds = 0.0

    @property
    def state(self) -> StreamState:
        return self._state

    def start(self) -> None:
        if self._state != "idle":
            raise AudiotuiError(f"this stream was already started (state {self._state})")
        check_samplerate(self.requested_samplerate)
        device = resolve_device(self.device_spec, "input")
        if self.channels > device.max_input_channels:
            raise DeviceError(
                f"device {device.index} {device.name!r} has {device.max_input_channels} input "
                f"channel(s); cannot stream {self.channels}"
            )
        rate = int(self.requested_samplerate or device.default_samplerate)
        self.device, self.samplerate = device, rate
        self.chunk_frames = max(1, int(round(self.chunk_seconds * rate)))
        self._max_pending_frames = max(self.chunk_frames, int(self.max_pending_seconds * rate))
        # Short chunks: one callback per chunk, so a chunk leaves as soon as it is complete.
        blocksize = self.chunk_frames if self.chunk_frames <= 2048 else 1024
        self._stream = open_stream(
            "input", device, samplerate=rate, channels=self.channels, blocksize=blocksize,
            callback=self._on_audio, finished_callback=self._stream_finished.set,
        )
        self._state = "streaming"
        self._started_at = self._last_callback = time.monotonic()
        self._worker = threading.Thread(target=self._deliver_loop, name="audiotui-mic", daemon=True)
        self._worker.start()
        try:
            self._stream.start()
        except AudiotuiError:
            self.stop()
            raise

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the device, deliver what is left (a last, possibly short chunk), end the worker."""
        if self._state == "idle":
            return
        self._stopping = True
        self._close_stream()
        with self._cond:
            self._cond.notify_all()
        worker = self._worker
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout=timeout)

    # ------------------------------------------------------------------ threads

    def _on_audio(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # PortAudio's thread: queue a copy; drop the oldest only past the memory bound.
        self._last_callback = time.monotonic()
        if status.input_overflow:
            self.overflows += 1
        with self._cond:
            self._blocks.append(indata.copy())
            self._queued_frames += frames
            while self._queued_frames > self._max_pending_frames and len(self._blocks) > 1:
                old = self._blocks.popleft()
                self._queued_frames -= len(old)
                self.dropped_frames += len(old)
            self._cond.notify()

    def _deliver_loop(self) -> None:
        error: BaseException | None = None
        while True:
            with self._cond:
                if self._queued_frames < self.chunk_frames and not self._stopping:
                    self._cond.wait(timeout=0.1)
                ready = self._queued_frames // self.chunk_frames
                if ready > 1 and self._last_call_seconds < self.chunk_seconds:
                    # A keeping-up function only sees a burst of the device: no joining then.
                    ready = 1
                final = self._stopping
                if ready == 0 and not final:
                    blocks: list[np.ndarray] = []
                else:
                    blocks = list(self._blocks)
                    self._blocks.clear()
                    self._queued_frames = 0
            if blocks:
                joined = blocks[0] if len(blocks) == 1 else np.concatenate(blocks)
                take = len(joined) if final else ready * self.chunk_frames
                rest = joined[take:]
                if len(rest):
                    with self._cond:  # the partial chunk goes back to the front
                        self._blocks.appendleft(rest)
                        self._queued_frames += len(rest)
                if take:
                    if ready > 1:
                        self.coalesced += ready - 1
                    try:
                        began = time.monotonic()
                        self._deliver(joined[:take])
                        self._last_call_seconds = time.monotonic() - began
                    except Exception as exc:  # the user's function failed: stop streaming
                        error = exc
                        break
            if final:
                break
            lost = self._device_lost()
            if lost is not None:
                error = lost
                break
        self._stopping = True
        self._close_stream()
        self.error = error
        self._state = "failed" if error is not None else "stopped"
        if self.on_finished is not None:
            self.on_finished(error)

    def _deliver(self, block: np.ndarray) -> None:
        data = to_int16(block)
        if self.channels == 1:
            data = data[:, 0]
        self.chunks_delivered += 1
        self.callback((self.samplerate, data))

    def _device_lost(self) -> DeviceError | None:
        if self._stopping:
            return None
        silent = time.monotonic() - self._last_callback
        first = self._last_callback == self._started_at
        # A stream over a network (the SSH bridge) may pause for a while and catch up: it
        # says how long a silence means "gone" (it reports a closed connection itself).
        stall = getattr(self._stream, "stall_seconds", None) or STALL_SECONDS
        if self._stream_finished.is_set() or silent > (
            max(FIRST_CALLBACK_SECONDS, stall) if first else stall
        ):
            name = self.device.name if self.device else "?"
            why = getattr(self._stream, "lost_reason", None) or (
                "unplugged, or the sound server went away")
            return DeviceError(f"input device {name!r} stopped delivering audio ({why})")
        return None

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        with contextlib.suppress(Exception), quiet_stderr():
            stream.stop()
            stream.close()
