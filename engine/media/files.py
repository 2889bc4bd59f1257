"""Reading, writing and converting audio files with soundfile (libsndfile), nothing else.

Every decode failure - missing, empty, corrupt, truncated or non-audio input - surfaces as one
type, `AudioFormatError`, whose message names the file and the reason, so the CLI and the TUI
can show it as one line. No ffmpeg and no pydub: libsndfile >= 1.1 reads and writes WAV, FLAC,
OGG/Vorbis and MP3 itself.
"""

from __future__ import annotations

import io
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from audiotui.data import FileData
from audiotui.errors import AudioFormatError
from audiotui.media.reading import Decoder, Truncation
from audiotui.media.temp import temp_path

FORMATS: dict[str, str] = {"wav": "WAV", "flac": "FLAC", "ogg": "OGG", "mp3": "MP3"}
"""Containers the engine writes, by file suffix -> libsndfile major format."""

MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
"""The only sample rates MPEG audio (layers 1-2.5) can hold."""

_FLOAT_SUBTYPES = frozenset({"FLOAT", "DOUBLE"})
_SUFFIX_BY_MAJOR = {**{v: k for k, v in FORMATS.items()}, "WAVEX": "wav", "RF64": "wav"}
_LIBSNDFILE_PREFIX = re.compile(r"^Error opening .*?: |^Error\s*:\s*")  # we name the file
_ALLOWED_INT_DTYPES = ("int8", "uint8", "int16", "uint16", "int32", "uint32")
_CONVERT_BLOCK = 1 << 16
# Keep the bit depth across containers where the target has no such subtype: FLAC tops out
# at 24 bits and has signed 8-bit only; WAV has unsigned 8-bit only.
_SUBTYPE_FIX: dict[tuple[str, str], str] = {
    ("flac", "PCM_32"): "PCM_24",
    ("flac", "PCM_U8"): "PCM_S8",
    ("wav", "PCM_S8"): "PCM_U8",
}


@dataclass(frozen=True)
class AudioInfo:
    """What libsndfile reports about a file, in the units the engine uses (seconds, frames).

    `frames` is what can be read as far as opening tells (exact for WAV/AIFF, whose data
    size is checked against the file size; the header's claim for compressed formats);
    `declared_frames` is what the header claims, when it claims more.
    """

    path: str
    format: str
    subtype: str
    sample_rate: int
    channels: int
    frames: int
    duration: float
    declared_frames: int | None = None

    def meta(self) -> dict[str, Any]:
        """The `FileData.meta` dict for this file (`declared_frames` only when truncated)."""
        keys = ("sample_rate", "channels", "frames", "format", "subtype")
        meta = {key: getattr(self, key) for key in keys}
        if self.declared_frames is not None:
            meta["declared_frames"] = self.declared_frames
        return meta


def _decode_error(path: Any, reason: object) -> AudioFormatError:
    text = str(reason)
    text = _LIBSNDFILE_PREFIX.sub("", text).strip() or type(reason).__name__
    return AudioFormatError(f"cannot decode {str(path)!r} as audio: {text}")


def probe(path: str | Path) -> AudioInfo:
    """Open `path` just far enough to learn its format, rate, channels and length.

    A WAV/AIFF cut short is accepted with `frames` = what is present and `declared_frames`
    = the header's claim (readers warn about it); one with no frame left at all is refused.

    Raises:
        AudioFormatError: the file is missing, empty, not audio, has an impossible header,
            or is truncated to nothing.
    """
    with _open_checked(path) as dec:
        if dec.frames == 0 and (dec.declared_frames > 0 or dec.hint):
            raise dec.empty_error()
        return _info(path, dec)


def _open_checked(path: str | Path) -> Decoder:
    """Open for reading with every header-level check done; the one way files are opened."""
    p = Path(path)
    if not p.is_file():
        reason = "it is a directory, not a file" if p.is_dir() else "no such file"
        raise AudioFormatError(f"cannot decode {str(path)!r} as audio: {reason}")
    if p.stat().st_size == 0:
        raise AudioFormatError(f"cannot decode {str(path)!r} as audio: the file is empty")
    return Decoder(p)


