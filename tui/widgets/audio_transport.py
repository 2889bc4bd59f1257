"""Transport: one audio widget's playback through the engine's Player (never PortAudio).

The Player reports play/pause/stop from its audio thread; those reports are moved onto the
UI loop with `call_soon_threadsafe` (never `call_from_thread`, which would block the audio
thread until the UI answers). The playhead is read by a UI timer, not pushed per block.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


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
