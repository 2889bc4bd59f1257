"""audiotui.media.files and audiotui.media.temp: decoding, output arrays, conversion, temp store."""

from __future__ import annotations

import hashlib
import http.server
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from audiotui.errors import AudioFormatError
from audiotui.media import files, temp

SR = 22050


def tone(n: int = SR // 2, channels: int = 2, amp: float = 0.5) -> np.ndarray:
    """A float64 sine with a different frequency per channel, shape (n, channels)."""
    t = np.arange(n) / SR
    return np.stack([amp * np.sin(2 * np.pi * 220 * (c + 1) * t) for c in range(channels)], 1)


@pytest.fixture
def make_file(tmp_path: Path):
    def make(name: str, data: np.ndarray, sr: int = SR, subtype: str | None = None) -> Path:
        path = tmp_path / name
        sf.write(path, data, sr, subtype=subtype)
        return path

    return make


# -- decoding to (sr, int16) ------------------------------------------------------------------

WAV_DEPTHS = [
    ("PCM_U8", 256 * 2),
    ("PCM_16", 1),
    ("PCM_24", 1),
    ("PCM_32", 1),
    ("FLOAT", 1),
    ("DOUBLE", 1),
]


@pytest.mark.parametrize(("subtype", "tolerance"), WAV_DEPTHS)
@pytest.mark.parametrize("channels", [1, 2])
def test_every_wav_bit_depth_decodes_to_int16_at_full_scale(
    make_file, subtype, tolerance, channels
):
    data = tone(channels=channels)
    path = make_file(f"x-{subtype}.wav", data, subtype=subtype)
    sr, out = files.read_int16(path)
    assert sr == SR
    assert out.dtype == np.int16
    assert out.shape == ((len(data),) if channels == 1 else (len(data), channels))
    expected = np.rint(data.reshape(out.shape) * 32767)
    assert np.abs(out.astype(np.int32) - expected).max() <= tolerance


@pytest.mark.parametrize(
    ("fmt", "subtype"),
    [("flac", "PCM_16"), ("flac", "PCM_24"), ("ogg", "VORBIS"), ("mp3", "MPEG_LAYER_III")],
)
def test_compressed_formats_decode_to_int16_without_resampling(make_file, fmt, subtype):
    data = tone(n=SR, channels=2)
    path = make_file(f"x.{fmt}", data, sr=SR, subtype=subtype)
    sr, out = files.read_int16(path)
    assert (sr, out.dtype, out.shape) == (SR, np.int16, (SR, 2))
    peak = np.abs(out.astype(np.int32)).max()
    assert 0.45 * 32767 < peak < 0.56 * 32767  # a 0.5 tone stays a 0.5 tone


def test_no_down_mixing_of_six_channels(make_file):
    path = make_file("six.wav", tone(channels=6), sr=96000)
    sr, out = files.read_int16(path)
    assert sr == 96000 and out.shape[1] == 6


def test_read_float_is_2d_and_honours_start_and_frames(make_file):
    data = tone(n=1000, channels=1)
    path = make_file("m.wav", data, subtype="FLOAT")
    sr, out = files.read_float(path, start=100, frames=50)
    assert out.shape == (50, 1) and out.dtype == np.float32
    np.testing.assert_allclose(out[:, 0], data[100:150, 0], atol=1e-6)


# -- bad input files -------------------------------------------------------------------------


def _truncate(path: Path) -> Path:
    raw = path.read_bytes()
    out = path.with_name("cut-" + path.name)
    out.write_bytes(raw[: len(raw) // 2])
    return out


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg", "mp3"])
def test_truncated_file_raises_audio_format_error_naming_file(make_file, fmt):
    cut = _truncate(make_file(f"x.{fmt}", tone(n=SR)))
    with pytest.raises(AudioFormatError) as info:
        files.read_int16(cut)
    assert cut.name in str(info.value)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"hello, I am a text file\n" * 40, "not recognised"),
        (b"RIFF\x10\x00\x00\x00WAVEfmt " + b"\x00" * 30, ""),
    ],
)
def test_empty_corrupt_and_non_audio_files_raise_one_error_type(tmp_path, content, reason):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioFormatError, match="bad.wav") as info:
        files.probe(path)
    assert reason in str(info.value)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(AudioFormatError, match="no such file"):
        files.read_int16(tmp_path / "gone.wav")


