"""The headless Client: predict/submit/Job/view_api on the example apps and small apps."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import audiotui as gr
from audiotui.client import AppError, Client, handle_file
from audiotui.endpoints import EndpointError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _dominant_hz(path: str) -> float:
    data, sr = sf.read(path, dtype="float32", always_2d=True)
    spectrum = np.abs(np.fft.rfft(data[:, 0]))
    return float(np.fft.rfftfreq(len(data), 1 / sr)[int(np.argmax(spectrum))])


def _wav(path: Path, data: np.ndarray, sr: int = 16000) -> Path:
    sf.write(path, data, sr, subtype="PCM_16")
    return path


@pytest.fixture
def tone() -> Iterator[Client]:
    with Client(EXAMPLES / "tone.py") as client:
        yield client


def test_predict_of_the_tone_example_returns_a_wav_path_at_the_right_pitch(
    tone: Client,
) -> None:
    path = tone.predict("A", 4, "1", api_name="/predict")
    assert isinstance(path, str)
    info = sf.info(path)
    assert (info.samplerate, info.channels, info.frames) == (48000, 1, 48000)
    assert _dominant_hz(path) == pytest.approx(440, abs=1.5)
    assert _dominant_hz(tone.predict("A", 5, "2")) == pytest.approx(880, abs=1.5)


def test_api_name_may_have_a_slash_or_not_and_none_is_the_first_endpoint(tone: Client) -> None:
    assert tone.endpoint("/predict") is tone.endpoint("predict") is tone.endpoint(None)


def test_unknown_api_name_lists_the_endpoints(tone: Client) -> None:
    with pytest.raises(EndpointError, match=r"no endpoint '/nope'; its endpoints: /predict"):
        tone.predict("C", api_name="/nope")


def test_wrong_arguments_are_clear_errors(tone: Client) -> None:
    with pytest.raises(EndpointError, match=r"takes 3 argument\(s\) \(note, octave, duration\)"):
        tone.predict("C", 4, "1", "extra")
    with pytest.raises(EndpointError, match="missing argument 'note'"):
        tone.predict()
    with pytest.raises(EndpointError, match="no parameter 'pitch'"):
        tone.predict("C", pitch=3)
    with pytest.raises(EndpointError, match="'note' given twice"):
        tone.predict("C", note="D")
    with pytest.raises(EndpointError, match="argument 'octave'"):
        tone.predict("C", "four")


def test_defaults_and_keyword_arguments_fill_parameters(tone: Client) -> None:
    path = tone.predict(note="A")  # octave defaults to 4, duration to "1"
    assert sf.info(path).frames == 48000
    assert _dominant_hz(path) == pytest.approx(440, abs=1.5)


def test_view_api_describes_parameters_types_and_defaults(
    tone: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tone.view_api() is None
    text = capsys.readouterr().out
    assert "predict(note, octave=4, duration='1', api_name='/predict') -> output" in text
    assert "[Dropdown] note: Literal['C', 'C#'," in text and "(Required)" in text
    assert "[Slider] octave: float (Not Required, defaults to: 4)" in text
    assert "[Audio] output: filepath" in text
    info = tone.view_api(print_info=False, return_format="dict")
    params = info["named_endpoints"]["/predict"]["parameters"]
    assert [p["parameter_name"] for p in params] == ["note", "octave", "duration"]
    assert params[2]["label"] == "Duration in seconds"
    assert tone.view_api(print_info=False, return_format="str") == text


def test_audio_arguments_as_path_handle_file_or_array(tmp_path: Path) -> None:
    ramp = (np.arange(1000, dtype=np.int16) * 10)
    source = _wav(tmp_path / "ramp.wav", ramp)
    with Client(EXAMPLES / "reverse.py") as client:
        for arg in (str(source), source, handle_file(source), (16000, ramp)):
            data, sr = sf.read(client.predict(arg), dtype="int16")
            assert sr == 16000
            np.testing.assert_array_equal(data, ramp[::-1])
        with pytest.raises(AppError, match="Record or upload something first"):
            client.predict(None)


def test_handle_file_of_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EndpointError, match="no such file"):
        handle_file(tmp_path / "missing.wav")


def test_submit_iterates_over_a_generators_yields() -> None:
    with Client(EXAMPLES / "stream_output.py") as client:
        job = client.submit(220, 440, 2)
        chunks = list(job)
        assert len(chunks) == 4  # half-second chunks
        assert all(sf.info(c).frames == 12000 for c in chunks)
        assert job.done() and job.status().code == "done" and job.status().success
        assert job.outputs() == chunks
        whole = job.result()  # the whole stream, as gradio_client's result() gives it
        assert job.result() == whole
        data, sr = sf.read(whole, dtype="int16")
        assert (sr, len(data)) == (24000, 48000)
        first, _ = sf.read(chunks[0], dtype="int16")
        last, _ = sf.read(chunks[-1], dtype="int16")
        np.testing.assert_array_equal(data[:12000], first)
        np.testing.assert_array_equal(data[-12000:], last)


def test_cancel_stops_a_generator_and_result_says_so() -> None:
    release = threading.Event()

    def slow_count(n):  # noqa: ANN001, ANN202
        for i in range(int(n)):
            yield i
            release.wait()

    with gr.Blocks() as demo:
        n = gr.Number()
        out = gr.Number()
        n.submit(slow_count, n, out, api_name="count")
    with Client(demo) as client:
        job = client.submit(10)
        first = next(iter(job))
        assert first == 0
        assert job.status().code == "running"
        assert job.cancel() is True
        release.set()
        with pytest.raises(AppError, match="cancelled"):
            job.result(timeout=30)
        assert job.status().code == "cancelled"
        assert job.cancel() is False


def test_gr_error_in_the_function_becomes_app_error() -> None:
    def refuse(x):  # noqa: ANN001, ANN202
        raise gr.Error(f"cannot use {x}")

    demo = gr.Interface(refuse, "text", "text")
    with Client(demo) as client:
        job = client.submit("this")
        with pytest.raises(AppError, match="cannot use this"):
            job.result(timeout=30)
        assert job.status().code == "error" and job.status().success is False


def test_state_is_hidden_from_the_api_and_persists_between_calls() -> None:
    chunk = (np.sin(np.arange(8000) / 5) * 8000).astype(np.int16)
    with Client(EXAMPLES / "stream_input.py") as client:
        ep = client.endpoint("/listen")
        assert [p.name for p in ep.parameters] == ["chunk"]
        assert [r.component_type for r in ep.returns] == ["Textbox"]
        assert client.predict((16000, chunk), api_name="/listen").startswith("1 chunks, 0.50 s")
        assert client.predict((16000, chunk), api_name="/listen").startswith("2 chunks, 1.00 s")


def test_view_api_hides_show_api_false_but_they_stay_callable() -> None:
    with gr.Blocks() as demo:
        a = gr.Textbox()
        b = gr.Textbox()
        a.change(str.upper, a, b, api_name="shout")
        a.submit(str.lower, a, b, api_name="whisper", show_api=False)
        a.blur(str.title, a, b, api_name=False)
    with Client(demo) as client:
        text = client.view_api(print_info=False, return_format="str")
        assert "/shout" in text and "/whisper" not in text
        assert client.predict("Hi", api_name="whisper") == "hi"
        with pytest.raises(EndpointError):
            client.predict("Hi", api_name="title")


def test_max_file_size_refuses_big_file_arguments(tmp_path: Path) -> None:
    demo = gr.Interface(lambda a: a, gr.Audio(type="filepath"), gr.Audio())
    demo.max_file_size = 100
    big = _wav(tmp_path / "big.wav", np.zeros(1000, dtype=np.int16))
    with Client(demo) as client, pytest.raises(EndpointError, match="over the app's max_file_size"):
        client.predict(str(big))


def test_client_accepts_an_app_object_and_rejects_others() -> None:
    with pytest.raises(TypeError, match="expected a Blocks/Interface"):
        Client(42)  # type: ignore[arg-type]
    with pytest.raises(gr.Error.__mro__[1]):  # AudiotuiError: AppLoadError of a missing file
        Client("does-not-exist.py")


# -- every example app runs headless through the Client ------------------------------------------
def _sine(hz: float, seconds: float, amplitude: float, sr: int = 16000) -> np.ndarray:
    t = np.arange(int(sr * seconds)) / sr
    return (amplitude * 32767 * np.sin(2 * np.pi * hz * t)).astype(np.int16)


def test_effects_example_applies_gain_speed_and_echo(tmp_path: Path) -> None:
    source = _wav(tmp_path / "sine.wav", _sine(200, 1.0, 0.25))
    with Client(EXAMPLES / "effects.py") as client:
        louder, sr = sf.read(client.predict(str(source), 6, 1.0, 0, 0.4), dtype="float32")
        assert sr == 16000 and len(louder) == 16000
        assert np.abs(louder).max() == pytest.approx(0.25 * 10 ** (6 / 20), rel=0.02)
        faster, _ = sf.read(client.predict(str(source), 0, 2.0, 0, 0.4))
        assert len(faster) == 8000
        echoed, _ = sf.read(client.predict(str(source), 0, 1.0, 100, 0.5))
        assert len(echoed) == 16000 + 1600
        assert np.abs(echoed[16000:]).max() == pytest.approx(0.125, rel=0.02)


def test_audio_events_example_logs_each_event() -> None:
    with Client(EXAMPLES / "audio_events.py") as client:
        names = {ep.name for ep in client.endpoints}
        for event in ("change", "clear", "play", "pause", "stop", "upload",
                      "start_recording", "pause_recording", "stop_recording"):
            assert f"on_{event}" in names
        assert client.predict("play\n", api_name="/on_stop") == "play\nstop\n"
        logged = client.predict("", (16000, _sine(100, 0.25, 0.5)), api_name="/log_stream")
        assert logged == "stream: 4000 samples at 16000 Hz\n"
        assert client.predict(api_name="/clear_log") == ""


def test_live_meter_example_reports_levels(tmp_path: Path) -> None:
    half_scale = _wav(tmp_path / "half.wav", _sine(300, 1.0, 0.5))
    with Client(EXAMPLES / "live_meter.py") as client:
        stats, verdict = client.predict(str(half_scale), -30)
        assert stats["peak_dbfs"] == pytest.approx(-6.0, abs=0.1)
        assert stats["rms_dbfs"] == pytest.approx(-9.0, abs=0.1)
        assert stats["above_threshold"] == 1.0 and verdict == "fine"
        quiet, verdict = client.predict((16000, _sine(300, 1.0, 0.01)), -30)
        assert quiet["above_threshold"] == 0.0 and verdict == "too quiet"


def test_synth_example_makes_each_waveform_at_its_pitch() -> None:
    with Client(EXAMPLES / "synth_examples.py") as client:
        for waveform in ("sine", "square", "sawtooth"):
            path = client.predict(330, waveform, 0.5)
            assert sf.info(path).frames == 11025
            assert _dominant_hz(path) == pytest.approx(330, abs=3)
        assert len(client.app.examples_handler.examples) == 3


# -- Interface kinds through the Client ------------------------------------------------------------
def test_interface_kinds_through_the_client() -> None:
    seen: list[str] = []
    output_only = gr.Interface(lambda: "made", None, "text")
    input_only = gr.Interface(seen.append, "text", None)
    extra = gr.Interface(lambda a, b: f"{a}+{b}", "text", "text",
                         additional_inputs=[gr.Textbox("dflt", label="Extra")])
    with Client(output_only) as client:
        assert client.predict() == "made"
    with Client(input_only) as client:
        assert client.predict("noted") is None
        assert seen == ["noted"]
    with Client(extra) as client:
        assert [p.name for p in client.endpoint().parameters] == ["a", "b"]
        assert client.predict("x") == "x+dflt"  # the additional input's default
        assert client.predict("x", "y") == "x+y"


def test_batched_interface_gets_lists_and_answers_each_call() -> None:
    sizes: list[int] = []

    def shout(words):  # noqa: ANN001, ANN202
        sizes.append(len(words))
        return ([w.upper() for w in words],)

    iface = gr.Interface(shout, "text", "text", batch=True, max_batch_size=8)
    with Client(iface) as client:
        jobs = [client.submit(w) for w in ("a", "b", "c")]
        assert [j.result(timeout=30) for j in jobs] == ["A", "B", "C"]
    assert sum(sizes) == 3 and max(sizes) <= 8


def test_tabbed_interface_exposes_every_tab_as_an_endpoint() -> None:
    shout = gr.Interface(str.upper, "text", "text")
    whisper = gr.Interface(str.lower, "text", "text", api_name="whisper")
    with Client(gr.TabbedInterface([shout, whisper], ["Shout", "Whisper"])) as client:
        assert [ep.api_path for ep in client.endpoints if ep.visible] == ["/predict", "/whisper"]
        assert client.predict("Hi", api_name="/predict") == "HI"
        assert client.predict("Hi", api_name="/whisper") == "hi"


def test_a_client_whose_session_cannot_start_leaves_no_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from audiotui.runtime import Session

    async def broken_start(self: Session) -> None:
        raise RuntimeError("no start")

    monkeypatch.setattr(Session, "start", broken_start)
    def client_threads() -> int:
        return sum(t.name == "audiotui-client" for t in threading.enumerate())

    before = client_threads()
    with pytest.raises(RuntimeError, match="no start"):
        Client(gr.Interface(str.upper, "text", "text"))
    assert client_threads() == before


def test_job_status_reports_the_functions_progress() -> None:
    step = threading.Event()
    done = threading.Event()

    def work(n, progress=gr.Progress()):  # noqa: ANN001, ANN202, B008
        progress(0.25, desc="warming up")
        step.set()
        done.wait(30)
        return n

    with Client(gr.Interface(work, "number", "number")) as client:
        job = client.submit(3)
        assert step.wait(30)
        client._wait(lambda: job.status().progress is not None, 30)
        status = job.status()
        assert (status.code, status.progress, status.desc) == ("running", 0.25, "warming up")
        done.set()
        assert job.result(timeout=30) == 3
