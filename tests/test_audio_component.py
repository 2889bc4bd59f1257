"""The Audio component: Gradio 4.34 arguments, preprocess/postprocess semantics, Microphone."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import audiotui as gr
from audiotui.components.audio import Audio, Microphone, WaveformOptions
from audiotui.data import FileData
from audiotui.errors import AudioFormatError, AudioLengthError, ComponentError
from audiotui.media.temp import temp_dir

SR = 16000


def tone(seconds: float = 0.5, channels: int = 1, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(SR * seconds)) / SR
    wave = amp * np.sin(2 * np.pi * 330 * t)
    return wave if channels == 1 else np.stack([wave] * channels, 1)


@pytest.fixture
def wav(tmp_path: Path) -> Path:
    path = tmp_path / "voice.wav"
    sf.write(path, tone(1.0, channels=2), SR)
    return path


# -- construction ------------------------------------------------------------------------------


def test_defaults_mirror_gradio():
    audio = Audio()
    assert audio.sources == ["upload", "microphone"]
    assert (audio.type, audio.format, audio.streaming, audio.autoplay) == (
        "numpy",
        "wav",
        False,
        False,
    )
    assert (audio.editable, audio.min_width, audio.normalize, audio.value) == (
        True,
        160,
        True,
        None,
    )
    assert audio.waveform_options == WaveformOptions()
    assert audio.waveform_options.skip_length == 5
    assert audio.waveform_options.sample_rate == 44100


def test_public_names_resolve_from_the_package():
    assert gr.Audio is Audio and gr.Microphone is Microphone
    assert gr.WaveformOptions is WaveformOptions


def test_every_audio_event_is_a_listener():
    expected = {
        "stream",
        "change",
        "clear",
        "play",
        "pause",
        "stop",
        "start_recording",
        "pause_recording",
        "stop_recording",
        "upload",
        "input",
    }
    assert set(Audio.EVENTS) == expected
    audio = Audio()
    for name in expected:
        assert callable(getattr(audio, name))


def test_streaming_defaults_to_microphone_only_and_needs_it():
    assert Audio(streaming=True).sources == ["microphone"]
    with pytest.raises(ValueError, match="Audio: streaming=True needs 'microphone'"):
        Audio(streaming=True, sources=["upload"])


def test_microphone_is_audio_with_microphone_source():
    mic = Microphone()
    assert isinstance(mic, Audio) and mic.sources == ["microphone"]
    assert Microphone(type="filepath").type == "filepath"


def test_a_single_source_string_is_accepted():
    assert Audio(sources="upload").sources == ["upload"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [  # Gradio 4.34 refuses these too (gradio/components/audio.py)
        ({"sources": "webcam"}, ValueError, "Audio: sources"),
        ({"sources": 3}, TypeError, "Audio: sources"),
        ({"type": "bytes"}, ValueError, "Audio: type"),
        ({"sources": ["upload"], "streaming": True}, ValueError, "microphone"),
    ],
)
def test_bad_arguments_gradio_refuses_name_audio_and_the_parameter(kwargs, error, match):
    with pytest.raises(error, match=match):
        Audio(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match", "check"),
    [  # Gradio 4.34 only stores these: accepted with a warning and a sensible value (issue 9)
        ({"sources": ["webcam"]}, "Audio: sources", ("sources", ["upload", "microphone"])),
        ({"sources": []}, "Audio: sources", ("sources", ["upload", "microphone"])),
        ({"format": "aac"}, "Audio: format='aac'", ("format", "wav")),
        ({"format": "bytes"}, "Audio: format='bytes'", ("format", "wav")),
        ({"streaming": "yes"}, "Audio: streaming", ("streaming", True)),
        ({"normalize": "no"}, "Audio: normalize", ("normalize", True)),
        ({"show_download_button": "x"}, "Audio: show_download_button",
         ("show_download_button", True)),
        ({"show_label": "x"}, "Audio: show_label", ("show_label", True)),
        ({"min_length": "3"}, "Audio: min_length", ("min_length", None)),
        ({"max_length": -1}, "Audio: max_length", ("max_length", -1)),
        ({"min_length": 5, "max_length": 2}, "min_length .* greater than max_length",
         ("max_length", 2)),
        ({"waveform_options": 3}, "Audio: waveform_options", ("waveform_options", None)),
        ({"waveform_options": {"colour": "red"}}, "\\['colour'\\] are ignored",
         ("waveform_options", None)),
        ({"label": 3}, "Audio: label", ("label", "3")),
        ({"every": -1}, "Audio: every", ("every", None)),
        ({"scale": 1.5}, "Audio: scale", ("scale", 2)),
        ({"min_width": -3}, "Audio: min_width", ("min_width", 160)),
        ({"interactive": "yes"}, "Audio: interactive", ("interactive", True)),
        ({"elem_classes": [1]}, "Audio: elem_classes", ("elem_classes", ["1"])),
    ],
)
def test_arguments_gradio_only_stores_warn_and_are_used_sensibly(kwargs, match, check):
    with pytest.warns(UserWarning, match=match) as caught:
        audio = Audio(**kwargs)
    assert caught[0].filename == __file__  # the warning names the app's line
    name, value = check
    if value is not None or name != "waveform_options":
        assert getattr(audio, name) == value


@pytest.mark.parametrize(
    ("kwargs", "check"),
    [  # ints and None are taken as Gradio's front end takes them, silently
        ({"autoplay": 1}, ("autoplay", True)),
        ({"editable": None}, ("editable", True)),
        ({"show_share_button": 0}, ("show_share_button", False)),
        ({"visible": None}, ("visible", True)),
        ({"format": None}, ("format", "wav")),
    ],
)
def test_ints_and_none_for_flags_are_accepted_silently(kwargs, check):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        audio = Audio(**kwargs)
    assert getattr(audio, check[0]) == check[1]


def test_waveform_options_from_a_dict():
    audio = Audio(waveform_options={"waveform_color": "#00ff00", "skip_length": 2})
    assert audio.waveform_options.waveform_color == "#00ff00"
    assert audio.waveform_options.skip_length == 2
    assert audio.waveform_options.show_recording_waveform is True


@pytest.mark.parametrize(
    ("kwargs", "match", "check"),
    [
        ({"skip_length": 0}, "skip_length", ("skip_length", 5)),
        ({"sample_rate": 0}, "sample_rate", ("sample_rate", 44100)),
        ({"show_controls": "y"}, "show_controls", ("show_controls", True)),
        ({"waveform_color": 5}, "waveform_color", ("waveform_color", None)),
    ],
)
def test_waveform_options_gradio_only_stores_warn_and_use_the_default(kwargs, match, check):
    with pytest.warns(UserWarning, match=match):
        options = WaveformOptions(**kwargs)
    assert getattr(options, check[0]) == check[1]


def test_share_button_is_accepted_and_config_carries_every_setting():
    config = Audio(
        show_share_button=True,
        format="mp3",
        min_length=1,
        max_length=9,
        label="Voice",
        waveform_options=WaveformOptions(show_controls=True),
    ).get_config()
    assert config["show_share_button"] is True and config["format"] == "mp3"
    assert (config["min_length"], config["max_length"], config["label"]) == (1, 9, "Voice")
    assert config["waveform_options"]["show_controls"] is True
    assert config["sources"] == ["upload", "microphone"] and config["normalize"] is True


def test_callable_value_is_kept_for_load_and_not_called_now():
    calls = []

    def make():
        calls.append(1)
        return SR, tone()

    audio = Audio(make, every=2)
    assert audio.load_fn is make and audio.value is None and calls == []


# -- initial values are postprocessed -------------------------------------------------------------


def test_initial_path_value_is_probed(wav: Path):
    audio = Audio(str(wav))
    assert isinstance(audio.value, FileData)
    assert audio.value.path == str(wav.resolve())
    assert audio.value.meta["channels"] == 2 and audio.value.orig_name == "voice.wav"


def test_initial_array_value_is_written_in_format():
    audio = Audio((SR, tone()), format="flac")
    assert audio.value.meta["format"] == "FLAC"
    assert Path(audio.value.path).parent == temp_dir()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    sf.write(root / "clip.ogg", tone(), SR)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_initial_url_value_is_downloaded(served: str):
    audio = Audio(f"{served}/clip.ogg", format="ogg")
    assert audio.value.orig_name == "clip.ogg" and audio.value.meta["format"] == "OGG"


def test_a_downloaded_file_in_another_format_is_converted_to_format(served: str):
    audio = Audio(f"{served}/clip.ogg")
    assert audio.value.orig_name == "clip.wav" and audio.value.meta["format"] == "WAV"
    assert Path(audio.value.path).parent == temp_dir()


def test_a_returned_path_in_another_format_is_converted_to_format_and_left_alone(
    tmp_path: Path,
):
    """The seed: `format` applies to outputs too; a file already in `format` is not copied."""
    flac = tmp_path / "take.flac"
    sf.write(flac, tone(), SR)
    before = flac.read_bytes()
    value = Audio(format="mp3").postprocess(flac)
    assert value.meta["format"] == "MP3" and value.orig_name == "take.mp3"
    assert Path(value.path).parent == temp_dir() and flac.read_bytes() == before
    kept = Audio(format="flac").postprocess(str(flac))
    assert kept.path == str(flac.resolve())


def test_unreachable_url_value_is_a_clear_error(served: str):
    with pytest.raises(AudioFormatError, match="HTTP 404"):
        Audio(f"{served}/nothing.wav")


# -- preprocess ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "subtype"),
    [
        ("wav", "PCM_U8"),
        ("wav", "PCM_16"),
        ("wav", "PCM_24"),
        ("wav", "PCM_32"),
        ("wav", "FLOAT"),
        ("flac", "PCM_24"),
        ("ogg", "VORBIS"),
        ("mp3", "MPEG_LAYER_III"),
    ],
)
def test_numpy_input_is_int16_for_every_format(tmp_path: Path, suffix, subtype):
    path = tmp_path / f"in.{suffix}"
    sf.write(path, tone(1.0, channels=2), SR, subtype=subtype)
    sr, data = Audio().preprocess(Audio(str(path)).value)
    assert (sr, data.dtype, data.shape) == (SR, np.int16, (SR, 2))
    assert 0.4 * 32767 < np.abs(data.astype(np.int32)).max() < 0.56 * 32767


def test_mono_numpy_input_is_one_dimensional(tmp_path: Path):
    path = tmp_path / "mono.wav"
    sf.write(path, tone(), SR)
    sr, data = Audio().preprocess(FileData(str(path)))
    assert data.shape == (SR // 2,)


def test_filepath_input_is_a_private_copy_in_format(wav: Path):
    before = wav.read_bytes()
    audio = Audio(type="filepath", format="mp3")
    out = audio.preprocess(Audio(str(wav)).value)
    assert isinstance(out, str) and out.endswith(".mp3")
    assert Path(out).parent == temp_dir() and Path(out) != wav
    Path(out).write_bytes(b"the function scribbled here")
    assert wav.read_bytes() == before
    same = Audio(type="filepath").preprocess(FileData(str(wav)))
    assert same != str(wav) and Path(same).read_bytes() == before


@pytest.mark.parametrize(
    ("limits", "phrase"),
    [
        ({"min_length": 2}, "shorter than allowed \\(min_length=2 s, max_length=None\\)"),
        ({"max_length": 0.5}, "longer than allowed \\(min_length=None, max_length=0.5 s\\)"),
        ({"min_length": 2, "max_length": 3}, "min_length=2 s, max_length=3 s"),
    ],
)
def test_length_limits_name_both_limits_and_the_duration(wav: Path, limits, phrase):
    audio = Audio(**limits)
    with pytest.raises(AudioLengthError, match=phrase) as info:
        audio.preprocess(Audio(str(wav)).value)
    assert "'voice.wav' is 1.00 s long" in str(info.value)


def test_length_within_limits_passes(wav: Path):
    sr, data = Audio(min_length=1, max_length=1.5).preprocess(Audio(str(wav)).value)
    assert len(data) == SR


def test_length_is_checked_before_any_decoding(tmp_path: Path):
    """Limits come from the stored metadata, so an over-long file is refused unread."""
    fake = FileData(str(tmp_path / "never-opened.wav"), meta={"frames": SR * 60, "sample_rate": SR})
    with pytest.raises(AudioLengthError, match="60.00 s"):
        Audio(max_length=10).preprocess(fake)


def test_preprocess_of_none_and_wrong_types():
    assert Audio().preprocess(None) is None
    with pytest.raises(ComponentError, match="Audio: cannot preprocess dict"):
        Audio().preprocess({"path": "x.wav"})


# -- postprocess --------------------------------------------------------------------------------


def test_output_none_and_filedata_pass_through(wav: Path):
    audio = Audio()
    fd = FileData(str(wav))
    assert audio.postprocess(None) is None
    assert audio.postprocess(fd) is fd


def test_output_path_and_pathlib_path(wav: Path):
    audio = Audio()
    assert audio.postprocess(str(wav)).path == str(wav.resolve())
    assert audio.postprocess(wav).meta["frames"] == SR


def test_output_bytes_are_stored(wav: Path):
    fd = Audio().postprocess(wav.read_bytes())
    assert Path(fd.path).read_bytes() == wav.read_bytes()


def test_output_tuple_and_list_are_written_and_peak_normalised():
    for value in [(SR, tone(amp=0.1)), [SR, tone(amp=0.1)]]:
        fd = Audio().postprocess(value)
        _, data = Audio().preprocess(fd)
        assert np.abs(data.astype(np.int32)).max() == 32767


def test_output_with_normalize_false_keeps_levels():
    fd = Audio(normalize=False).postprocess((SR, tone(amp=0.1)))
    _, data = Audio().preprocess(fd)
    assert np.abs(data.astype(np.int32)).max() == pytest.approx(0.1 * 32767, abs=2)


def test_output_int64_is_refused_with_the_fix():
    with pytest.raises(AudioFormatError, match="astype\\(np.int16\\)"):
        Audio().postprocess((SR, np.arange(100)))


def test_output_of_the_wrong_type_names_audio():
    with pytest.raises(ComponentError, match="Audio: cannot use a value of type dict"):
        Audio().postprocess({"sr": SR})
    with pytest.raises(ComponentError, match="Audio"):
        Audio().postprocess(3.5)


def test_streaming_output_values_are_marked_as_chunks():
    fd = Audio(streaming=True).postprocess((SR, tone()))
    assert fd.is_stream is True


def test_seed_tone_demo_output_round_trips_exactly():
    sr = 48000
    audio = np.linspace(0, 1, sr)
    audio = (20000 * np.sin(audio * (2 * np.pi * 440))).astype(np.int16)
    fd = Audio().postprocess((sr, audio))
    back_sr, back = Audio().preprocess(fd)
    assert back_sr == sr
    np.testing.assert_array_equal(back, audio)


def test_as_example_and_api_info_are_readable(wav: Path):
    audio = Audio()
    assert audio.as_example(FileData(str(wav))) == "voice.wav"
    assert audio.as_example(None) == ""
    assert "audio" in audio.api_info()["description"]
    assert str(audio.example_value()).endswith(".wav")


def test_importing_the_component_stays_light():
    code = (
        "import sys, audiotui.components.audio as a; a.Audio(); "
        "heavy = [m for m in ('numpy', 'soundfile', 'textual') if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# -- through the runtime (Interface + headless Client) -----------------------------------------


def test_length_limit_stops_the_call_before_fn_runs(wav: Path):
    calls: list[object] = []

    def measure(audio):
        calls.append(audio)
        return "ran"

    demo = gr.Interface(measure, gr.Audio(max_length=0.5), "text")
    with gr.Client(demo) as client, pytest.raises(Exception, match="max_length=0.5 s") as info:
        client.predict(str(wav))
    assert "1.00 s long" in str(info.value)
    assert calls == []


def test_reverse_app_receives_int16_and_returns_a_file(wav: Path):
    def reverse(audio):
        sr, data = audio
        assert data.dtype == np.int16 and data.shape == (SR, 2)
        return sr, data[::-1]

    demo = gr.Interface(reverse, gr.Audio(), gr.Audio(format="flac"))
    with gr.Client(demo) as client:
        result = client.predict(str(wav))
    out, out_sr = sf.read(result, dtype="int16")
    original, _ = sf.read(wav, dtype="int16")
    assert out_sr == SR and str(result).endswith(".flac")
    np.testing.assert_array_equal(out, original[::-1])
