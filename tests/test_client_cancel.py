"""Client-side cancelling and shutdown (issue 8).

`Job.cancel()` of a running plain (sync) function used to return True while the job stayed
"running" and `result()` timed out: a thread cannot be interrupted, so the session let it
finish. A Client's caller asked to stop waiting: the call now reads as cancelled at once, and
whatever the thread returns later is dropped (never stored, never announced).

An unclosed Client (the README's own example) printed `Exception ignored in: <generator
object gradio_alias>` at interpreter exit: the alias was undone while the interpreter was
tearing `sys` down.
"""

from __future__ import annotations

import concurrent.futures
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import audiotui as gr
from audiotui.client import AppError
from audiotui.job import JobCancelled

ROOT = Path(__file__).resolve().parent.parent


def test_cancelling_a_running_sync_function_ends_the_call_at_once() -> None:
    started = threading.Event()
    release = threading.Event()
    finished = threading.Event()
    seen: list[str] = []

    def slow(x: str) -> str:
        started.set()
        release.wait(30)  # "sleeps 30 s" unless the test lets it go
        seen.append(x)
        finished.set()
        return "late " + x

    with gr.Blocks() as demo:
        inp = gr.Textbox("start", label="in")
        out = gr.Textbox("untouched", label="out")
        inp.submit(slow, inp, out, api_name="slow")
    events: list[object] = []
    with gr.Client(demo) as client:
        client.session.subscribe(events.append)  # only read on this thread after the fact
        job = client.submit("x", api_name="/slow")
        assert started.wait(5)
        t0 = time.monotonic()
        assert job.cancel() is True
        assert job.done() is True
        assert job.status().code == "cancelled" and job.status().success is False
        with pytest.raises(JobCancelled):
            job.result(timeout=5)
        with pytest.raises(AppError, match="cancelled"):  # still an AppError, as before
            job.result()
        with pytest.raises(concurrent.futures.CancelledError):  # gradio_client raises this
            job.result()
        assert time.monotonic() - t0 < 0.5
        assert job.cancel() is False  # already over
        n_events = len(events)
        release.set()  # the thread ends on its own; its result must go nowhere
        assert finished.wait(5)
        time.sleep(0.3)
        assert seen == ["x"]
        assert client.session.get_value(out) == "untouched"
        assert job.outputs() == []
        assert not [e for e in events[n_events:] if type(e).__name__ == "ValueChanged"]
        # The Client keeps working (the session's concurrency slot was given back).
        release.set()
        assert client.predict("y", api_name="/slow") == "late y"


def test_cancel_of_a_queued_call_still_works_and_the_running_one_is_unaffected() -> None:
    release = threading.Event()

    def slow(x: str) -> str:
        release.wait(30)
        return x * 2

    with gr.Blocks() as demo:
        inp = gr.Textbox(label="in")
        out = gr.Textbox(label="out")
        inp.submit(slow, inp, out, api_name="slow", concurrency_limit=1)
    with gr.Client(demo) as client:
        first = client.submit("a", api_name="/slow")
        second = client.submit("b", api_name="/slow")  # waits for the first
        assert second.cancel() is True
        assert second.status().code == "cancelled"
        release.set()
        assert first.result(timeout=5) == "aa"


@pytest.mark.parametrize("closed", [False, True])
def test_an_unclosed_client_exits_without_noise(closed: bool) -> None:
    script = textwrap.dedent(f"""
        import audiotui as gr
        c = gr.Client("examples/tone.py")
        print(c.predict("A", 4, "1", api_name="/predict"))
        if {closed}:
            c.close()
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith(".wav")
    assert proc.stderr == "", proc.stderr


def test_an_unclosed_client_with_a_call_still_running_exits_promptly() -> None:
    """At exit the session is closed (running calls abandoned), not waited for."""
    script = textwrap.dedent("""
        import time
        import audiotui as gr

        def slow(x):
            time.sleep(3)
            return x

        demo = gr.Interface(slow, "text", "text")
        c = gr.Client(demo)
        job = c.submit("a")
        time.sleep(0.2)
        print("leaving")
    """)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "leaving"
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr
    assert time.monotonic() - start < 15
