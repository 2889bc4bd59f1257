"""Decoding files block by block without lying about what is in them.

Two libsndfile behaviours made files play and report wrongly, and every reader in the engine
goes through this module to avoid them:

- soundfile's `SoundFile.read()` ends every call with `seek(tell() + frames)` to keep its own
  position. For MP3, libsndfile turns each seek into `mpg123_seek`, which restarts the decoder
  at the target frame without the bit reservoir of the frames before it: the next ~2-5 MPEG
  frames decode as silence, then fade in. Read in 1024-frame blocks (the Player), an MP3 that
  libsndfile (or LAME's VBR mode) wrote played 0.1 s and then only zeros; read in 64k blocks
  (peaks, `info`, conversions) it had a ~50 ms hole every 1.5 s. `Decoder.read_into` calls
  `sf_readf_*` directly, so sequential reads never seek, and `Decoder.seek` lands an MP3
  `MPEG_PREROLL_FRAMES` early and decodes up to the target.
- A file's header may promise more than the file holds (a cut download, a killed writer).
  libsndfile clamps WAV/AIFF lengths silently, keeps FLAC/MP3 header lengths and stops (or
  fails with "Internal psf_fseek() failed") where the data ends, and reads an OGG without its
  last page as 0 frames. `Decoder` knows the declared length, stops quietly at the real end,
  and `Truncation` turns the two lengths into one message naming the file.

Headers that cannot describe real audio (7 bits per sample, 0 channels, a 1 Hz rate) are
refused at open, instead of being decoded as noise.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from audiotui.errors import AudioFormatError

MPEG_PREROLL_FRAMES = 12
"""MPEG frames decoded and dropped before a seek target: the layer III bit reservoir reaches
back up to 511 bytes, i.e. 5 frames at 32 kbit/s; after a bare seek mpg123 gave up to 4.7
frames of silence and fade-in (measured on libsndfile's VBR files, mono and stereo)."""

MIN_RATE = 1000
MAX_RATE = 768_000
"""Sample rates outside this range are taken as a damaged header, not as audio to play."""

HEADER_SIZED = frozenset({"WAV", "WAVEX", "RF64", "W64", "AIFF", "CAF", "AU"})
"""Formats whose length is a byte count in the header (readable length = bytes present)."""

_DATA_SIZE_RE = re.compile(r"^data\s*:\s*(\d+)\s*\(should be (\d+)\)", re.MULTILINE)
_BLOCK_ALIGN_RE = re.compile(r"Block Align\s*:\s*(\d+)")
_UNKNOWN_DATA_SIZES = (0, 0xFFFFFFFF, 0x7FFFFFFF)  # streaming writers leave these in headers
_NOT_MPEG = (b"RIFF", b"RIFX", b"RF64", b"FORM", b"OggS", b"fLaC", b"caff", b"riff")
_MISLEADING = "does not exist or is not a regular file"
_PCM_BITS = (8, 16, 24, 32, 64)


def seconds_text(frames: int, rate: int) -> str:
    """`1.500 s (24000 frames)`: both units, so a user can compare with any other tool."""
    return f"{frames / rate:.3f} s ({frames} frames)" if rate else f"{frames} frames"


@dataclass(frozen=True)
class Truncation:
    """A file whose header declares more audio than can be decoded."""

    name: str
    rate: int
    declared_frames: int
    readable_frames: int
    reason: str = ""
    """libsndfile's error where decoding stopped early, if it gave one (a damaged frame)."""
    byte_counts: tuple[int, int] | None = None
    """(present, declared) stream bytes when the length was judged from the file size
    without decoding; `readable_frames` is then an estimate in proportion."""

    def message(self) -> str:
        damaged = " or damaged" if self.reason else ""
        why = f" (libsndfile: {self.reason})" if self.reason else ""
        if self.byte_counts is not None:
            present, declared = self.byte_counts
            return (
                f"'{self.name}' is truncated: its header declares "
                f"{seconds_text(self.declared_frames, self.rate)} in {declared} bytes but only "
                f"{present} bytes are present (about "
                f"{seconds_text(self.readable_frames, self.rate)} readable)"
            )
        return (
            f"'{self.name}' is truncated{damaged}: its header declares "
            f"{seconds_text(self.declared_frames, self.rate)} but only "
            f"{seconds_text(self.readable_frames, self.rate)} can be read{why}"
        )


def empty_error(name: str, rate: int, declared: int, reason: str = "") -> AudioFormatError:
    """The error for a stream with no readable frame (an empty file is never valid input)."""
    if declared > 0:
        why = f", libsndfile: {reason}" if reason else ""
        return AudioFormatError(
            f"'{name}' is empty: no audio can be read although its header declares "
            f"{seconds_text(declared, rate)} (the file is truncated{why})"
        )
    return AudioFormatError(f"'{name}' is empty: it holds no audio frames")


def _error_text(exc: BaseException) -> str:
    return clean_reason(str(getattr(exc, "error_string", None) or exc))


def clean_reason(text: str) -> str:
    """libsndfile's message without its "Error opening 'x': " / "Error : " prefixes."""
    return re.sub(r"^Error opening .*?: |^Error\s*:\s*", "", text).strip()


class Decoder:
    """One audio file opened for reading: header facts, sequential reads, truthful length.

    Attributes:
        name: the file name used in messages.
        rate, channels, format, subtype: as libsndfile reports them.
        frames: what can be read as far as is known: exact for header-sized formats (WAV,
            AIFF...); the header's claim for compressed ones until a read reaches the real
            end, which then lowers it.
        declared_frames: what the header claims.
        position: frames handed out since the last seek.
        error: libsndfile's error if decoding stopped early on a damaged frame.
        hint: a cheap sign of truncation seen at open (an OGG without its end-of-stream page,
            an MP3 shorter than its Xing header says), or "".
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        from audiotui.media.devices import quiet_stderr

        p = Path(path)
        self.path = p
        self.name = p.name
        try:
            st = p.stat()
        except OSError:
            raise AudioFormatError(f"'{p}' does not exist") from None
        if stat.S_ISDIR(st.st_mode):
            raise AudioFormatError(f"'{p}' is a directory, not an audio file")
        size = st.st_size
        if size == 0:
            raise AudioFormatError(f"'{p}' is empty (0 bytes)")
        with p.open("rb") as fh:
            head = fh.read(1 << 13)  # fmt chunk, ID3 header + first MPEG frame (Xing)
            tail = b""
            if head.startswith(b"OggS"):  # the last page (at most 64 kB) tells a cut stream
                fh.seek(max(0, size - (1 << 16)))
                tail = fh.read()
        _check_riff_header(p, head, size)
        self._mp3_bytes = _mp3_byte_counts(head, size)
        self.hint = _ogg_hint(head, tail) or _mp3_hint(self._mp3_bytes)
        # libsndfile hands data it does not recognise to libmpg123, which prints notes about
        # it on fd 2; files that start with another container's magic never get there.
        quiet = quiet_stderr() if not head.startswith(_NOT_MPEG) else contextlib.nullcontext()
        try:
            with quiet:
                self._file = sf.SoundFile(str(p))
        except (sf.LibsndfileError, RuntimeError, OSError) as exc:
            reason = _error_text(exc)
            if _MISLEADING in reason:  # said of MP3 streams libmpg123 cannot decode
                reason = "format not recognised"
            cut = f"; {self.hint}" if self.hint else _riff_cut(head, size)
            raise AudioFormatError(
                f"'{p}' is not a readable audio file (libsndfile: {reason}){cut}"
            ) from None
        f = self._file
        self.rate = int(f.samplerate)
        self.channels = int(f.channels)
        self.format = str(f.format)
        self.subtype = str(f.subtype)
        if not MIN_RATE <= self.rate <= MAX_RATE or self.channels <= 0:
            self.close()
            raise AudioFormatError(
                f"'{p}' has an impossible header ({self.rate} Hz, {self.channels} channels): "
                "refusing to decode it"
            )
        self.frames = int(f.frames)
        self.declared_frames = self.frames
        if self.format in HEADER_SIZED:
            self.declared_frames = max(self.frames, _declared_pcm_frames(f, self.frames))
        self.position = 0
        self.error = ""
        # libmpg123 prints notes about damaged frames from C on fd 2 while decoding; fd 2 is
        # only silenced around MP3 reads, so nobody else's stderr goes missing meanwhile.
        self._chatty = self.format == "MP3"
        self._handle: Any = f._file  # libsndfile's SNDFILE*: read without soundfile's seeks
        self._snd: Any = sf._snd
        self._ffi: Any = sf._ffi

    # -- facts --------------------------------------------------------------------------------
    @property
    def truncation(self) -> Truncation | None:
        """The two lengths when fewer frames are readable than declared (as far as known)."""
        if self.frames >= self.declared_frames:
            return None
        return Truncation(self.name, self.rate, self.declared_frames, self.frames, self.error)

    def empty_error(self) -> AudioFormatError:
        """The error for this file once a read found no frame at all."""
        error = empty_error(self.name, self.rate, self.declared_frames, self.error)
        if self.hint and self.declared_frames == 0:
            error = AudioFormatError(f"{error}; {self.hint}")
        return error

    def quick_truncation(self) -> Truncation | None:
        """Truncation as far as known without decoding to the end: exact for WAV/AIFF, and
        for an MP3 with a Xing/Info header judged from its byte count (an estimate)."""
        if self.truncation is not None or self._mp3_bytes is None or not self.hint:
            return self.truncation
        present, declared = self._mp3_bytes
        estimate = int(self.declared_frames * present / declared) if declared else 0
        return Truncation(
            self.name, self.rate, self.declared_frames, estimate, byte_counts=(present, declared)
        )

    @property
    def seconds(self) -> float:
        return self.frames / self.rate

    # -- reading ------------------------------------------------------------------------------
    def read_into(self, out: np.ndarray) -> int:
        """Decode up to len(out) frames into `out` (float32 or int16, C-contiguous (n, ch)).

        Returns the frames written; fewer than asked only at the end of what is readable,
        which also lowers `frames` when the header promised more. Never raises for a damaged
        frame: decoding stops there and `error` says why.
        """
        from audiotui.media.devices import quiet_stderr

        if self._handle is None:
            return 0
        want = len(out)
        if out.dtype == np.float32:
            ptr, func = self._ffi.cast("float *", out.ctypes.data), self._snd.sf_readf_float
        elif out.dtype == np.int16:
            ptr, func = self._ffi.cast("short *", out.ctypes.data), self._snd.sf_readf_short
        else:
            raise TypeError(f"Decoder.read_into: float32 or int16 buffers only, not {out.dtype}")
        with quiet_stderr() if self._chatty else contextlib.nullcontext():
            got = int(func(self._handle, ptr, want))
        got = max(got, 0)
        self.position += got
        if got < want:
            code = int(self._snd.sf_error(self._handle))
            if code and not self.error:
                self.error = clean_reason(
                    self._ffi.string(self._snd.sf_error_number(code)).decode("utf-8", "replace")
                )
            if self.position < self.frames:
                self.frames = self.position  # the real end came before the header's
        return got

    def read(self, frames: int, dtype: str = "float32") -> np.ndarray:
        """Up to `frames` frames as a new (n, channels) array."""
        out = np.empty((max(0, frames), self.channels), dtype=dtype)
        return out[: self.read_into(out)]

    def read_all(self, dtype: str = "float32") -> np.ndarray:
        """Everything readable from the current position, in one (n, channels) array."""
        return self.read(max(self.frames - self.position, 0), dtype)

    def seek(self, frame: int) -> None:
        """Move to `frame` (clamped); an MP3 is decoded up to it from a few frames before."""
        from audiotui.media.devices import quiet_stderr

        frame = max(0, min(int(frame), self.frames))
        preroll = 0
        if self.format == "MP3" and frame > 0:
            per_frame = 1152 if self.rate >= 32000 else 576
            preroll = min(frame, MPEG_PREROLL_FRAMES * per_frame)
        with quiet_stderr() if self._chatty else contextlib.nullcontext():
            where = int(self._snd.sf_seek(self._handle, frame - preroll, os.SEEK_SET))
        if where < 0:
            raise AudioFormatError(f"cannot seek in '{self.path}' (the file may be damaged)")
        self.position = frame - preroll
        if preroll:
            scratch = np.empty((min(preroll, 1 << 14), self.channels), np.float32)
            while self.position < frame:
                step = min(len(scratch), frame - self.position)
                if self.read_into(scratch[:step]) < step:
                    break

    def close(self) -> None:
        self._handle = None
        self._file.close()

    def __enter__(self) -> Decoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _declared_pcm_frames(f: sf.SoundFile, frames: int) -> int:
    """Frames a WAV/AIFF data chunk declares, from libsndfile's parse log (`data : N (should
    be M)` is only written when the two differ)."""
    log = f.extra_info or ""
    match = _DATA_SIZE_RE.search(log)
    if not match:
        return frames
    declared, actual = int(match.group(1)), int(match.group(2))
    if declared in _UNKNOWN_DATA_SIZES or declared <= actual:
        return frames
    align = _BLOCK_ALIGN_RE.search(log)
    frame_bytes = int(align.group(1)) if align else 0
    if frame_bytes <= 0:
        frame_bytes = actual // frames if frames else 0
    return declared // frame_bytes if frame_bytes > 0 else frames


def _check_riff_header(p: Path, head: bytes, size: int) -> None:
    """Refuse a WAV whose fmt chunk cannot describe real samples; name a header cut short.

    libsndfile accepts `bits per sample = 7` as unsigned 8-bit and decodes the 16-bit data
    as twice as many frames of noise, and a channel count that disagrees with the block
    align as frames of garbage; both are refused here.
    """
    if head[:4] not in (b"RIFF", b"RIFX", b"RF64") or head[8:12] != b"WAVE":
        return
    endian = ">" if head[:4] == b"RIFX" else "<"
    pos = 12
    while pos + 8 <= len(head):
        cid = head[pos : pos + 4]
        (length,) = struct.unpack(endian + "I", head[pos + 4 : pos + 8])
        if cid == b"fmt ":
            body = head[pos + 8 : pos + 8 + min(length, 40)]
            if len(body) < 16:
                raise AudioFormatError(
                    f"'{p}' is truncated inside its header: the file ends in the fmt chunk "
                    f"({size} bytes)"
                )
            tag, channels, rate, _byterate, align, bits = struct.unpack(
                endian + "HHIIHH", body[:16]
            )
            _check_fmt(p, tag, channels, rate, align, bits)
            return
        if cid == b"data":
            return
        pos += 8 + length + (length & 1)


def _check_fmt(p: Path, tag: int, channels: int, rate: int, align: int, bits: int) -> None:
    problem = ""
    if channels == 0:
        problem = "0 channels"
    elif not MIN_RATE <= rate <= MAX_RATE:
        problem = f"a sample rate of {rate} Hz (outside {MIN_RATE}-{MAX_RATE} Hz)"
    elif tag in (1, 3, 0xFFFE):  # PCM, IEEE float, extensible: whole bytes per sample
        if bits not in _PCM_BITS:
            problem = f"{bits} bits per sample"
        elif align != channels * bits // 8:
            problem = (
                f"a block align of {align} bytes for {channels} channel(s) of {bits} bits "
                f"(should be {channels * bits // 8})"
            )
    if problem:
        raise AudioFormatError(
            f"'{p}' has an impossible header ({problem}): refusing to decode it as audio"
        )


def _riff_cut(head: bytes, size: int) -> str:
    """`; the file is truncated (...)` when a RIFF header promises more bytes than exist."""
    if head[:4] != b"RIFF" or len(head) < 8:
        return ""
    (riff,) = struct.unpack("<I", head[4:8])
    if riff + 8 > size and riff not in _UNKNOWN_DATA_SIZES:
        return f"; the file is truncated ({size} of the {riff + 8} bytes its header declares)"
    return ""


def _ogg_hint(head: bytes, tail: bytes) -> str:
    """An Ogg stream whose last page lacks the end-of-stream flag was cut off."""
    if not head.startswith(b"OggS"):
        return ""
    last = tail.rfind(b"OggS")
    if last < 0 or last + 6 > len(tail):
        return "the stream is truncated (no complete last page)"
    if not tail[last + 5] & 0x04:
        return "the stream is truncated (its last page is not the end of the stream)"
    segments = tail[last + 27 : last + 27 + tail[last + 26]] if last + 27 <= len(tail) else b""
    if last + 27 + len(segments) + sum(segments) > len(tail) or len(segments) < tail[last + 26]:
        return "the stream is truncated (its last page is cut short)"
    return ""


def _mp3_byte_counts(head: bytes, size: int) -> tuple[int, int] | None:
    """(present, declared) stream bytes of an MP3 whose Xing/Info header gives its size."""
    start = 0
    if head[:3] == b"ID3" and len(head) >= 10:
        tag = head[6:10]
        start = 10 + ((tag[0] << 21) | (tag[1] << 14) | (tag[2] << 7) | tag[3])
    if start + 4 > len(head) or head[start] != 0xFF or head[start + 1] & 0xE0 != 0xE0:
        return None
    window = head[start : start + 64]
    at = max(window.find(b"Xing"), window.find(b"Info"))
    if at < 0 or at + 16 > len(window):
        return None
    (flags,) = struct.unpack(">I", window[at + 4 : at + 8])
    if not flags & 2:
        return None
    offset = at + 8 + (4 if flags & 1 else 0)
    (declared,) = struct.unpack(">I", window[offset : offset + 4])
    return size - start, declared


def _mp3_hint(counts: tuple[int, int] | None) -> str:
    """An MP3 shorter than the byte count its Xing/Info header declares was cut off."""
    if counts is None:
        return ""
    present, declared = counts
    if declared > present * 1.01:
        return f"the file is truncated ({present} of the {declared} bytes its header declares)"
    return ""
