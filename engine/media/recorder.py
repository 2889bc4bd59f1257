"""Recording from an input device straight to disk, without ever losing what was captured.

The PortAudio callback only copies each block into a bounded queue (it never blocks, never
prints); a writer thread appends to the file with soundfile, feeds a ring buffer for the live
waveform and the level meter, and twice a second rewrites the header and syncs. `flush()`
alone (sf_write_sync) does not touch a WAV header - verified: after a SIGKILL the RIFF size
still said 8 - so the writer also sends libsndfile's SFC_UPDATE_HEADER_NOW.

Only WAV-family files are written directly. A compressed take (FLAC, OGG, MP3) goes to a WAV
journal next to the target and is encoded when the take ends: encoders hold audio back and
finish their header only on close, so a killed MP3 read as ~40 % of its length and a killed
OGG as nothing. Every take has a sidecar naming its process, so the next `audiotui record` /
`audiotui run` repairs a killed one (`recording_file.recover_interrupted`): after a SIGKILL at
t, at least t - 1 s of every format is recovered. A clean stop, a signal turned into `stop()`,
or a vanished device closes (and encodes) the file properly. The writer also watches the
stream: a sound server that dies raises nothing in PortAudio, it only stops calling back and
calls `finished_callback`. A write failure (disk full, file size limit) is named, and the
FileData's `frames` is what a reader gets back from the closed file, not what was sent to it.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import queue
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from audiotui.data import FileData
from audiotui.errors import AudiotuiError, DeviceError
from audiotui.media import temp
from audiotui.media.backend import open_stream
from audiotui.media.devices import DeviceInfo, check_samplerate, quiet_stderr, resolve_device
from audiotui.media.levels import Level, LevelAccumulator, measure
from audiotui.media.recording_file import (
    HEADER_FORMATS,
    begin_take,
    check_format_limits,
    close_sound_file,
    describe_write_error,
    encode_journal,
    encoding_path,
    end_take,
    file_format_for,
    journal_path,
    journal_subtype,
    mime_type_for,
    open_sound_file,
    publish_encoded,
    readable_frames,
    recordings_dir,
    sidecar_path,
    update_header,
)
from audiotui.media.ringbuffer import RingBuffer

if TYPE_CHECKING:
    import numpy as np

RecorderState = Literal["idle", "recording", "paused", "stopped", "failed"]

FLUSH_INTERVAL = 0.5  # seconds between header rewrites: SIGKILL loses at most this much + a block
QUEUE_SECONDS = 30.0  # how far the writer may fall behind before blocks are dropped (and counted)
STALL_SECONDS = 3.0  # no callback for this long = the device is gone
CLOSE_SECONDS = 5.0  # a stream close that takes longer is abandoned (a dead sound server)
FIRST_CALLBACK_SECONDS = (
    6.0  # an idle PulseAudio null sink may take ~2 s to deliver its first block
)

_SENTINEL = object()
_active: weakref.WeakSet[Recorder] = weakref.WeakSet()


def _stop_active_recorders() -> None:
    """At interpreter exit (Ctrl-C, sys.exit), close every open recording properly."""
    for rec in list(_active):
        with contextlib.suppress(Exception):  # nothing useful to do at exit but keep going
            rec.stop()


atexit.register(_stop_active_recorders)
temp.add_signal_hook(_stop_active_recorders)


def new_take_path(suffix: str = ".wav") -> Path:
    """A fresh, not yet existing file name for a take in `recordings_dir()`."""
    folder = recordings_dir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        candidate = folder / f"take-{stamp}{'' if n == 0 else f'-{n}'}{suffix}"
        if not candidate.exists():
            return candidate
    raise DeviceError(f"too many takes named take-{stamp}* in {folder}; clear some out")


class Recorder:
    """Records one input device into one file; see the module docstring for the guarantees.

    Args:
        path: the file to create; its extension picks the format (WAV, FLAC, OGG, MP3...).
        device: index or name substring; None = AUDIOTUI_INPUT_DEVICE or the system default.
        samplerate: Hz; None = the device's default rate.
        channels: how many input channels to record.
        blocksize: frames per PortAudio callback.
        subtype: soundfile subtype (PCM_16, PCM_24, FLOAT...); None = the format's default.
        overwrite: replace an existing file instead of refusing.
        max_length: seconds after which recording stops by itself.
        ring_seconds: how much recent audio `recent()` can return.
        private: create the file (and its journal) 0600: a UI take is a voice recording.
        channel_map: 0-based device channels to keep, in the order written (`--map`); the
            stream opens max+1 channels and the callback's copy picks them. `channels` is then
            ignored (it is len(channel_map)).
        split_seconds: cut into files of this length, gaplessly (the same stream; the cut is
            made on the writer thread between two samples). Needs `next_path`.
        next_path: called on the writer thread at each cut for the next file's name.

    Hooks (writer thread; they must be quick): `on_block(block, first_frame)` sees every block
    written (float32 (n, channels), its first sample's index in the whole run), e.g. for
    alarms; `on_rotate(done, next_path)` runs after a cut with the finished file's FileData.
    Every file of a split take is a complete take of its own: it gets its sidecar when opened
    and is closed (header, encoder, journal) before the next one takes over.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        device: int | str | None = None,
        samplerate: float | None = None,
        channels: int = 1,
        blocksize: int = 1024,
        subtype: str | None = None,
        overwrite: bool = False,
        max_length: float | None = None,
        ring_seconds: float = 10.0,
        private: bool = False,
        channel_map: Sequence[int] | None = None,
        split_seconds: float | None = None,
        next_path: Callable[[], Path] | None = None,
    ) -> None:
        if channel_map is not None:
            channel_map = [int(c) for c in channel_map]
            if not channel_map or min(channel_map) < 0:
                raise AudiotuiError(f"channel_map must list 0-based channels, not {channel_map}")
            channels = len(channel_map)
        if split_seconds is not None and (split_seconds <= 0 or next_path is None):
            raise AudiotuiError("split_seconds must be positive and needs next_path")
        if channels < 1:
            raise AudiotuiError(f"channels must be at least 1, not {channels}")
        if blocksize < 0:
            raise AudiotuiError(f"blocksize must be 0 (PortAudio decides) or more, not {blocksize}")
        if max_length is not None and max_length <= 0:
            raise AudiotuiError(f"max_length must be positive seconds, not {max_length}")
        self.path = Path(path).expanduser().absolute()
        self.device_spec = device
        self.requested_samplerate = samplerate
        self.channels = channels
        self.blocksize = blocksize
        self.subtype = subtype
        self.overwrite = overwrite
        self.max_length = max_length
        self.ring_seconds = ring_seconds
        self.file_mode = 0o600 if private else 0o666  # before the umask
        self.journal: Path | None = None  # the WAV a compressed take is recorded into
        self.saved_frames = 0  # what a reader gets back from the closed target
        self.on_finished: Callable[[FileData, BaseException | None], None] | None = None
        self.on_block: Callable[[np.ndarray, int], None] | None = None
        self.on_rotate: Callable[[FileData, Path], None] | None = None
        self.channel_map = channel_map
        self.device_channels = max(channel_map) + 1 if channel_map is not None else channels
        identity = channel_map is None or channel_map == list(range(len(channel_map)))
        self._pick: Any = None if identity and self.device_channels == channels else channel_map
        self.split_seconds = split_seconds
        self.next_path = next_path
        self.files: list[FileData] = []  # files already completed by a split, in order
        self._file_frames = 0  # frames in the current file
        self._split_frames = 0
        self._open_format: tuple[str, str | None] = ("", None)

        self.device: DeviceInfo | None = None
        self.samplerate: int = 0
        self.format: str = ""
        self.error: BaseException | None = None
        self._state: RecorderState = "idle"
        self._paused = False
        self._stop_requested = False
        self._overflows = 0
        self._dropped_frames = 0
        self._frames = 0
        self._last_callback = 0.0
        self._started_at = 0.0
        self._stream: Any = None
        self._file: Any = None
        self._queue: queue.Queue[Any] = queue.Queue()
        self._ring: RingBuffer | None = None
        self._totals: LevelAccumulator | None = None
        self._writer: threading.Thread | None = None
        self._stream_finished = threading.Event()
        self._lock = threading.Lock()
        self._stream_lock = threading.Lock()
        self._result: FileData | None = None
        self._target_subtype: str | None = None
        self._encoder: Any = None  # the target's encoder, fed alongside the journal
        self._encoder_error: str | None = None

    # ------------------------------------------------------------------ public state

    @property
    def state(self) -> RecorderState:
        return self._state

    @property
    def elapsed(self) -> float:
        """Seconds of audio written to the file so far."""
        return self._frames / self.samplerate if self.samplerate else 0.0

    @property
    def overflows(self) -> int:
        """Input overflows reported by PortAudio plus blocks dropped because the writer lagged."""
        return self._overflows

    @property
    def dropped_frames(self) -> int:
        return self._dropped_frames

    @property
    def file_frames(self) -> int:
        """Frames in the file being written (= total frames unless the take is split)."""
        return self._file_frames

    def level(self) -> Level:
        """Peak/RMS of the last ~0.1 s and the clip count of the whole recording, per channel."""
        if self._ring is None or self._totals is None:
            return Level([], [], [])
        recent = measure(self._ring.latest(max(1, self.samplerate // 10)))
        return Level(recent.peak_dbfs, recent.rms_dbfs, list(self._totals.clips))

    def recent(self, seconds: float) -> np.ndarray:
        """The last `seconds` of audio, float32 (n, channels), for a live waveform."""
        import numpy as np

        if self._ring is None:
            return np.zeros((0, self.channels), dtype=np.float32)
        return self._ring.latest(int(seconds * self.samplerate))

    # ------------------------------------------------------------------ control

    def start(self) -> None:
        """Check the file and the device, open both, and start capturing."""
        if self._state != "idle":
            raise AudiotuiError(f"this recorder was already started (state {self._state})")
        if self.path.is_dir():
            raise AudiotuiError(f"'{self.path}' is a directory: give a file name such as take.wav")
        if not self.path.parent.is_dir():
            raise AudiotuiError(
                f"cannot record to '{self.path}': folder '{self.path.parent}' does not exist"
            )
        if self.path.exists() and not self.overwrite:
            raise AudiotuiError(
                f"'{self.path}' already exists: choose another name or allow overwriting (--force)"
            )
        fmt, subtype = file_format_for(self.path, self.subtype)
        check_samplerate(self.requested_samplerate)
        check_format_limits(fmt, self.channels, self.requested_samplerate)
        if sidecar_path(self.path).exists():
            from audiotui.media.recording_file import recover_interrupted

            recover_interrupted(self.path.parent)  # a killed take of this name: finish it first
            if self.path.exists() and not self.overwrite:
                raise AudiotuiError(
                    f"'{self.path}' already exists (an interrupted take, now repaired): "
                    "choose another name or allow overwriting (--force)"
                )
        device = resolve_device(self.device_spec, "input")
        if self.device_channels > device.max_input_channels:
            asked = (
                f"channel {self.device_channels}" if self.channel_map is not None
                else f"{self.channels}"
            )
            raise DeviceError(
                f"device {device.index} {device.name!r} has {device.max_input_channels} input "
                f"channel(s); cannot record {asked}"
            )
        rate = int(self.requested_samplerate or device.default_samplerate)
        check_format_limits(fmt, self.channels, rate)
        # The stream is opened before the file so a device problem never touches the disk.
        # (backend.py: this machine's PortAudio, or a laptop's device over `audiotui ssh`.)
        stream = open_stream(
            "input", device, samplerate=rate, channels=self.device_channels,
            blocksize=self.blocksize, callback=self._callback,
            finished_callback=self._stream_finished.set,
        )
        try:
            sound_file = self._open_files(fmt, subtype, rate)
        except BaseException:
            self._close_stream(stream)
            raise

        self.device, self.samplerate, self.format = device, rate, fmt
        self._open_format = (fmt, subtype)
        if self.split_seconds is not None:
            self._split_frames = max(1, int(round(self.split_seconds * rate)))
        if self._pick is not None:
            import numpy as np

            self._pick = np.asarray(self._pick, dtype=np.intp)
        self.subtype = self._target_subtype if self.journal is not None else sound_file.subtype
        self._file, self._stream = sound_file, stream
        block_seconds = (self.blocksize or 1024) / rate
        self._queue = queue.Queue(maxsize=max(8, math.ceil(QUEUE_SECONDS / block_seconds)))
        self._ring = RingBuffer(max(1, int(self.ring_seconds * rate)), self.channels)
        self._totals = LevelAccumulator(self.channels)
        self._started_at = self._last_callback = time.monotonic()
        self._state = "recording"
        self._writer = threading.Thread(
            target=self._write_loop, name="audiotui-recorder", daemon=True
        )
        self._writer.start()
        _active.add(self)
        try:
            stream.start()
        except AudiotuiError:
            self._stop_requested = True
            self._queue.put(_SENTINEL)
            self._writer.join(timeout=5)
            self._discard_files()
            raise

    def _open_files(self, fmt: str, subtype: str | None, rate: int) -> Any:
        """Create the file the audio goes into, and the sidecar that makes a crash repairable.

        WAV-family targets are written directly. Any other format is recorded into a WAV
        journal and, block by block, into its encoder (`.NAME.encoding`, opened now so a
        refusal comes before the take, not at its end); an empty placeholder reserves the
        target's name. Encoding while recording costs what writing the format directly did,
        and makes stopping instant instead of ~1.5 s of CPU per minute of stereo MP3.
        """
        if fmt in HEADER_FORMATS:
            sound_file = open_sound_file(
                self.path, overwrite=self.overwrite, samplerate=rate, channels=self.channels,
                fmt=fmt, subtype=subtype, file_mode=self.file_mode,
            )
            # No sidecar (read-only folder?) costs only the repair: the header is kept current.
            with contextlib.suppress(OSError):
                begin_take(self.path, journal=None, fmt=fmt, subtype=subtype,
                           samplerate=rate, channels=self.channels, placeholder=False)
            return sound_file
        encoding = encoding_path(self.path)
        encoding.unlink(missing_ok=True)  # our own name: a leftover of a killed take
        encoder = open_sound_file(encoding, overwrite=False, samplerate=rate,
                                  channels=self.channels, fmt=fmt, subtype=subtype,
                                  file_mode=self.file_mode)
        target_subtype = str(encoder.subtype)
        journal = journal_path(self.path)
        placeholder = not self.path.exists()
        try:
            begin_take(self.path, journal=journal, fmt=fmt, subtype=target_subtype,
                       samplerate=rate, channels=self.channels, placeholder=placeholder)
        except OSError as exc:
            encoder.close()
            encoding.unlink(missing_ok=True)
            raise AudiotuiError(f"cannot record to '{self.path}': {exc}") from None
        try:
            if placeholder:
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, self.file_mode))
            sound_file = open_sound_file(
                journal, overwrite=False, samplerate=rate, channels=self.channels, fmt="WAV",
                subtype=journal_subtype(target_subtype), file_mode=self.file_mode,
            )
        except BaseException as exc:
            with contextlib.suppress(Exception):
                encoder.close()
            encoding.unlink(missing_ok=True)
            if placeholder and not isinstance(exc, FileExistsError):
                self.path.unlink(missing_ok=True)
            end_take(self.path)
            if isinstance(exc, FileExistsError):
                raise AudiotuiError(
                    f"'{self.path}' already exists: choose another name or allow overwriting "
                    "(--force)"
                ) from None
            raise
        self.journal = journal
        self._target_subtype = target_subtype
        self._encoder = encoder
        return sound_file

    def _discard_files(self) -> None:
        """The take never started (the stream refused to): remove what start() created."""
        if self._encoder is not None:
            with contextlib.suppress(Exception):
                self._encoder.close()
            encoding_path(self.path).unlink(missing_ok=True)
        if self.journal is not None:
            self.journal.unlink(missing_ok=True)
        if not self.path.exists() or self.path.stat().st_size == 0 or self.journal is None:
            self.path.unlink(missing_ok=True)
        end_take(self.path)

    def pause(self) -> None:
        """Stop appending to the file; the stream keeps running so resume is instant."""
        if self._state == "recording":
            self._paused = True
            self._state = "paused"

    def resume(self) -> None:
        if self._state == "paused":
            self._paused = False
            self._state = "recording"

    def stop(self, timeout: float = 10.0) -> FileData:
        """Stop capturing, write what is queued, close the file; returns it. Idempotent."""
        if self._state == "idle":
            raise AudiotuiError("this recorder was never started")
        self._stop_requested = True
        self._close_stream(self._stream)
        self._queue.put(_SENTINEL)
        if self._writer is not None and self._writer is not threading.current_thread():
            self._writer.join(timeout=timeout)
        if self._result is None:
            # The writer is stuck (disk hang): close here so the header is still written.
            self._finish(AudiotuiError("the writer thread did not finish in time"))
        assert self._result is not None
        return self._result

    # ------------------------------------------------------------------ threads

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # PortAudio's thread: copy and queue only; anything slower risks an overflow.
        self._last_callback = time.monotonic()
        if status.input_overflow:
            self._overflows += 1
        if self._paused:
            return
        try:
            # Picking channels (--map) makes the copy the callback makes anyway.
            self._queue.put_nowait(indata.copy() if self._pick is None else indata[:, self._pick])
        except queue.Full:
            self._dropped_frames += frames
            self._overflows += 1

    def _write_loop(self) -> None:
        error: BaseException | None = None
        last_flush = time.monotonic()
        try:
            while True:
                try:
                    item = self._queue.get(timeout=0.1)
                except queue.Empty:
                    item = None
                if item is _SENTINEL:
                    break
                if item is not None and self._consume(item):
                    break
                now = time.monotonic()
                if now - last_flush >= FLUSH_INTERVAL and self._file is not None:
                    update_header(self._file, self._file_frames)
                    last_flush = now
                error = self._device_lost(now)
                if error is not None:
                    break
        except Exception as exc:  # disk full, file size limit, permissions changed...
            written = self.journal or self.path
            error = AudiotuiError(
                f"writing '{written}' failed: {describe_write_error(exc, self._file)}"
            )
        self._finish(error)

    def _consume(self, block: np.ndarray) -> bool:
        """Write one block; True when max_length has been reached."""
        limit = None
        if self.max_length is not None:
            limit = int(round(self.max_length * self.samplerate))
            block = block[: max(0, limit - self._frames)]
        if len(block):
            first = self._frames
            rest = block
            while len(rest):
                if self._split_frames and self._file_frames >= self._split_frames:
                    self._rotate()  # only when a sample is waiting: no empty last file
                room = len(rest)
                if self._split_frames:
                    room = min(room, self._split_frames - self._file_frames)
                part, rest = rest[:room], rest[room:]
                self._file.write(part)  # the journal (or the WAV): what a crash keeps
                if self._encoder is not None:
                    self._encode(part)
                self._file_frames += len(part)
                self._frames += len(part)
            assert self._ring is not None and self._totals is not None
            self._ring.write(block)
            self._totals.add(block)
            if self.on_block is not None:
                self.on_block(block, first)
        return limit is not None and self._frames >= limit

    def _rotate(self) -> None:
        """Close the file that is full as a complete take and open the next (writer thread).

        The stream keeps running and the queue holds what arrives meanwhile, so no sample is
        lost or repeated: the next file starts with the sample after the last one written.
        """
        assert self.next_path is not None
        close_sound_file(self._file)
        self._file = None
        error = self._complete_on_disk(None)
        if error is not None:
            raise error
        done = self._file_data()
        previous = self.path
        self.path = self.next_path()
        self.journal, self._encoder, self._encoder_error = None, None, None
        fmt, subtype = self._open_format
        try:
            self._file = self._open_files(fmt, subtype, self.samplerate)
        except BaseException:
            self.path = previous  # the take ends with the last complete file
            raise
        self._file_frames = 0
        self.files.append(done)
        if self.on_rotate is not None:
            self.on_rotate(done, self.path)

    def _encode(self, block: np.ndarray) -> None:
        """Feed the encoder; if it fails, drop it: the journal is encoded at the end instead."""
        try:
            self._encoder.write(block)
        except Exception as exc:
            self._encoder_error = describe_write_error(exc, self._encoder)
            with contextlib.suppress(Exception):
                self._encoder.close()
            self._encoder = None
            encoding_path(self.path).unlink(missing_ok=True)

    def _device_lost(self, now: float) -> DeviceError | None:
        if self._stop_requested:
            return None
        silent_for = now - self._last_callback
        first = self._last_callback == self._started_at
        # A stream over a network (the SSH bridge) may pause for a while and catch up: it
        # says how long a silence means "gone" (it reports a closed connection itself).
        stall = getattr(self._stream, "stall_seconds", None) or STALL_SECONDS
        if self._stream_finished.is_set() or silent_for > (
            max(FIRST_CALLBACK_SECONDS, stall) if first else stall
        ):
            name = self.device.name if self.device else "?"
            # A bridge stream knows why (the SSH connection to the laptop ended...).
            why = getattr(self._stream, "lost_reason", None) or (
                "unplugged, or the sound server went away")
            return DeviceError(
                f"input device {name!r} stopped delivering audio ({why}) after "
                f"{self.elapsed:.1f} s"
            )
        return None

    def _finish(self, error: BaseException | None) -> None:
        with self._lock:
            if self._result is not None:
                return
            self._stop_requested = True
            self._close_stream(self._stream)
            # Whatever is still queued was captured: it belongs in the file.
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not _SENTINEL and self._file is not None and not self._file.closed:
                    try:
                        self._consume(item)
                    except Exception:  # keep closing the file regardless
                        break
            if self._file is not None and not self._file.closed:
                try:
                    close_sound_file(self._file)
                except Exception as exc:  # the final header write failed too
                    error = error or AudiotuiError(
                        f"closing '{self.journal or self.path}' failed: "
                        f"{describe_write_error(exc)}"
                    )
            error = self._complete_on_disk(error)
            self.error = error
            self._state = "failed" if error is not None else "stopped"
            self._result = self._file_data()
            _active.discard(self)
        if self.on_finished is not None:
            self.on_finished(self._result, error)

    def _complete_on_disk(self, error: BaseException | None) -> BaseException | None:
        """Put the encoded take in place; measure what a reader gets; drop the sidecar.

        The encoder fed while recording is closed and renamed over the target. If it failed
        (or fails now), the journal is encoded instead; if that fails too (disk full...), the
        journal and its sidecar stay and the next `audiotui record` / `audiotui run`
        (`recover_interrupted`) finishes the job.
        """
        if self._encoder is not None:
            encoder, self._encoder = self._encoder, None
            try:
                encoder.close()
                publish_encoded(self.path)
            except Exception as exc:
                self._encoder_error = describe_write_error(exc, encoder)
                encoding_path(self.path).unlink(missing_ok=True)
            else:
                if self.journal is not None:
                    self.journal.unlink(missing_ok=True)
        if self.journal is not None and self.journal.exists():
            try:
                self.saved_frames = encode_journal(
                    self.journal, self.path, self.format, self._target_subtype,
                    file_mode=self.file_mode,
                )
            except Exception as exc:
                self.saved_frames = 0
                reason = f"encoding '{self.path}' failed: {describe_write_error(exc)}"
                return AudiotuiError(
                    f"{reason}; the audio is kept in '{self.journal}' and the next "
                    "`audiotui record` or `audiotui run` finishes it"
                    + (f" (after: {error})" if error is not None else "")
                )
            self.journal.unlink(missing_ok=True)
        else:
            self.saved_frames = readable_frames(self.path)
        with contextlib.suppress(OSError):
            end_take(self.path)
        return error

    def _file_data(self) -> FileData:
        size = self.path.stat().st_size if self.path.exists() else 0
        return FileData(
            path=str(self.path),
            orig_name=self.path.name,
            size=size,
            mime_type=mime_type_for(self.format),
            meta={
                "sample_rate": self.samplerate,
                "channels": self.channels,
                "frames": self.saved_frames,
                "format": self.format,
                "subtype": self.subtype,
                "overflows": self._overflows,
            },
        )

    def _close_stream(self, stream: Any) -> None:
        if stream is None:
            return
        with self._stream_lock:
            if stream.closed:
                return
            closed = threading.Event()

            def close() -> None:
                # A dead server can make stop/close fail; the file is what matters.
                with contextlib.suppress(Exception), quiet_stderr():
                    stream.stop()
                    stream.close()
                closed.set()

            # ... or hang (ALSA's pulse plugin waiting on a server that was killed): the
            # take must still be closed and reported, so the wait is bounded and a stuck
            # close is left to finish, or not, on its own daemon thread.
            try:
                threading.Thread(target=close, name="audiotui-stream-close",
                                 daemon=True).start()
            except RuntimeError:  # interpreter shutdown (the atexit close): no new threads
                close()
            closed.wait(CLOSE_SECONDS)
