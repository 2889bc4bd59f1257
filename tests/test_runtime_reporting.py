"""What a running function reports: errors, gr.Warning/gr.Info, gr.Progress (and tqdm), and
what it can ask for: gr.Request, gr.EventData, gr.SelectData."""

from __future__ import annotations

import asyncio
import getpass
import importlib.util
from pathlib import Path
from typing import Any, ClassVar

import pytest

import audiotui as gr
from audiotui.components.base import Component
from audiotui.errors import AudioLengthError
from audiotui.runtime import Session
from audiotui.session_events import Notice, ProgressUpdate, SessionEvent


class Box(Component):
    EVENTS: ClassVar[tuple[str, ...]] = ("change", "click", "select")


class TooShort(Component):
    """Rejects every value in preprocess, as Audio does below its min_length."""

    def preprocess(self, payload: Any) -> Any:
        raise AudioLengthError(f"Audio: {payload!r} is 0.5 s long, shorter than allowed "
                               f"(min_length=1 s, max_length=none)")


async def run_click(build: Any) -> tuple[Session, list[SessionEvent], Any]:
    """Build an app with `build(btn)`, click btn once, wait for everything to settle."""
    with gr.Blocks() as demo:
        btn = Box()
        extra = build(btn)
    session = Session(demo)
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    await session.start()
    jobs = session.trigger(btn, "click")
    await session.wait_idle()
    return session, events, (jobs, extra)


def notices(events: list[SessionEvent], level: str) -> list[Notice]:
    return [e for e in events if isinstance(e, Notice) and e.level == level]


# -- errors -------------------------------------------------------------------------------------
async def test_gr_error_shows_its_message_and_stops_the_success_chain() -> None:
    after: list[str] = []

    def build(btn: Box) -> None:
        def check() -> None:
            raise gr.Error("Upload a longer clip", duration=3)

        btn.click(check, None, None).success(lambda: after.append("ran"), None, None)

    session, events, ((job,), _) = await run_click(build)
    [notice] = notices(events, "error")
    assert notice.message == "Upload a longer clip" and notice.duration == 3
    assert job.status == "error" and job.error == "Upload a longer clip"
    assert job.traceback is None
    assert after == []
    with pytest.raises(gr.Error):
        await job.result()


async def test_invisible_gr_error_stops_the_chain_without_a_notice() -> None:
    def build(btn: Box) -> None:
        def quiet() -> None:
            raise gr.Error("hidden", visible=False)

        btn.click(quiet, None, None)

    _, events, ((job,), _) = await run_click(build)
    assert job.status == "error" and notices(events, "error") == []


async def test_unexpected_exception_is_reported_and_the_session_keeps_working() -> None:
    def build(btn: Box) -> tuple[Box, Box]:
        out = Box()

        def divide() -> float:
            return 1 / 0

        btn.click(divide, None, out)
        other = Box()
        other.click(lambda: "still alive", None, out)
        return other, out

    session, events, ((job,), (other, out)) = await run_click(build)
    [notice] = notices(events, "error")
    assert notice.message == "divide() raised ZeroDivisionError: division by zero"
    assert job.traceback is not None and "1 / 0" in job.traceback
    session.trigger(other, "click")
    await session.wait_idle()
    assert session.get_value(out) == "still alive"


async def test_preprocess_length_error_is_a_notice_and_fn_is_not_called() -> None:
    called: list[Any] = []

    def build(btn: Box) -> None:
        clip = TooShort("clip.wav")
        btn.click(lambda audio: called.append(audio), clip, None)

    _, events, ((job,), _) = await run_click(build)
    assert called == []
    [notice] = notices(events, "error")
    assert "min_length=1 s" in notice.message
    assert job.status == "error" and isinstance(job.exception, AudioLengthError)


