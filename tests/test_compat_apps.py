"""Gradio compatibility suite, headless: unmodified `import gradio as gr` apps driven by the Client.

Apps whose point is the events users fire (upload, play, clicking a sample, gr.render) are driven
through a Session in tests/compat/test_compat_events.py; the same apps in the terminal UI are
in tests/test_compat_tui.py.

Each app in tests/compat/apps is written as Gradio's demo folder writes them. The Client loads it
the way `audiotui run` does (with the scoped `gradio` alias). Assertions are on the audio that
comes out: sample rate, length, pitch by FFT, reversal, levels.
"""

from __future__ import annotations

import ast
import contextlib
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from compat.audio_checks import (
    APPS,
    CHIRP,
    DUET,
    PIANO,
    band_level,
    by_label,
    dominant_hz,
    read,
    read_int16,
    wav,
)

from audiotui.client import AppError, Client
from audiotui.data import FileData
from audiotui.endpoints import EndpointError
from audiotui.loader import compatibility_findings, load_app, recorded_launch_kwargs
from audiotui.session_events import Notice


@pytest.fixture
def open_client() -> Iterator[Callable[[str], Client]]:
    """Open a Client on an app of the suite by file name; all are closed after the test."""
    clients: list[Client] = []

    def opener(name: str) -> Client:
        client = Client(APPS / name)
        clients.append(client)
        return client

    yield opener
    for client in clients:
        client.close()


# -- the suite as a whole -------------------------------------------------------------------
ALL_APPS = sorted(p.name for p in APPS.glob("*.py"))


def test_the_suite_has_at_least_fifteen_gradio_apps() -> None:
    assert len(ALL_APPS) >= 15
    for name in ALL_APPS:
        assert "import gradio as gr" in (APPS / name).read_text(), name


SEED_DOC = Path("/work/shared/seed/gradio-audio-4.34.txt")


def _gradio_audio_parameters() -> set[str]:
    """The Audio constructor's parameters as Gradio 4.34's own page lists them."""
    lines = SEED_DOC.read_text().splitlines()
    section = lines[lines.index("Parameter Description") : lines.index("Shortcuts")]
    return {
        line for i, line in enumerate(section[:-4])
        if re.fullmatch(r"[a-z_]+", line) and section[i + 4].startswith("default:")
    }


@pytest.mark.skipif(not SEED_DOC.exists(), reason="Gradio 4.34 Audio page not available")
@pytest.mark.parametrize("name", ALL_APPS)
def test_apps_give_audio_only_arguments_real_gradio_accepts(name: str) -> None:
    """The suite's apps must run unchanged on real Gradio, so no audiotui-only arguments
    (apps written for Gradio 5/6 may use its Audio arguments: their docstring says so)."""
    allowed = _gradio_audio_parameters()
    if "Gradio 5" in (APPS / name).read_text().split("\n", 1)[0]:
        allowed |= {"loop", "recording", "buttons", "subtitles", "playback_position", "inputs",
                    "preserved_by_key"}
    assert {"value", "sources", "waveform_options", "max_length"} <= allowed
    for call in ast.walk(ast.parse((APPS / name).read_text())):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called in ("Audio", "Microphone"):
            given = {kw.arg for kw in call.keywords if kw.arg is not None}
            assert given <= allowed, f"{name}:{call.lineno}: not Gradio 4.34: {given - allowed}"


EXPECTED_FINDINGS: dict[str, list[str]] = {
    "frontend_defaults.py": ["Chatbot is not drawn in the terminal (shown as a placeholder box)"],
    "image_and_audio.py": ["Image is not drawn in the terminal (shown as a placeholder box)"],
    "theme_internals.py": [
        "Blocks css= is web-only and ignored", "Blocks theme= is web-only and ignored",
    ],
}
"""Apps of the fidelity suite (issue 9) that use a component or setting on purpose."""


