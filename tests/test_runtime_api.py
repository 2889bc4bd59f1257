"""Endpoints and launching: api_name, show_api, recorded UI hints, Session.run, Blocks.launch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import types
from pathlib import Path
from typing import Any, ClassVar

import pytest

import audiotui as gr
from audiotui.blocks import parse_file_size
from audiotui.components.base import Component
from audiotui.runtime import EndpointError, Session
from audiotui.session_events import JobStarted, SessionEvent

ROOT = Path(__file__).resolve().parent.parent


class Box(Component):
    EVENTS: ClassVar[tuple[str, ...]] = ("change", "click")


def reverse(text: str) -> str:
    return text[::-1]


def test_api_name_defaults_to_the_function_name_with_suffixes_on_collisions() -> None:
    with gr.Blocks() as demo:
        a, b = Box(), Box()
        first = a.click(reverse, a, b)
        second = b.click(reverse, b, a)
        third = a.change(reverse, a, b)
        anon = a.click(lambda x: x, a, b)
    endpoints = demo.api_endpoints()
    assert list(endpoints) == ["reverse", "reverse_1", "reverse_2", "lambda"]
    assert [endpoints[n] for n in ("reverse", "reverse_1", "reverse_2", "lambda")] == [
        first, second, third, anon
    ]
    assert demo.api_name_of(second) == "reverse_1"


def test_explicit_api_names_are_kept_and_deduplicated() -> None:
    with gr.Blocks() as demo:
        a = Box()
        a.click(reverse, a, a, api_name="flip")
        a.change(reverse, a, a, api_name="flip")
    assert list(demo.api_endpoints()) == ["flip", "flip_1"]


async def test_api_name_false_is_not_callable_by_name_but_show_api_false_is() -> None:
    with gr.Blocks() as demo:
        a = Box("abc")
        private = a.click(reverse, a, a, api_name=False)
        hidden = a.change(str.upper, a, a, api_name="upper", show_api=False)
    assert demo.api_name_of(private) is None
    assert demo.api_endpoints() == {"upper": hidden}
    session = Session(demo)
    with pytest.raises(EndpointError, match="no endpoint named 'reverse'"):
        await session.run("reverse", ["x"])
    job = await session.run("/upper", ["abc"])
    assert await job.result() == ["ABC"]
    job = await session.run(private, ["abc"])  # the dependency object itself still runs
    assert await job.result() == ["cba"]


async def test_run_checks_the_number_of_inputs() -> None:
    with gr.Blocks() as demo:
        a = Box()
        a.click(reverse, a, a)
    session = Session(demo)
    with pytest.raises(EndpointError, match=r"reverse\(\) takes 1 input\(s\) but 2 were given"):
        await session.run("reverse", ["a", "b"])


async def test_run_accepts_a_dict_and_defaults_to_current_values() -> None:
    with gr.Blocks() as demo:
        a, b, out = Box("x"), Box("y"), Box()
        a.click(lambda p, q: p + q, [a, b], out, api_name="join")
    session = Session(demo)
    assert await (await session.run("join", {b: "Z"})).result() == ["xZ"]
    assert await (await session.run("join")).result() == ["xy"]


async def test_triggering_from_another_thread_is_refused_with_the_fix() -> None:
    import concurrent.futures

    with gr.Blocks() as demo:
        a = Box()
        a.click(reverse, a, a)
    session = Session(demo)
    await session.start()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(session.trigger, a, "click")
        with pytest.raises(RuntimeError, match="run_coroutine_threadsafe"):
            future.result()


async def test_show_progress_and_scroll_to_output_are_recorded_for_the_ui() -> None:
    with gr.Blocks() as demo:
        a = Box()
        dep = a.click(reverse, a, a, show_progress="minimal", scroll_to_output=True)
    session = Session(demo)
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    session.set_value(a, "ab")
    session.trigger(a, "click")
    await session.wait_idle()
    [started] = [e for e in events if isinstance(e, JobStarted)]
    assert started.job.show_progress == "minimal"
    assert dep.scroll_to_output is True


def test_js_is_accepted_with_a_warning() -> None:
    with gr.Blocks(), pytest.warns(UserWarning, match="js= is ignored"):
        a = Box()
        a.click(reverse, a, a, js="(x) => x")


@pytest.mark.parametrize(
    ("given", "expected"),
    [(None, None), (1000, 1000), ("5mb", 5 * 1024**2), ("1.5 GB", int(1.5 * 1024**3)),
     ("200kb", 200 * 1024), ("42", 42)],
)
def test_max_file_size_accepts_bytes_and_gradio_size_strings(given: Any, expected: Any) -> None:
    assert parse_file_size(given) == expected


@pytest.mark.parametrize("bad", ["five mb", "5 parsecs", -1])
def test_max_file_size_rejects_what_is_not_a_size(bad: Any) -> None:
    with pytest.raises(ValueError, match="max_file_size"):
        parse_file_size(bad)


def test_launch_ignores_web_arguments_stores_max_file_size_and_opens_the_tui(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[Any] = []
    fake = types.ModuleType("audiotui.tui.launch")
    fake.run_app = opened.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "audiotui.tui.launch", fake)
    with gr.Blocks() as demo:
        Box()
    demo.launch(share=True, server_name="0.0.0.0", server_port=7860, auth=("u", "p"),
                inbrowser=True, max_file_size="2mb")
    assert opened == [demo]
    assert demo.max_file_size == 2 * 1024**2


def test_launch_rejects_arguments_gradio_does_not_have() -> None:
    with gr.Blocks() as demo:
        Box()
    with pytest.raises(TypeError, match="server_prot"):
        demo.launch(server_prot=7860)


def test_launch_without_the_tui_runs_headless_until_ctrl_c(tmp_path: Path) -> None:
    marker = tmp_path / "loaded.txt"
    script = tmp_path / "app.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.modules["audiotui.tui.launch"] = None  # the TUI cannot be imported
        import audiotui as gr
        from audiotui.components.base import Component

        def on_load():
            open({str(marker)!r}, "w").write("loaded")

        with gr.Blocks() as demo:
            Component()
            demo.load(on_load, None, None)
        demo.launch()
        print("exited cleanly", flush=True)
    """))
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        first_line = proc.stdout.readline()
        assert "terminal UI is unavailable" in first_line and "Ctrl-C" in first_line
        for _ in range(200):
            if marker.exists():
                break
            time.sleep(0.05)
        assert marker.read_text() == "loaded"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "exited cleanly" in out
