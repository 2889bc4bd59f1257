"""`Client`: call an app's endpoints from plain Python, in the spirit of gradio_client.

Where gradio_client talks HTTP to a server, this Client runs the app's `Session` in-process on
a private asyncio loop (a daemon thread), so a call costs a function call plus a thread hop,
not a network round trip. Arguments and results use gradio_client's conventions: audio goes in
as a path (or `handle_file(path)`, or `(sr, array)`) and comes back as a file path.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import threading
import weakref
from collections.abc import Coroutine, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from audiotui.data import FileData
from audiotui.endpoints import (
    Endpoint,
    EndpointError,
    describe_api,
    join_stream,
    list_endpoints,
    render_api_text,
)
from audiotui.errors import AudiotuiError
from audiotui.job import JobCancelled

if TYPE_CHECKING:
    from audiotui.blocks import Blocks

T = TypeVar("T")


CANCEL_WAIT = 1.0
"""Seconds `Job.cancel()` waits for the session to confirm (normally one loop turn)."""

EXIT_JOIN = 2.0
"""Seconds the loop thread of a Client left open gets to stop at interpreter exit."""


class AppError(AudiotuiError):
    """The app's function failed (a `gr.Error` or any exception); the message is its report."""


class CallCancelled(AppError, JobCancelled, concurrent.futures.CancelledError):
    """`result()` of a cancelled call.

    An `AppError` (what every failed call raises), the runtime's `JobCancelled`, and the
    `concurrent.futures.CancelledError` gradio_client raises, so scripts written for any of
    them catch it.
    """


def handle_file(path_or_url: str | Path) -> FileData:
    """gradio_client's `handle_file`: mark a path or URL as a file argument.

    Plain paths work too; this exists so scripts written for gradio_client run unchanged.
    """
    text = str(path_or_url)
    if text.startswith(("http://", "https://")):
        return FileData(path=text, orig_name=text.rsplit("/", 1)[-1])
    path = Path(text).expanduser()
    if not path.exists():
        raise EndpointError(f"handle_file: {text}: no such file")
    return FileData(path=str(path.resolve()), orig_name=path.name)


@dataclass(frozen=True)
class JobStatus:
    """A snapshot of a submitted call, as `Job.status()` reports it.

    Attributes:
        code: "pending", "running", "done", "error" or "cancelled".
        success: True/False once finished, None before.
        progress: the latest `gr.Progress` fraction reported by the function, if any.
        desc: the latest progress description.
        error: the failure message when `code == "error"`.
    """

    code: str
    success: bool | None
    progress: float | None = None
    desc: str | None = None
    error: str | None = None