@pytest.mark.parametrize("name", ALL_APPS)
def test_each_app_loads_and_only_the_kitchen_sink_and_a_share_link_are_partly_supported(
    name: str,
) -> None:
    themed = name == "kitchen_sink.py"
    with pytest.warns(UserWarning, match="theme ignored") if themed else contextlib.nullcontext():
        findings = compatibility_findings(load_app(APPS / name))
    if name == "upload_limit.py":  # launch(max_file_size=...) is honoured, share= is not
        assert findings == [
            "launch(server_name=, server_port=, share=) is web-only and ignored (there is no server)"
        ]
        return
    if name == "batch_loudness.py":  # a custom theme class: accepted, not drawn
        assert findings == ["Blocks theme= is web-only and ignored"]
        return
    if not themed:
        assert findings == EXPECTED_FINDINGS.get(name, [])
        return
    for kind in ("Image", "Chatbot", "HTML", "Dataframe", "HighlightedText"):
        assert f"{kind} is not drawn in the terminal (shown as a placeholder box)" in findings
    assert "Blocks theme= is web-only and ignored" in findings


def test_audiotui_call_runs_an_app_from_the_shell(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "audiotui", "call", str(APPS / "reverse_audio.py"), str(CHIRP),
         "--out", str(tmp_path), "--json"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)["output"]
    assert np.array_equal(read_int16(out), read_int16(CHIRP)[::-1])


# -- tone generator -------------------------------------------------------------------------
def test_tone_generator_makes_the_requested_note_at_48k(open_client: Callable[[str], Client]) -> None:
    client = open_client("generate_tone.py")
    sr, data = read(client.predict("A", 4, "1"))
    assert (sr, data.shape) == (48000, (48000, 1))
    assert dominant_hz(data, sr) == pytest.approx(440, abs=1.5)
    sr, data = read(client.predict("C", 5, "2"))
    assert len(data) == 96000
    assert dominant_hz(data, sr) == pytest.approx(523.25, abs=1.0)
    assert np.abs(data).max() == pytest.approx(20000 / 32767, abs=0.01)


