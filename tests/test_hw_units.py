"""Hardware layer pieces that need no device: ring buffer, levels, sources, device choice."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest
import soundfile as sf

from audiotui.cli.hardware_commands import clock, meter_bar
from audiotui.errors import AudioFormatError, DeviceError, NoAudioHardware
from audiotui.media import devices
from audiotui.media.devices import DeviceInfo, check_samplerate, quiet_stderr, resolve_device
from audiotui.media.levels import LevelAccumulator, measure, to_dbfs
from audiotui.media.player import _Fifo
from audiotui.media.recording_file import file_format_for, update_header
from audiotui.media.ringbuffer import RingBuffer
from audiotui.media.sources import ArraySource, ChunkSource, FileSource, as_float32, remix
from audiotui.media.streaming import to_int16


def test_ring_buffer_keeps_only_the_latest_frames_in_order() -> None:
    ring = RingBuffer(5, 1)
    ring.write(np.arange(3, dtype=np.float32))
    ring.write(np.arange(3, 7, dtype=np.float32))
    assert ring.latest(10)[:, 0].tolist() == [2, 3, 4, 5, 6]
    assert ring.latest(2)[:, 0].tolist() == [5, 6]
    assert ring.total_frames == 7


def test_ring_buffer_block_larger_than_capacity_keeps_its_tail() -> None:
    ring = RingBuffer(4, 2)
    block = np.arange(20, dtype=np.float32).reshape(10, 2)
    ring.write(block)
    assert np.array_equal(ring.latest(4), block[-4:])


def test_ring_buffer_rejects_wrong_channel_count() -> None:
    with pytest.raises(ValueError, match="channels"):
        RingBuffer(8, 2).write(np.zeros((4, 3), np.float32))


def test_levels_of_a_half_scale_sine_are_minus_6_and_minus_9_dbfs() -> None:
    t = np.arange(48000) / 48000
    sine = 0.5 * np.sin(2 * np.pi * 1000 * t)
    level = measure(np.stack([sine, sine * 0.1], axis=1).astype(np.float32))
    assert level.peak_dbfs[0] == pytest.approx(-6.02, abs=0.05)
    assert level.rms_dbfs[0] == pytest.approx(-9.03, abs=0.05)
    assert level.peak_dbfs[1] == pytest.approx(-26.02, abs=0.05)
    assert level.clips == [0, 0]


def test_clip_count_accumulates_over_blocks_and_silence_is_floored() -> None:
    acc = LevelAccumulator(1)
    acc.add(np.array([[1.0], [0.2], [-1.0]], np.float32))
    acc.add(np.array([[0.9995]], np.float32))
    assert acc.level().clips == [3]
    assert to_dbfs(0.0) == -120.0


def test_int16_conversion_clips_instead_of_wrapping() -> None:
    out = to_int16(np.array([[2.0], [-2.0], [0.5]], np.float32))
    assert out[:, 0].tolist() == [32767, -32767, 16384]
    assert out.dtype == np.int16


def test_int_arrays_play_at_their_full_scale() -> None:
    data = as_float32(np.array([16384, -32768], dtype=np.int16))
    assert data.shape == (2, 1)
    assert data[:, 0].tolist() == [0.5, -1.0]
    with pytest.raises(AudioFormatError, match="NaN"):
        as_float32(np.array([np.nan]))


def test_remix_copies_mono_and_averages_to_mono() -> None:
    stereo = np.array([[1.0, 0.0], [0.5, 0.5]], np.float32)
    assert remix(stereo, 1)[:, 0].tolist() == [0.5, 0.5]
    assert remix(stereo[:, :1], 2).tolist() == [[1.0, 1.0], [0.5, 0.5]]


def test_chunk_source_joins_chunks_without_gaps_and_resamples_late_ones() -> None:
    src = ChunkSource(8000, 1)
    src.append(8000, np.ones(100, np.float32))
    src.append(16000, np.full(200, 0.5, np.float32))  # other rate: converted to 8 kHz
    assert src.frames == 200
    first = src.read(150)
    assert len(first) == 150
    assert np.all(first[:100] == 1.0)
    assert np.allclose(first[110:150], 0.5, atol=0.05)
    src.seek(50)
    assert len(src.read(1000)) == 150


def test_array_source_reads_and_seeks() -> None:
    src = ArraySource(10, np.arange(30, dtype=np.float32))
    src.seek(25)
    assert src.read(10)[:, 0].tolist() == [25, 26, 27, 28, 29]
    assert len(src.read(10)) == 0


def test_file_source_names_missing_directory_and_corrupt_files(tmp_path) -> None:
    with pytest.raises(AudioFormatError, match="does not exist"):
        FileSource(tmp_path / "missing.wav")
    with pytest.raises(AudioFormatError, match="directory"):
        FileSource(tmp_path)
    bad = tmp_path / "bad.wav"
    bad.write_text("not audio")
    with pytest.raises(AudioFormatError, match="bad.wav"):
        FileSource(bad)


def test_fifo_pads_with_silence_when_starved() -> None:
    fifo = _Fifo(1)
    fifo.push(np.ones((3, 1), np.float32))
    out = np.full((5, 1), 9.0, np.float32)
    assert fifo.pull_into(out) == 3
    assert out[:, 0].tolist() == [1, 1, 1, 0, 0]
    assert fifo.frames == 0


def test_format_follows_the_extension_and_bad_subtypes_are_named(tmp_path) -> None:
    assert file_format_for(tmp_path / "a.flac", None) == ("FLAC", None)
    assert file_format_for(tmp_path / "a.opus", None) == ("OGG", "OPUS")
    with pytest.raises(AudioFormatError, match="VORBIS.*WAV"):
        file_format_for(tmp_path / "a.wav", "vorbis")
    with pytest.raises(AudioFormatError, match="extension"):
        file_format_for(tmp_path / "a.xyz", None)


@pytest.mark.parametrize("ext", ["wav", "flac", "ogg", "opus", "mp3", "aiff"])
def test_periodic_header_updates_leave_every_format_readable(tmp_path, ext: str) -> None:
    # The recorder's writer calls update_header twice a second whatever the extension;
    # SFC_UPDATE_HEADER_NOW once made every .ogg recording unreadable.
    path = tmp_path / f"take.{ext}"
    fmt, subtype = file_format_for(path, None)
    tone = (0.3 * np.sin(np.arange(48000) * 2 * np.pi * 440 / 48000)).astype(np.float32)
    with sf.SoundFile(str(path), "w", 48000, 1, format=fmt, subtype=subtype) as out:
        for start in range(0, 48000, 4800):
            out.write(tone[start : start + 4800])
            update_header(out, start + 4800)
    data, rate = sf.read(str(path), dtype="float32")
    assert rate == 48000
    lossless = fmt in ("WAV", "FLAC", "AIFF")
    assert abs(len(data) - 48000) <= (0 if lossless else 2048)  # lossy codecs pad or trim
    assert 0.2 < float(np.abs(data).max()) < 0.4


def test_unsupported_rates_are_refused_with_a_hint() -> None:
    with pytest.raises(DeviceError, match="48000"):
        check_samplerate(5)
    check_samplerate(48000)


FAKE = [
    DeviceInfo(0, "Built-in Mic", "ALSA", 2, 0, 48000.0, is_default_input=True),
    DeviceInfo(1, "Built-in Speaker", "ALSA", 0, 2, 48000.0, is_default_output=True),
    DeviceInfo(2, "USB Mic", "ALSA", 1, 0, 44100.0),
    DeviceInfo(3, "USB Mic Pro", "ALSA", 1, 0, 44100.0),
]


@pytest.fixture
def fake_devices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "list_devices", lambda kind=None: list(FAKE))
    monkeypatch.delenv("AUDIOTUI_INPUT_DEVICE", raising=False)
    monkeypatch.delenv("AUDIOTUI_OUTPUT_DEVICE", raising=False)


def test_device_choice_by_index_name_substring_env_and_default(
    fake_devices: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_device(None, "input").index == 0
    assert resolve_device(None, "output").index == 1
    assert resolve_device("2", "input").name == "USB Mic"
    assert resolve_device("usb mic", "input").index == 2  # exact (case-insensitive) wins
    assert resolve_device("pro", "input").index == 3
    monkeypatch.setenv("AUDIOTUI_INPUT_DEVICE", "built-in")
    assert resolve_device(None, "input").index == 0


def test_device_errors_name_the_problem(
    fake_devices: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(DeviceError, match="ambiguous.*USB Mic"):
        resolve_device("usb", "input")
    with pytest.raises(DeviceError, match="no input device matches 'zzz'"):
        resolve_device("zzz", "input")
    with pytest.raises(DeviceError, match="no output channels"):
        resolve_device(0, "output")
    with pytest.raises(DeviceError, match="9 does not exist"):
        resolve_device(9, "input")
    monkeypatch.setenv("AUDIOTUI_OUTPUT_DEVICE", "nothing")
    with pytest.raises(DeviceError, match="AUDIOTUI_OUTPUT_DEVICE"):
        resolve_device(None, "output")


def test_no_devices_at_all_is_no_audio_hardware(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devices, "list_devices", lambda kind=None: [])
    with pytest.raises(NoAudioHardware, match="No input device"):
        resolve_device(None, "input")


def test_quiet_stderr_hides_c_level_writes_and_restores_fd2(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with quiet_stderr():
        os.write(2, b"ALSA lib pcm.c: chatter\n")
    os.write(2, b"visible\n")
    err = capfd.readouterr().err
    assert "chatter" not in err
    assert "visible" in err


def test_clock_and_meter_formatting() -> None:
    assert clock(65.25) == "01:05.2"
    assert clock(3725.0) == "1:02:05.0"
    assert meter_bar(0.0, width=10) == "#" * 10
    assert meter_bar(-30.0, width=10) == "#" * 5 + "-" * 5
    assert meter_bar(-120.0, width=10) == "-" * 10


def test_bytes_chunks_decode_like_files() -> None:
    from audiotui.media.sources import decode_bytes

    buf = io.BytesIO()
    sf.write(buf, np.zeros(800, np.float32), 8000, format="WAV")
    rate, data = decode_bytes(buf.getvalue())
    assert (rate, data.shape) == (8000, (800, 1))
    with pytest.raises(AudioFormatError, match="not audio"):
        decode_bytes(b"garbage bytes")


def test_diverting_native_stderr_hides_c_writes_but_not_python_ones() -> None:
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "from audiotui.media.devices import divert_native_stderr\n"
        "divert_native_stderr()\n"
        "os.write(2, b'ALSA lib chatter\\n')\n"
        "print('python message', file=sys.stderr)\n"
        "sys.__stderr__.write('textual frame\\n')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert "chatter" not in result.stderr
    assert "python message" in result.stderr and "textual frame" in result.stderr


def test_recorder_counts_overflows_and_blocks_it_had_to_drop(tmp_path) -> None:
    # Driven through the PortAudio callback directly: a real overflow cannot be provoked on
    # demand, but the counting must never be silent, and the take's metadata carries it.
    import queue
    from types import SimpleNamespace

    from audiotui.media.recorder import Recorder

    rec = Recorder(tmp_path / "take.wav")
    rec._queue = queue.Queue(maxsize=1)
    block = np.zeros((256, 1), dtype=np.float32)
    rec._callback(block, 256, None, SimpleNamespace(input_overflow=True))
    assert (rec.overflows, rec.dropped_frames) == (1, 0)
    rec._callback(block, 256, None, SimpleNamespace(input_overflow=False))  # writer behind
    assert (rec.overflows, rec.dropped_frames) == (2, 256)
    rec._paused = True
    rec._callback(block, 256, None, SimpleNamespace(input_overflow=False))  # paused: not a loss
    assert (rec.overflows, rec.dropped_frames) == (2, 256)
    assert rec._file_data().meta["overflows"] == 2


KILLED_WRITER = """
import os, signal, sys
import numpy as np, soundfile as sf
from audiotui.media.recording_file import update_header
path, fmt = sys.argv[1], sys.argv[2]
written = 0
with sf.SoundFile(path, "w", 48000, 2, format=fmt) as out:
    for i in range(40):  # 0.1 s blocks, header updated after each like the recorder's writer
        t = np.arange(written, written + 4800) / 48000
        tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        out.write(np.stack([tone, tone], axis=1))
        written += 4800
        update_header(out, written)
        if i == 29:
            os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("fmt", ["WAV", "FLAC"])
