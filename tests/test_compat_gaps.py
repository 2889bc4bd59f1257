"""Gaps the issue-5 audit found between Gradio 4.34 apps and audiotui, each pinned by a test."""

from __future__ import annotations

import sys
import textwrap
import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import audiotui as gr
from audiotui.cli import cli
from audiotui.client import Client
from audiotui.data import FileData
from audiotui.runtime import Session

# An app whose function imports gradio only when it is called, as lazy demos do.
LAZY_IMPORT_APP = """
import gradio as gr

def which(text):
    import gradio
    import audiotui
    return f"{text}:{gradio.__version__}:{gradio.Textbox is audiotui.Textbox}"

demo = gr.Interface(which, "text", "text")
"""


def _app(tmp_path: Path, source: str, name: str = "app.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


# -- 1. the gradio alias lives as long as the Client ----------------------------------------------
def test_client_of_an_app_path_lets_functions_import_gradio_at_call_time(tmp_path: Path) -> None:
    app = _app(tmp_path, LAZY_IMPORT_APP)
    with Client(app) as client:
        assert client.predict("hi") == "hi:4.34.0:True"
    assert "gradio" not in sys.modules  # the alias ended with the Client


def test_audiotui_call_runs_a_function_that_imports_gradio_at_call_time(tmp_path: Path) -> None:
    app = _app(tmp_path, LAZY_IMPORT_APP)
    result = CliRunner().invoke(cli, ["call", str(app), "yo"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "yo:4.34.0:True"


def test_client_without_alias_leaves_gradio_imports_alone(tmp_path: Path) -> None:
    app = _app(tmp_path, "import audiotui as gr\ndemo = gr.Interface(lambda x: x, 'text', 'text')\n")
    with Client(app, alias=False) as client:
        assert "gradio" not in sys.modules
        assert client.predict("x") == "x"


# -- 2. load-time warnings join the single findings line ------------------------------------------
def test_run_folds_load_warnings_into_the_one_findings_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import audiotui.tui.launch as tui_launch

    monkeypatch.setattr(tui_launch, "run_app", lambda blocks, **options: None)
    app = _app(tmp_path, """
        import warnings
        import gradio as gr
        warnings.warn("the model weights are old")
        demo = gr.Interface(lambda x: x, "text", "text", css="body {}")
    """)
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        result = CliRunner().invoke(cli, ["run", str(app)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("audiotui: partly supported: ")
    assert "the model weights are old" in lines[0]
    assert "Interface: css ignored (web-only" in lines[0]
    assert not [w for w in escaped if issubclass(w.category, UserWarning)]


def test_run_of_an_app_whose_only_note_is_a_warning_prints_one_warning_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import audiotui.tui.launch as tui_launch

    monkeypatch.setattr(tui_launch, "run_app", lambda blocks, **options: None)
    app = _app(tmp_path, """
        import warnings
        import gradio as gr
        warnings.warn("first note")
        warnings.warn("second\\nnote")
        demo = gr.Interface(lambda x: x, "text", "text")
    """)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        result = CliRunner().invoke(cli, ["run", str(app)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    # Each names the app's line that warned, as Python's own warning lines do.
    assert result.stderr.splitlines() == [
        "audiotui: warning: app.py:4: first note; app.py:5: second note"]


def test_run_check_lists_load_warnings_without_failing_on_them(tmp_path: Path) -> None:
    app = _app(tmp_path, """
        import warnings
        import gradio as gr
        warnings.warn("calibration file missing")
        demo = gr.Interface(lambda x: x, "text", "text")
    """)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        result = CliRunner().invoke(cli, ["run", str(app), "--check"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "fully supported" in result.stdout
    assert " - warning while loading: app.py:4: calibration file missing" in result.stdout


# -- 3. Plot saves matplotlib-like figures ------------------------------------------------------
class FakeFigure:
    """Duck-typed matplotlib Figure: only `savefig` matters."""

    def __init__(self) -> None:
        self.saved: list[tuple[str, str]] = []

    def savefig(self, fname: str, format: str = "png") -> None:  # noqa: A002 - matplotlib's name
        self.saved.append((fname, format))
        Path(fname).write_bytes(b"\x89PNG\r\n\x1a\n fake")


def test_plot_saves_a_figure_as_png_in_the_temp_store_and_shows_its_path() -> None:
    from audiotui.media.temp import temp_dir

    fig = FakeFigure()
    stored = gr.Plot().postprocess(fig)
    assert isinstance(stored, FileData)
    path = Path(stored.path)
    assert path.suffix == ".png" and path.parent == temp_dir()
    assert path.read_bytes().startswith(b"\x89PNG")
    assert fig.saved == [(str(path), "png")]
    assert stored.path in gr.Plot(label="Spectrum").describe(stored)


async def test_plot_output_of_a_function_is_a_file_and_reaches_the_next_as_a_path() -> None:
    seen: list[Any] = []
    with gr.Blocks() as demo:
        btn = gr.Button()
        plot = gr.Plot()
        btn.click(FakeFigure, None, plot)
        plot.change(seen.append, plot, None)
    session = Session(demo)
    await session.start()
    session.trigger(btn, "click")
    await session.wait_idle()
    stored = session.get_value(plot)
    assert isinstance(stored, FileData) and stored.path.endswith(".png")
    assert seen == [stored.path]
    await session.close()


def test_plot_keeps_values_without_savefig() -> None:
    assert gr.Plot().postprocess({"x": [1, 2]}) == {"x": [1, 2]}
    assert gr.Plot().postprocess(None) is None


# -- 4. cached Examples in Blocks fill the cache at start -------------------------------------------
async def test_examples_in_blocks_with_cache_true_are_computed_when_a_session_starts() -> None:
    runs: list[str] = []

    def shout(text: str) -> str:
        runs.append(text)
        return text.upper()

    with gr.Blocks() as demo:
        box = gr.Textbox()
        out = gr.Textbox()
        examples = gr.Examples([["a"], ["b"]], box, out, fn=shout, cache_examples=True)
    assert examples.cache_event is not None and examples.cache_event.api_name is False
    session = Session(demo)
    await session.start()
    await session.wait_idle()
    assert sorted(runs) == ["a", "b"]
    second = Session(demo)
    await second.start()
    await second.wait_idle()
    assert sorted(runs) == ["a", "b"]  # later sessions reuse the cache
    await session.close()
    await second.close()


def test_interface_cached_examples_register_one_cache_load() -> None:
    io = gr.Interface(str.upper, "text", "text", examples=[["a"]], cache_examples=True)
    assert io.examples_handler.cache_event is None  # the Interface registers it itself
    caching = [d for d in io.fns if d.fn == io.examples_handler.compute_cache]
    assert len(caching) == 1


def test_lazy_or_uncached_examples_add_no_load_listener() -> None:
    with gr.Blocks() as demo:
        box = gr.Textbox()
        out = gr.Textbox()
        gr.Examples([["a"]], box, out, fn=str.upper, cache_examples="lazy")
        gr.Examples([["b"]], box)
    assert not [d for d in demo.fns if any(ev == "load" for _, ev in d.triggers)]


# -- 5. demo.unload and demo.close ---------------------------------------------------------------
async def test_unload_runs_once_when_the_session_closes_with_its_request() -> None:
    ended: list[str] = []

    def forget(request: gr.Request) -> None:
        ended.append(request.session_hash)

    with gr.Blocks() as demo:
        gr.Textbox()
        demo.unload(forget)
    session = Session(demo)
    await session.start()
    await session.wait_idle()
    assert ended == []
    await session.close()
    await session.close()
    assert ended == [session.request.session_hash]


async def test_unload_given_after_the_with_block_also_runs_and_failures_do_not_stop_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[str] = []

    def broken() -> None:
        calls.append("broken")
        raise RuntimeError("disk gone")

    with gr.Blocks() as demo:
        gr.Textbox()
    demo.unload(broken)
    demo.unload(lambda: calls.append("tidy"))
    session = Session(demo)
    await session.start()
    await session.close()
    assert sorted(calls) == ["broken", "tidy"]
    assert "disk gone" in caplog.text


def test_unload_is_not_an_endpoint_and_client_close_runs_it() -> None:
    calls: list[str] = []
    with gr.Blocks() as demo:
        box = gr.Textbox()
        box.submit(lambda x: x, box, box, api_name="echo")
        demo.unload(lambda: calls.append("bye"))
    assert list(demo.api_endpoints()) == ["echo"]
    client = Client(demo)
    assert calls == []
    client.close()
    assert calls == ["bye"]


def test_unload_refuses_a_non_callable() -> None:
    with gr.Blocks() as demo, pytest.raises(TypeError, match="unload"):
        demo.unload("cleanup")  # type: ignore[arg-type]


def test_blocks_close_is_accepted() -> None:
    with gr.Blocks() as demo:
        gr.Textbox()
    assert demo.close() is None


# -- 6. gr.Request fields ------------------------------------------------------------------------
def test_request_has_url_cookies_and_terminal_headers() -> None:
    request = gr.Request()
    assert request.url == "terminal://localhost/"
    assert (request.url.scheme, request.url.hostname, request.url.path) == (
        "terminal", "localhost", "/",
    )
    assert request.cookies == {}
    assert request.headers["host"] == "localhost"
    assert request.headers["User-Agent"] == f"audiotui/{gr.__version__}"
    assert "USER-AGENT" in request.headers and request.headers.get("Host") == "localhost"


def test_request_built_with_plain_values_behaves_the_same() -> None:
    request = gr.Request(url="terminal://box:7/x?y=1", headers={"X-Lab": "a"})  # type: ignore[arg-type]
    assert (request.url.port, request.url.path, request.url.query) == (7, "/x", "y=1")
    assert request.headers["x-lab"] == "a"


# -- 7. gr.Timer ---------------------------------------------------------------------------------
def test_timer_is_available_for_gradio_5_apps() -> None:
    # issue 9: Gradio 5/6 apps use gr.Timer; tick listeners are tested in test_compat_fidelity
    assert gr.Timer(2, active=False, render=False).value == 2
