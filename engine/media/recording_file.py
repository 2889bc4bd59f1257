"""The file a recording goes into: its format from the extension, and a header kept current.

Kept apart from the Recorder's threading so the on-disk guarantees are easy to find: see
`update_header` for why a SIGKILL still leaves a WAV whose header covers the audio.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from audiotui.errors import AudioFormatError

SFC_UPDATE_HEADER_NOW = 0x1060  # sndfile.h; not exported by the soundfile package
_EXTENSION_FORMATS = {"aif": "AIFF", "aiff": "AIFF", "opus": "OGG", "oga": "OGG"}
_MIME = {"WAV": "audio/wav", "FLAC": "audio/flac", "OGG": "audio/ogg", "MP3": "audio/mpeg"}
# Containers whose header libsndfile can rewrite in place. Sending the command to an OGG
# Vorbis file corrupts it for good (libsndfile then refuses it: "Unspecified internal
# error"), and FLAC/MP3 ignore it, so everything else only gets the sync.
HEADER_FORMATS = frozenset({"WAV", "WAVEX", "RF64", "W64", "AIFF", "CAF", "AU"})
# Frames a FLAC file being written may hold back from the disk even after flush():
# libsndfile's encode buffer (8192 samples) plus one libFLAC block (4096), with headroom.
FLAC_UNWRITTEN_FRAMES = 16384


def file_format_for(path: Path, subtype: str | None) -> tuple[str, str | None]:
    """soundfile format (and subtype) implied by the file's extension."""
    import soundfile as sf

    ext = path.suffix.lower().lstrip(".")
    if not ext:
        raise AudioFormatError(f"'{path}' has no extension: add .wav, .flac, .ogg or .mp3")
    fmt = _EXTENSION_FORMATS.get(ext, ext.upper())
    if fmt not in sf.available_formats():
        raise AudioFormatError(
            f"'{path}': unknown audio extension '.{ext}'; use .wav, .flac, .ogg or .mp3"
        )
    if ext == "opus" and subtype is None:
        subtype = "OPUS"
    if subtype is not None:
        subtype = subtype.upper()
        if not sf.check_format(fmt, subtype):
            choices = ", ".join(sf.available_subtypes(fmt))
            raise AudioFormatError(
                f"subtype {subtype!r} cannot be written to a {fmt} file; use one of {choices}"
            )
    return fmt, subtype


def update_header(sound_file: Any, frames: int | None = None) -> None:
    """Make the file on disk describe everything written so far, then sync it.

    `SoundFile.flush()` (sf_write_sync) alone leaves a WAV header as it was at open: after a
    SIGKILL the RIFF size still read 8. SFC_UPDATE_HEADER_NOW rewrites it, so readers that
    trust the header (Python's wave, sox, browsers) see the audio up to the last call.
    Only sent to the PCM containers in HEADER_FORMATS (it destroys an OGG Vorbis stream).
    A FLAC file gets its length patched in instead when `frames` (written so far) is given.
    """
    import soundfile as sf

    fmt = str(getattr(sound_file, "format", "")).upper()
    if fmt not in HEADER_FORMATS:
        sound_file.flush()
        if fmt == "FLAC" and frames is not None:
            _patch_flac_length(str(sound_file.name), frames - FLAC_UNWRITTEN_FRAMES)
        return
    with contextlib.suppress(AttributeError, TypeError):  # private cffi handle: best effort
        sf._snd.sf_command(sound_file._file, SFC_UPDATE_HEADER_NOW, sf._ffi.NULL, 0)
    sound_file.flush()


def _patch_flac_length(path: str, frames: int) -> None:
    """Write `frames` into the STREAMINFO total-samples field of a FLAC file being written.

    libFLAC fills that field only when the file is closed; until then it says 0 ("unknown")
    and libsndfile reports the length of a killed recording as 2**63 - 1 frames, which
    `soundfile.read` cannot allocate and block reads fail on ("psf_fseek() failed"). With a
    length no larger than what is already encoded on disk, the file reads normally; claiming
    more than is there makes libsndfile fail, hence FLAC_UNWRITTEN_FRAMES. The close rewrites
    the whole STREAMINFO with the exact count.
    """
    if frames <= 0:
        return
    with contextlib.suppress(OSError), open(path, "r+b") as raw:
        head = raw.read(26)
        # "fLaC", then the first metadata block, which must be STREAMINFO (type 0, 34 bytes).
        if len(head) < 26 or head[:4] != b"fLaC" or head[4] & 0x7F != 0:
            return
        total = min(frames, (1 << 36) - 1)
        patched = bytes([(head[21] & 0xF0) | (total >> 32)]) + (total & 0xFFFFFFFF).to_bytes(
            4, "big"
        )
        raw.seek(21)
        raw.write(patched)


def mime_type_for(fmt: str) -> str:
    return _MIME.get(fmt, f"audio/{fmt.lower()}")