def test_probe_reports_format_length_and_rate(make_file):
    info = files.probe(make_file("p.flac", tone(n=SR, channels=2)))
    assert (info.format, info.sample_rate, info.channels, info.frames) == ("FLAC", SR, 2, SR)
    assert info.duration == pytest.approx(1.0)


# -- returned arrays ---------------------------------------------------------------------------


def test_float_output_is_peak_normalised():
    _, out = files.check_output_array(SR, tone(amp=0.1))
    assert out.dtype == np.float32
    assert np.abs(out).max() == pytest.approx(1.0)


def test_all_zero_output_stays_silent():
    _, out = files.check_output_array(SR, np.zeros((100, 2)))
    assert not out.any() and np.isfinite(out).all()


def test_normalize_false_keeps_levels_and_clips_with_a_warning():
    _, quiet = files.check_output_array(SR, tone(amp=0.1), normalize=False)
    assert np.abs(quiet).max() == pytest.approx(0.1, rel=1e-3)
    with pytest.warns(UserWarning, match="clipped"):
        _, loud = files.check_output_array(SR, tone(amp=3.0), normalize=False)
    assert np.abs(loud).max() == 1.0


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (np.array([0.1, np.nan, 0.2]), "NaN or infinite.*sample 1"),
        (np.array([0.1, np.inf]), "NaN or infinite"),
        (np.arange(10, dtype=np.int64), "int64.*astype\\(np.int16\\)"),
        (np.zeros(10, dtype=np.complex64), "complex64"),
        (np.array([0.1, "a"], dtype=object), "object"),
        (np.zeros(10, dtype=bool), "bool"),
        (np.zeros((0,), dtype=np.float32), "empty"),
        (np.zeros((4, 4, 4)), "shape \\(4, 4, 4\\)"),
        (np.zeros((20, 22050)), "more channels than samples"),
        ([0.1, 0.2], "numpy array"),
    ],
)
def test_bad_output_arrays_are_refused_with_the_reason(data, match):
    with pytest.raises(AudioFormatError, match=match):
        files.check_output_array(SR, data)


@pytest.mark.parametrize("sr", [0, -1, 0.4, float("nan"), float("inf"), True, "44100"])
def test_bad_sample_rates_are_refused(sr):
    with pytest.raises(AudioFormatError, match="sample rate"):
        files.check_output_array(sr, np.zeros(10))


@pytest.mark.parametrize(
    ("sr", "written"), [(44100.0, 44100), (np.float32(22050.6), 22051), (np.int32(8000), 8000)]
)
def test_a_float_sample_rate_is_rounded_to_whole_hz_as_gradio_writes_it(sr, written):
    """An effects app returning `(sr * speed, data)` works in Gradio 4.34, so it works here."""
    fd = files.array_to_filedata(sr, np.zeros(100, np.float32))
    assert sf.info(fd.path).samplerate == written


def test_obviously_transposed_array_is_fixed_with_a_warning():
    with pytest.warns(UserWarning, match="looks like \\(channels, samples\\)"):
        _, out = files.check_output_array(SR, tone(n=1000, channels=2).T)
    assert out.shape == (1000, 2)


@pytest.mark.parametrize(
    ("dtype", "values", "expected"),
    [
        (np.int8, [-128, 0, 127], [-32768, 0, 32512]),
        (np.uint8, [0, 128, 255], [-32768, 0, 32512]),
        (np.int16, [-32768, 5, 32767], [-32768, 5, 32767]),
        (np.uint16, [0, 32768, 65535], [-32768, 0, 32767]),
        (np.int32, [-(2**31), 65536 * 3, 2**31 - 1], [-32768, 3, 32767]),
        (np.uint32, [0, 2**31, 2**32 - 1], [-32768, 0, 32767]),
        (np.float32, [-1.5, 0.5, 1.0], [-32767, 16384, 32767]),
        (">i2", [-32768, 5, 32767], [-32768, 5, 32767]),
        (">i4", [-(2**31), 65536 * 3, 2**31 - 1], [-32768, 3, 32767]),
        (">u2", [0, 32768, 65535], [-32768, 0, 32767]),
        (">f4", [-1.5, 0.5, 1.0], [-32767, 16384, 32767]),
    ],
)
def test_to_int16_rescales_each_dtype_from_its_own_range(dtype, values, expected):
    out = files.to_int16(np.array(values, dtype=dtype))
    assert out.dtype == np.int16
    assert out.tolist() == expected


