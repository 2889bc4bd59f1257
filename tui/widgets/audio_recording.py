"""Live recording for one audio widget: the engine's Recorder plus what the UI draws of it.

The PortAudio callback never touches the UI: the Recorder fills its ring buffer, and the
widget's fps-capped timer calls `tick()` here, which copies only the frames that arrived
since the last tick into a growing PeakPyramid (so the live waveform costs the same per
frame however long the take) and reads the level meter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from rich.text import Text

METER_FLOOR_DB = -60.0


def input_channels() -> int:
    """Channels a UI take records: AUDIOTUI_INPUT_CHANNELS (1-32), else 1 (Gradio's mono).

    A lab interface's channels each get a lane and a meter; anything that is not a number
    in range records mono rather than failing the take.
    """
    import os

    try:
        channels = int(os.environ.get("AUDIOTUI_INPUT_CHANNELS", "1"))
    except ValueError:
        return 1
    return channels if 1 <= channels <= 32 else 1


def live_spectrum(rate: int, first: Any) -> Any:
    """A growing SpectrumPyramid for a live take, started with its first frames.

    One column per FFT window (~21 ms) instead of the file pass's ~85 ms: the live view
    shows the last 10 s, finer than a file's level 0, and a take has no file to re-read.
    """
    from audiotui.media.spectrum import SpectrumPyramid, analysis_sizes

    channels = first.shape[1] if getattr(first, "ndim", 1) == 2 else 1
    spectrum = SpectrumPyramid(rate, channels, hop=analysis_sizes(rate)[0])
    spectrum.append(first)
    return spectrum


_EIGHTHS = " ▁▂▃▄▅▆▇█"


def compact_meter(text: Text, level: Any) -> None:
    """Append one level cell per channel (`1▆ 2▃ 3█!`) and the loudest peak in dBFS."""
    for i, peak in enumerate(level.peak_dbfs):
        frac = (max(peak, METER_FLOOR_DB) - METER_FLOOR_DB) / -METER_FLOOR_DB
        colour = "red" if peak > -3 else ("yellow" if peak > -12 else "green")
        text.append(f"{i + 1}", style="dim")
        text.append(_EIGHTHS[int(round(frac * 8))] or " ", style=f"{colour} on grey15")
        clips = level.clips[i] if i < len(level.clips) else 0
        text.append("!" if clips else " ", style="bold red")
    loudest = max(level.peak_dbfs)
    text.append(f" max {loudest:5.1f} dB  " if loudest > -120 else " max -inf dB  ")


class LiveRecording:
    """One take: start / pause / resume / stop, and the live peaks and levels.

    Args:
        device: input device spec (None = default / env).
        max_length: seconds after which the Recorder stops by itself.
        on_finished: called on the UI loop with (FileData | None, error | None) when the
            take ends, whether the user stopped it or `max_length` did.
    """

    def __init__(
        self,
        device: int | str | None,
        max_length: float | None,
        on_finished: Callable[[Any, BaseException | None], None],
    ) -> None:
        from audiotui.media.recorder import Recorder, new_take_path

        self._loop = asyncio.get_running_loop()
        # Takes live outside the temp store, so an SSH drop (SIGHUP) never deletes one; they
        # are voice recordings, so the files are 0600 like their 0700 folder.
        self.recorder = Recorder(
            new_take_path(".wav"), device=device, max_length=max_length, private=True,
            channels=input_channels(),
        )
        self.recorder.on_finished = self._finished_in_writer
        self.on_finished = on_finished
        self.peaks: Any = None
        self.spectrum: Any = None
        self._seen_frames = 0
        self._done = False

    @property
    def state(self) -> str:
        return str(self.recorder.state)

    @property
    def elapsed(self) -> float:
        return float(self.recorder.elapsed)

    @property
    def device_name(self) -> str:
        device = getattr(self.recorder, "device", None)
        return str(getattr(device, "name", "default input"))

    def start(self) -> None:
        self.recorder.start()

    def pause(self) -> None:
        self.recorder.pause()

    def resume(self) -> None:
        self.recorder.resume()

    def stop(self) -> Any:
        """Blocking (joins the writer): call it from a worker thread."""
        return self.recorder.stop()

    def _finished_in_writer(self, fd: Any, error: BaseException | None) -> None:
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._deliver, fd, error)

    def _deliver(self, fd: Any, error: BaseException | None) -> None:
        if not self._done:
            self._done = True
            self.on_finished(fd, error)

    def tick(self) -> bool:
        """Pull new frames from the ring buffer into the live pyramid; True if it grew."""
        rate = int(getattr(self.recorder, "samplerate", 0) or 0)
        if rate <= 0:
            return False
        total = int(round(self.recorder.elapsed * rate))
        new = total - self._seen_frames
        if new <= 0:
            return False
        chunk = self.recorder.recent(new / rate)
        if self.peaks is None:
            from audiotui.media.peaks import PeakPyramid

            self.peaks = PeakPyramid.from_array(rate, chunk)
            self.spectrum = live_spectrum(rate, chunk)
        else:
            self.peaks.append(chunk)
            self.spectrum.append(chunk)
        self._seen_frames = total
        return True

    def meter(self, width: int = 20) -> Text:
        """Level meter per channel: peak bar over -60..0 dBFS, a clip flag, and input overflows.

        Past two channels each channel gets one cell (`3▆`, `!` after it when it clipped) and
        the loudest peak is given as a figure, so 32 channels still fit one line.
        """
        level = self.recorder.level()
        text = Text()
        if len(level.peak_dbfs or []) > 2:
            compact_meter(text, level)
        for i, peak in enumerate(level.peak_dbfs if len(level.peak_dbfs or []) <= 2 else []):
            frac = (max(peak, METER_FLOOR_DB) - METER_FLOOR_DB) / -METER_FLOOR_DB
            filled = int(round(frac * width))
            colour = "red" if peak > -3 else ("yellow" if peak > -12 else "green")
            text.append("█" * filled, style=colour)
            text.append("·" * (width - filled), style="dim")
            text.append(f" {peak:5.1f} dB" if peak > -120 else "  -inf dB")
            clips = level.clips[i] if i < len(level.clips) else 0
            if clips:
                text.append(f" CLIP×{clips}", style="bold red")
            text.append("  ")
        overflows = int(getattr(self.recorder, "overflows", 0) or 0)
        if overflows:  # audio the device had to throw away: the take has gaps
            text.append(f"overflows {overflows}", style="bold yellow")
        return text
