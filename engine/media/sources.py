"""What a Player reads from: a file streamed from disk, an array in memory, or growing chunks.

All three hand out float32 (n, channels) blocks at their own rate and can seek; the Player
does rate/channel conversion and timing. A file is never loaded whole, so an hour-long WAV
plays with the memory of a few blocks.
"""

from __future__ import annotations

import dataclasses
import io
import os
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from audiotui.data import FileData
from audiotui.errors import AudioFormatError

if TYPE_CHECKING:
    from audiotui.media.reading import Decoder, Truncation


def as_float32(data: Any) -> np.ndarray:
    """Any numeric array to float32 in [-1, 1], always 2-D (n, channels).

    Integer PCM is scaled by its type's full scale, as soundfile would read it.
    """
    arr = np.asarray(data)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise AudioFormatError(
            f"audio arrays must be 1-D or 2-D (frames, channels), got {arr.ndim}-D"
        )
    if arr.shape[0] < arr.shape[1] and arr.shape[0] <= 8 < arr.shape[1]:
        arr = arr.T  # (channels, frames) as some libraries return it
    if arr.dtype.kind == "f":
        out = arr.astype(np.float32, copy=False)
    elif arr.dtype.kind == "i":
        out = arr.astype(np.float32) / float(2 ** (8 * arr.dtype.itemsize - 1))
    elif arr.dtype.kind == "u":
        half = float(2 ** (8 * arr.dtype.itemsize - 1))
        out = (arr.astype(np.float32) - half) / half
    elif arr.dtype.kind == "b":
        out = arr.astype(np.float32)
    else:
        raise AudioFormatError(f"cannot play an array of dtype {arr.dtype}")
    if not np.all(np.isfinite(out)):
        raise AudioFormatError("cannot play audio containing NaN or infinity")
    return np.ascontiguousarray(out)


def decode_bytes(data: bytes) -> tuple[int, np.ndarray]:
    """A whole audio container (a streamed output chunk) to (sr, float32 (n, ch))."""
    import soundfile as sf

    from audiotui.media.devices import quiet_stderr

    try:
        with quiet_stderr():  # libmpg123 warns on fd 2 about cut streams ("Xing stream size")
            audio, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise AudioFormatError(
            f"a streamed chunk of {len(data)} bytes is not audio ({exc})"
        ) from None
    return int(rate), audio


class ContainerStream:
    """Audio bytes arriving in slices cut anywhere, as Gradio's streamed outputs allow.

    Gradio joins the bytes a streaming output yields into one stream, so its own demo yields
    50 kB slices of an MP3 file; only the first slice is a decodable container on its own.
    A slice that decodes alone (a whole WAV per chunk) starts a new container; any other is
    appended to the current one, which is decoded again from its start and only the frames
    not handed out yet are returned. MP3, OGG and WAV prefixes decode to exact prefixes of
    the whole (checked), so nothing repeats or goes missing at the joins; a truncated FLAC
    does not decode at all, so its audio comes once the slice that completes it arrives.
    Re-decoding costs time that grows with the stream (MP3 decodes at hundreds of times
    real time, so minutes of audio stay cheap).
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._emitted = 0
        self.new_container = False
        """Did the last fed slice decode alone (a whole container that can be kept as is)?"""
        self.rate = 0
        self.channels = 0

    @property
    def buffer(self) -> bytes:
        """The current container's bytes so far."""
        return bytes(self._buffer)

    def feed(self, data: bytes) -> tuple[int, np.ndarray] | None:
        """New (sr, float32 (n, ch)) frames the slice completes, or None while they wait.

        AudioFormatError when a stream's first slice is not the start of an audio container.
        """
        try:
            alone = decode_bytes(data)
        except AudioFormatError:
            alone = None
        self.new_container = alone is not None
        if alone is not None:
            self._buffer, self._emitted = bytearray(data), len(alone[1])
            self.rate, self.channels = alone[0], alone[1].shape[1]
            return alone if len(alone[1]) else None  # e.g. OGG's header pages alone
        if not self._buffer:
            if not _has_audio_header(data):
                raise AudioFormatError(
                    f"a streamed chunk of {len(data)} bytes is not audio: the first chunk of "
                    "a stream must start with a container header (WAV, MP3, OGG, FLAC)"
                )
            self._buffer, self._emitted = bytearray(data), 0
            return None  # a container's start that cannot be decoded yet (a cut FLAC)
        self._buffer += data
        try:
            rate, audio = decode_bytes(bytes(self._buffer))
        except AudioFormatError:
            return None  # cut inside a frame that libsndfile cannot end early: wait for more
        self.rate, self.channels = rate, audio.shape[1]
        fresh = audio[self._emitted :]
        self._emitted = max(self._emitted, len(audio))
        return (rate, fresh) if len(fresh) else None


