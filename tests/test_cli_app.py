"""`audiotui run --check`, `api` and `call`: headless use of app files from the shell."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from audiotui.cli import cli
from audiotui.cli.app_commands import parse_argument

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _app(tmp_path: Path, source: str, name: str = "app.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


def test_call_tone_writes_the_wav_into_out_and_prints_its_path(tmp_path: Path) -> None:
    code, out, err = _invoke("call", EXAMPLES / "tone.py", "A", "4", "1", "--out", tmp_path)
    assert code == 0, err
    written = Path(out.strip())
    assert written.parent == tmp_path and written.name == "predict_output.wav"
    data, sr = sf.read(written)
    assert (sr, len(data)) == (48000, 48000)
    code, out, _ = _invoke("call", EXAMPLES / "tone.py", "A", "4", "1", "--out", tmp_path)
    assert Path(out.strip()).name == "predict_output_1.wav"  # never overwrites


def test_call_with_json_prints_one_object(tmp_path: Path) -> None:
    clip = tmp_path / "clip.wav"
    sf.write(clip, (np.ones(1600) * 0.5).astype(np.float32), 16000)
    code, out, err = _invoke(
        "call", EXAMPLES / "live_meter.py", clip, "-20", "--json", "--out", tmp_path
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["verdict"] == "fine"
    assert result["statistics"]["duration_s"] == 0.1


def test_call_parses_arguments_by_component_type(tmp_path: Path) -> None:
    app = _app(tmp_path, """
        import audiotui as gr
        def describe(n, loud, tags, settings, name):
            return f"{n!r} {loud!r} {tags!r} {settings!r} {name!r}"
        demo = gr.Interface(
            describe,
            [gr.Number(precision=0), gr.Checkbox(), gr.CheckboxGroup(["a", "b", "c"]),
             gr.JSON(), gr.Textbox()],
            "text",
        )
    """)
    code, out, err = _invoke("call", app, "7", "yes", '["a","c"]', '{"k": 1}', "007")
    assert code == 0, err
    assert out.strip() == "7 True ['a', 'c'] {'k': 1} '007'"


def test_call_named_endpoint_and_several_outputs(tmp_path: Path) -> None:
    app = _app(tmp_path, """
        import audiotui as gr
        with gr.Blocks() as demo:
            a = gr.Textbox(label="Word")
            up = gr.Textbox(label="Upper")
            n = gr.Number(label="Length")
            a.submit(lambda w: (w.upper(), len(w)), a, [up, n], api_name="measure")
            a.change(lambda w: w, a, up)
    """)
    code, out, err = _invoke("call", app, "--api-name", "/measure", "hello")
    assert code == 0, err
    assert out.splitlines() == ["upper: HELLO", "length: 5.0"]  # precision=None: a float


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["A", "four", "1"], "expected a number, got 'four'"),
        (["A", "4", "1", "9"], "takes 3 argument(s) (note, octave, duration), got 4"),
        (["--api-name", "nope", "A"], "no endpoint 'nope'; its endpoints: /predict"),
    ],
)
def test_call_argument_mistakes_are_one_line_errors(args: list[str], message: str) -> None:
    code, out, err = _invoke("call", EXAMPLES / "tone.py", *args)
    assert code != 0
    assert message in err
    assert "Traceback" not in err + out


def test_call_missing_audio_file_is_reported(tmp_path: Path) -> None:
    code, _, err = _invoke("call", EXAMPLES / "reverse.py", tmp_path / "nope.wav")
    assert code != 0 and "nope.wav: no such file" in err


def test_call_function_error_exits_1_with_its_message(tmp_path: Path) -> None:
    app = _app(tmp_path, """
        import gradio as gr
        def fail(x):
            raise gr.Error("the model is not loaded")
        demo = gr.Interface(fail, "text", "text")
    """)
    code, _, err = _invoke("call", app, "hi")
    assert code == 1
    assert err.strip() == "audiotui: error: /predict failed: the model is not loaded"


def test_app_mistakes_are_one_line_errors_with_the_apps_line(tmp_path: Path) -> None:
    code, _, err = _invoke("api", tmp_path / "missing.py")
    # A path that is not there is a usage mistake (exit 2; `main()` makes it one line, as
    # test_cli_usage_errors checks through the real console script).
    assert code == 2 and "Invalid value for 'APP'" in err and "does not exist" in err, err
    broken = _app(tmp_path, "import gradio as gr\n\ndemo = gr.Blocks(\n", name="broken.py")
    code, _, err = _invoke("call", broken)
    assert code == 1 and err.startswith(f"audiotui: error: {broken}:3") and len(err.splitlines()) == 1
    empty = _app(tmp_path, "x = 1\n", name="empty.py")
    code, _, err = _invoke("run", empty, "--check")
    assert code == 1 and "no Blocks or Interface" in err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    app = _app(tmp_path, "import gradio as gr\n1 / 0\n")
    with pytest.raises(Exception, match="ZeroDivisionError"):
        CliRunner().invoke(cli, ["api", str(app), "--debug"], catch_exceptions=False)


def test_api_prints_the_endpoints_like_view_api() -> None:
    code, out, _ = _invoke("api", EXAMPLES / "tone.py")
    assert code == 0
    assert out.startswith("Client.predict() Usage Info")
    assert "predict(note, octave=4, duration='1', api_name='/predict') -> output" in out


def test_api_json_gives_the_structured_form() -> None:
    code, out, _ = _invoke("api", EXAMPLES / "synth_examples.py", "--json")
    assert code == 0
    params = json.loads(out)["named_endpoints"]["/predict"]["parameters"]
    assert [(p["parameter_name"], p["python_type"]) for p in params] == [
        ("frequency", "float"), ("waveform", "Literal['sine', 'square', 'sawtooth']"),
        ("seconds", "float"),
    ]


def test_call_copies_every_file_of_a_multi_file_output(tmp_path: Path) -> None:
    app = _app(tmp_path, """
        import os
        import tempfile
        import soundfile as sf
        import audiotui as gr
        def both(audio):
            sr, data = audio
            paths = []
            for part in (data[: len(data) // 2], data[len(data) // 2 :]):
                fd, path = tempfile.mkstemp(suffix=".wav")
                os.close(fd)
                sf.write(path, part, sr)
                paths.append(path)
            return paths
        demo = gr.Interface(both, "audio", gr.File(file_count="multiple", label="Halves"))
    """)
    source = tmp_path / "in.wav"
    sf.write(source, np.zeros(800, dtype=np.int16), 8000)
    out_dir = tmp_path / "out"
    code, out, err = _invoke("call", app, source, "--out", out_dir, "--json")
    assert code == 0, err
    halves = json.loads(out)["halves"]
    assert [Path(p).parent for p in halves] == [out_dir, out_dir]
    assert [sf.info(p).frames for p in halves] == [400, 400]


@pytest.mark.filterwarnings("ignore:js= is ignored")
def test_run_check_reports_full_support_or_the_gaps(tmp_path: Path) -> None:
    code, out, _ = _invoke("run", EXAMPLES / "tone.py", "--check")
    assert code == 0 and "fully supported" in out
    app = _app(tmp_path, """
        import gradio as gr
        with gr.Blocks(theme=gr.themes.Soft(), css="h1 {}") as demo:
            img = gr.Image()
            audio = gr.Audio()
            audio.change(None, None, None, js="() => 1")
    """)
    code, out, _ = _invoke("run", app, "--check")
    assert code == 1
    assert "Image is not drawn in the terminal" in out
    assert "Blocks css= is web-only and ignored" in out
    assert "Blocks theme= is web-only and ignored" in out
    assert "js= of listener(s)" in out


def test_run_opens_the_tui_with_the_options_and_the_alias_in_force(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import audiotui.tui.launch as tui_launch

    seen: dict[str, object] = {}

    def fake_run_app(blocks: object, **options: object) -> None:
        import gradio

        seen.update(options, blocks=blocks, gradio_blocks=gradio.Blocks)

    monkeypatch.setattr(tui_launch, "run_app", fake_run_app)
    from audiotui.cli import app_commands

    # Only the options' hand-over is tested here (devices are looked up in test_cli_usage_errors).
    monkeypatch.setattr(app_commands, "_check_devices", lambda *devices: None)
    code, _, err = _invoke(
        "run", EXAMPLES / "tone.py", "--input-device", "2", "--output-device", "speaker",
        "--ascii", "--fps", "12", "--no-mouse",
    )
    assert code == 0, err
    assert type(seen.pop("blocks")).__name__ == "Interface"
    from audiotui.blocks import Blocks

    assert seen.pop("gradio_blocks") is Blocks
    assert seen == {
        "input_device": 2, "output_device": "speaker", "ascii": True, "fps": 12, "mouse": False,
        "startup_notices": [],
    }
    assert "gradio" not in sys.modules


def test_run_names_a_gradio_module_audiotui_does_not_provide(tmp_path: Path) -> None:
    app = _app(tmp_path, "import gradio.networking\n")
    code, _, err = _invoke("run", app, "--check")
    assert code == 1 and "imports gradio.networking, which audiotui does not provide" in err


def test_no_gradio_alias_lets_the_real_import_fail(tmp_path: Path) -> None:
    app = _app(tmp_path, "import gradio as gr\ndemo = gr.Blocks()\n")
    assert _invoke("api", app)[0] == 0
    code, _, err = _invoke("api", app, "--no-gradio-alias")
    assert code == 1 and "No module named 'gradio' (the gradio alias is off" in err


def test_parse_argument_accepts_urls_and_comma_lists() -> None:
    assert parse_argument("https://x.org/a.wav", "filepath", "a") == "https://x.org/a.wav"
    assert parse_argument("a, b", "list[str]", "tags") == ["a", "b"]
    assert parse_argument("2.5", "int", "n") == 2
    assert parse_argument("2.5", "float", "x") == 2.5


def test_python_dash_m_audiotui_call_runs_headless(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "audiotui", "call", str(EXAMPLES / "tone.py"), "C", "4", "1",
         "--json", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert Path(json.loads(result.stdout)["output"]).is_file()


def test_call_of_a_streaming_output_writes_the_whole_stream(tmp_path: Path) -> None:
    code, out, err = _invoke("call", EXAMPLES / "stream_output.py", "220", "880", "1.5",
                             "--out", tmp_path)
    assert code == 0, err
    info = sf.info(out.strip())
    assert (info.samplerate, info.frames) == (24000, 36000)  # three half-second chunks


def test_warnings_from_the_app_are_one_line_on_stderr(tmp_path: Path) -> None:
    app = tmp_path / "styled.py"
    app.write_text(
        "import audiotui as gr\n"
        "demo = gr.Interface(lambda x: x, 'text', 'text', css='body {}')\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "audiotui", "api", str(app)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    warning_lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(warning_lines) == 1
    assert warning_lines[0].startswith("audiotui: warning: ") and "css" in warning_lines[0]


def test_debug_on_a_failing_function_shows_the_app_line_that_raised(tmp_path: Path) -> None:
    app = _app(
        tmp_path,
        """\
        import gradio as gr

        def halve(text):
            return len(text) / 0

        demo = gr.Interface(halve, "text", "number")
        """,
    )
    plain = subprocess.run(
        [sys.executable, "-m", "audiotui", "call", str(app), "hi"], capture_output=True, text=True
    )
    assert plain.returncode == 1 and len(plain.stderr.splitlines()) == 1
    debug = subprocess.run(
        [sys.executable, "-m", "audiotui", "call", "--debug", str(app), "hi"],
        capture_output=True,
        text=True,
    )
    assert debug.returncode != 0
    assert f'File "{app}", line 4, in halve' in debug.stderr
    assert "ZeroDivisionError" in debug.stderr
