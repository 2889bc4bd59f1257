"""Files that tell the truth: a corpus of cut, damaged and impossible files, generated here.

Every reader reports a truncated file with the word "truncated" and both lengths (declared
by the header, readable in fact): `audiotui info` (text and --json), the Client and
`audiotui call` (the readable audio reaches `fn`, plus a warning naming the file), and the
TUI (the readable length, and a warning toast). An empty stream is an error saying "empty",
an impossible header is refused, and a file that exists is never reported as missing.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

import audiotui as gr
from audiotui.client import AppError
from audiotui.endpoints import EndpointError
from audiotui.errors import AudioFormatError
from audiotui.media.fileinfo import file_facts
from audiotui.media.files import decode_int16, probe
from audiotui.media.peaks import PeakPyramid
from audiotui.media.reading import Decoder
from audiotui.media.sources import FileSource

SR = 16000
LIBMPG123_NOISE = ("[src/libmpg123", "Note: ", "Warning: Xing", "Trying to resync")


def _tone(seconds: float = 1.0, rate: int = SR) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def _write(path: Path, **kw: Any) -> Path:
    sf.write(str(path), _tone(), SR, **kw)
    return path


def _cut(src: Path, name: str, size: int) -> Path:
    out = src.with_name(name)
    out.write_bytes(src.read_bytes()[:size])
    return out


def _zeroed(src: Path, name: str, start: int, length: int) -> Path:
    data = bytearray(src.read_bytes())
    data[start : start + length] = bytes(length)
    out = src.with_name(name)
    out.write_bytes(bytes(data))
    return out


def _wav_header(src: Path, name: str, **fields: int) -> Path:
    """A copy of a PCM16 mono WAV with fmt fields overwritten (offsets of the canonical header)."""
    data = bytearray(src.read_bytes())
    offsets = {"channels": (22, "<H"), "rate": (24, "<I"), "bits": (34, "<H")}
    for key, value in fields.items():
        at, fmt = offsets[key]
        data[at : at + struct.calcsize(fmt)] = struct.pack(fmt, value)
    out = src.with_name(name)
    out.write_bytes(bytes(data))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("corpus")
    wav = _write(d / "whole.wav", subtype="PCM_16")  # 44-byte header + 32000 bytes
    flac = _write(d / "whole.flac")
    ogg = _write(d / "whole.ogg")
    mp3 = _write(d / "whole.mp3")
    c: dict[str, Path] = {"wav": wav, "flac": flac, "ogg": ogg, "mp3": mp3}
    # WAVs cut in the header, just after it, after one frame, half way, one byte short
    for size in (10, 30, 44, 46, 16022, 32043):
        c[f"wav{size}"] = _cut(wav, f"cut{size}.wav", size)
    c["flac_half"] = _cut(flac, "half.flac", flac.stat().st_size // 2)
    c["flac_zeroed"] = _zeroed(flac, "zeroed.flac", 200, 200)
    c["ogg_empty"] = _cut(ogg, "empty.ogg", ogg.stat().st_size - 10)  # last page cut
    c["ogg_half"] = _cut(ogg, "half.ogg", ogg.stat().st_size // 2)
    c["mp3_half"] = _cut(mp3, "half.mp3", mp3.stat().st_size // 2)
    c["mp3_tiny"] = _cut(mp3, "tiny.mp3", 100)
    c["mp3_frame"] = _cut(mp3, "frame.mp3", 417)
    c["mp3_zeroed"] = _zeroed(mp3, "zeroed.mp3", 1000, 400)
    c["bits7"] = _wav_header(wav, "bits7.wav", bits=7)
    c["channels0"] = _wav_header(wav, "channels0.wav", channels=0)
    c["rate1"] = _wav_header(wav, "rate1.wav", rate=1)
    c["rate_huge"] = _wav_header(wav, "rate_huge.wav", rate=4_000_000_000)
    return c


TRUNCATED = ["wav16022", "wav46", "wav32043", "flac_half", "mp3_half", "mp3_zeroed"]
IMPOSSIBLE = ["bits7", "channels0", "rate1", "rate_huge"]


def _readable(path: Path) -> int:
    """Frames a plain sequential decode gets (the ground truth for 'readable')."""
    with Decoder(path) as dec:
        n = 0
        while len(block := dec.read(4096)):
            n += len(block)
        return n


# -- the engine ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", TRUNCATED)
def test_every_reader_finds_the_same_readable_length(corpus: dict[str, Path], key: str) -> None:
    path = corpus[key]
    readable = _readable(path)
    assert 0 < readable < SR
    facts = file_facts(path)
    assert (facts["truncated"], facts["frames"], facts["declared_frames"]) == (True, readable, SR)
    decoded = decode_int16(path)
    assert len(decoded.data) == readable and decoded.truncation is not None
    assert decoded.truncation.readable_frames == readable
    peaks = PeakPyramid.from_file(path)
    assert peaks.frames == readable and peaks.truncation is not None
    src = FileSource(path)
    while len(src.read(1024)):
        pass
    assert src.frames == readable and src.truncation is not None


def test_a_damaged_flac_is_reported_as_truncated_or_damaged(corpus: dict[str, Path]) -> None:
    # libFLAC resyncs differently for different read sizes, so only the report is compared
    path = corpus["flac_zeroed"]
    facts = file_facts(path)
    assert facts["truncated"] and 0 < facts["frames"] < facts["declared_frames"] == SR
    decoded = decode_int16(path)
    assert decoded.truncation is not None and 0 < len(decoded.data) < SR
    assert "zeroed.flac' is truncated" in decoded.truncation.message()


def test_a_cut_wav_is_accepted_with_both_lengths_in_its_meta(corpus: dict[str, Path]) -> None:
    info = probe(corpus["wav16022"])
    assert (info.frames, info.declared_frames) == (7989, SR)
    assert info.meta()["declared_frames"] == SR


@pytest.mark.parametrize("key", ["wav44", "ogg_empty"])
def test_an_empty_stream_is_an_error_saying_empty(corpus: dict[str, Path], key: str) -> None:
    for read in (file_facts, decode_int16, FileSource, PeakPyramid.from_file):
        with pytest.raises(AudioFormatError, match="empty") as caught:
            read(corpus[key])
        assert corpus[key].name in str(caught.value)


@pytest.mark.parametrize("key", IMPOSSIBLE)
def test_impossible_headers_are_refused(corpus: dict[str, Path], key: str) -> None:
    for read in (file_facts, decode_int16, FileSource, probe):
        with pytest.raises(AudioFormatError, match="impossible header"):
            read(corpus[key])


def test_a_header_claiming_7_bits_is_not_decoded_as_noise(corpus: dict[str, Path]) -> None:
    with pytest.raises(AudioFormatError, match=r"bits7\.wav.*7 bits per sample"):
        decode_int16(corpus["bits7"])


@pytest.mark.parametrize("key", ["mp3_tiny", "mp3_frame", "wav10", "wav30", "ogg_half"])
def test_a_broken_file_that_exists_is_not_called_missing(corpus: dict[str, Path], key: str) -> None:
    with pytest.raises(AudioFormatError) as caught:
        file_facts(corpus[key])
    text = str(caught.value)
    assert "does not exist" not in text and corpus[key].name in text
    assert "truncated" in text  # each of these was cut: the message says so


def test_sequential_reads_of_a_libsndfile_mp3_are_the_whole_decode(tmp_path: Path) -> None:
    path = _write(tmp_path / "tone.mp3")
    whole, _ = sf.read(str(path), dtype="float32", always_2d=True)  # one read: no seek
    src = FileSource(path)
    blocks = []
    while len(b := src.read(1024)):
        blocks.append(b)
    np.testing.assert_allclose(np.concatenate(blocks), whole, atol=1e-6)


# -- audiotui info ---------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audiotui", *args], capture_output=True, text=True, timeout=60
    )


def test_info_reports_truncation_with_declared_and_readable_length(corpus: dict[str, Path]) -> None:
    paths = [str(corpus[k]) for k in TRUNCATED]
    result = _cli("info", *paths)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Truncated   : header declares 00:01.0 = 1.000 s") == len(paths)
    warnings_ = [line for line in result.stderr.splitlines() if "truncated" in line]
    assert len(warnings_) == len(paths)
    assert all("audiotui: warning:" in w and "1.000 s (16000 frames)" in w for w in warnings_)
    assert not any(noise in result.stderr for noise in LIBMPG123_NOISE), result.stderr
    listed = json.loads(_cli("info", "--json", *paths).stdout)
    for facts in listed:
        assert facts["truncated"] is True
        assert facts["declared_frames"] == SR and facts["declared_duration"] == 1.0
        assert 0 < facts["frames"] < SR and facts["duration"] == facts["frames"] / SR


def test_info_of_whole_files_says_nothing_about_truncation(corpus: dict[str, Path]) -> None:
    result = _cli("info", "--json", *(str(corpus[k]) for k in ("wav", "flac", "ogg", "mp3")))
    assert result.returncode == 0 and "truncated" not in result.stderr
    assert all(f["truncated"] is False and f["frames"] == SR for f in json.loads(result.stdout))


def test_info_errors_name_each_broken_file_truthfully(corpus: dict[str, Path]) -> None:
    keys = ["wav44", "ogg_empty", "bits7", "rate1", "mp3_tiny", "mp3_frame", "wav30"]
    result = _cli("info", *(str(corpus[k]) for k in keys))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(keys), result.stderr
    assert all(line.startswith("audiotui: error: ") for line in lines)
    assert "empty" in lines[0] and "empty" in lines[1]
    assert "impossible header" in lines[2] and "impossible header" in lines[3]
    for line in lines[4:6]:
        assert "is not a readable audio file (libsndfile:" in line and "does not exist" not in line
    assert "truncated" in lines[6]


# -- Client, audiotui call, TUI ---------------------------------------------------------------


def _length_app() -> gr.Interface:
    def frames(audio: tuple[int, np.ndarray]) -> int:
        return len(audio[1])

    return gr.Interface(frames, gr.Audio(type="numpy"), gr.Number())


@pytest.mark.parametrize("key", ["wav16022", "mp3_half", "flac_half"])
def test_the_client_hands_fn_the_readable_audio_and_warns(corpus: dict[str, Path], key: str) -> None:
    path = corpus[key]
    with gr.Client(_length_app()) as client, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = client.predict(str(path), api_name="/predict")
    assert got == _readable(path)
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert any(
        f"'{path.name}' is truncated" in m and "1.000 s (16000 frames)" in m
        and f"({_readable(path)} frames)" in m
        for m in messages
    ), messages


def test_a_filepath_input_gets_the_readable_audio_and_a_warning(corpus: dict[str, Path]) -> None:
    def frames(path: str) -> int:
        return int(sf.info(path).frames)

    app = gr.Interface(frames, gr.Audio(type="filepath", format="wav"), gr.Number())
    with gr.Client(app) as client, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = client.predict(str(corpus["mp3_half"]), api_name="/predict")
    assert got == _readable(corpus["mp3_half"])
    assert any("half.mp3' is truncated" in str(w.message) for w in caught)


def test_a_same_format_copy_warns_from_the_mp3_byte_count(corpus: dict[str, Path]) -> None:
    """type="filepath" in the file's own format is a byte copy (no decode): the Xing byte
    count still tells that the MP3 was cut, and the warning says it is an estimate."""
    app = gr.Interface(lambda p: p, gr.Audio(type="filepath", format="mp3"), gr.Textbox())
    with gr.Client(app) as client, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.predict(str(corpus["mp3_half"]), api_name="/predict")
    size = corpus["mp3_half"].stat().st_size
    assert any(
        "half.mp3' is truncated" in str(w.message) and f"only {size} bytes are present" in str(w.message)
        for w in caught
    ), [str(w.message) for w in caught]


def test_the_client_refuses_impossible_and_empty_inputs(corpus: dict[str, Path]) -> None:
    with gr.Client(_length_app()) as client:
        # refused when the argument is read (EndpointError) or when fn's input is (AppError)
        with pytest.raises((AppError, EndpointError), match="impossible header"):
            client.predict(str(corpus["bits7"]), api_name="/predict")
        with pytest.raises((AppError, EndpointError), match="empty"):
            client.predict(str(corpus["ogg_empty"]), api_name="/predict")


def test_audiotui_call_prints_the_warning_and_no_libmpg123_lines(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    app = tmp_path / "app.py"
    app.write_text(
        "import gradio as gr\n"
        "demo = gr.Interface(lambda a: len(a[1]), gr.Audio(type='numpy'), gr.Number())\n"
    )
    for key in ("mp3_half", "mp3_zeroed"):
        result = _cli("call", str(app), str(corpus[key]))
        assert result.returncode == 0, result.stderr
        assert float(result.stdout) == _readable(corpus[key])
        assert f"audiotui: warning: '{corpus[key].name}' is truncated" in result.stderr
        assert not any(noise in result.stderr for noise in LIBMPG123_NOISE), result.stderr


async def test_the_tui_shows_the_readable_length_and_warns(corpus: dict[str, Path]) -> None:
    from test_tui_support import app_for, settle

    from audiotui.tui.widgets.audio import AudioWidget

    path = corpus["mp3_half"]
    with gr.Blocks() as demo:
        audio = gr.Audio(str(path), type="filepath", format="mp3")
    app = app_for(demo)
    async with app.run_test() as pilot:
        await settle(pilot)
        widget = app.component_widgets[audio.id]
        assert isinstance(widget, AudioWidget)
        readable = _readable(path) / SR
        assert widget.view.duration == pytest.approx(readable)
        info = str(widget.query_one(".audio-info").render())
        assert "(truncated)" in info and "0:01.0" not in info
        notes = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("half.mp3' is truncated" in n for n in notes), notes