_CONTAINER_MAGIC = (b"RIFF", b"RIFX", b"RF64", b"riff", b"FORM", b"OggS", b"fLaC", b"ID3", b"caff")


def _has_audio_header(data: bytes) -> bool:
    """Does `data` start an audio container, even one too short to decode yet?"""
    import soundfile as sf

    if data.startswith(_CONTAINER_MAGIC) or (
        len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0  # an MPEG frame sync
    ):
        return True

    from audiotui.media.devices import quiet_stderr

    try:
        with quiet_stderr():
            sf.info(io.BytesIO(data))
    except (sf.LibsndfileError, RuntimeError, ValueError):
        return False
    return True


class Source(ABC):
    """Interface of everything a Player plays; `ended` = no frames will be added any more."""

    rate: int
    channels: int
    ended: bool = True
    name: str = ""

    @property
    @abstractmethod
    def frames(self) -> int:
        """Frames available so far (final for files and arrays)."""

    @abstractmethod
    def read(self, frames: int) -> np.ndarray:
        """Up to `frames` float32 (n, channels) frames from the current position."""

    @abstractmethod
    def seek(self, frame: int) -> None:
        """Move the read position (clamped to what exists)."""

    def close(self) -> None:  # noqa: B027 - only file sources hold something to release
        """Release what the source holds (a file handle)."""


