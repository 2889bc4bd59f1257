"""What an audio widget's info and status lines say: pure functions of what it shows.

Kept apart from the widget so the wording can be read and tested without a screen.
"""

from __future__ import annotations

from typing import Any

from audiotui.tui.waveform import format_time
from audiotui.tui.widgets.status_line import StatusPart as Part


def describe(value: Any, frames: int | None = None) -> str:
    """`name · 0:02.0 · 48000 Hz · mono · WAV PCM_16` from a FileData's probed meta.

    `frames`, once the waveform pass has counted them, replaces the header's length (a
    truncated MP3 claims minutes it does not have) and marks the value "truncated".
    """
    if value is None:
        return "no audio"
    meta = getattr(value, "meta", {}) or {}
    parts = [str(getattr(value, "name", "audio"))]
    rate = meta.get("sample_rate")
    declared = meta.get("declared_frames", meta.get("frames"))
    if frames is None:
        frames = meta.get("frames")
    if rate and frames is not None:
        cut = " (truncated)" if declared is not None and frames < declared else ""
        parts.append(format_time(frames / rate, tenths=True) + cut)
    if rate:
        parts.append(f"{rate} Hz")
    channels = meta.get("channels")
    if channels:
        parts.append({1: "mono", 2: "stereo"}.get(channels, f"{channels} ch"))
    fmt = " ".join(str(meta[k]) for k in ("format", "subtype") if meta.get(k))
    if fmt:
        parts.append(fmt)
    return " · ".join(parts)


def empty_hint(interactive: bool, sources: list[str]) -> str:
    """The info line of an empty widget: how to get audio into it."""
    if not interactive:
        return "no audio yet"
    hints = []
    if "upload" in sources:
        hints.append("u: type a path · b: browse")
    if "microphone" in sources:
        hints.append("r: record · i: choose mic")
    return "no audio — " + " · ".join(hints)


def take_parts(take: Any, max_length: float | None) -> list[Part]:
    """A take in progress: `● REC 0:04.2  device: mic  max 0:30  coalesced 3`."""
    state = "● REC" if take.state == "recording" else "❚❚ paused"
    parts = [Part(f"{state} {format_time(take.elapsed, tenths=True)}", 0),
             Part(f"device: {take.device_name}", 1)]
    if max_length:
        parts.append(Part(f"max {format_time(max_length)}", 1))
    coalesced = getattr(take, "coalesced", 0)
    if coalesced:  # the stream listeners are slower than real time
        parts.append(Part(f"coalesced {coalesced}", 1))
    return parts


def playback_parts(position: float, duration: float, *, playing: bool, started: bool,
                   selection: tuple[float, float] | None) -> list[Part]:
    """`▶ 0:01.0 / 0:02.0  selected 0:00.5–0:01.5`; ❚❚ once a started player is paused."""
    state = "▶" if playing else ("❚❚" if started and position > 0 else "■")
    parts = [Part(f"{state} {format_time(position, tenths=True)} / "
              f"{format_time(duration, tenths=True)}", 0)]
    if selection is not None:
        a, b = sorted(selection)
        parts.append(Part(f"selected {format_time(a, tenths=True)}–{format_time(b, tenths=True)}",
                      1))
    return parts


def device_parts(*, channels: str | None, mic: str | None, speaker: str | None,
                 hardware_reason: str | None) -> list[Part]:
    """The hints after the clock: channels shown, mic and speaker (with the keys that change
    them), or why nothing can play or record. None leaves a hint out."""
    parts: list[Part] = []
    if channels:  # more channels than lanes: say which, and how to pick others
        parts.append(Part(f"{channels} (c: channels)", 2))
    if mic is not None:
        parts.append(Part(f"mic: {mic} (i: change)", 3, f"mic: {mic} (i)"))
    if speaker is not None:
        parts.append(Part(f"speaker: {speaker} (o: change)", 4, f"speaker: {speaker} (o)"))
    if hardware_reason:
        # never left out: it says why Play and Record do nothing (cut, if it must be)
        parts.append(Part(f"play/record off: {hardware_reason}", 0))
    return parts


def status_parts(take: Any, value: Any, view: Any, bar: Any, *, max_length: float | None,
                 mic: str | None, speaker: str | None,
                 hardware_reason: str | None) -> list[Part]:
    """The line under the waveform: where the take (or playback of `value`, on `view` and
    transport `bar`) is, then the device hints (`device_parts`)."""
    parts = []
    if take is not None:
        parts = take_parts(take, max_length)
    elif value is not None:
        parts = playback_parts(view.position or 0.0, view.duration, playing=bar.playing,
                               started=bar.started, selection=view.selection)
    return parts + device_parts(channels=view.channels_shown() or None, mic=mic,
                                speaker=speaker, hardware_reason=hardware_reason)
