"""Streaming for the audio widget: microphone chunks in, appended output chunks out.

Input: the engine's MicrophoneStream calls back from its delivery thread with (sr, int16)
chunks; each is written to a small file (an audio value is always a file) and moved onto
the UI loop, where the audio widget stores it and fires `stream`. Output: chunks of a
streamed output value are read and appended to the Player and the live waveform in order,
by one thread per widget (StreamedOutput), so playback starts with the first chunk.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import queue
import threading
from collections.abc import Callable
from typing import Any

from audiotui.tui.widgets.audio_recording import LiveRecording, live_spectrum

LISTENER_WAIT_SECONDS = 60.0
"""Longest a chunk waits for its `stream` listeners; a slower one overlaps the next call."""


class MicrophoneChunks:
    """A streaming-input take with the same face as LiveRecording (state, tick, meter...).

    Args:
        device: input device spec (None = default / env).
        max_length: seconds after which the take stops by itself.
        on_finished: called on the UI loop with (the whole take as a FileData, or None when
            no chunk came; error | None) once it stopped. The chunks are also written to a
            take in the recordings folder, so a streamed take is kept like any other.
        on_chunk: called on the UI loop with each chunk as a FileData (what the Session
            stores and `stream` listeners receive); when it returns an awaitable (the
            listeners' jobs), the next chunk waits for it.
        chunk_seconds: Gradio 4.34 streams half a second at a time.
    """

    def __init__(self, device: int | str | None, max_length: float | None,
                 on_finished: Callable[[Any, BaseException | None], None],
                 on_chunk: Callable[[Any], Any], chunk_seconds: float = 0.5) -> None:
        from audiotui.media.streaming import MicrophoneStream

        self._loop = asyncio.get_running_loop()
        self.max_length = max_length
        self.on_finished = on_finished
        self.on_chunk = on_chunk
        self.stream = MicrophoneStream(self._chunk_in_thread, device=device,
                                       chunk_seconds=chunk_seconds)
        self.recorder = self  # LiveRecording.meter reads `self.recorder.level()`
        self.peaks: Any = None
        self.spectrum: Any = None
        self.elapsed = 0.0
        self._paused = False
        self._new = False
        self._last: Any = None
        self._stopping = threading.Lock()
        self.path: Any = None
        """The take's file in the recordings folder (None until the first chunk)."""
        self._file: Any = None

    @property
    def state(self) -> str:
        if self.stream.state == "streaming":
            return "paused" if self._paused else "recording"
        return str(self.stream.state)

    @property
    def device_name(self) -> str:
        device = getattr(self.stream, "device", None)
        return str(getattr(device, "name", "default input"))

    def start(self) -> None:
        self.stream.start()

    def pause(self) -> None:
        self._paused = True

    def resume(self) -> None:
        self._paused = False

    def stop(self) -> None:
        """Blocking (joins the delivery thread): call it from a worker thread."""
        if not self._stopping.acquire(blocking=False):
            return  # the user and max_length both asked; one stop is enough
        error: BaseException | None = None
        try:
            self.stream.stop()
        except Exception as exc:  # DeviceError: the device vanished mid-stream
            error = exc
        take = self._close_take()
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.on_finished, take, error)

    def _keep(self, rate: int, data: Any) -> None:
        """Append a chunk to the take's file (opened 0600 on the first chunk)."""
        import os

        import soundfile as sf

        from audiotui.media.recorder import new_take_path

        if self._file is None:
            self.path = new_take_path(".wav")
            handle = os.fdopen(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600),
                               "wb")
            channels = 1 if data.ndim == 1 else int(data.shape[1])
            self._file = sf.SoundFile(handle, mode="w", samplerate=int(rate), channels=channels,
                                      format="WAV", subtype="PCM_16", closefd=True)
        self._file.write(data)

    def _close_take(self) -> Any:
        """Close the take's file: the whole take as a FileData (None without chunks)."""
        file, self._file = self._file, None
        if file is None:
            return None
        try:
            file.close()
            from audiotui.media.files import path_to_filedata

            return path_to_filedata(str(self.path))
        except Exception:  # the chunks were delivered; a broken take file is not fatal
            return None

    meter = LiveRecording.meter

    def level(self) -> Any:
        from audiotui.media.levels import Level, measure

        if self._last is None:
            return Level([], [], [])
        rate, data = self._last
        return measure(data.astype("float32") / 32768.0)

    def tick(self) -> bool:
        new, self._new = self._new, False
        return new

    @property
    def overflows(self) -> int:
        """Input overflows so far (the meter shows them, as for a Recorder)."""
        return int(self.stream.overflows)

    @property
    def coalesced(self) -> int:
        """Chunks joined into a later call because the `stream` listeners were slower."""
        return int(self.stream.coalesced)

    def _chunk_in_thread(self, chunk: tuple[int, Any]) -> None:
        """On MicrophoneStream's worker: deliver, then wait for the listeners it started.

        Waiting is what makes a slow listener get the chunks that arrived meanwhile joined
        into its next call (MicrophoneStream's backlog), as Gradio does; returning at once
        would let the `always_last` stream listener skip them.
        """
        from audiotui.media.files import array_to_filedata

        if self._paused:
            return
        rate, data = chunk
        with contextlib.suppress(Exception):  # keeping the take never stops the stream
            self._keep(rate, data)
        fd = array_to_filedata(rate, data, normalize=False)
        if self._loop.is_closed():
            return
        try:
            done = asyncio.run_coroutine_threadsafe(self._deliver_and_wait(fd, chunk), self._loop)
        except RuntimeError:  # the loop closed meanwhile: the app quit mid-take
            return
        with contextlib.suppress(Exception):  # a listener past the wait runs on; keep streaming
            done.result(timeout=LISTENER_WAIT_SECONDS)

    async def _deliver_and_wait(self, fd: Any, chunk: tuple[int, Any]) -> None:
        waiting = self._deliver(fd, chunk)
        if inspect.isawaitable(waiting):
            await waiting

    def _deliver(self, fd: Any, chunk: tuple[int, Any]) -> Any:
        from audiotui.media.peaks import PeakPyramid

        rate, data = chunk
        self._last = chunk
        self.elapsed += len(data) / float(rate)
        if self.peaks is None:
            self.peaks = PeakPyramid.from_array(rate, data)
            self.spectrum = live_spectrum(rate, data)
        else:
            self.peaks.append(data)
            self.spectrum.append(data)
        self._new = True
        waiting = self.on_chunk(fd)
        if self.max_length is not None and self.elapsed >= self.max_length:
            threading.Thread(target=self.stop, daemon=True).start()
        return waiting