class Job:
    """One submitted call: wait for it, watch its yields, or cancel it (gradio_client's Job)."""

    def __init__(self, client: Client, endpoint: Endpoint, runtime_job: Any) -> None:
        self._client = client
        self.endpoint = endpoint
        self._job = runtime_job
        self._whole: list[Any] | None = None
        self._warned = False

    def done(self) -> bool:
        return bool(self._job.done())

    def status(self) -> JobStatus:
        code = str(self._job.status)
        success = None if code in ("pending", "running") else code == "done"
        progress = self._job.progress  # the latest ProgressUpdate, kept by the runtime
        return JobStatus(
            code=code, success=success,
            progress=progress.progress if progress else None,
            desc=progress.desc if progress else None,
            error=self._job.error,
        )

    def outputs(self) -> list[Any]:
        """Every result the function has produced so far (one per yield for generators)."""
        return [self.endpoint.to_result(o) for o in list(self._job.outputs)]

    def result(self, timeout: float | None = None) -> Any:
        """Wait for the call and return its final result; raises AppError if it failed.

        A streamed audio output comes back whole (every chunk joined into one file), as
        gradio_client returns it; `outputs()` and iteration give the chunks.
        """
        self._client._wait(lambda: self.done(), timeout)
        return self._final()

    def _final(self) -> Any:
        self._pass_on_warnings()
        code = str(self._job.status)
        if code == "error":
            # Chained, so a traceback (`audiotui call --debug`) reaches the app's own line.
            raise AppError(
                f"{self.endpoint.api_path} failed: {self._job.error or 'the function raised'}"
            ) from self._job.exception
        if code == "cancelled":
            raise CallCancelled(f"{self.endpoint.api_path} was cancelled")
        if not self._job.outputs:
            return None
        if self._whole is None:
            self._whole = self._with_whole_streams()
        return self.endpoint.to_result(self._whole)

    def _pass_on_warnings(self) -> None:
        """Warning notices of the call (`gr.Warning`, a truncated input file) become Python
        `UserWarning`s once, as there is no toast to show them: a script sees them on stderr
        (or turns them into errors) and `audiotui call` prints each as one line."""
        if self._warned:
            return
        self._warned = True
        import warnings

        for notice in list(self._job.notices):
            if notice.level == "warning":
                warnings.warn(str(notice.message), UserWarning, stacklevel=4)

    def _with_whole_streams(self) -> list[Any]:
        """The last yield, with each streamed audio output replaced by the whole stream."""
        final = list(self._job.outputs[-1])
        for i, comp in enumerate(self.endpoint.dep.outputs):
            if not (isinstance(final[i], FileData) and final[i].is_stream):
                continue
            chunks = [
                o[i] for o in self._job.outputs if isinstance(o[i], FileData) and o[i].is_stream
            ]
            if len(chunks) > 1:
                final[i] = join_stream(chunks, getattr(comp, "format", "wav"))
        return final

    def cancel(self) -> bool:
        """Stop the call; False if it already ended.

        A queued call never runs and a generator stops at its next yield. A plain function
        that is already running cannot be interrupted (it runs in a thread), so the call is
        given up: it reads as cancelled as soon as this returns, `result()` raises
        `CallCancelled`, and whatever the function returns later is dropped (never stored in
        the session, never reported).
        """
        if self.done():
            return False
        self._client._run(self._client._give_up(self._job))
        return True

    def __iter__(self) -> Iterator[Any]:
        """Each result as it is produced: the yields of a generator, or the single return."""
        seen = 0
        while True:
            self._client._wait(lambda n=seen: len(self._job.outputs) > n or self.done(), None)
            outputs = list(self._job.outputs)
            while seen < len(outputs):
                yield self.endpoint.to_result(outputs[seen])
                seen += 1
            if self.done() and seen >= len(self._job.outputs):
                if str(self._job.status) == "error":
                    self._final()
                return


