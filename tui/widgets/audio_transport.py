"""TransportBar: Play/Pause and Stop of one audio widget, over the engine's Player.

The Player reports play/pause/stop from its audio thread; those reports are moved onto the
UI loop with `call_soon_threadsafe` (never `call_from_thread`, which would block the audio
thread until the UI answers) and posted as `TransportBar.PlayerEvent`. The playhead is read
by the audio widget's timer, not pushed per block.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Button

from audiotui.tui.widgets.audio_streaming import StreamedOutput
from audiotui.tui.widgets.button_group import ButtonGroup
from audiotui.tui.widgets.waveform_view import WaveformView


class Transport:
    """Plays one value; `on_event(name)` receives "play" | "pause" | "stop" on the UI loop.

    Args:
        device: output device spec passed to the Player (None = default / env).
        on_event: called on the UI loop for each player event.
    """

    def __init__(self, device: int | str | None, on_event: Callable[[str], None]) -> None:
        self.device = device
        self.on_event = on_event
        self.player: Any = None
        self._loaded: Any = None
        # Created on the UI loop; player operations may then run in worker threads.
        self._loop = asyncio.get_running_loop()

    @property
    def state(self) -> str:
        return str(self.player.state) if self.player is not None else "idle"

    @property
    def playing(self) -> bool:
        return self.state == "playing"

    @property
    def position(self) -> float:
        return float(self.player.position) if self.player is not None else 0.0

    def _ensure_player(self) -> Any:
        if self.player is None:
            from audiotui.media.player import Player

            self.player = Player(device=self.device)
            self.player.on_event = self._from_audio_thread
        return self.player

    def _from_audio_thread(self, name: str) -> None:
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.on_event, name)

    def load(self, source: Any) -> None:
        """Load `source` (FileData) unless it is already loaded."""
        player = self._ensure_player()
        if source is not self._loaded:
            player.load(source)
            self._loaded = source

    def toggle(self, source: Any) -> None:
        """Space: play from the playhead, or pause."""
        player = self._ensure_player()
        self.load(source)
        if player.state == "playing":
            player.pause()
        elif player.state == "paused":
            player.resume()
        else:
            player.play()

    def stop(self) -> None:
        if self.player is not None and self.player.state in ("playing", "paused"):
            self.player.stop()

    def seek(self, seconds: float) -> None:
        if self.player is not None and self._loaded is not None:
            self.player.seek(max(0.0, seconds))

    def forget(self) -> None:
        """The value changed: stop and drop what was loaded."""
        self.stop()
        self._loaded = None

    def close(self) -> None:
        self.forget()
        self.player = None


class TransportBar(ButtonGroup):
    """▶ Play / ■ Stop for one value; owns the Transport (the engine's Player) that plays it.

    The audio widget asks (`run`, `seek`, `use_device`); the bar answers with `PlayerEvent`s.
    The Transport is made on the first Play, with the output device chosen by then, so a
    widget nobody plays opens no device.
    """


    class PlayerEvent(Message):
        """The player started, paused or stopped ("play" | "pause" | "stop").

        "stop" means the end was reached: a user's Stop is reported as "pause".
        """

        def __init__(self, bar: TransportBar, name: str) -> None:
            super().__init__()
            self.bar = bar
            self.name = name

        @property
        def control(self) -> TransportBar:
            return self.bar

    def __init__(self) -> None:
        super().__init__(classes="transport-bar")
        self.transport: Transport | None = None
        """The player of the value last played (None before the first Play)."""
        self.stream: StreamedOutput | None = None
        """A streamed output value being played as its chunks arrive (None otherwise)."""

    def compose(self) -> ComposeResult:
        yield Button("▶ Play", id="play", compact=True)
        yield Button("■ Stop", id="stop", compact=True)

    # -- what the audio widget reads ----------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.transport is not None and bool(self.transport.playing)

    @property
    def started(self) -> bool:
        """A player exists: the playhead is the player's, not only the view's."""
        return self.transport is not None and self.transport.player is not None

    @property
    def position(self) -> float:
        return float(self.transport.position) if self.transport is not None else 0.0

    def show_playing(self, playing: bool) -> None:
        """Play reads Pause while playing."""
        for button in self.query("#play").results(Button):
            button.label = "❚❚ Pause" if playing else "▶ Play"

    # -- what the audio widget asks -----------------------------------------------------------
    def _transport(self, device: int | str | None) -> Transport:
        if self.transport is None:
            self.transport = Transport(device, self._player_event)
        return self.transport

    def _player_event(self, name: str) -> None:
        self.post_message(self.PlayerEvent(self, name))

    def run(self, what: str, value: Any = None, device: int | str | None = None) -> None:
        """"toggle" (play `value` or pause) or "stop", in a worker: a device may be slow.

        `device` is used when no player is open yet (the first Play, or after `use_device`).
        """
        self._run_in_thread(self._transport(device), what, value)

    @work(thread=True, exclusive=False, group="transport", exit_on_error=False)
    def _run_in_thread(self, transport: Transport, what: str, value: Any) -> None:
        try:
            if what == "toggle":
                transport.toggle(value)
            elif what == "stop":
                transport.stop()
        except Exception as exc:  # DeviceError names the device and the fix
            self.app.call_from_thread(self.notify, str(exc), title="Playback failed",
                                      severity="error")

    def seek(self, seconds: float) -> None:
        if self.started and self.transport is not None:
            self.transport.seek(seconds)

    def stop_now(self) -> None:
        """Stop on this thread (a take is about to open the sound device)."""
        if self.transport is not None:
            self.transport.stop()

    def forget(self) -> None:
        """The value changed: stop and drop what was loaded."""
        if self.transport is not None:
            self.transport.forget()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def use_device(self) -> None:
        """The output device changed: the open player holds the old one, the next Play opens
        the new one."""
        if self.transport is not None:
            self.transport.close()
            self.transport = None

    def play_stream_chunk(self, fd: Any, view: WaveformView, *, playable: bool,
                          device: int | str | None, on_grew: Callable[[], None]) -> bool:
        """Append a chunk of a streamed output: to the Player (when `playable`) and to the
        waveform `view`, which grows with it. True when it started a new stream."""
        started = self.stream is None
        if self.stream is None:
            self.forget()
            player = self._transport(device)._ensure_player
            self.stream = StreamedOutput(view, player if playable else (lambda: None), on_grew)
        self.stream.add(fd)
        return started

    def finish_stream(self) -> None:
        """The function stopped yielding: the player drains what it has, then stops."""
        if self.stream is not None:
            self.stream.finish()

    def close_stream(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