def test_a_killed_writer_leaves_a_file_soundfile_reads_up_to_a_second_before(
    tmp_path, fmt: str
) -> None:
    import subprocess
    import sys

    path = tmp_path / f"killed.{fmt.lower()}"
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(path), fmt], capture_output=True, timeout=60
    )
    assert proc.returncode == -9, proc.stderr
    data, rate = sf.read(str(path), dtype="float32")  # 3.0 s were written before the kill
    assert 2.0 <= len(data) / rate <= 3.0
    assert 0.29 < float(np.abs(data).max()) < 0.31


@pytest.mark.parametrize("fmt", ["MP3", "OGG", "WAV", "FLAC"])
def test_a_container_cut_into_arbitrary_slices_decodes_to_the_whole(fmt: str) -> None:
    # Gradio's stream_audio_out demo yields 50 kB slices of an MP3 file; only the first is a
    # container on its own. Every frame must come out once, in order.
    from audiotui.media.sources import ContainerStream

    t = np.arange(48000 * 4) / 48000
    buf = io.BytesIO()
    sf.write(buf, 0.3 * np.sin(2 * np.pi * 440 * t), 48000, format=fmt)
    raw = buf.getvalue()
    whole, _ = sf.read(io.BytesIO(raw), dtype="float32", always_2d=True)
    stream = ContainerStream()
    parts = []
    step = len(raw) // 10 + 7
    for start in range(0, len(raw), step):
        got = stream.feed(raw[start : start + step])
        if got is not None:
            assert got[0] == 48000
            parts.append(got[1])
    # Audio comes while the bytes arrive (a cut FLAC only decodes once it is complete).
    assert len(parts) >= {"FLAC": 1, "OGG": 2}.get(fmt, 8)
    np.testing.assert_array_equal(np.concatenate(parts), whole)


def test_byte_stream_of_whole_containers_and_garbage_first_slices() -> None:
    from audiotui.media.sources import ContainerStream

    stream = ContainerStream()
    for i in range(3):  # a whole WAV per chunk: each one is new audio, nothing repeats
        buf = io.BytesIO()
        sf.write(buf, np.full(100, 0.1 * (i + 1)), 8000, format="WAV", subtype="FLOAT")
        rate, data = stream.feed(buf.getvalue())
        assert rate == 8000 and len(data) == 100
        assert data[0, 0] == pytest.approx(0.1 * (i + 1))
    with pytest.raises(AudioFormatError, match="first chunk"):
        ContainerStream().feed(b"this is not the start of any audio file" * 10)