def _info(path: str | Path, dec: Decoder) -> AudioInfo:
    declared = dec.declared_frames if dec.declared_frames > dec.frames else None
    return AudioInfo(
        path=str(Path(path).resolve()),
        format=dec.format,
        subtype=dec.subtype,
        sample_rate=dec.rate,
        channels=dec.channels,
        frames=dec.frames,
        duration=dec.frames / dec.rate,
        declared_frames=declared,
    )


@dataclass(frozen=True)
class Decoded:
    """A whole file decoded: `(rate, samples)` plus the truncation found while decoding."""

    rate: int
    data: np.ndarray
    truncation: Truncation | None


def decode_int16(path: str | Path) -> Decoded:
    """Decode everything readable as int16 (`(n,)` mono, `(n, ch)` otherwise).

    A truncated or damaged file gives the frames before the damage and says so in
    `truncation` (the caller warns); a file with no readable frame although its header
    declares some (or a cut Ogg stream) is an AudioFormatError saying "empty".
    libsndfile converts integer and compressed formats to 16 bits itself (the fast path);
    float WAVs are read as float and scaled here, because libsndfile would otherwise
    truncate 0.5 to 0. No resampling and no down-mixing, ever.
    """
    with _open_checked(path) as dec:
        if dec.subtype in _FLOAT_SUBTYPES:
            data = to_int16(dec.read_all("float32"))
        else:
            data = dec.read_all("int16")
        if len(data) == 0 and (dec.declared_frames > 0 or dec.hint):
            raise dec.empty_error()
        truncation = dec.truncation
    mono = data[:, 0] if data.shape[1] == 1 else data
    return Decoded(dec.rate, np.ascontiguousarray(mono), truncation)


def read_int16(path: str | Path) -> tuple[int, np.ndarray]:
    """Decode a whole file to `(sample_rate, int16 array)`: `(n,)` mono, `(n, ch)` otherwise.

    Strict: a truncated file is an AudioFormatError naming both lengths (use `decode_int16`
    to get the readable part and the report instead).
    """
    decoded = decode_int16(path)
    if decoded.truncation is not None:
        raise AudioFormatError(f"cannot decode {str(path)!r} as audio: {decoded.truncation.message()}")
    return decoded.rate, decoded.data


def read_float(path: str | Path, start: int = 0, frames: int = -1) -> tuple[int, np.ndarray]:
    """Decode `frames` frames from `start` as float32, always 2-D `(n, ch)`, in [-1, 1].

    Fewer frames come back where the file ends before its header says (a truncated file).
    """
    with _open_checked(path) as dec:
        if start:
            dec.seek(start)
        want = dec.frames - dec.position if frames < 0 else min(frames, dec.frames - dec.position)
        data = dec.read(max(want, 0))
    return dec.rate, data


def to_int16(data: np.ndarray) -> np.ndarray:
    """Convert samples of any supported dtype to int16, keeping the shape.

    Floats are taken as [-1, 1] (clipped), integers are rescaled from their own range
    (int8/uint8 up, int32/uint32 down, unsigned types re-centred).
    """
    kind, size = data.dtype.kind, data.dtype.itemsize
    if kind == "f":
        scaled: np.ndarray = np.rint(np.clip(data, -1.0, 1.0) * 32767.0)
        return scaled.astype(np.int16)
    if data.dtype == np.int16:
        return data
    if kind == "i" and size == 2:
        return data.astype(np.int16)  # int16 in the other byte order (e.g. from big-endian raw data)
    if kind == "i" and size == 1:
        return data.astype(np.int16) << 8
    if kind == "u" and size == 1:
        return ((data.astype(np.int16) - 128) << 8).astype(np.int16)
    if kind == "u" and size == 2:
        return (data.astype(np.int32) - 32768).astype(np.int16)
    if kind == "i" and size == 4:
        return (data >> 16).astype(np.int16)
    if kind == "u" and size == 4:
        return ((data >> 16).astype(np.int32) - 32768).astype(np.int16)
    raise AudioFormatError(_dtype_problem(data.dtype))


