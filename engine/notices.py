"""`gr.Warning` and `gr.Info`: toasts a user function raises without stopping.

They are functions, not exceptions, as in Gradio 4: calling one inside a function reports to
the session that runs it (found through `audiotui.job.current_job`, so this works from the
worker thread a sync function runs in). Outside any function there is no UI to show a toast,
so a warning becomes a Python warning and info a log record, as Gradio does.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings

from audiotui.job import current_job
from audiotui.session_events import Notice, NoticeLevel

_log = logging.getLogger("audiotui")
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn_app(message: str) -> None:
    """Warn about the app's own code, pointing at the app line that caused it.

    A fixed `stacklevel` breaks as soon as the call path changes (constructor wrappers,
    listeners used as decorators), and then the warning blames an audiotui file the user
    cannot act on; walking out of the package always lands on the user's line.
    """
    frame = sys._getframe(1)
    level = 2
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    warnings.warn(message, UserWarning, stacklevel=level)


def _notify(level: NoticeLevel, message: str, duration: float | None, visible: bool) -> bool:
    job = current_job.get()
    if job is None:
        return False
    if visible:
        job.session.notify(Notice(level, str(message), None, duration), job=job)
    return True


def Warning(  # noqa: N802 - Gradio's public name
    message: str = "Warning issued.", duration: float | None = 10, visible: bool = True
) -> None:
    """Show `message` as a warning toast for `duration` seconds (None = until dismissed)."""
    if not _notify("warning", message, duration, visible) and visible:
        warnings.warn(message, UserWarning, stacklevel=2)


def Info(  # noqa: N802 - Gradio's public name
    message: str = "Info issued.", duration: float | None = 10, visible: bool = True
) -> None:
    """Show `message` as an info toast for `duration` seconds (None = until dismissed)."""
    if not _notify("info", message, duration, visible) and visible:
        _log.info(message)
