"""`gr.Progress`: progress reports from inside a user function, including tqdm bars.

A function opts in with a parameter defaulting to `gr.Progress()`; the runtime then passes a
fresh instance bound to the running job. With `track_tqdm=True`, every tqdm bar the function
creates reports too: tqdm's class is patched once per process, and the patch only acts in the
contexts of jobs that asked for it (elsewhere tqdm behaves exactly as before). Tracked bars
write to os.devnull, since their text on stderr would garble the terminal UI.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar, Token
from typing import IO, TYPE_CHECKING, Any

from audiotui.session_events import ProgressUpdate

if TYPE_CHECKING:
    from audiotui.job import Job

_MIN_INTERVAL = 0.05
"""Seconds between reports of a fast loop; the first and the last step are always reported."""

_tqdm_target: ContextVar[Progress | None] = ContextVar("audiotui_tqdm_progress", default=None)
_patch_lock = threading.Lock()
_patched = False
_devnull: IO[str] | None = None


class Progress:
    """A progress reporter; as a parameter default it marks where the runtime injects one.

    Args:
        track_tqdm: also report every tqdm bar the function iterates.
    """

    def __init__(self, track_tqdm: bool = False) -> None:
        self.track_tqdm = track_tqdm
        self._job: Job | None = None
        self._last_report = 0.0

    @classmethod
    def for_job(cls, job: Job, like: Progress) -> Progress:
        """A reporter bound to `job`, with the settings of the parameter default `like`."""
        bound = cls(track_tqdm=like.track_tqdm)
        bound._job = job
        return bound

    def __call__(
        self,
        progress: float | tuple[int, int | None] | None,
        desc: str | None = None,
        total: int | None = None,
        unit: str = "steps",
    ) -> float | tuple[int, int | None] | None:
        """Report `progress`: a fraction in [0, 1], an `(index, length)` pair, or None (busy)."""
        if isinstance(progress, tuple):
            index, length = progress
            fraction = index / length if length else None
            self.report(fraction, desc, index, length, unit, force=True)
        elif progress is None:
            self.report(None, desc, None, total, unit, force=True)
        else:
            self.report(float(progress), desc, None, total, unit, force=True)
        return progress

    def tqdm(
        self,
        iterable: Iterable[Any] | None,
        desc: str | None = None,
        total: int | None = None,
        unit: str = "steps",
    ) -> TrackedIterable:
        """Wrap `iterable` so that iterating it reports each step (None: call `update()`)."""
        return TrackedIterable(self, iterable, desc, total, unit)

    def report(
        self,
        fraction: float | None,
        desc: str | None,
        index: int | None,
        length: int | None,
        unit: str,
        *,
        force: bool = False,
    ) -> None:
        """Send one ProgressUpdate to the job's session (throttled unless `force`)."""
        job = self._job
        if job is None:
            return  # called outside a run (e.g. the function was called directly)
        now = time.monotonic()
        if not force and now - self._last_report < _MIN_INTERVAL:
            return
        self._last_report = now
        job.session.report_progress(ProgressUpdate(job, fraction, desc, index, length, unit))

    def track_tqdm_here(self) -> Token[Progress | None] | None:
        """Route tqdm bars created in this context to this reporter (when asked for)."""
        if not self.track_tqdm or not _install_tqdm_patch():
            return None
        return _tqdm_target.set(self)

    @staticmethod
    def stop_tracking(token: Token[Progress | None] | None) -> None:
        if token is not None:
            _tqdm_target.reset(token)


class TrackedIterable:
    """What `progress.tqdm(...)` returns: iterate it, or call `update()` by hand."""

    def __init__(
        self,
        progress: Progress,
        iterable: Iterable[Any] | None,
        desc: str | None,
        total: int | None,
        unit: str,
    ) -> None:
        self.progress = progress
        self.iterable = iterable
        self.desc = desc
        self.unit = unit
        if total is None and iterable is not None:
            try:
                total = len(iterable)  # type: ignore[arg-type]
            except TypeError:
                total = None
        self.total = total
        self.n = 0

    def __len__(self) -> int:
        return self.total or 0

    def __iter__(self) -> Iterator[Any]:
        if self.iterable is None:
            raise TypeError("progress.tqdm(None) has nothing to iterate; call update() instead")
        self._report(force=True)
        for item in self.iterable:
            yield item
            self.n += 1
            self._report(force=self.n == self.total)

    def update(self, n: int = 1) -> None:
        """Advance by `n` steps (for work that is not a loop over an iterable)."""
        self.n += n
        self._report(force=self.n == self.total)

    def close(self) -> None:
        self._report(force=True)

    def _report(self, *, force: bool) -> None:
        fraction = self.n / self.total if self.total else None
        self.progress.report(fraction, self.desc, self.n, self.total, self.unit, force=force)


def _install_tqdm_patch() -> bool:
    """Patch tqdm once so bars report to `_tqdm_target`; False when tqdm is not installed."""
    global _patched, _devnull
    try:
        import tqdm.std as tqdm_std
    except ModuleNotFoundError:
        return False
    with _patch_lock:
        if _patched:
            return True
        cls = tqdm_std.tqdm
        original_init, original_update, original_close = cls.__init__, cls.update, cls.close
        _devnull = open(os.devnull, "w")  # noqa: SIM115 - kept open for the process lifetime
        atexit.register(_devnull.close)

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            target = _tqdm_target.get()
            if target is not None:
                # Positions of file / mininterval / miniters in tqdm's signature: only set
                # them when the caller did not pass them positionally.
                if len(args) < 5:
                    kwargs["file"] = _devnull
                if len(args) < 7:
                    kwargs["mininterval"] = 0  # make __iter__ call update() every step
                if len(args) < 9:
                    kwargs["miniters"] = 1
            original_init(self, *args, **kwargs)
            # A disabled bar skips most of its setup (no desc/unit): leave it untracked.
            self._audiotui_progress = None if self.disable else target
            if self._audiotui_progress is not None:
                _tqdm_report(self, force=True)

        def update(self: Any, n: float | None = 1) -> bool | None:
            displayed: bool | None = original_update(self, n)
            if getattr(self, "_audiotui_progress", None) is not None:
                _tqdm_report(self, force=self.total is not None and self.n >= self.total)
            return displayed

        def close(self: Any) -> None:
            if getattr(self, "_audiotui_progress", None) is not None and not self.disable:
                _tqdm_report(self, force=True)
                self._audiotui_progress = None  # close() runs again from __del__
            original_close(self)

        cls.__init__ = __init__
        cls.update = update
        cls.close = close
        _patched = True
        return True


def _tqdm_report(bar: Any, *, force: bool) -> None:
    progress: Progress = bar._audiotui_progress
    total = int(bar.total) if bar.total else None
    n = int(bar.n)
    fraction = n / total if total else None
    progress.report(fraction, bar.desc or None, n, total, str(bar.unit), force=force)
