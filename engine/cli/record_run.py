"""One `audiotui record` run: possibly many files, possibly many streams, watched throughout.

A Recorder is one stream into one file (or, with `--split`, a chain of files cut gaplessly on
its writer thread). A lab run is more: when the device vanishes and comes back (`--split` or
`--reconnect`), a new Recorder resumes into the next file and the gap is logged; alarms,
overflows and the free-space floor are watched from this loop (the main thread), never from
the writer; each finished file is reported as soon as it is complete (its path on stdout, or a
`saved` JSON event), so a script can move hour-files away while the run goes on.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audiotui.cli.record_status import RecordOutput, clock, status_line
from audiotui.errors import AudiotuiError, DeviceError, NoAudioHardware

if TYPE_CHECKING:
    from audiotui.media.alarms import AlarmMonitor
    from audiotui.media.recorder import Recorder

STATUS_INTERVAL = 0.25  # seconds between redraws of the live line
DISK_INTERVAL = 1.0  # seconds between free-space checks
RECONNECT_INTERVAL = 1.0  # seconds between attempts to reopen a vanished device
MAX_ALARM_COMMANDS = 4  # --on-alarm commands running at once; more are skipped (and said)
CLIP_MARK_SECONDS = 2.0  # how long a channel shows "!" after it clipped
# The levels need 0.1 s; the default 10 s ring is 30 MB of RSS at 16 channels x 48 kHz.
RING_SECONDS = 0.5


@dataclass
class RecordSettings:
    """What the user asked `audiotui record` for (already parsed)."""

    out: Path
    device: str | None = None
    rate: float | None = None
    channels: int = 1
    channel_map: list[int] | None = None  # 0-based device channels
    seconds: float | None = None
    subtype: str | None = None
    blocksize: int = 1024
    force: bool = False
    split: float | None = None
    reconnect: bool = False
    alarm_silence: float | None = None
    silence_db: float = -60.0
    alarm_clip: bool = False
    on_alarm: str | None = None
    min_free: int = 512 << 20
    as_json: bool = False


def _file_size(path: Path | None) -> int:
    try:
        return path.stat().st_size if path is not None else 0
    except OSError:
        return 0


class RecordRun:
    """Runs the recording described by `settings` until a limit, a signal, or a failure."""

    def __init__(self, settings: RecordSettings, stop: threading.Event, caught: list[str]):
        from audiotui.media.rotation import FileNamer

        self.s = settings
        self.stop = stop
        self.caught = caught
        # The live line is drawn on stderr, so only stderr must be a terminal: `record x.wav >
        # paths.txt` still shows it (stdout carries only the saved paths).
        self.live = not settings.as_json and _isatty(sys.stderr)
        self.out = RecordOutput(as_json=settings.as_json, live=self.live)
        numbered = settings.split is not None or settings.reconnect
        self.namer = FileNamer(settings.out, numbered=numbered)
        self.counter = 0
        self.seconds_before = 0.0  # audio recorded by earlier Recorders of this run
        self.bytes_before = 0  # bytes in files finished by earlier Recorders
        self.saved: list[tuple[str, int, int]] = []  # path, frames, rate
        self.rotated: deque[Any] = deque()
        self.commands: list[subprocess.Popen[bytes]] = []
        self.skipped_commands = 0
        self.failure: str | None = None
        self.stop_reason = ""
        self.overflows = 0
        self._clip_seen: list[float] = []
        self._clips_last: list[int] = []

    # ------------------------------------------------------------------ names

    def next_path(self) -> Path:
        self.counter += 1
        return self.namer.name(self.counter, time.time(), overwrite=self.s.force)

    # ------------------------------------------------------------------ the run

    def run(self) -> int:
        """Record; returns the exit status (0 ok, 1 a failure / the disk floor)."""
        from audiotui.media.diskspace import bytes_per_second, free_bytes, human
        from audiotui.media.recording_file import check_format_limits, file_format_for

        s = self.s
        path = self.next_path()
        if path.is_dir():
            raise AudiotuiError(f"'{path}' is a directory: give a file name such as take.wav")
        if not path.parent.is_dir():
            raise AudiotuiError(
                f"cannot record to '{path}': folder '{path.parent}' does not exist"
            )
        fmt, subtype = file_format_for(path, s.subtype)
        check_format_limits(fmt, s.channels, s.rate)
        folder = path.parent
        free = free_bytes(folder)
        if free < s.min_free:
            raise AudiotuiError(
                f"only {human(free)} free in '{folder}', under the {human(s.min_free)} "
                "kept free (--min-free): not starting"
            )
        rec = self._start(path, first=True)
        assert rec.device is not None
        per_second = bytes_per_second(rec.samplerate, rec.channels, rec.format, rec.subtype)
        self._disk_line(per_second, folder)
        while True:
            self._watch(rec)
            result = rec.stop()
            self._report_rotations()
            self._report_alarms()
            resumable = (
                isinstance(rec.error, DeviceError)
                and (s.split is not None or s.reconnect)
                and not self.stop.is_set()
                and not self.stop_reason
            )
            if rec.error is not None and not resumable:
                self.failure = str(rec.error)
                self.out.say(f"audiotui: error: {self.failure}")
            self._report_saved(result.path, int(result.meta.get("frames", 0)), rec.samplerate,
                               failed=self.failure is not None)
            self.seconds_before += rec.elapsed
            self.overflows += rec.overflows
            self.bytes_before += sum(f.size or 0 for f in rec.files) + _file_size(Path(result.path))
            if not resumable:
                break
            resumed = self._resume(rec)
            if resumed is None:
                break
            rec = resumed
        self._finish_commands()
        if self.overflows:
            self.out.say(
                f"audiotui: warning: {self.overflows} input overflow(s): some audio was lost"
            )
        self.out.event(
            "stop", reason=self.stop_reason or (self.caught[0] if self.caught else "end"),
            seconds=round(self.seconds_before, 3), files=len(self.saved),
            error=self.failure,
        )
        self.out.done()
        if self.failure is not None:
            return 1
        return 1 if self.stop_reason == "disk" else 0

    def _start(self, path: Path, *, first: bool) -> Recorder:
        from audiotui.media.alarms import AlarmMonitor
        from audiotui.media.recorder import Recorder

        s = self.s
        remaining = None
        if s.seconds is not None:
            remaining = max(1e-3, s.seconds - self.seconds_before)
        rec = Recorder(
            path, device=s.device, samplerate=s.rate, channels=s.channels,
            blocksize=s.blocksize, subtype=s.subtype, overwrite=s.force, max_length=remaining,
            ring_seconds=RING_SECONDS,
            channel_map=s.channel_map, split_seconds=s.split,
            next_path=self.next_path if s.split is not None else None,
        )
        monitor = AlarmMonitor(
            rec.channels, 1, silence_seconds=s.alarm_silence, silence_db=s.silence_db,
            clip=s.alarm_clip, device_channels=s.channel_map,
            offset_seconds=self.seconds_before,
        )
        rec.on_rotate = lambda done, nxt: self.rotated.append((done, nxt))
        rec.start()
        monitor.samplerate = rec.samplerate
        if monitor.active:
            rec.on_block = monitor.feed
        self.monitor: AlarmMonitor = monitor
        self.started_wall = time.time()
        self._clip_seen = [0.0] * rec.channels
        self._clips_last = [0] * rec.channels
        if first:
            self._header(rec)
        self.out.event("file", path=str(rec.path), seconds=round(self.seconds_before, 3))
        return rec

    def _header(self, rec: Recorder) -> None:
        s = self.s
        assert rec.device is not None
        layout = {1: "Mono", 2: "Stereo"}.get(rec.channels, f"{rec.channels} channels")
        if s.channel_map is not None:
            layout += " (device channels " + ",".join(str(c + 1) for c in s.channel_map) + ")"
        extra = ""
        if s.seconds:
            extra += f", {clock(s.seconds)}"
        if s.split:
            extra += f", a new file every {clock(s.split)}"
        self.out.say(
            f"Recording {rec.format} '{rec.path}' : {rec.subtype}, Rate {rec.samplerate} Hz, "
            f"{layout}, from {rec.device.index} '{rec.device.name}'{extra} (Ctrl-C to stop)"
        )
        self.out.event(
            "start", device=rec.device.name, device_index=rec.device.index,
            rate=rec.samplerate, channels=rec.channels, format=rec.format,
            subtype=rec.subtype, split=s.split, seconds=s.seconds,
            channel_map=None if s.channel_map is None else [c + 1 for c in s.channel_map],
        )

    def _disk_line(self, per_second: float, folder: Path) -> None:
        from audiotui.media.diskspace import free_bytes, projection

        try:
            free = free_bytes(folder)
        except OSError:
            return
        self.out.say(projection(per_second, free, self.s.min_free, self.s.seconds))
        self.out.event(
            "disk", free_bytes=free, floor_bytes=self.s.min_free,
            bytes_per_second=round(per_second), projected_bytes=(
                None if self.s.seconds is None else round(per_second * self.s.seconds)
            ),
        )

    # ------------------------------------------------------------------ watching

    def _watch(self, rec: Recorder) -> None:
        last_status = last_disk = 0.0
        overflows = rec.overflows
        while rec.state in ("recording", "paused") and not self.stop.wait(0.1):
            now = time.monotonic()
            self._report_rotations()
            if rec.overflows != overflows:
                self.monitor.overflow(rec.overflows - overflows, rec.overflows,
                                      self.seconds_before + rec.elapsed)
                overflows = rec.overflows
            else:
                self.monitor.overflow(0, overflows, self.seconds_before + rec.elapsed)
            self._report_alarms()
            self._reap_commands()
            if now - last_disk >= DISK_INTERVAL:
                last_disk = now
                if self._disk_low(rec):
                    return
            if self.out.status is not None and now - last_status >= STATUS_INTERVAL:
                last_status = now
                self._draw(rec)

    def _written(self, rec: Recorder) -> int:
        current = _file_size(rec.journal) + _file_size(rec.path)
        return self.bytes_before + sum(f.size or 0 for f in rec.files) + current

    def _disk_low(self, rec: Recorder) -> bool:
        from audiotui.media.diskspace import free_bytes, human

        try:
            free = free_bytes(rec.path.parent, self._written(rec))
        except OSError:
            return False
        if free >= self.s.min_free:
            return False
        self.stop_reason = "disk"
        self.out.say(
            f"audiotui: error: free space in '{rec.path.parent}' fell to {human(free)}, under "
            f"the {human(self.s.min_free)} kept free (--min-free): stopping; every file "
            "written is complete"
        )
        self.out.event("disk_low", free_bytes=free, floor_bytes=self.s.min_free)
        return True

    def _draw(self, rec: Recorder) -> None:
        assert self.out.status is not None
        level = rec.level()
        now = time.monotonic()
        clipping = []
        for ch, clips in enumerate(level.clips):
            if ch < len(self._clips_last) and clips > self._clips_last[ch]:
                self._clip_seen[ch] = now
                self._clips_last[ch] = clips
            seen = self._clip_seen[ch] if ch < len(self._clip_seen) else 0.0
            clipping.append(bool(seen) and now - seen < CLIP_MARK_SECONDS)
        size = _file_size(rec.journal) or _file_size(rec.path)
        note = "PAUSED" if rec.state == "paused" else ""
        if rec.overflows:
            note += f"{' ' if note else ''}xrun {rec.overflows}"
        line = status_line(
            elapsed=self.seconds_before + rec.elapsed, file_name=rec.path.name, size=size,
            peaks_dbfs=level.peak_dbfs, clipping=clipping, width=self.out.status.width(),
            note=note, unicode=self.out.status.unicode,
        )
        self.out.status.draw(line)

    # ------------------------------------------------------------------ reports

    def _report_saved(self, path: str, frames: int, rate: int, *, failed: bool = False) -> None:
        self.saved.append((path, frames, rate))
        seconds = frames / rate if rate else 0.0
        why = f" (stopped by {self.caught[0]})" if self.caught and self.stop.is_set() else ""
        what = " recorded before the error" if failed else ""
        self.out.say(f"Saved {clock(seconds)} ({frames} frames){what} to {path}{why}")
        self.out.saved(path, frames=frames, seconds=round(seconds, 3))

    def _report_rotations(self) -> None:
        while self.rotated:
            done, nxt = self.rotated.popleft()
            rate = int(done.meta.get("sample_rate") or 0)
            self._report_saved(done.path, int(done.meta.get("frames", 0)), rate)
            self.out.event("file", path=str(nxt))

    def _report_alarms(self) -> None:
        for alarm in self.monitor.drain():
            at = clock(alarm.seconds)
            self.out.say(f"audiotui: {alarm.describe(at)}")
            self.out.event("alarm", **alarm.as_dict())
            if self.s.on_alarm:
                self._run_command(alarm.env(at))

    def _run_command(self, env: dict[str, str]) -> None:
        self._reap_commands()
        if len(self.commands) >= MAX_ALARM_COMMANDS:
            self.skipped_commands += 1
            self.out.say(
                f"audiotui: warning: --on-alarm not run: {MAX_ALARM_COMMANDS} still running"
            )
            return
        assert self.s.on_alarm is not None
        try:
            # The command's output goes to our stderr: stdout carries paths / JSON events.
            err = sys.stderr.fileno()
            proc = subprocess.Popen(
                self.s.on_alarm, shell=True, env={**os.environ, **env},
                stdin=subprocess.DEVNULL, stdout=err, stderr=err,
            )
        except (OSError, ValueError) as exc:
            self.out.say(f"audiotui: warning: --on-alarm failed to start: {exc}")
            return
        self.commands.append(proc)

    def _reap_commands(self) -> None:
        self.commands = [p for p in self.commands if p.poll() is None]

    def _finish_commands(self, timeout: float = 5.0) -> None:
        """Give alarm commands started near the end a moment; never wait on them for long."""
        deadline = time.monotonic() + timeout
        for proc in self.commands:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        self._reap_commands()

    # ------------------------------------------------------------------ reconnect

    def _resume(self, lost: Recorder) -> Recorder | None:
        """Wait for the device to come back, then record on into a new file; None if stopped."""
        from audiotui.media.devices import rescan

        lost_end = self.started_wall + lost.elapsed
        self.out.say(
            f"audiotui: warning: {lost.error}; waiting for it to come back (Ctrl-C to stop)"
        )
        self.out.event("device_lost", error=str(lost.error),
                       seconds=round(self.seconds_before, 3))
        path: Path | None = None
        while not self.stop.wait(RECONNECT_INTERVAL):
            if self.s.seconds is not None and self.seconds_before >= self.s.seconds:
                return None
            try:
                with contextlib.suppress(Exception):
                    rescan()
                if path is None:
                    path = self.next_path()
                rec = self._start(path, first=False)
            except (DeviceError, NoAudioHardware):
                continue
            gap = max(0.0, self.started_wall - lost_end)
            since = time.strftime("%H:%M:%S", time.localtime(lost_end))
            self.out.say(
                f"audiotui: gap of {gap:.1f} s after {clock(self.seconds_before)} (device "
                f"lost at {since}); recording again into {rec.path}"
            )
            self.out.event("gap", seconds=round(gap, 3), after=round(self.seconds_before, 3),
                           lost_at=since, path=str(rec.path))
            return rec
        return None


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