def _dtype_problem(dtype: np.dtype[Any]) -> str:
    if dtype.kind in "iu" and dtype.itemsize == 8:
        return (
            f"{dtype} samples are ambiguous (numpy's default integer type could hold 16- or "
            "32-bit samples); convert with data.astype(np.int16) or data.astype(np.int32), "
            "or pass floats in [-1, 1]"
        )
    return (
        f"cannot write {dtype} samples as audio; use float (in [-1, 1]) or one of "
        f"{', '.join(_ALLOWED_INT_DTYPES)}"
    )


def check_output_array(sr: Any, data: Any, *, normalize: bool = True) -> tuple[int, np.ndarray]:
    """Validate a returned `(sr, array)` and make it ready to write (float32 or int16).

    Rules (documented on `Audio`): floats are divided by their peak when `normalize`, or
    clipped to [-1, 1] with a warning when not; all-zero stays silent; integer arrays are
    rescaled to int16 from their own range. A 2-D array shaped `(channels, n)` with
    channels <= 8 < n is transposed with a warning. NaN/inf, int64, bool, complex, object,
    empty and >2-D arrays raise AudioFormatError. A float sample rate is rounded to whole Hz.
    """
    if isinstance(sr, (float, np.floating)) and np.isfinite(sr):
        sr = round(float(sr))  # `sr * speed` is a float; Gradio's wave writer rounds it too
    if isinstance(sr, bool) or not isinstance(sr, (int, np.integer)) or sr <= 0:
        raise AudioFormatError(f"sample rate must be a positive int (Hz), got {sr!r}")
    if not isinstance(data, np.ndarray):
        raise AudioFormatError(
            f"audio data must be a numpy array, got {type(data).__name__}; wrap it with np.asarray"
        )
    if data.size == 0:
        raise AudioFormatError(f"audio data is empty (shape {data.shape})")
    if data.ndim not in (1, 2):
        raise AudioFormatError(
            f"audio data must be 1-D (mono) or 2-D (samples, channels), got shape {data.shape}"
        )
    if data.ndim == 2 and data.shape[0] <= 8 < data.shape[1]:
        warnings.warn(
            f"audio data of shape {data.shape} looks like (channels, samples); transposing it "
            f"to {data.shape[::-1]}. Return (samples, channels) to silence this warning.",
            UserWarning,
            stacklevel=3,
        )
        data = data.T
    if data.ndim == 2 and data.shape[1] > max(8, data.shape[0]):
        raise AudioFormatError(
            f"audio data of shape {data.shape} has more channels than samples; "
            "expected (samples, channels)"
        )
    kind = data.dtype.kind
    if kind == "f":
        return int(sr), _prepare_float(data, normalize)
    if kind in "iu" and data.dtype.itemsize <= 4:
        return int(sr), np.ascontiguousarray(to_int16(data))
    raise AudioFormatError(_dtype_problem(data.dtype))


def _prepare_float(data: np.ndarray, normalize: bool) -> np.ndarray:
    # Normalise in the caller's precision: a float64 signal at 1e-80 or 1e300 must not
    # underflow to silence or overflow to inf on its way to float32.
    work: np.ndarray = np.asarray(data, dtype=np.float64 if data.dtype.itemsize > 4 else np.float32)
    finite = np.isfinite(work)
    if not finite.all():
        channels = work.shape[1] if work.ndim == 2 else 1
        where = int(np.flatnonzero(~finite.reshape(-1))[0]) // channels
        raise AudioFormatError(
            f"audio data contains NaN or infinite values (first at sample {where}); "
            "clean it with np.nan_to_num"
        )
    peak = float(np.max(np.abs(work)))
    if normalize:
        work = work / peak if peak > 0 else work
    elif peak > 1.0:
        warnings.warn(
            f"audio peak {peak:.3g} exceeds 1.0 and normalize=False, so it was clipped to "
            "[-1, 1]; scale it down to keep the waveform intact",
            UserWarning,
            stacklevel=3,
        )
        work = np.clip(work, -1.0, 1.0)
    return np.array(work, dtype=np.float32, order="C", copy=True)