def test_array_is_written_once_into_the_private_store_with_mode_0600():
    fd = files.array_to_filedata(SR, tone(), format="flac")
    path = Path(fd.path)
    assert path.parent == temp.temp_dir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert fd.meta == {
        "sample_rate": SR,
        "channels": 2,
        "frames": SR // 2,
        "format": "FLAC",
        "subtype": "PCM_16",
    }
    assert fd.mime_type == "audio/flac"


def test_mp3_limits_are_explained_before_libsndfile_fails():
    with pytest.raises(AudioFormatError, match="1 or 2 channels.*'wav' or 'flac'"):
        files.array_to_filedata(96000, tone(channels=1), format="mp3")
    with pytest.raises(AudioFormatError, match="3 channel"):
        files.array_to_filedata(44100, tone(channels=3), format="mp3")


def test_unknown_output_format_lists_the_choices():
    with pytest.raises(AudioFormatError, match="wav, flac, ogg, mp3"):
        files.array_to_filedata(SR, tone(), format="aac")


# -- bytes, paths, conversion ----------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["wav", "flac", "ogg", "mp3", "aiff"])
def test_bytes_in_any_readable_container_are_kept_verbatim(make_file, suffix):
    raw = make_file(f"b.{suffix}", tone()).read_bytes()
    fd = files.bytes_to_filedata(raw, format=None)
    assert Path(fd.path).read_bytes() == raw and fd.path.endswith("." + suffix)
    converted = files.bytes_to_filedata(raw, format="wav")
    assert converted.meta["format"] == "WAV" and converted.meta["frames"] == SR // 2


@pytest.mark.parametrize("raw", [b"", b"definitely not audio" * 10])
def test_bytes_that_are_not_audio_raise(raw):
    with pytest.raises(AudioFormatError, match="bytes"):
        files.bytes_to_filedata(raw)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_user_file_is_probed_not_copied_and_never_modified(make_file):
    src = make_file("mine.wav", tone())
    before = (_digest(src), src.stat().st_mtime_ns)
    fd = files.path_to_filedata(src)
    assert fd.path == str(src.resolve()) and fd.orig_name == "mine.wav"
    copy = files.convert_filedata(fd, "wav")
    mp3 = files.convert_filedata(fd, "mp3")
    assert copy.path != fd.path and Path(copy.path).read_bytes() == src.read_bytes()
    assert mp3.meta["format"] == "MP3" and mp3.orig_name == "mine.mp3"
    assert (_digest(src), src.stat().st_mtime_ns) == before


def test_conversion_between_lossless_formats_is_exact(make_file):
    src = make_file("exact.wav", tone(channels=2), subtype="PCM_24")
    flac = files.path_to_filedata(src, format="flac")
    assert flac.meta["subtype"] == "PCM_24"
    np.testing.assert_array_equal(files.read_int16(flac.path)[1], files.read_int16(src)[1])


# -- downloads (a local server; no internet needed) ------------------------------------------


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


def test_url_is_downloaded_into_the_store(http_root):
    base, root = http_root
    sf.write(root / "song.flac", tone(), SR)
    fd = files.download_to_filedata(f"{base}/song.flac")
    assert Path(fd.path).parent == temp.temp_dir()
    assert fd.orig_name == "song.flac" and fd.meta["frames"] == SR // 2


def test_download_names_http_errors_and_non_audio(http_root):
    base, root = http_root
    with pytest.raises(AudioFormatError, match="HTTP 404"):
        files.download_to_filedata(f"{base}/missing.wav")
    (root / "page.html").write_text("<html>hi</html>")
    with pytest.raises(AudioFormatError, match="not audio"):
        files.download_to_filedata(f"{base}/page.html")


def test_download_when_offline_says_so():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(AudioFormatError, match="offline"):
        files.download_to_filedata(f"http://127.0.0.1:{port}/x.wav", timeout=2)


# -- the temp store ------------------------------------------------------------------------------


def test_temp_dir_is_private_and_files_are_0600():
    assert stat.S_IMODE(temp.temp_dir().stat().st_mode) == 0o700
    p1, p2 = temp.temp_path(".wav"), temp.temp_path("wav")
    assert p1 != p2 and p1.suffix == p2.suffix == ".wav"
    assert stat.S_IMODE(p1.stat().st_mode) == 0o600


