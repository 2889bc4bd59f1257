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
from audiotui.media.temp import temp_path

FORMATS: dict[str, str] = {"wav": "WAV", "flac": "FLAC", "ogg": "OGG", "mp3": "MP3"}
"""Containers the engine writes, by file suffix -> libsndfile major format."""

MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
"""The only sample rates MPEG audio (layers 1-2.5) can hold."""

_FLOAT_SUBTYPES = frozenset({"FLOAT", "DOUBLE"})
_SUFFIX_BY_MAJOR = {**{v: k for k, v in FORMATS.items()}, "WAVEX": "wav", "RF64": "wav"}
_LIBSNDFILE_PREFIX = re.compile(r"^Error opening .*?: |^Error\s*:\s*")  # we name the file
_DATA_SIZE_RE = re.compile(r"^data\s*:\s*(\d+)\s*\(should be (\d+)\)", re.MULTILINE)
_HEADER_SIZED = frozenset({"WAV", "WAVEX", "RF64", "W64", "AIFF", "CAF", "AU"})
_UNKNOWN_DATA_SIZES = (0, 0xFFFFFFFF, 0x7FFFFFFF)  # streaming writers leave these in headers
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
    """What libsndfile reports about a file, in the units the engine uses (seconds, frames)."""

    path: str
    format: str
    subtype: str
    sample_rate: int
    channels: int
    frames: int
    duration: float

    def meta(self) -> dict[str, Any]:
        """The `FileData.meta` dict for this file."""
        keys = ("sample_rate", "channels", "frames", "format", "subtype")
        return {key: getattr(self, key) for key in keys}


def _decode_error(path: Any, reason: object) -> AudioFormatError:
    text = str(reason)
    text = _LIBSNDFILE_PREFIX.sub("", text).strip() or type(reason).__name__
    return AudioFormatError(f"cannot decode {str(path)!r} as audio: {text}")


def probe(path: str | Path) -> AudioInfo:
    """Open `path` just far enough to learn its format, rate, channels and length.

    Raises:
        AudioFormatError: the file is missing, empty, not audio, malformed, or its header
            promises more data than the file holds (a truncated WAV/AIFF).
    """
    with _open_checked(path) as f:
        return _info(path, f)


def _open_checked(path: str | Path) -> sf.SoundFile:
    """Open for reading with every header-level check done; the one way files are opened."""
    p = Path(path)
    if not p.is_file():
        reason = "it is a directory, not a file" if p.is_dir() else "no such file"
        raise AudioFormatError(f"cannot decode {str(path)!r} as audio: {reason}")
    if p.stat().st_size == 0:
        raise AudioFormatError(f"cannot decode {str(path)!r} as audio: the file is empty")
    try:
        f = sf.SoundFile(str(p))
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise _decode_error(path, exc) from exc
    match = _DATA_SIZE_RE.search(f.extra_info or "") if f.format in _HEADER_SIZED else None
    problem = ""
    if match:
        declared, actual = int(match.group(1)), int(match.group(2))
        if declared not in _UNKNOWN_DATA_SIZES and declared > actual:
            problem = (
                f"the file is truncated (header promises {declared} bytes of samples, "
                f"only {actual} are present)"
            )
    if f.samplerate <= 0 or f.channels <= 0:
        problem = "malformed header"
    if problem:
        f.close()
        raise AudioFormatError(f"cannot decode {str(path)!r} as audio: {problem}")
    return f


def _info(path: str | Path, f: sf.SoundFile) -> AudioInfo:
    return AudioInfo(
        path=str(Path(path).resolve()),
        format=f.format,
        subtype=f.subtype,
        sample_rate=int(f.samplerate),
        channels=int(f.channels),
        frames=int(f.frames),
        duration=float(f.frames) / f.samplerate,
    )


def read_int16(path: str | Path) -> tuple[int, np.ndarray]:
    """Decode a whole file to `(sample_rate, int16 array)`: `(n,)` mono, `(n, ch)` otherwise.

    libsndfile converts integer and compressed formats to 16 bits itself (the fast path);
    float WAVs are read as float and scaled here, because libsndfile would otherwise truncate
    0.5 to 0. No resampling and no down-mixing, ever.
    """
    with _open_checked(path) as f:
        try:
            if f.subtype in _FLOAT_SUBTYPES:
                data = to_int16(f.read(dtype="float32", always_2d=False))
            else:
                data = f.read(dtype="int16", always_2d=False)
        except (sf.LibsndfileError, RuntimeError) as exc:
            raise _decode_error(path, exc) from exc
        expected, sr = f.frames, int(f.samplerate)
    _check_complete(path, len(data), expected)
    return sr, data


def read_float(path: str | Path, start: int = 0, frames: int = -1) -> tuple[int, np.ndarray]:
    """Decode `frames` frames from `start` as float32, always 2-D `(n, ch)`, in [-1, 1]."""
    with _open_checked(path) as f:
        try:
            if start:
                f.seek(start)
            data = f.read(frames, dtype="float32", always_2d=True)
        except (sf.LibsndfileError, RuntimeError) as exc:
            raise _decode_error(path, exc) from exc
        expected = (f.frames - start) if frames < 0 else min(frames, f.frames - start)
        sr = int(f.samplerate)
    _check_complete(path, len(data), expected)
    return sr, data


def _check_complete(path: Any, got: int, expected: int) -> None:
    if got < expected:
        raise AudioFormatError(
            f"cannot decode {str(path)!r} as audio: the file is truncated "
            f"(header promises {expected} frames, only {got} could be decoded)"
        )


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

    Same-format sources are byte-copied; others are streamed block by block, so converting
    a long file never holds it in memory.
    """
    fmt = _normalise_format(format)
    source = Path(fd.path)
    info = probe(source)
    target = temp_path("." + fmt)
    stem = Path(fd.name).stem
    if _SUFFIX_BY_MAJOR.get(info.format) == fmt:
        shutil.copyfile(source, target)
        return _filedata(probe(target), orig_name=f"{stem}.{fmt}")
    subtype: str | None = None
    if fmt in ("wav", "flac") and info.subtype.startswith("PCM"):
        subtype = _SUBTYPE_FIX.get((fmt, info.subtype), info.subtype)
    written = 0
    try:
        with sf.SoundFile(str(source)) as src:
            shape = {"samplerate": src.samplerate, "channels": src.channels}
            expected = src.frames
            with sf.SoundFile(
                str(target), "w", **shape, format=FORMATS[fmt], subtype=subtype
            ) as dst:
                # Not src.blocks(): it yields whole blocks even when libsndfile decoded fewer
                # frames (a truncated MP3), and the rest of the block is uninitialised memory.
                while len(block := src.read(_CONVERT_BLOCK, dtype="float32", always_2d=True)):
                    dst.write(block)
                    written += len(block)
        # A truncated MP3 decodes without an error; the copy must not quietly be shorter
        # than what read_int16 would refuse for the same file.
        _check_complete(source, written, expected)
    except AudioFormatError:
        target.unlink(missing_ok=True)
        raise
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        target.unlink(missing_ok=True)
        reason = _LIBSNDFILE_PREFIX.sub("", str(exc)).strip()
        raise AudioFormatError(f"cannot convert {str(source)!r} to {fmt}: {reason}") from exc
    return _filedata(probe(target), orig_name=f"{stem}.{fmt}")


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