def _normalise_format(format: str) -> str:
    fmt = format.lower().lstrip(".")
    if fmt not in FORMATS:
        raise AudioFormatError(
            f"cannot write audio as {format!r}; choose one of {', '.join(FORMATS)}"
        )
    return fmt


def write_audio(
    path: str | Path,
    sr: int,
    data: np.ndarray,
    *,
    format: str | None = None,
    subtype: str | None = None,
) -> AudioInfo:
    """Write `data` to `path` (format from the suffix unless given) and probe the result.

    int16 data is written as 16-bit PCM and float data as 16-bit PCM too in WAV/FLAC (what
    Gradio writes and every player reads), unless `subtype` says otherwise.
    """
    fmt = _normalise_format(format or Path(path).suffix or "wav")
    channels = data.shape[1] if data.ndim == 2 else 1
    if fmt == "mp3" and (channels > 2 or int(sr) not in MP3_RATES):
        raise AudioFormatError(
            f"cannot write {channels} channel(s) at {sr} Hz as mp3: MP3 holds 1 or 2 channels "
            f"at {', '.join(map(str, MP3_RATES))} Hz; use format 'wav' or 'flac' instead"
        )
    try:
        sf.write(str(path), data, int(sr), format=FORMATS[fmt], subtype=subtype)
    except (sf.LibsndfileError, RuntimeError, ValueError, TypeError) as exc:
        reason = _LIBSNDFILE_PREFIX.sub("", str(exc))
        raise AudioFormatError(
            f"cannot write {channels} channel(s) at {sr} Hz as {fmt} to {str(path)!r}: {reason}"
        ) from exc
    return probe(path)


def _filedata(info: AudioInfo, orig_name: str | None = None) -> FileData:
    suffix = Path(info.path).suffix.lstrip(".").lower()
    return FileData(
        path=info.path,
        orig_name=orig_name or Path(info.path).name,
        size=Path(info.path).stat().st_size,
        mime_type="audio/mpeg" if suffix == "mp3" else "audio/" + suffix,
        meta=info.meta(),
    )


def array_to_filedata(
    sr: Any, data: Any, *, format: str = "wav", normalize: bool = True
) -> FileData:
    """Validate a returned `(sr, array)` and write it once into the temp store."""
    fmt = _normalise_format(format)
    rate, ready = check_output_array(sr, data, normalize=normalize)
    if fmt in ("wav", "flac") and ready.dtype.kind == "f":
        # Quantise as Gradio does (x * 32767, symmetric), not as libsndfile (-1.0 -> -32768),
        # so a returned array and the (sr, int16) the next function receives agree exactly.
        ready = to_int16(ready)
    target = temp_path("." + fmt)
    try:
        return _filedata(write_audio(target, rate, ready, format=fmt))
    except AudioFormatError:
        target.unlink(missing_ok=True)
        raise


def bytes_to_filedata(data: bytes, *, format: str | None = "wav") -> FileData:
    """Store bytes of any container libsndfile reads.

    Bytes already in `format` (or any readable container when `format` is None, as Gradio
    keeps returned bytes) are stored verbatim; others are decoded and re-encoded in `format`.
    """
    if not data:
        raise AudioFormatError("cannot decode the returned bytes as audio: they are empty")
    try:
        info = sf.info(io.BytesIO(bytes(data)))
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise _decode_error("<bytes>", exc) from exc
    detected = _SUFFIX_BY_MAJOR.get(info.format, info.format.lower())
    raw = temp_path("." + detected)
    raw.write_bytes(bytes(data))
    fd = _filedata(probe(raw))
    if format is None or _normalise_format(format) == detected:
        return fd
    converted = convert_filedata(fd, format)
    raw.unlink(missing_ok=True)
    return converted


def path_to_filedata(path: str | Path, *, format: str | None = None) -> FileData:
    """Describe a user's file (probed, never modified); a converted copy when `format` differs."""
    info = probe(path)
    fd = _filedata(info, orig_name=Path(path).name)
    if format is None or _SUFFIX_BY_MAJOR.get(info.format) == _normalise_format(format):
        return fd
    return convert_filedata(fd, format)