# -- reverse a microphone recording -----------------------------------------------------------
def test_reverse_audio_returns_the_recording_sample_for_sample_backwards(
    open_client: Callable[[str], Client],
) -> None:
    client = open_client("reverse_audio.py")
    out = client.predict(str(CHIRP))
    assert sf.info(out).samplerate == 16000
    assert np.array_equal(read_int16(out), read_int16(CHIRP)[::-1])
    sr, data = read(out)
    first, last = data[: sr // 10, 0], data[-sr // 10 :, 0]
    assert dominant_hz(first, sr) > 1500 > 500 > dominant_hz(last, sr)  # the chirp now falls


def test_reverse_audio_microphone_input_keeps_its_waveform_options() -> None:
    demo = load_app(APPS / "reverse_audio.py")
    mic = demo.input_components[0]
    assert mic.sources == ["microphone"]
    assert mic.waveform_options.waveform_color == "#01C6FF"
    assert mic.waveform_options.skip_length == 2


# -- microphone streaming into State -----------------------------------------------------------
def test_streamed_microphone_chunks_accumulate_in_state(
    open_client: Callable[[str], Client],
) -> None:
    client = open_client("stream_transcribe_state.py")
    chunk = (np.full(8000, 0.25) * 32767).astype(np.int16)
    assert client.predict((16000, chunk)) == "heard 0.50 s, RMS 0.250"
    assert client.predict((16000, chunk // 5)) == "heard 1.00 s, RMS 0.180"
    state = next(c for c in client.app.input_components if type(c).__name__ == "State")
    stream = client.session.get_value(state)
    assert stream.shape == (16000,)
    assert stream[:8000] == pytest.approx(0.25, abs=1e-3)
    assert stream[8000:] == pytest.approx(0.05, abs=1e-3)


def test_the_live_interface_listens_to_the_microphone_stream() -> None:
    demo = load_app(APPS / "stream_transcribe_state.py")
    mic = demo.input_components[1]
    assert mic.streaming and mic.sources == ["microphone"]
    assert (mic, "stream") in demo.predict_dep.triggers
    assert demo.predict_dep.trigger_mode == "always_last"


# -- streaming output from a generator --------------------------------------------------------
def test_streamed_output_chunks_join_into_the_original(open_client: Callable[[str], Client]) -> None:
    client = open_client("stream_audio_out.py")
    chunks = list(client.submit(str(CHIRP), 0.25, api_name="/stream"))
    assert len(chunks) == 3
    parts = [read_int16(path) for path in chunks]
    assert [len(p) for p in parts] == [4000, 4000, 4000]
    assert all(sf.info(path).samplerate == 16000 for path in chunks)
    assert np.array_equal(np.concatenate(parts), read_int16(CHIRP))
    output = client.endpoint("/stream").dep.outputs[0]
    assert output.streaming and output.autoplay


# -- FFT pitch-class histogram into a Label ---------------------------------------------------
def test_main_note_names_the_pitch_classes_of_a_recording(
    open_client: Callable[[str], Client],
) -> None:
    client = open_client("main_note.py")
    piano = client.predict(str(PIANO))
    assert piano["label"] == "A"
    assert len(piano["confidences"]) == 4
    assert piano["confidences"][0]["confidence"] > 0.3
    duet = client.predict(str(DUET))  # first channel only: E5
    assert duet["label"] == "E"
    total = sum(c["confidence"] for c in duet["confidences"])
    assert 0 < total <= 1.0 + 1e-6


# -- TabbedInterface of effects ----------------------------------------------------------------
def test_effects_tabs_each_have_their_own_endpoint(open_client: Callable[[str], Client]) -> None:
    client = open_client("audio_effects_tabs.py")
    assert [ep.name for ep in client.endpoints] == ["predict", "predict_1", "predict_2", "predict_3"]
    assert client.app.tab_names == ["Gain", "Reverse", "Echo", "Speed"]
    _, source = read(PIANO)

    sr, quieter = read(client.predict(str(PIANO), -6, api_name="/predict"))
    assert np.abs(quieter).max() == pytest.approx(np.abs(source).max() * 10 ** (-6 / 20), rel=0.01)
    _, backwards = read(client.predict(str(PIANO), api_name="/predict_1"))
    assert np.allclose(backwards[::-1], source, atol=1 / 32767)
    sr, echoed = read(client.predict(str(PIANO), 0.25, 0.5, api_name="/predict_2"))
    assert len(echoed) == len(source) + sr // 4
    assert np.abs(echoed[-sr // 8 :]).max() > 0.05  # the echo rings past the dry signal
    fast_sr, fast = read(client.predict(str(PIANO), 1.5, api_name="/predict_3"))
    assert (fast_sr, len(fast)) == (24000, len(source))
    assert dominant_hz(fast, fast_sr) == pytest.approx(660, abs=3)


# -- kitchen sink: audio with components a terminal cannot draw --------------------------------
def test_kitchen_sink_passes_unsupported_values_through(
    open_client: Callable[[str], Client], tmp_path: Path
) -> None:
    cover = tmp_path / "cover.png"
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.warns(UserWarning, match="theme ignored"):
        client = open_client("kitchen_sink.py")
    audio, image, chat, html, table, highlighted, stats = client.predict(
        str(PIANO), str(cover), [["hello", "hi"]], "piano"
    )
    sr, half = read(audio)
    _, source = read(PIANO)
    assert sr == 16000 and np.abs(half).max() == pytest.approx(0.5 * np.abs(source).max(), abs=2e-3)
    assert Path(image).read_bytes() == cover.read_bytes()
    assert chat == [["hello", "hi"], ["piano", "1.00 s, peak 0.60"]]
    assert html == "<h3>piano</h3><p>16000 Hz, 1.00 s</p>"
    assert [row[0] for row in table] == [0, 1, 2, 3, 4]
    assert highlighted[0] == ("piano", "title")
    assert stats == {"sr": 16000, "peak": pytest.approx(0.6, abs=0.01)}
    boxes = [c for c in client.app.components if not getattr(c, "terminal_supported", True)]
    assert {type(c).__name__ for c in boxes} >= {"Image", "Chatbot", "HTML", "Dataframe"}
    assert all("cannot be drawn in a terminal" in c.describe() for c in boxes)


# -- callable default values ---------------------------------------------------------------------
def test_callable_defaults_run_per_session(open_client: Callable[[str], Client]) -> None:
    first, second = open_client("callable_defaults.py"), open_client("callable_defaults.py")
    seeds = []
    for client in (first, second):
        demo = client.app
        seed = client.session.get_value(by_label(demo, "Seed"))
        noise = client.session.get_value(by_label(demo, "Noise"))
        assert isinstance(seed, int) and isinstance(noise, FileData)
        assert (noise.meta["sample_rate"], noise.meta["frames"]) == (16000, 8000)
        assert client.session.get_value(by_label(demo, "Started at")).count(":") == 2
        seeds.append(seed)
    assert seeds[0] != seeds[1]
    again = first.predict(12345, api_name="/noise")
    assert np.array_equal(read_int16(again), read_int16(second.predict(12345, api_name="/noise")))
    assert np.abs(read(again)[1]).max() == pytest.approx(0.5, abs=0.01)  # int16 kept as is


# -- upload size limit -------------------------------------------------------------------------------
def test_launch_max_file_size_limits_client_uploads(
    open_client: Callable[[str], Client], tmp_path: Path
) -> None:
    client = open_client("upload_limit.py")
    assert client.app.max_file_size == 100 * 1024
    assert recorded_launch_kwargs(client.app)["share"] is True  # web-only, accepted
    small = client.predict(str(PIANO))  # 32 kB
    assert small.startswith("1.00 s at 16000 Hz")
    big = wav(tmp_path / "big.wav", 0.1 * np.ones(60000))  # 120 kB
    with pytest.raises(EndpointError, match="over the app's max_file_size of 102400 bytes"):
        client.predict(str(big))


def test_max_file_size_under_the_main_guard_is_honoured_without_launching(
    open_client: Callable[[str], Client], tmp_path: Path
) -> None:
    client = open_client("upload_limit_guarded.py")
    assert client.app.max_file_size == 100 * 1024
    assert client.predict(str(PIANO)) == pytest.approx(0.6, abs=0.01)
    big = wav(tmp_path / "big.wav", 0.1 * np.ones(60000))
    with pytest.raises(EndpointError, match="max_file_size"):
        client.predict(str(big))


# -- Blocks with Group / Row / Column -----------------------------------------------------------------
def test_equaliser_layout_nests_groups_in_columns_in_a_row() -> None:
    demo = load_app(APPS / "equalizer_layout.py")
    row = next(b for b in demo.children if type(b).__name__ == "Row")
    left, right = row.children
    assert [type(b).__name__ for b in (left, right)] == ["Column", "Column"]
    assert (left.scale, right.scale) == (2, 1)
    group = left.children[0]
    assert type(group).__name__ == "Group"
    assert [c.label for c in group.children] == ["Source", "Equalised"]
    knobs = right.children[0]
    assert type(knobs).__name__ == "Group" and len(knobs.children) == 3


def test_equaliser_cuts_the_high_band_and_keeps_the_low(
    open_client: Callable[[str], Client], tmp_path: Path
) -> None:
    t = np.arange(16000) / 16000
    mix = wav(tmp_path / "mix.wav", 0.3 * np.sin(2 * np.pi * 100 * t) + 0.3 * np.sin(2 * np.pi * 5000 * t))
    client = open_client("equalizer_layout.py")
    sr, out = read(client.predict(str(mix), 0, 0, -24, api_name="/equalise"))
    _, src = read(mix)
    assert len(out) == len(src)
    assert band_level(out, sr, 100) == pytest.approx(band_level(src, sr, 100), rel=0.02)
    assert band_level(out, sr, 5000) == pytest.approx(band_level(src, sr, 5000) * 10 ** (-24 / 20), rel=0.05)
    assert client.predict(api_name="/flat") == (0, 0, 0)


# -- Dataset of audio samples (clicking a sample: tests/compat/test_compat_events.py) ----------------
def test_audio_samples_are_reachable_from_the_client(open_client: Callable[[str], Client]) -> None:
    client = open_client("audio_dataset.py")
    path, text = client.predict(0, api_name="/load_sample")
    assert text == "piano, A4" and sf.info(path).samplerate == 16000
    assert client.predict(path, api_name="/measure") == pytest.approx(440, abs=1.5)


# -- MP3 memos with length limits, State and a File list ------------------------------------------------
def test_voice_memos_are_kept_as_mp3_and_listed_per_session(
    open_client: Callable[[str], Client], tmp_path: Path
) -> None:
    client = open_client("voice_memo.py")
    first, status, listed = client.predict(str(PIANO), "shopping list", api_name="/save")
    assert Path(first).name == "shopping_list.mp3" and status == "1 memo(s) saved"
    info = sf.info(first)
    assert (info.format, info.samplerate, info.channels) == ("MP3", 16000, 1)
    assert abs(info.frames - 16000) <= 1152  # one MP3 frame of padding at most
    sr, decoded = read(first)
    assert dominant_hz(decoded, sr) == pytest.approx(440, abs=2)
    second, status, listed = client.predict(str(DUET), "duet", api_name="/save")
    assert status == "2 memo(s) saved" and [Path(p).name for p in listed] == [
        "shopping_list.mp3", "duet.mp3"]
    assert sf.info(second).channels == 2
    too_long = wav(tmp_path / "long.wav", np.zeros(16000 * 6))
    with pytest.raises(AppError, match=r"6.00 s long, longer than allowed .*max_length=5 s"):
        client.predict(str(too_long), "x", api_name="/save")
    with pytest.raises(AppError, match="Record a memo first"):
        client.predict(None, "x", api_name="/save")


# -- Progress, Info/Warning and Error -----------------------------------------------------------------
def test_noise_gate_silences_quiet_blocks_and_reports_progress(
    open_client: Callable[[str], Client], tmp_path: Path
) -> None:
    t = np.arange(8000) / 16000
    loud_then_quiet = np.concatenate([0.5 * np.sin(2 * np.pi * 440 * t), 0.001 * np.sin(2 * np.pi * 440 * t)])
    source = wav(tmp_path / "hum.wav", loud_then_quiet)
    client = open_client("denoise_progress.py")
    notices: list[Notice] = []
    client.session.subscribe(lambda e: notices.append(e) if isinstance(e, Notice) else None)
    job = client.submit(str(source), -30)
    sr, out = read(job.result())
    assert np.allclose(out[:8000, 0], read(source)[1][:8000, 0], atol=1 / 32767)
    assert not out[8000:].any()
    assert job.status().progress is not None
    assert [(n.level, n.message) for n in notices] == [("info", "Silenced 50 blocks of 10 ms")]
    client.predict(str(PIANO), -80)
    assert notices[-1].level == "warning" and "raise it" in notices[-1].message
    with pytest.raises(AppError, match="Record or upload something to gate"):
        client.predict(None)



# -- the apps whose point is user events, called through the Client too ----------------------------
def test_audio_debugger_copy_and_stream_endpoints_through_the_client(
    open_client: Callable[[str], Client],
) -> None:
    client = open_client("audio_component_events.py")
    assert np.array_equal(read_int16(client.predict(str(DUET), api_name="/copy")), read_int16(DUET))
    chunk = (np.sin(np.arange(1600) / 5) * 8000).astype(np.int16)
    assert client.predict(4, (16000, chunk), api_name="/describe_chunk") == (
        5, "1600 samples at 16000 Hz")
    assert client.predict(2, api_name="/lambda_4") == 3  # the play counter's listener


def test_track_mixer_state_persists_between_client_calls(
    open_client: Callable[[str], Client], tmp_path: Path
) -> None:
    t = np.arange(8000) / 16000
    low = wav(tmp_path / "low.wav", 0.4 * np.sin(2 * np.pi * 220 * t))
    high = wav(tmp_path / "high.wav", 0.4 * np.sin(2 * np.pi * 1760 * t[:4000]))
    client = open_client("track_mixer.py")
    with pytest.raises(AppError, match="Add at least one track first"):
        client.predict(api_name="/mix")
    assert client.predict(str(low), api_name="/add_track") is None  # the upload box is cleared
    client.predict(str(high), api_name="/add_track")
    sr, mixed = read(client.predict(api_name="/mix"))
    assert (sr, len(mixed)) == (16000, 8000)
    assert band_level(mixed, sr, 220) > 100 and band_level(mixed, sr, 1760) > 100
    assert not mixed[4000:].any() or dominant_hz(mixed[4000:], sr) == pytest.approx(220, abs=5)


def test_an_app_with_cached_examples_still_runs_fn_for_new_input(
    open_client: Callable[[str], Client],
) -> None:
    client = open_client("cached_examples.py")
    assert [ep.name for ep in client.endpoints if ep.visible] == ["predict"]
    sr, down = read(client.predict(str(PIANO), -1))
    assert sr == 16000 and abs(len(down) - 32000) <= 2  # twice as long
    assert dominant_hz(down, sr) == pytest.approx(220, abs=2)
    sr, up = read(client.predict(str(PIANO)))  # Octaves defaults to 1
    assert (sr, len(up)) == (16000, 8000)
    assert dominant_hz(up, sr) == pytest.approx(880, abs=4)


def test_change_vs_input_endpoints_pass_values_and_audio_through(
    open_client: Callable[[str], Client],
) -> None:
    client = open_client("change_vs_input.py")
    assert client.predict("typed", api_name="/lambda") == "typed"
    assert client.predict(12, api_name="/lambda_3") == 12
    echoed = client.predict(str(CHIRP), api_name="/lambda_6")
    assert np.array_equal(read_int16(echoed), read_int16(CHIRP))
    text, number, audio = client.predict(api_name="/set_values")
    assert (text, number) == ("asdf", 35)
    assert np.array_equal(read_int16(audio), read_int16(PIANO))


def test_request_stand_in_through_the_client(open_client: Callable[[str], Client]) -> None:
    client = open_client("request_info.py")
    hash_ = client.session.request.session_hash
    assert client.predict(api_name="/whoami") == f"session {hash_}, client localhost"
    tag = client.predict(str(PIANO), api_name="/tag")
    assert tag == {"session": hash_, "seconds": 1.0, "channels": 1,
                   "peak": pytest.approx(0.6, abs=0.01)}


# -- several takes (gr.Files), gradio sub-module imports, a custom theme class ----------------------
def _rms_dbfs(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(samples.astype(np.float64) ** 2))))


def test_batch_loudness_levels_every_take_to_the_target(
    open_client: Callable[[str], Client],
) -> None:
    client = open_client("batch_loudness.py")
    assert client.app.components[0].file_count == "multiple"  # gr.Files
    report, joined = client.predict([str(PIANO), str(CHIRP)], api_name="/level")
    assert report.splitlines()[0].startswith("piano_a4.wav: -12.4 dBFS")
    assert report.splitlines()[1].startswith("rising_chirp.wav:")
    sr, data = read(joined)
    piano_frames = sf.info(PIANO).frames
    assert (sr, len(data)) == (16000, piano_frames + sf.info(CHIRP).frames)
    assert _rms_dbfs(data[:piano_frames, 0]) == pytest.approx(-20.0, abs=0.2)
    assert _rms_dbfs(data[piano_frames:, 0]) == pytest.approx(-20.0, abs=0.2)
    assert dominant_hz(data[:piano_frames], sr) == pytest.approx(440, abs=1.5)
    with pytest.raises(AppError, match="share one sample rate"):
        client.predict([str(PIANO), str(DUET)], api_name="/level")
    with pytest.raises(AppError, match="Add one or more takes"):
        client.predict([], api_name="/level")


# -- gr.Examples inside Blocks (clicking a row: tests/compat/test_compat_events.py) ----------------------
def test_echo_adds_a_half_level_copy_after_the_delay(open_client: Callable[[str], Client]) -> None:
    client = open_client("echo_examples.py")
    assert [ep.name for ep in client.endpoints if ep.visible] == ["echo"]
    sr, wet = read(client.predict(str(PIANO), 0.1, api_name="/echo"))
    _, dry = read(PIANO)
    offset = sr // 10
    assert len(wet) == len(dry) + offset
    assert np.allclose(wet[:offset], dry[:offset], atol=2 / 32767)
    assert np.allclose(wet[len(dry):], 0.5 * dry[-offset:], atol=2 / 32767)
    _, default_delay = read(client.predict(str(PIANO), api_name="/echo"))  # Delay defaults to 0.25
    assert len(default_delay) == len(dry) + sr // 4