CHILD = textwrap.dedent(
    """
    import os, signal, sys, time
    from audiotui.media.temp import temp_path
    {setup}
    p = temp_path(".wav")
    print(p.parent, flush=True)
    {action}
    """
)


def _run_child(setup: str, action: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    code = CHILD.format(setup=setup, action=action)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    return result, Path(result.stdout.splitlines()[0])


def test_temp_dir_removed_at_normal_exit():
    result, folder = _run_child("", "")
    assert result.returncode == 0 and not folder.exists()


def test_temp_dir_removed_on_ctrl_c_and_keyboard_interrupt_still_raised():
    result, folder = _run_child("", "os.kill(os.getpid(), signal.SIGINT); time.sleep(5)")
    assert "KeyboardInterrupt" in result.stderr
    assert not folder.exists()


def test_caught_keyboard_interrupt_keeps_files_until_exit():
    action = (
        "try:\n    os.kill(os.getpid(), signal.SIGINT); time.sleep(5)\n"
        "except KeyboardInterrupt:\n    print('alive', p.exists(), flush=True)"
    )
    result, folder = _run_child("", action)
    assert "alive True" in result.stdout and not folder.exists()


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_temp_dir_removed_when_killed_and_exit_status_kept(signame):
    result, folder = _run_child("", f"os.kill(os.getpid(), signal.{signame}); time.sleep(5)")
    assert result.returncode == -getattr(signal, signame)
    assert not folder.exists()


def test_signal_handler_chains_to_the_previous_one():
    setup = (
        "def mine(s, f):\n    print('mine ran', flush=True); sys.exit(3)\n"
        "signal.signal(signal.SIGTERM, mine)"
    )
    result, folder = _run_child(setup, "os.kill(os.getpid(), signal.SIGTERM); time.sleep(5)")
    assert "mine ran" in result.stdout and result.returncode == 3
    assert not folder.exists()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_does_not_remove_the_parent_store():
    action = (
        "pid = os.fork()\n"
        "if pid == 0:\n    sys.exit(0)\n"
        "os.waitpid(pid, 0); print('parent', p.exists(), flush=True)"
    )
    result, _ = _run_child("", action)
    assert "parent True" in result.stdout


@pytest.mark.parametrize("scale", [1e-80, 1e300])
def test_extreme_float64_signals_are_normalised_in_their_own_precision(scale):
    _, out = files.check_output_array(SR, tone() * scale)
    assert np.abs(out).max() == pytest.approx(1.0)
    np.testing.assert_allclose(out, tone() / np.abs(tone()).max(), atol=1e-6)


@pytest.mark.parametrize(
    ("subtype", "target", "expected"),
    [("PCM_U8", "flac", "PCM_S8"), ("PCM_32", "flac", "PCM_24"), ("PCM_24", "wav", "PCM_24")],
)
def test_conversion_keeps_the_bit_depth_the_target_can_hold(make_file, subtype, target, expected):
    src = make_file(f"d-{subtype}.wav", tone(), subtype=subtype)
    out = files.path_to_filedata(src, format=target)
    assert out.meta["subtype"] == expected
    back = files.path_to_filedata(out.path, format="wav")
    assert back.meta["frames"] == SR // 2


def test_store_first_used_from_a_worker_thread_is_still_removed_on_sigterm():
    setup = (
        "import threading\n"
        "t = threading.Thread(target=lambda: temp_path('.wav')); t.start(); t.join()\n"
        "print('before', signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, flush=True)"
    )
    # CHILD then calls temp_path from the main thread, which installs the handlers.
    action = "os.kill(os.getpid(), signal.SIGTERM); time.sleep(5)"
    code = CHILD.format(setup=setup, action=action)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "before True"  # a worker thread cannot install signal handlers
    assert result.returncode == -signal.SIGTERM and not Path(lines[1]).exists()


def test_big_endian_int16_output_is_written_like_native_int16():
    samples = np.array([0, 1000, -1000, 32767], dtype=">i2")
    fd = files.array_to_filedata(8000, samples)
    assert sf.read(fd.path, dtype="int16")[0].tolist() == samples.tolist()
