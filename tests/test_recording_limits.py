"""Recording limits and failures (issue 8): a refused format leaves nothing behind and says why,
a write failure mid-take is named and "Saved ..." states what is really on disk."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf

RATE = 48000


def _cli(*args: str, timeout: float = 40, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audiotui", *args],
        capture_output=True, text=True, timeout=timeout, **kwargs,
    )


@pytest.mark.parametrize(
    "extra", [("-c", "3"), ("-r", "96000"), ("-c", "3", "-r", "96000")], ids=["3ch", "96k", "both"]
)
def test_mp3_outside_its_limits_is_refused_before_any_file_exists(
    tmp_path: Path, extra: tuple[str, ...]
) -> None:
    # Checked before the device is even looked at: no sound server is needed for this answer.
    out = tmp_path / "x.mp3"
    result = _cli("record", str(out), *extra, "-t", "1")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("audiotui: error: ")
    assert "MP3 holds 1-2 channels at 8-48 kHz" in lines[0]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no journal, no sidecar either


def test_recorder_checks_format_limits_before_the_device(tmp_path: Path) -> None:
    from audiotui.errors import AudioFormatError
    from audiotui.media.recorder import Recorder

    with pytest.raises(AudioFormatError, match="MP3 holds 1-2 channels at 8-48 kHz"):
        Recorder(tmp_path / "y.mp3", device="no-such-device", channels=3).start()
    with pytest.raises(AudioFormatError, match="FLAC holds 1-8 channels"):
        Recorder(tmp_path / "y.flac", device="no-such-device", channels=9).start()
    assert list(tmp_path.iterdir()) == []


def test_a_refused_open_removes_only_the_empty_file_it_created(tmp_path: Path) -> None:
    from audiotui.errors import AudioFormatError
    from audiotui.media.recording_file import open_sound_file

    # open_sound_file itself does not check limits: libsndfile refuses 9 FLAC channels after
    # the file was created, which is the "the open fails anyway" path.
    fresh = tmp_path / "fresh.flac"
    with pytest.raises(AudioFormatError, match="fresh.flac"):
        open_sound_file(fresh, overwrite=False, samplerate=48000, channels=9, fmt="FLAC",
                        subtype=None)
    assert not fresh.exists()
    precious = tmp_path / "precious.flac"
    precious.write_bytes(b"not ours")
    with pytest.raises(AudioFormatError):
        open_sound_file(precious, overwrite=True, samplerate=48000, channels=9, fmt="FLAC",
                        subtype=None)
    assert precious.read_bytes() == b"not ours"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious.flac"]


def _limit_file_size(limit: int) -> Any:
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


@pytest.mark.hardware
@pytest.mark.parametrize("ext", ["wav", "flac"])
def test_file_size_limit_mid_take_is_named_and_saved_length_is_what_is_on_disk(
    virtual_audio: Any, tmp_path: Path, ext: str
) -> None:
    out = tmp_path / f"limited.{ext}"
    # 16-bit mono 48 kHz PCM: 96 kB/s, so the limit is reached after ~2.5 s of audio.
    result = _cli(
        "record", str(out), "-d", virtual_audio.mic, "-r", str(RATE), "-t", "20",
        preexec_fn=_limit_file_size(250_000),
    )
    assert result.returncode == 1, result.stderr
    assert "file size limit reached (EFBIG)" in result.stderr, result.stderr
    assert "System error." not in result.stderr
    saved = [line for line in result.stderr.splitlines() if line.startswith("Saved ")]
    assert len(saved) == 1, result.stderr
    info = sf.info(str(out))
    assert info.frames > RATE  # more than a second made it
    assert f"({info.frames} frames)" in saved[0], (saved[0], info.frames)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no journal left


def test_write_errors_are_named() -> None:
    import errno

    from audiotui.media.recording_file import describe_write_error

    assert describe_write_error(OSError(errno.ENOSPC, "No space left on device")) == (
        "disk full (ENOSPC)"
    )
    assert describe_write_error(OSError(errno.EFBIG, "File too large")) == (
        "file size limit reached (EFBIG)"
    )
    assert "System error" not in describe_write_error(
        RuntimeError("System error : No space left on device.")
    )
    assert describe_write_error(RuntimeError("System error : No space left on device.")) == (
        "disk full (ENOSPC)"
    )



def test_recorder_knows_the_same_mp3_rates_as_the_file_writer() -> None:
    from audiotui.media import files, recording_file

    assert recording_file.MP3_RATES == files.MP3_RATES