class Client:
    """Run an app headless and call its endpoints: `Client("app.py").predict(...)`.

    Args:
        app: a Blocks/Interface object, or the path of an app file (loaded like
            `audiotui run` does, `import gradio` included).
        demo_name: which Blocks to use when the file defines several.
        alias: resolve `import gradio` to audiotui while loading a file and until `close()`
            (an app function may `import gradio` only when it is called). A Client never
            closed keeps the alias for the rest of the process: use `with Client(...)`.
    """

    def __init__(
        self, app: Blocks | str | Path, *, demo_name: str | None = None, alias: bool = True
    ) -> None:
        from audiotui.blocks import Blocks
        from audiotui.media import temp

        # The temp store is created later on a worker thread, where no signal handler can be
        # installed: install them now (main thread) so SIGTERM/SIGHUP still remove it.
        temp.install_signal_handlers()
        # Entered here, left in close(): a function that imports gradio at call time must see
        # the same stand-in its file saw at load time (as under `audiotui run`).
        self._alias = contextlib.ExitStack()
        if isinstance(app, (str, Path)):
            from audiotui.loader import gradio_alias, load_app

            self._alias.enter_context(gradio_alias(alias))
            try:
                app = load_app(app, demo_name=demo_name, alias=alias)
            except BaseException:
                self._alias.close()
                raise
        if not isinstance(app, Blocks):
            self._alias.close()
            raise TypeError(f"Client: expected a Blocks/Interface or an app path, got {app!r}")
        self.app = app
        self.endpoints = list_endpoints(app)
        self._cond = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="audiotui-client", daemon=True
        )
        self._thread.start()
        self._closed = False
        try:
            self.session: Any = self._run(self._open_session())
        except BaseException:
            self._closed = True  # no thread may outlive a Client that failed to start
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            self._alias.close()
            raise
        _open_clients.add(self)

    async def _open_session(self) -> Any:
        from audiotui.runtime import Session

        session = Session(self.app)
        session.subscribe(self._on_event)
        await session.start()
        return session

    async def _give_up(self, job: Any) -> None:
        self.session.cancel(job, abandon=True)
        # The job's task sees its cancellation on the loop's next turns; wait for that, not
        # for long (a generator's own cleanup may take its time, and then ends on its own).
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(job.wait(), CANCEL_WAIT)

    def _on_event(self, event: Any) -> None:
        # Called on the loop thread for every session event: whoever waits on a job re-checks.
        with self._cond:
            self._cond.notify_all()

    # -- thread plumbing -------------------------------------------------------------------
    def _run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        if self._closed:
            coro.close()
            raise RuntimeError("Client is closed")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def _on_loop(self, fn: Any, *args: Any) -> None:
        async def call() -> None:
            fn(*args)

        self._run(call())

    def _wait(self, ready: Any, timeout: float | None) -> None:
        # Events wake the condition; the short wait only guards against a wake-up that came
        # between the check and the wait.
        deadline = None if timeout is None else self._loop.time() + timeout
        with self._cond:
            while not ready():
                left = None if deadline is None else deadline - self._loop.time()
                if left is not None and left <= 0:
                    raise TimeoutError(f"no result within {timeout} s")
                self._cond.wait(0.05 if left is None else min(0.05, left))

    # -- calling -----------------------------------------------------------------------------
    def endpoint(self, api_name: str | None = None, fn_index: int | None = None) -> Endpoint:
        """The endpoint `api_name` ("/predict" or "predict") names; None = the first one."""
        if fn_index is not None:
            for ep in self.endpoints:
                if ep.fn_index == fn_index:
                    return ep
            raise EndpointError(f"the app has no endpoint with fn_index={fn_index}")
        if api_name is None:
            if not self.endpoints:
                raise EndpointError("the app has no endpoint callable from the Client")
            return self.endpoints[0]
        name = api_name.lstrip("/")
        for ep in self.endpoints:
            if ep.name == name:
                return ep
        known = ", ".join(ep.api_path for ep in self.endpoints) or "none"
        raise EndpointError(f"the app has no endpoint {api_name!r}; its endpoints: {known}")

    def submit(
        self, *args: Any, api_name: str | None = None, fn_index: int | None = None,
        **kwargs: Any,
    ) -> Job:
        """Start a call and return its Job at once (the call runs on the Client's loop)."""
        ep = self.endpoint(api_name, fn_index)
        values = ep.to_stored(args, kwargs, self.session)
        runtime_job = self._run(self.session.run(ep.dep, values))
        return Job(self, ep, runtime_job)

    def predict(
        self, *args: Any, api_name: str | None = None, fn_index: int | None = None,
        **kwargs: Any,
    ) -> Any:
        """Call an endpoint and wait: one output comes back alone, several as a tuple."""
        return self.submit(*args, api_name=api_name, fn_index=fn_index, **kwargs).result()

    def view_api(
        self, print_info: bool = True, return_format: str | None = None
    ) -> dict[str, Any] | str | None:
        """Describe every visible endpoint: parameters (name, type, default) and returns.

        Args:
            print_info: print the description (gradio_client's usage text).
            return_format: "dict" for the structured form, "str" for the text, None for
                nothing (as gradio_client).
        """
        visible = [ep for ep in self.endpoints if ep.visible]
        text = render_api_text(visible)
        if print_info:
            print(text, end="")
        if return_format == "dict":
            return describe_api(visible)
        if return_format == "str":
            return text
        if return_format is not None:
            raise ValueError("view_api: return_format must be 'dict', 'str' or None")
        return None

    # -- lifetime ----------------------------------------------------------------------------
    def close(self) -> None:
        """End the session and stop the loop thread."""
        if self._closed:
            return
        _open_clients.discard(self)
        with contextlib.suppress(FutureTimeout, RuntimeError):
            self._run(self.session.close(), timeout=10)
        self._closed = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._alias.close()

    def _release_at_exit(self) -> None:
        """An unclosed Client at interpreter exit: stop its loop, undo the gradio alias.

        Left to garbage collection, the alias was undone while the interpreter was already
        tearing `sys` down (`Exception ignored in: <generator object gradio_alias>`). The
        session is not closed here: by now Python has shut its worker thread pools down, so
        unload functions could not run anyway (close the Client, or use `with`, for those).
        """
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(RuntimeError):  # the loop may already be gone
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=EXIT_JOIN)
        with contextlib.suppress(Exception):
            self._alias.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Client of {type(self.app).__name__} {self.app.title!r}>"


_open_clients: weakref.WeakSet[Client] = weakref.WeakSet()
"""Clients not closed yet; whatever is left at exit is released by `_release_open_clients`."""


@atexit.register
def _release_open_clients() -> None:
    for client in list(_open_clients):
        client._release_at_exit()
