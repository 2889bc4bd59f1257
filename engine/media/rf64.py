"""WAV takes that outgrow RIFF's 4 GB: switched to RF64 (EBU Tech 3306) in place, mid-take.

A RIFF file counts its sizes in 32 bits, so a WAV stops at 4 GB: about 6 h of 48 kHz stereo
16-bit, 12 min of 32 channels at 24-bit. RF64 is the same file with a `ds64` chunk holding
64-bit sizes right after the `RIFF`-turned-`RF64` marker; libsndfile, sox, ffmpeg and
every DAW read it.

libsndfile can switch by itself (format RF64 with SFC_RF64_AUTO_DOWNGRADE), but only at the
real 4 GB, and its downgraded files are WAVE_FORMAT_EXTENSIBLE, which Python's `wave` (before
3.12) refuses. So a WAV take is written as a plain PCM WAV with a `bext` (Broadcast WAV)
chunk between `fmt ` and `data` (`reserve_room`): ~660 bytes that every reader skips, and
room to rebuild the header as RIFF64 without moving a sample: `ds64` + `fmt ` + `JUNK`
filler end exactly where `data` began. Past `threshold()` bytes the writer thread keeps the
header itself (`write_header`, from the size on disk, twice a second like libsndfile's own
rewrite), and again after libsndfile's close, which writes its 32-bit header over ours.
`write_header(truncate=True)` is also what crash recovery runs on an RF64 take.

`AUDIOTUI_RF64_THRESHOLD=<bytes>` lowers the switch point: a testing aid (a 4 GB file per
test is not practical), documented in the README.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import struct
from pathlib import Path
from typing import Any

from audiotui.errors import AudioFormatError

RIFF_LIMIT = 0xFFFFFFFF
# Switch this far below the 32-bit limit: the header is rewritten every 0.5 s, and the file
# grows by at most a few MB in that time even at 32 channels x 192 kHz x 32 bit.
DEFAULT_HEADROOM = 64 << 20
SFC_SET_BROADCAST_INFO = 0x10F1
_DS64_BYTES = 8 + 28  # chunk header + riff size, data size, sample count, table length


class _BroadcastInfo(ctypes.Structure):
    """libsndfile's SF_BROADCAST_INFO (coding history of 256), laid out as C lays it out."""

    _fields_ = [  # noqa: RUF012 - ctypes wants a class attribute
        ("description", ctypes.c_char * 256),
        ("originator", ctypes.c_char * 32),
        ("originator_reference", ctypes.c_char * 32),
        ("origination_date", ctypes.c_char * 10),
        ("origination_time", ctypes.c_char * 8),
        ("time_reference_low", ctypes.c_uint32),
        ("time_reference_high", ctypes.c_uint32),
        ("version", ctypes.c_short),
        ("umid", ctypes.c_char * 64),
        ("loudness", ctypes.c_int16 * 5),
        ("reserved", ctypes.c_char * 180),
        ("coding_history_size", ctypes.c_uint32),
        ("coding_history", ctypes.c_char * 256),
    ]


def threshold() -> int:
    """File size (bytes) past which a take becomes RF64; AUDIOTUI_RF64_THRESHOLD lowers it."""
    configured = os.environ.get("AUDIOTUI_RF64_THRESHOLD", "").strip()
    if configured:
        with contextlib.suppress(ValueError):
            return max(0, int(configured))
    return RIFF_LIMIT - DEFAULT_HEADROOM