class FileSource(Source):
    """A file read block by block from disk.

    Reads go through `Decoder`, which never seeks between blocks (a seek after every block
    is what made libsndfile's MP3s play as silence). `frames` starts as the header's length
    and drops to the real one when a read reaches the end of a truncated file early;
    `truncation` then holds both lengths.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        from audiotui.media.reading import Decoder

        p = Path(path)
        self._decoder: Decoder = Decoder(p)
        dec = self._decoder
        if dec.frames == 0 and (dec.declared_frames > 0 or dec.hint):
            dec.close()
            raise dec.empty_error()
        self.rate = dec.rate
        self.channels = dec.channels
        self.name = p.name

    @property
    def frames(self) -> int:
        return self._decoder.frames

    @property
    def position(self) -> int:
        """Frames handed out since the start (after a seek: from the start of the file)."""
        return self._decoder.position

    @property
    def truncation(self) -> Truncation | None:
        """Declared vs readable length, once known (at open for WAV, at the end otherwise)."""
        return self._decoder.truncation

    def read(self, frames: int) -> np.ndarray:
        return self._decoder.read(frames)

    def seek(self, frame: int) -> None:
        self._decoder.seek(frame)

    def close(self) -> None:
        self._decoder.close()


class ArraySource(Source):
    """An array already in memory."""

    def __init__(self, rate: int, data: Any) -> None:
        if int(rate) <= 0:
            raise AudioFormatError(f"sample rate must be positive, not {rate}")
        self.rate = int(rate)
        self._data = as_float32(data)
        self.channels = self._data.shape[1]
        self._pos = 0
        self.name = "array"

    @property
    def frames(self) -> int:
        return len(self._data)

    def read(self, frames: int) -> np.ndarray:
        out = self._data[self._pos : self._pos + frames]
        self._pos += len(out)
        return out

    def seek(self, frame: int) -> None:
        self._pos = max(0, min(frame, len(self._data)))


class ChunkSource(Source):
    """A streamed output: chunks appended while playing; seekable within what has arrived.

    The first chunk fixes the rate and channel count; later chunks are converted to them so
    the join between chunks has no gap and no speed change.
    """

    def __init__(self, rate: int, channels: int) -> None:
        self.rate = int(rate)
        self.channels = int(channels)
        self.ended = False
        self.name = "stream"
        self._chunks: list[np.ndarray] = []
        self._starts: list[int] = []
        self._total = 0
        self._pos = 0
        self._lock = threading.Lock()

    @property
    def frames(self) -> int:
        return self._total

    def append(self, rate: int, data: np.ndarray) -> None:
        chunk = as_float32(data)
        if rate != self.rate:
            import soxr

            chunk = soxr.resample(chunk, rate, self.rate, quality="HQ").astype(np.float32)
        if chunk.shape[1] != self.channels:
            chunk = remix(chunk, self.channels)
        with self._lock:
            self._starts.append(self._total)
            self._chunks.append(chunk)
            self._total += len(chunk)

    def read(self, frames: int) -> np.ndarray:
        parts: list[np.ndarray] = []
        with self._lock:
            want = frames
            index = self._find(self._pos)
            while want > 0 and index < len(self._chunks):
                offset = self._pos - self._starts[index]
                part = self._chunks[index][offset : offset + want]
                parts.append(part)
                self._pos += len(part)
                want -= len(part)
                index += 1
        if not parts:
            return np.zeros((0, self.channels), dtype=np.float32)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def seek(self, frame: int) -> None:
        with self._lock:
            self._pos = max(0, min(frame, self._total))

    def _find(self, frame: int) -> int:
        import bisect

        return max(0, bisect.bisect_right(self._starts, frame) - 1) if self._starts else 0


def remix(block: np.ndarray, channels: int) -> np.ndarray:
    """Fit a block to `channels`: mono is copied to every channel, more channels are averaged
    down to mono or truncated to the first `channels`."""
    have = block.shape[1]
    if have == channels:
        return block
    if have == 1:
        return np.repeat(block, channels, axis=1)
    if channels == 1:
        mono: np.ndarray = block.mean(axis=1, keepdims=True, dtype=np.float32)
        return mono
    if have > channels:
        return np.ascontiguousarray(block[:, :channels])
    return np.concatenate([block, np.repeat(block[:, -1:], channels - have, axis=1)], axis=1)


def open_source(source: FileData | str | os.PathLike[str] | tuple[int, Any]) -> Source:
    """The right Source for what `Player.load` accepts."""
    if isinstance(source, FileData):
        return FileSource(source.path)
    if isinstance(source, (str, os.PathLike)):
        return FileSource(source)
    if isinstance(source, tuple) and len(source) == 2:
        return ArraySource(int(source[0]), source[1])
    raise AudioFormatError(
        f"cannot play a {type(source).__name__}: give a file path, FileData or (sample_rate, array)"
    )


def stream_slice_to_filedata(stream: ContainerStream, data: bytes) -> FileData:
    """One yielded slice of a streamed bytes output -> a chunk every reader can decode alone.

    A slice that is a whole container is kept verbatim (as `bytes_to_filedata` would);
    otherwise the frames it completes are written as a float WAV, possibly of 0 frames while
    a cut frame waits for the next slice. Every stored chunk then decodes on its own, so the
    TUI appends them in order and the Client joins them, without either knowing about slices.
    """
    from audiotui.media.files import bytes_to_filedata, path_to_filedata, write_audio
    from audiotui.media.temp import temp_path

    fresh = stream.feed(data)
    if stream.new_container:
        # Kept verbatim only when the slice is a whole file: the start of a longer one has a
        # header promising more (WAV sizes, MP3's Xing count) that readers would refuse.
        try:
            whole = bytes_to_filedata(data, format=None)
        except AudioFormatError:
            whole = None
        if whole is not None and fresh is not None and whole.meta.get("frames") == len(fresh[1]):
            return dataclasses.replace(whole, is_stream=True)
        if whole is not None:
            Path(whole.path).unlink(missing_ok=True)
    if fresh is None:
        # The empty chunk keeps the stream's rate and channels, so joining it checks out.
        rate, channels = stream.rate, stream.channels
        if not rate:
            rate, channels = _header_shape(stream.buffer)
        fresh = (rate, np.zeros((0, channels), dtype=np.float32))
    rate, audio = fresh
    path = temp_path(".wav")
    write_audio(path, rate, audio, format="wav", subtype="FLOAT")
    return dataclasses.replace(path_to_filedata(path), is_stream=True)


def _header_shape(data: bytes) -> tuple[int, int]:
    """Rate and channels from a container header whose audio cannot be decoded yet."""
    import soundfile as sf

    from audiotui.media.devices import quiet_stderr

    try:
        with quiet_stderr():
            info = sf.info(io.BytesIO(data))
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise AudioFormatError(
            f"the start of a streamed container ({len(data)} bytes) is not readable ({exc})"
        ) from None
    return int(info.samplerate), int(info.channels)
