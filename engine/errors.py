"""The project's exception types: what a user can cause, named so the edge can show one line."""

from __future__ import annotations


class AudiotuiError(Exception):
    """Base of every error a user can cause; the CLI/TUI print its message as one line."""


class AudioFormatError(AudiotuiError, ValueError):
    """A file or value that cannot be decoded or encoded as audio.

    Raised for corrupt, empty, truncated or non-audio files (the message names the
    file and libsndfile's reason) and for arrays we refuse to write (NaN, wrong dtype...).
    """


class AudioLengthError(AudiotuiError, ValueError):
    """Audio shorter than `min_length` or longer than `max_length` of its component."""


class NoAudioHardware(AudiotuiError):
    """Recording/playback is unavailable; the message says what is missing and how to fix it."""


class DeviceError(AudiotuiError):
    """A named device does not exist, cannot do what was asked, or vanished mid-stream."""


class AppLoadError(AudiotuiError):
    """An app file could not be executed or holds no Blocks/Interface."""


class ComponentError(AudiotuiError, ValueError):
    """A value returned by a user function does not fit its output component."""


class Error(AudiotuiError):
    """`gr.Error`: raised by a user function to stop the event chain and show `message`.

    Args:
        message: what the user sees.
        duration: seconds the notice stays up (None = until dismissed), as in Gradio.
        visible: False hides the message (the chain still stops).
    """

    def __init__(
        self, message: str = "Error raised.", duration: float | None = 10, visible: bool = True
    ) -> None:
        super().__init__(message)
        self.message = message
        self.duration = duration
        self.visible = visible

    def __str__(self) -> str:
        return self.message