def reserve_room(sound_file: Any, *, started: float | None = None, rate: int = 0) -> bool:
    """Give a WAV being written (nothing written yet) the `bext` chunk RF64 needs room from.

    The chunk also says when the take began (origination date/time, and the BWF time
    reference: samples since midnight), which lab users' tools read. False if libsndfile
    would not take it (then the take stays a plain WAV limited to 4 GB).
    """
    import time

    import soundfile as sf

    when = time.localtime(started) if started is not None else time.localtime()
    midnight = when.tm_hour * 3600 + when.tm_min * 60 + when.tm_sec
    samples = midnight * rate
    info = _BroadcastInfo(
        description=b"audiotui record",
        originator=b"audiotui",
        origination_date=time.strftime("%Y-%m-%d", when).encode(),
        origination_time=time.strftime("%H:%M:%S", when).encode(),
        time_reference_low=samples & 0xFFFFFFFF,
        time_reference_high=samples >> 32,
        version=1,
    )
    raw = bytes(info)
    try:
        buffer = sf._ffi.new("char[]", raw)
        ok = bool(sf._snd.sf_command(sound_file._file, SFC_SET_BROADCAST_INFO, buffer, len(raw)))
    except (AttributeError, TypeError):  # private cffi handle: best effort
        return False
    if ok:
        sound_file.audiotui_rf64_room = True
    return ok


def wanted(sound_file: Any) -> bool:
    """True once this file is past the threshold (from then on we keep its header)."""
    if getattr(sound_file, "audiotui_rf64", False):
        return True
    if not getattr(sound_file, "audiotui_rf64_room", False):
        return False
    try:
        size = os.path.getsize(str(sound_file.name))
    except OSError:
        return False
    if size <= threshold():
        return False
    sound_file.audiotui_rf64 = True
    return True


def _chunks(head: bytes, size: int) -> tuple[bytes, int, int]:
    """(fmt chunk payload, offset of the `data` chunk header, block align) of a RIFF/RF64 head."""
    pos, fmt_payload = 12, b""
    while pos + 8 <= len(head):
        cid, length = head[pos : pos + 4], int.from_bytes(head[pos + 4 : pos + 8], "little")
        if cid == b"fmt ":
            fmt_payload = head[pos + 8 : pos + 8 + length]
        elif cid == b"data":
            if len(fmt_payload) < 16:
                break
            return fmt_payload, pos, int.from_bytes(fmt_payload[12:14], "little")
        elif cid == b"ds64" and pos != 12:
            break
        pos += 8 + length + (length & 1)
    raise AudioFormatError("no fmt/data chunk in the first bytes of the file")


def write_header(path: str | os.PathLike[str], *, truncate: bool = False) -> int:
    """Rewrite a WAV/RF64 file's header as RF64 covering every whole frame on disk; frames.

    Safe while libsndfile keeps appending samples (only bytes before `data` are touched).
    `truncate` cuts a partial last frame (crash recovery). Raises AudioFormatError when the
    file has no room for the 64-bit sizes (a WAV written without `reserve_room`).
    """
    with open(path, "r+b") as f:
        size = os.fstat(f.fileno()).st_size
        head = f.read(4096)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
            raise AudioFormatError(f"'{path}' is not a RIFF/RF64 WAVE file")
        fmt_payload, data_pos, block_align = _chunks(head, size)
        if block_align <= 0:
            raise AudioFormatError(f"'{path}' has an impossible block align")
        filler = data_pos - 12 - _DS64_BYTES - (8 + len(fmt_payload))
        if filler != 0 and filler < 8:
            raise AudioFormatError(f"'{path}' has no room for an RF64 header")
        data = size - (data_pos + 8)
        data -= data % block_align
        frames = data // block_align
        header = b"RF64" + struct.pack("<I", RIFF_LIMIT) + b"WAVE"
        header += b"ds64" + struct.pack("<IQQQI", 28, data_pos + data, data, frames, 0)
        header += b"fmt " + struct.pack("<I", len(fmt_payload)) + fmt_payload
        if filler:
            header += b"JUNK" + struct.pack("<I", filler - 8) + bytes(filler - 8)
        header += b"data" + struct.pack("<I", RIFF_LIMIT)
        assert len(header) == data_pos + 8
        f.seek(0)
        f.write(header)
        if truncate:
            f.truncate(data_pos + 8 + data)
        f.flush()
        os.fsync(f.fileno())
    return frames


def is_rf64(path: str | os.PathLike[str]) -> bool:
    with contextlib.suppress(OSError), open(Path(path), "rb") as f:
        return f.read(4) == b"RF64"
    return False
