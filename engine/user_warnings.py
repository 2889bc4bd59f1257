"""Warnings raised by an app's own functions, shown where the app is shown.

In Gradio a `warnings.warn` (or numpy's divide-by-zero `RuntimeWarning`) inside an event
handler is only logged by the server; the call's result is unaffected. A terminal UI has no
server log, and its stderr is the screen, so a front end that draws a session asks for the
warnings raised inside that session's jobs with `route_warnings(session, log_line)`: each one
becomes a warning `Notice` naming the app's file:line, once per distinct message and session,
and a line for the print log. Every other warning (outside any job, or in a session nobody
routes, such as a `Client`'s) goes to whatever `warnings.showwarning` did before: Python's own
stderr line, once per location, as usual.

Why a process-wide `showwarning` hook rather than `warnings.catch_warnings()` around each call:
`catch_warnings` swaps module-global state (the filters and `showwarning`) on enter and puts it
back on exit, so two jobs running in two threads restore each other's state in the wrong order
and warnings leak or vanish (the documentation says it is not thread-safe). Jobs run on worker
threads, the generator pool and the loop. One hook, installed once, keeps global state constant
while it runs and finds the job that warned through the `current_job` context variable, which
asyncio tasks, `asyncio.to_thread` and the generator pool all carry; so routing is per job with
no per-call global change. The hook never changes what the warning machinery decides (filters,
"once per location", `error` filters that raise): it only changes where a shown warning goes.
"""

from __future__ import annotations

import logging
import os
import sys
import sysconfig
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from audiotui.job import current_job
from audiotui.session_events import Notice

if TYPE_CHECKING:
    from audiotui.runtime import Session

_log = logging.getLogger("audiotui")

WARNING_DURATION = 10.0
"""Seconds a warning notice stays up (as `gr.Warning`'s default)."""

ShowWarning = Callable[..., None]


@dataclass
class _Route:
    session: Session
    log_line: Callable[[str], None] | None
    shown: set[tuple[str, str]] = field(default_factory=set)


_lock = threading.Lock()
_routes: dict[int, _Route] = {}
_previous: ShowWarning | None = None


def route_warnings(
    session: Session, log_line: Callable[[str], None] | None = None
) -> Callable[[], None]:
    """Warnings raised inside `session`'s jobs become notices (and `log_line` calls).

    `log_line` receives one line of text ending in a newline, Python's usual
    `file:line: Category: message`, for every warning shown (the notice appears once per
    distinct message). It may be called from any thread. Returns a function that stops the
    routing; the hook is removed again when no session is routed any more.
    """
    with _lock:
        _routes[id(session)] = _Route(session, log_line)
        _install_locked()

    def stop() -> None:
        global _previous
        with _lock:
            route = _routes.get(id(session))
            if route is not None and route.session is session:
                del _routes[id(session)]
            if not _routes and warnings.showwarning is _showwarning:
                warnings.showwarning = _previous or _original_showwarning()
                _previous = None

    return stop


def _install_locked() -> None:
    """Put the hook in front of the current `showwarning` (again, when something else, such
    as a test's `catch_warnings`, replaced it in between)."""
    global _previous
    if warnings.showwarning is not _showwarning:
        _previous = warnings.showwarning
        warnings.showwarning = _showwarning


def _original_showwarning() -> ShowWarning:
    original: ShowWarning = getattr(warnings, "_showwarning_orig", warnings.showwarning)
    return original


def _showwarning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int,
    file: TextIO | None = None, line: str | None = None,
) -> None:
    job = current_job.get()
    route = None
    if job is not None and file is None:  # an explicit file means "write it there"
        with _lock:
            route = _routes.get(id(job.session))
        if route is not None and route.session is not job.session:
            route = None
    if route is None:
        previous = _previous or _original_showwarning()
        previous(message, category, filename, lineno, file, line)
        return
    try:
        _report(route, job, message, category, filename, lineno)
    except Exception:  # the warning is only news: the user's function must go on unharmed
        _log.exception("could not show a warning raised by %s", getattr(job, "dep", None))


def _report(
    route: _Route, job: Any, message: Warning | str, category: type[Warning],
    filename: str, lineno: int,
) -> None:
    where_file, where_line = app_location(filename, lineno, sys._getframe(1))
    name = getattr(category, "__name__", "Warning")
    text = str(message)
    if route.log_line is not None:
        route.log_line(f"{_shown_path(where_file)}:{where_line}: {name}: {text}\n")
    key = (name, text)
    with _lock:
        first = key not in route.shown
        route.shown.add(key)
    if first:
        notice = Notice(
            "warning", f"{text} ({os.path.basename(where_file)}:{where_line})", name,
            WARNING_DURATION,
        )
        route.session.notify(notice, job=job)


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _library_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    dirs = {_PACKAGE_DIR}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        if paths.get(key):
            dirs.add(os.path.abspath(paths[key]) + os.sep)
    return tuple(dirs)


_LIBRARY_DIRS = _library_dirs()


def is_app_file(filename: str) -> bool:
    """True for a file of the app (not audiotui, the standard library or an installed package)."""
    if not filename or filename.startswith("<"):
        return False
    return not os.path.abspath(filename).startswith(_LIBRARY_DIRS)


def app_location(filename: str, lineno: int, frame: FrameType | None) -> tuple[str, int]:
    """Where in the app a warning came from.

    A warning raised inside a library (`warnings.warn` deep in a package, with the default
    stacklevel) names the library's line, which the app's author cannot act on; then the
    innermost app frame of the stack that warned is used instead. The hook runs on the thread
    (or in the task) that warned, so `frame` is that stack.
    """
    if is_app_file(filename):
        return filename, lineno
    while frame is not None:
        if is_app_file(frame.f_code.co_filename):
            return frame.f_code.co_filename, frame.f_lineno
        frame = frame.f_back
    return filename, lineno


def _shown_path(filename: str) -> str:
    """Relative to the working directory when inside it (as the app was named), else as is."""
    try:
        relative = os.path.relpath(filename)
    except ValueError:
        return filename
    return filename if relative.startswith("..") else relative