async def test_real_audio_min_length_blocks_the_call(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    sf = pytest.importorskip("soundfile")
    path = tmp_path / "short.wav"
    sf.write(str(path), np.zeros(8000, dtype="int16"), 16000)
    from audiotui.media.files import path_to_filedata

    called: list[Any] = []
    with gr.Blocks() as demo:
        btn = Box()
        clip = gr.Audio(min_length=1, max_length=5)
        btn.click(lambda audio: called.append(audio), clip, None)
    session = Session(demo)
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    session.set_value(clip, path_to_filedata(path))
    session.trigger(btn, "click")
    await session.wait_idle()
    assert called == []
    [notice] = notices(events, "error")
    assert "min_length" in notice.message and "max_length" in notice.message


# -- notices ------------------------------------------------------------------------------------
async def test_warning_and_info_inside_a_sync_function_become_notices() -> None:
    def build(btn: Box) -> None:
        def chatty() -> None:
            gr.Info("loading model")
            gr.Warning("clip is mono", duration=None)

        btn.click(chatty, None, None)

    _, events, ((job,), _) = await run_click(build)
    assert [(n.level, n.message) for n in job.notices] == [
        ("info", "loading model"), ("warning", "clip is mono")
    ]
    assert notices(events, "warning")[0].duration is None
    assert job.status == "done"


async def test_warning_inside_an_async_generator_becomes_a_notice() -> None:
    def build(btn: Box) -> None:
        async def stream() -> Any:
            gr.Warning("first chunk is silent")
            yield 1

        btn.click(stream, None, Box())

    _, events, _ = await run_click(build)
    assert [n.message for n in notices(events, "warning")] == ["first chunk is silent"]


async def test_warning_outside_a_function_is_a_python_warning() -> None:
    with pytest.warns(UserWarning, match="no session here"):
        gr.Warning("no session here")


async def test_notices_from_worker_threads_arrive_on_the_loop_thread() -> None:
    import threading

    loop_thread = threading.get_ident()
    seen: list[int] = []

    def build(btn: Box) -> None:
        btn.click(lambda: gr.Info("hi"), None, None)

    with gr.Blocks() as demo:
        btn = Box()
        build(btn)
    session = Session(demo)
    session.subscribe(lambda e: seen.append(threading.get_ident()))
    session.trigger(btn, "click")
    await session.wait_idle()
    assert seen and set(seen) == {loop_thread}


# -- progress -----------------------------------------------------------------------------------
async def test_progress_parameter_reports_fractions_and_steps() -> None:
    def build(btn: Box) -> None:
        def work(progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008 - Gradio's idiom
            progress(0.25, desc="loading")
            progress((3, 4), desc="mixing", unit="tracks")
            return "done"

        btn.click(work, None, Box())

    _, events, ((job,), _) = await run_click(build)
    updates = [e for e in events if isinstance(e, ProgressUpdate)]
    assert [(u.progress, u.desc, u.index, u.length) for u in updates] == [
        (0.25, "loading", None, None), (0.75, "mixing", 3, 4)
    ]
    assert updates[1].unit == "tracks" and updates[0].job is job
    assert job.progress == updates[-1]


async def test_progress_tqdm_reports_first_and_last_step() -> None:
    def build(btn: Box) -> None:
        def work(x: Any, progress: gr.Progress = gr.Progress()) -> int:  # noqa: B008 - Gradio's idiom
            return sum(1 for _ in progress.tqdm(range(50), desc="chunks"))

        inp = Box(0)
        btn.click(work, inp, Box())

    _, events, _ = await run_click(build)
    updates = [e for e in events if isinstance(e, ProgressUpdate)]
    assert (updates[0].index, updates[0].length, updates[0].progress) == (0, 50, 0.0)
    assert (updates[-1].index, updates[-1].progress, updates[-1].desc) == (50, 1.0, "chunks")


@pytest.mark.skipif(importlib.util.find_spec("tqdm") is None, reason="tqdm is not installed")
async def test_track_tqdm_reports_plain_tqdm_bars_and_keeps_them_off_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tqdm import tqdm

    def build(btn: Box) -> None:
        def work(progress: gr.Progress = gr.Progress(track_tqdm=True)) -> int:  # noqa: B008 - Gradio's idiom
            total = 0
            for i in tqdm(range(20), desc="frames"):
                total += i
            return total

        btn.click(work, None, Box())

    _, events, ((job,), _) = await run_click(build)
    updates = [e for e in events if isinstance(e, ProgressUpdate)]
    assert updates and updates[-1].index == 20 and updates[-1].length == 20
    assert updates[-1].desc == "frames" and updates[-1].progress == 1.0
    assert "frames" not in capsys.readouterr().err
    assert job.status == "done"


@pytest.mark.skipif(importlib.util.find_spec("tqdm") is None, reason="tqdm is not installed")
async def test_tqdm_outside_tracked_jobs_is_untouched() -> None:
    import io

    from tqdm import tqdm

    def build(btn: Box) -> None:
        def work(progress: gr.Progress = gr.Progress(track_tqdm=True)) -> None:  # noqa: B008 - Gradio's idiom
            for _ in tqdm(range(2)):
                pass

        btn.click(work, None, None)

    await run_click(build)  # installs the patch
    stream = io.StringIO()
    for _ in tqdm(range(3), file=stream, desc="plain"):
        pass
    assert "plain" in stream.getvalue()


# -- request and event data ---------------------------------------------------------------------
async def test_request_parameter_describes_the_terminal_session() -> None:
    def build(btn: Box) -> Box:
        out = Box()

        def who(text: str, request: gr.Request) -> tuple[Any, ...]:
            return (text, request.username, request.client.host, request.headers,
                    request.query_params, request.session_hash)

        btn.click(who, Box("hi"), out)
        return out

    session, _, (_, out) = await run_click(build)
    text, user, host, headers, query, session_hash = session.get_value(out)
    assert (text, host, query) == ("hi", "localhost", {})
    assert headers == {"host": "localhost", "user-agent": f"audiotui/{gr.__version__}"}
    assert user == getpass.getuser()
    assert session_hash == session.request.session_hash and len(session_hash) == 11


async def test_request_before_the_inputs_and_as_a_string_annotation() -> None:
    def build(btn: Box) -> Box:
        out = Box()

        def who(request: "gr.Request", text: str) -> str:  # noqa: UP037 - string on purpose
            return f"{text}:{request.client.host}"

        btn.click(who, Box("x"), out)
        return out

    session, _, (_, out) = await run_click(build)
    assert session.get_value(out) == "x:localhost"


async def test_select_data_carries_index_value_and_selected() -> None:
    with gr.Blocks() as demo:
        choices, out = Box(["a", "b"]), Box()

        def picked(items: list[str], evt: gr.SelectData) -> tuple[Any, ...]:
            return (evt.index, evt.value, evt.selected, evt.target is choices, len(items))

        choices.select(picked, choices, out)
    session = Session(demo)
    session.trigger(choices, "select", {"index": 1, "value": "b"})
    await session.wait_idle()
    assert session.get_value(out) == (1, "b", True, True, 2)


async def test_event_data_is_passed_for_any_event() -> None:
    with gr.Blocks() as demo:
        btn, out = Box(), Box()

        def seen(evt: gr.EventData) -> tuple[Any, Any]:
            return (evt.target, evt._data)

        btn.click(seen, None, out)
    session = Session(demo)
    session.trigger(btn, "click", {"x": 1})
    await session.wait_idle()
    assert session.get_value(out) == (btn, {"x": 1})


async def test_functions_called_directly_still_work_with_progress_defaults() -> None:
    def work(n: int, progress: gr.Progress = gr.Progress()) -> int:  # noqa: B008 - Gradio's idiom
        progress(0.5)
        return sum(progress.tqdm(range(n)))

    assert work(4) == 6
    await asyncio.sleep(0)
