"""Messages between component widgets, the app and the engine Session."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class ComponentInput(Message):
    """The user changed a component's value (already converted to its stored form).

    The app hands it to `Session.user_input`, which stores it and fires input then change;
    a `quiet` value (a streamed microphone chunk) is only stored - its `stream` event follows.
    """

    def __init__(self, component: Any, value: Any, *, quiet: bool = False) -> None:
        super().__init__()
        self.component = component
        self.value = value
        self.quiet = quiet


class ComponentEvent(Message):
    """The user did something that fires a component event (click, play, upload...)."""

    def __init__(self, component: Any, event: str, data: Any = None) -> None:
        super().__init__()
        self.component = component
        self.event = event
        self.data = data


class SessionEventMessage(Message):
    """One engine `SessionEvent`, carried onto the UI's message queue."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self.event = event