END_OF_STREAM = object()


class OutputStream:
    """Appends streamed output chunks (FileData) to a Player and reports them for drawing.

    Args:
        player_for: returns the Player to append to, or None when there is no hardware
            (the waveform still grows).
        on_samples: called on the UI loop with (sr, float32 (n, ch)) for each chunk.
    """

    def __init__(self, player_for: Callable[[], Any],
                 on_samples: Callable[[int, Any], None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._player_for = player_for
        self._on_samples = on_samples
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="audiotui-stream-out",
                                        daemon=True)
        self._thread.start()

    def add(self, fd: Any) -> None:
        """Queue one chunk; chunks are appended strictly in the order they arrived."""
        self._queue.put(fd)

    def finish(self) -> None:
        """The function stopped yielding: let the player drain, then fire stop."""
        self._queue.put(END_OF_STREAM)

    def close(self) -> None:
        self._queue.put(None)

    def _run(self) -> None:
        from audiotui.media.files import read_float

        while True:
            fd = self._queue.get()
            if fd is None:
                return
            if fd is END_OF_STREAM:
                player = self._player_for()
                if player is not None:
                    player.finish_stream()
                continue
            try:
                rate, data = read_float(fd.path)
            except Exception:  # a broken chunk is skipped; the engine reported it
                continue
            if not len(data):
                continue  # a byte slice that ended inside a frame: its audio comes next
            if not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self._on_samples, rate, data)
            player = self._player_for()
            if player is not None:
                try:
                    player.append((rate, data))
                except Exception:  # the device went away: keep drawing
                    continue


class StreamedOutput:
    """A streamed output value on screen and speaker: each chunk goes to the Player (when
    there is hardware) and onto a waveform that grows as the chunks arrive.

    Args:
        view: the waveform view to grow (emptied now: a stream starts a new value).
        player_for: returns the Player to append to, or None when there is no hardware.
        on_grew: called on the UI loop after each chunk is drawn (the status line follows).
    """

    def __init__(self, view: Any, player_for: Callable[[], Any],
                 on_grew: Callable[[], None]) -> None:
        self.view = view
        self.on_grew = on_grew
        self.peaks: Any = None
        view.show(None)
        self.out = OutputStream(player_for, self._samples)

    def add(self, fd: Any) -> None:
        self.out.add(fd)

    def finish(self) -> None:
        """The function stopped yielding: the player drains, then fires stop."""
        self.out.finish()

    def close(self) -> None:
        self.out.close()

    def _samples(self, rate: int, data: Any) -> None:
        from audiotui.media.peaks import PeakPyramid

        view = self.view
        if self.peaks is None:
            self.peaks = PeakPyramid.from_array(rate, data)
            view.show(self.peaks, live_spectrum(rate, data))
        else:
            self.peaks.append(data)
            if view.spectrum is not None:
                view.spectrum.append(data)
            view.view_end = view.duration
            view.refresh()
        self.on_grew()


async def send_stream_chunk(widget: Any, fd: Any) -> None:
    """Store a microphone chunk of a streaming input (quietly) and fire `stream` with it;
    returns once the listeners it started have finished (MicrophoneChunks waits for that).

    `widget` is the audio widget (a ComponentWidget) that already shows `fd`.
    """
    from audiotui.tui.messages import ComponentInput

    session = getattr(widget.app, "session", None)
    if session is None:
        widget.post_message(ComponentInput(widget.component, fd, quiet=True))
        widget.fire("stream", fd)
        return
    try:
        session.set_value(widget.component, fd)
        jobs = session.trigger(widget.component, "stream", fd)
    except Exception as exc:  # the engine names the problem; show it, keep streaming
        widget.notify(str(exc), title="Audio stream", severity="error")
        return
    await asyncio.gather(*(job.wait() for job in jobs))