def convert_filedata(fd: FileData, format: str) -> FileData:
    """A private copy of `fd` in `format` inside the temp store (the source is left alone).

    Strict: a truncated source is an AudioFormatError naming both lengths (see
    `convert_with_report` for the readable part plus the report).
    """
    copy, truncation = convert_with_report(fd, format)
    if truncation is not None:
        Path(copy.path).unlink(missing_ok=True)
        raise AudioFormatError(
            f"cannot convert {str(fd.path)!r} to {format}: {truncation.message()}"
        )
    return copy


def convert_with_report(fd: FileData, format: str) -> tuple[FileData, Truncation | None]:
    """A private copy of `fd` in `format`, and the truncation found on the way, if any.

    Same-format sources are byte-copied without decoding (truncation as far as opening
    tells: exact for WAV, estimated from the byte count for MP3); others are streamed block
    by block, so converting a long file never holds it in memory, and the frames decoded
    give the exact readable length. A source with no readable
    frame although its header declares some is an AudioFormatError saying "empty".
    """
    fmt = _normalise_format(format)
    source = Path(fd.path)
    info = probe(source)
    target = temp_path("." + fmt)
    stem = Path(fd.name).stem
    truncation: Truncation | None = None
    if _SUFFIX_BY_MAJOR.get(info.format) == fmt:
        # A byte copy decodes nothing, so only what opening tells is reported: exact for
        # WAV/AIFF, the Xing byte count for MP3 (a cut FLAC is found by whoever decodes it).
        with _open_checked(source) as dec:
            truncation = dec.quick_truncation()
        shutil.copyfile(source, target)
        return _filedata(probe(target), orig_name=f"{stem}.{fmt}"), truncation
    subtype: str | None = None
    if fmt in ("wav", "flac") and info.subtype.startswith("PCM"):
        subtype = _SUBTYPE_FIX.get((fmt, info.subtype), info.subtype)
    try:
        with _open_checked(source) as src:
            shape = {"samplerate": src.rate, "channels": src.channels}
            with sf.SoundFile(
                str(target), "w", **shape, format=FORMATS[fmt], subtype=subtype
            ) as dst:
                # Decoder reads never seek (soundfile's read() does, which silences MP3s).
                buffer = np.empty((_CONVERT_BLOCK, src.channels), np.float32)
                while n := src.read_into(buffer):
                    dst.write(buffer[:n])
            if src.position == 0 and (src.declared_frames > 0 or src.hint):
                raise src.empty_error()
            truncation = src.truncation
    except AudioFormatError:
        target.unlink(missing_ok=True)
        raise
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        target.unlink(missing_ok=True)
        reason = _LIBSNDFILE_PREFIX.sub("", str(exc)).strip()
        raise AudioFormatError(f"cannot convert {str(source)!r} to {fmt}: {reason}") from exc
    return _filedata(probe(target), orig_name=f"{stem}.{fmt}"), truncation


def download_to_filedata(url: str, *, timeout: float = 10.0) -> FileData:
    """Fetch an http(s) URL into the temp store and probe it.

    Raises:
        AudioFormatError: the download failed (offline, timeout, HTTP error - the message
            says which) or the body is not audio.
    """
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https"):
        raise AudioFormatError(f"cannot download {url!r}: only http(s) URLs are supported")
    target = temp_path(Path(parsed.path).suffix.lower() or ".download")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, target.open("wb") as out:
            shutil.copyfileobj(response, out)
    except urllib.error.HTTPError as exc:
        target.unlink(missing_ok=True)
        raise AudioFormatError(f"cannot download {url!r}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        target.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise AudioFormatError(
            f"cannot download {url!r}: {reason} (offline? the timeout is {timeout:g} s)"
        ) from exc
    try:
        info = probe(target)
    except AudioFormatError as exc:
        target.unlink(missing_ok=True)
        raise AudioFormatError(f"downloaded {url!r} but it is not audio: {exc}") from exc
    detected = "." + _SUFFIX_BY_MAJOR.get(info.format, info.format.lower())
    if target.suffix != detected:  # name it by what it is, so players and converters agree
        target = target.rename(target.with_suffix(detected))
    return _filedata(probe(target), orig_name=Path(parsed.path).name or None)
