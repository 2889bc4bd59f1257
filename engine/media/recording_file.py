"""The files a recording goes into, and how a take killed mid-way is repaired.

Kept apart from the Recorder's threading so the on-disk guarantees are easy to find.

Crash safety. A WAV take is written straight to its file, whose header is rewritten twice a
second (`update_header`). A compressed take (FLAC, OGG, MP3...) is written to a *journal*: a
WAV next to the target (`.NAME.partial.wav`), and at the same time to its encoder
(`.NAME.encoding`), which is renamed over the target when the take ends (if the encoder
failed, the journal is encoded then: `encode_journal`). Encoders hold audio back and write
their real header only on close (a killed MP3 read as ~40 % of its length, a killed OGG as
nothing), while a WAV's samples are on disk as soon as `write()` returns. Every take also has a sidecar (`.NAME.partial.json`: pid and
start time of the recording process, target, journal, format) and a pointer to it in
`recordings_dir()/.in-progress/`, so `recover_interrupted()` finds takes wherever they were
recorded. When the recording process is dead, it repairs the take: the WAV header is made to
cover every whole frame on disk (`repair_wav`), the journal is encoded to the target and
removed, and a `Recovered` report names the take and its length.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audiotui.errors import AudioFormatError
from audiotui.media import temp
from audiotui.wording import with_article

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
                f"subtype {subtype!r} cannot be written to {with_article(fmt)} file; use one of {choices}"
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

    from audiotui.media import rf64

    fmt = str(getattr(sound_file, "format", "")).upper()
    if rf64.wanted(sound_file):  # past the RF64 threshold: the 64-bit sizes are ours to keep
        sound_file.flush()
        rf64.write_header(str(sound_file.name))
        return
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


# ------------------------------------------------------------------ format limits

# The MPEG-1/2/2.5 rates (= media.files.MP3_RATES, a test keeps them equal). Not imported from
# there: that module costs a recording process ~5 MB of imports it never uses.
MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)


def check_format_limits(fmt: str, channels: int, samplerate: float | None) -> None:
    """Refuse, before any file or device is touched, what the format's encoder cannot hold.

    libsndfile says "Format not recognised." for a 3-channel MP3 and only after it has created
    the file; this names the limit instead. `samplerate` None = not known yet (checked again
    once the device's default rate is).
    """
    fmt = fmt.upper()
    rate = None if samplerate is None else int(samplerate)
    asked = f"{channels} channel(s)" + ("" if rate is None else f" at {rate} Hz")
    if fmt == "MP3" and (not 1 <= channels <= 2 or (rate is not None and rate not in MP3_RATES)):
        rates = ", ".join(str(r) for r in MP3_RATES)
        raise AudioFormatError(
            f"MP3 holds 1-2 channels at 8-48 kHz ({rates} Hz), not {asked}; "
            "record .wav or .flac instead"
        )
    if fmt == "FLAC" and (not 1 <= channels <= 8 or (rate is not None and rate > 655350)):
        raise AudioFormatError(
            f"FLAC holds 1-8 channels at up to 655350 Hz, not {asked}; record .wav instead "
            "(it becomes RF64 past 4 GB) or .w64"
        )


def open_sound_file(
    path: Path,
    *,
    overwrite: bool,
    samplerate: int,
    channels: int,
    fmt: str,
    subtype: str | None,
    file_mode: int = 0o666,
) -> Any:
    """Open `path` for writing; if that fails, leave the disk as it was and say why.

    The file is created by us (O_EXCL, `file_mode` before the umask) so we know it is ours:
    when libsndfile then refuses the parameters, the file we created is removed (a 0-byte
    leftover made the retry fail with "already exists"). An existing file is replaced only
    with `overwrite`, and only after the same parameters opened a scratch file next to it,
    so a refused open never truncates it.
    """
    import soundfile as sf

    def fail(exc: BaseException) -> AudioFormatError:
        reason = str(exc).replace(f"Error opening {str(path)!r}: ", "")
        return AudioFormatError(f"cannot create '{path}': {reason}")

    if overwrite and path.exists():
        scratch = path.with_name(f".{path.name}.check")
        scratch.unlink(missing_ok=True)  # our own name: a leftover of a killed start()
        probe = open_sound_file(
            scratch, overwrite=False, samplerate=samplerate, channels=channels, fmt=fmt,
            subtype=subtype,
        )
        probe.close()
        scratch.unlink(missing_ok=True)
        created = False
    else:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode))
        except FileExistsError:
            raise AudioFormatError(
                f"'{path}' already exists: choose another name or allow overwriting (--force)"
            ) from None
        except OSError as exc:
            raise fail(exc) from None
        created = True
    try:
        sound_file = sf.SoundFile(
            str(path), mode="w", samplerate=samplerate, channels=channels, format=fmt,
            subtype=subtype,
        )
    except (sf.LibsndfileError, OSError, ValueError, TypeError) as exc:
        if created:
            path.unlink(missing_ok=True)  # ours, and holding nothing yet
        raise fail(exc) from None
    if fmt.upper() == "WAV":
        from audiotui.media import rf64

        rf64.reserve_room(sound_file, rate=samplerate)  # so it can become RF64 past 4 GB
    return sound_file


def close_sound_file(sound_file: Any) -> None:
    """Close a file being recorded; an RF64 take gets its 64-bit header back afterwards.

    libsndfile's close writes its own 32-bit WAV header over the RF64 one (`rf64` module).
    """
    from audiotui.media import rf64

    sound_file.close()
    if rf64.wanted(sound_file):
        rf64.write_header(str(sound_file.name))


# ------------------------------------------------------------------ write errors

_ERRNO_NAMES = {
    errno.ENOSPC: "disk full (ENOSPC)",
    errno.EFBIG: "file size limit reached (EFBIG)",
    errno.EDQUOT: "disk quota exceeded (EDQUOT)",
    errno.EIO: "input/output error (EIO): the disk or its connection failed",
    errno.EROFS: "the file system became read-only (EROFS)",
}
_MESSAGE_NAMES = {
    "no space left": errno.ENOSPC,
    "file too large": errno.EFBIG,
    "quota exceeded": errno.EDQUOT,
    "input/output error": errno.EIO,
    "read-only file system": errno.EROFS,
}


def describe_write_error(exc: BaseException, sound_file: Any = None) -> str:
    """What went wrong with a write, in words a user can act on.

    libsndfile reports every failed write(2) as "System error."; the errno text is only in
    `sf_strerror(handle)`, which is asked here when `sound_file` is given.
    """
    code = getattr(exc, "errno", None)
    if isinstance(code, int) and code in _ERRNO_NAMES:
        return _ERRNO_NAMES[code]
    text = str(exc)
    if sound_file is not None:
        with contextlib.suppress(Exception):  # private cffi handle: best effort
            import soundfile as sf

            text = sf._ffi.string(sf._snd.sf_strerror(sound_file._file)).decode() or text
    lowered = text.lower()
    for needle, number in _MESSAGE_NAMES.items():
        if needle in lowered:
            return _ERRNO_NAMES[number]
    return text.rstrip(".") or type(exc).__name__


def readable_frames(path: Path) -> int:
    """Frames a reader really gets from `path` (0 if it does not open).

    The header's count is checked against the data: the last block must read back, else the
    file is counted by reading it through (a FLAC closed after a failed write claimed 14.4 s
    and held 13.56 s).
    """
    import soundfile as sf

    try:
        with sf.SoundFile(str(path)) as f:
            claimed = f.frames
            tail = min(claimed, 4096)
            f.seek(claimed - tail)
            if len(f.read(tail, dtype="int16")) == tail:
                return int(claimed)
            f.seek(0)
            return sum(len(b) for b in f.blocks(65536, dtype="int16"))
    except Exception:  # unreadable, or fails part-way: what read before it counts
        return 0


# ------------------------------------------------------------------ journals and sidecars

JOURNAL_SUFFIX = ".partial.wav"
SIDECAR_SUFFIX = ".partial.json"


def recordings_dir() -> Path:
    """Where the UI keeps takes: they must outlive the process (an SSH drop is SIGHUP).

    `$AUDIOTUI_RECORDINGS_DIR`, else `$XDG_DATA_HOME/audiotui/recordings`, else
    `~/.local/share/audiotui/recordings`; created (0700) on first use.
    """
    configured = os.environ.get("AUDIOTUI_RECORDINGS_DIR")
    if configured:
        folder = Path(configured).expanduser()
    else:
        data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        folder = Path(data_home) / "audiotui" / "recordings"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def journal_path(target: Path) -> Path:
    return target.with_name(f".{target.name}{JOURNAL_SUFFIX}")


def sidecar_path(target: Path) -> Path:
    return target.with_name(f".{target.name}{SIDECAR_SUFFIX}")


def encoding_path(target: Path) -> Path:
    """Where the target is encoded before it is renamed over the target."""
    return target.with_name(f".{target.name}.encoding")


def journal_subtype(target_subtype: str | None) -> str:
    """The journal keeps what the target can hold: 24-bit for a 24-bit (FLAC) target, else
    16-bit, which is more than MP3/Vorbis keep and half the disk of float."""
    return "PCM_24" if (target_subtype or "").upper() in ("PCM_24", "PCM_32", "FLOAT") else "PCM_16"


def _registry_entry(sidecar: Path) -> Path | None:
    try:
        folder = recordings_dir() / ".in-progress"
        folder.mkdir(exist_ok=True, mode=0o700)
    except OSError:
        return None
    # zlib, not hashlib: hashlib loads OpenSSL (~4 MB RSS) into every recording process.
    key = str(sidecar).encode()
    return folder / f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}.json"


def _write_json(path: Path, data: dict[str, Any]) -> None:
    scratch = path.with_name(path.name + ".tmp")
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(scratch, path)


def _host() -> str:
    """This machine's name (os.uname, so no socket module is loaded for it)."""
    return os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")


def begin_take(
    target: Path,
    *,
    journal: Path | None,
    fmt: str,
    subtype: str | None,
    samplerate: int,
    channels: int,
    placeholder: bool,
) -> Path:
    """Write the sidecar (and its pointer) that marks `target` as being recorded by us."""
    sidecar = sidecar_path(target)
    pid = os.getpid()
    _write_json(
        sidecar,
        {
            "version": 1,
            "pid": pid,
            "start": temp.process_start(pid),
            "host": _host(),
            "target": str(target),
            "journal": str(journal) if journal is not None else None,
            "format": fmt,
            "subtype": subtype,
            "samplerate": samplerate,
            "channels": channels,
            "placeholder": placeholder,
            "began": time.time(),
        },
    )
    entry = _registry_entry(sidecar)
    if entry is not None:
        with contextlib.suppress(OSError):
            _write_json(entry, {"sidecar": str(sidecar)})
    return sidecar


def end_take(target: Path) -> None:
    """The take is complete on disk: forget its sidecar and pointer."""
    sidecar = sidecar_path(target)
    sidecar.unlink(missing_ok=True)
    entry = _registry_entry(sidecar)
    if entry is not None:
        entry.unlink(missing_ok=True)


def repair_wav(path: Path) -> int:
    """Make a WAV's RIFF and data sizes cover every whole frame on disk; returns the frames.

    After a SIGKILL the samples written since the last periodic header rewrite (up to 0.5 s)
    are on disk but not counted; this counts them. A partial last frame is cut off. An RF64
    take (or a WAV grown past 4 GB before its header was switched) gets 64-bit sizes
    (`rf64.write_header`).
    """
    from audiotui.media import rf64

    if rf64.is_rf64(path) or os.path.getsize(path) > rf64.RIFF_LIMIT:
        return rf64.write_header(path, truncate=True)
    with open(path, "r+b") as f:
        size = os.fstat(f.fileno()).st_size
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise AudioFormatError(f"'{path}' is not a RIFF/WAVE file")
        pos, block_align = 12, 0
        while pos + 8 <= size:
            f.seek(pos)
            chunk = f.read(8)
            cid, length = chunk[:4], int.from_bytes(chunk[4:8], "little")
            if cid == b"fmt ":
                fmt_chunk = f.read(min(length, 16))
                block_align = int.from_bytes(fmt_chunk[12:14], "little")
            elif cid == b"data":
                if block_align <= 0:
                    break
                start = pos + 8
                data = min(size - start, 0xFFFFFFFF - start)  # the data chunk runs to the end
                data -= data % block_align
                f.seek(pos + 4)
                f.write(data.to_bytes(4, "little"))
                f.seek(4)
                f.write((start + data - 8).to_bytes(4, "little"))
                f.truncate(start + data)
                f.flush()
                os.fsync(f.fileno())
                return data // block_align
            pos += 8 + length + (length & 1)
    raise AudioFormatError(f"'{path}' has no audio data chunk")


def encode_journal(
    journal: Path, target: Path, fmt: str, subtype: str | None, file_mode: int = 0o666
) -> int:
    """Encode the journal into `target` (replacing it atomically); returns its readable frames.

    Written to `.NAME.encoding` first and renamed over the target only when closed and synced,
    so a crash or a full disk mid-encode leaves the journal and the old target as they were.
    """
    import soundfile as sf

    scratch = encoding_path(target)
    scratch.unlink(missing_ok=True)
    try:
        with sf.SoundFile(str(journal)) as src:
            out = open_sound_file(
                scratch, overwrite=False, samplerate=src.samplerate, channels=src.channels,
                fmt=fmt, subtype=subtype, file_mode=file_mode,
            )
            try:
                for block in src.blocks(65536, dtype="float32", always_2d=True):
                    out.write(block)
            except Exception as exc:
                raise AudioFormatError(describe_write_error(exc, out)) from None
            finally:
                with contextlib.suppress(Exception):
                    out.close()
        publish_encoded(target)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    return readable_frames(target)


def publish_encoded(target: Path) -> None:
    """Sync the closed `.NAME.encoding` file and rename it over the target (atomic)."""
    scratch = encoding_path(target)
    with open(scratch, "rb") as synced:
        os.fsync(synced.fileno())
    os.replace(scratch, target)


# ------------------------------------------------------------------ recovery


@dataclass(frozen=True)
class Recovered:
    """One interrupted take found by `recover_interrupted`."""

    path: Path
    frames: int
    samplerate: int
    pid: int
    error: str | None = None

    @property
    def seconds(self) -> float:
        return self.frames / self.samplerate if self.samplerate else 0.0

    def describe(self) -> str:
        """One line for stderr."""
        if self.error is not None:
            return (
                f"audiotui: warning: interrupted recording '{self.path}' could not be "
                f"repaired yet: {self.error}"
            )
        return (
            f"audiotui: repaired interrupted recording '{self.path}': {self.seconds:.2f} s "
            f"recovered (process {self.pid} ended without closing it)"
        )


def _sidecars(folder: Path | None) -> list[Path]:
    found: list[Path] = []
    if folder is not None:
        with contextlib.suppress(OSError):
            found.extend(sorted(Path(folder).glob(f".*{SIDECAR_SUFFIX}")))
    with contextlib.suppress(OSError):
        registry = recordings_dir() / ".in-progress"
        for entry in sorted(registry.glob("*.json")):
            try:
                sidecar = Path(json.loads(entry.read_text())["sidecar"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if sidecar.exists():
                found.append(sidecar)
            else:
                entry.unlink(missing_ok=True)  # finished, or the folder is gone
    unique: list[Path] = []
    for sidecar in found:
        if sidecar.absolute() not in unique:
            unique.append(sidecar.absolute())
    return unique


def recover_interrupted(folder: str | os.PathLike[str] | None = None) -> list[Recovered]:
    """Repair every take whose recording process died; one `Recovered` each.

    Looks at the takes registered in `recordings_dir()` (wherever they were recorded) and at
    the sidecars in `folder`. A take whose process is alive (same pid and start time), or that
    was recorded on another host, is left alone.
    """
    reports: list[Recovered] = []
    for sidecar in _sidecars(Path(folder) if folder is not None else None):
        try:
            meta = json.loads(sidecar.read_text())
            pid, start = int(meta["pid"]), str(meta.get("start") or "")
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if meta.get("host") not in (None, _host()):
            continue
        if temp.process_alive(pid, start):
            continue
        reports.append(_recover(sidecar, meta, pid))
    return reports


def _recover(sidecar: Path, meta: dict[str, Any], pid: int) -> Recovered:
    target = Path(meta["target"])
    rate = int(meta.get("samplerate") or 0)
    journal = Path(meta["journal"]) if meta.get("journal") else None
    try:
        encoding_path(target).unlink(missing_ok=True)  # an encode the crash cut short
        if journal is None:
            frames = repair_wav(target) if target.exists() else 0
        elif journal.exists():
            repair_wav(journal)
            mode = target.stat().st_mode & 0o777 if target.exists() else 0o666
            frames = encode_journal(journal, target, str(meta["format"]), meta.get("subtype"),
                                    file_mode=mode)
            journal.unlink(missing_ok=True)
        else:
            # Killed before the journal existed, or after the encode but before the cleanup.
            if meta.get("placeholder") and target.exists() and target.stat().st_size == 0:
                target.unlink()
            frames = readable_frames(target) if target.exists() else 0
    except Exception as exc:  # report it; the journal stays for the next attempt
        return Recovered(target, 0, rate, pid, error=describe_write_error(exc))
    end_take(target)
    return Recovered(target, frames, rate, pid)
