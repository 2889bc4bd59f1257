"""Request, EventData and SelectData: what a function can ask to receive besides its inputs.

Gradio hands these to parameters annotated with their types. In a terminal there is no HTTP
request, so `Request` describes the terminal session instead (the OS user, "localhost"), which
keeps code written for Gradio (`request.username`, `request.client.host`) working unchanged.
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urlsplit

if TYPE_CHECKING:
    from audiotui.components.base import Block


@dataclass(frozen=True)
class ClientAddress:
    """`request.client`: where the "browser" is; always this machine for a terminal UI."""

    host: str = "localhost"
    port: int | None = None


def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) and no USER/LOGNAME variable
        return None


def _new_session_hash() -> str:
    return uuid.uuid4().hex[:11]


class URL(str):
    """`request.url`: the address as text, with the parts Starlette's URL offers."""

    @property
    def _parts(self) -> SplitResult:
        return urlsplit(str(self))

    @property
    def scheme(self) -> str:
        return self._parts.scheme

    @property
    def hostname(self) -> str | None:
        return self._parts.hostname

    @property
    def port(self) -> int | None:
        return self._parts.port

    @property
    def netloc(self) -> str:
        return self._parts.netloc

    @property
    def path(self) -> str:
        return self._parts.path

    @property
    def query(self) -> str:
        return self._parts.query


class Headers(dict[str, str]):
    """HTTP header names are case-insensitive (Starlette's Headers too): keys are lowercased."""

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        super().__init__({k.lower(): v for k, v in (items or {}).items()})

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key.lower(), value)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


def _default_headers() -> Headers:
    from audiotui import __version__

    return Headers({"host": "localhost", "user-agent": f"audiotui/{__version__}"})


@dataclass
class Request:
    """`gr.Request` for a terminal session.

    Attributes:
        username: the OS user running the app (Gradio's is the logged-in user, if any).
        session_hash: a random id that stays fixed for one `Session`, as in a browser tab.
        client: `ClientAddress("localhost")`.
        url: `URL("terminal://localhost/")`: a str that also has Starlette's `.path`,
            `.hostname`, `.scheme`..., so logging `request.url` or reading its path works.
        headers: `host` and `user-agent` ("audiotui/<version>"), looked up case-insensitively
            as Starlette's are, so an app branching on the user agent sees a real value.
        cookies, query_params, path_params: always empty; kept so Gradio code can read them.
    """

    username: str | None = field(default_factory=_os_user)
    session_hash: str = field(default_factory=_new_session_hash)
    client: ClientAddress = field(default_factory=ClientAddress)
    url: URL = field(default_factory=lambda: URL("terminal://localhost/"))
    headers: Headers = field(default_factory=_default_headers)
    cookies: dict[str, str] = field(default_factory=dict)
    query_params: dict[str, str] = field(default_factory=dict)
    path_params: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Given as plain values (tests, a Client building its own Request): same behaviour.
        if not isinstance(self.url, URL):
            self.url = URL(str(self.url))
        if not isinstance(self.headers, Headers):
            self.headers = Headers(self.headers)

    @property
    def request(self) -> Request:
        """Gradio exposes the underlying Starlette request here; ours is the object itself."""
        return self


class EventData:
    """`gr.EventData`: the block that fired the event and the event's own payload.

    Args:
        target: the block whose event ran the function (None for `.then()` steps and loads).
        data: whatever the front end attached to the event (a dict for most events).
    """

    def __init__(self, target: Block | None, data: Any = None) -> None:
        self.target = target
        self._data = data

    def __repr__(self) -> str:
        return f"{type(self).__name__}(target={self.target!r}, data={self._data!r})"


class SelectData(EventData):
    """`gr.SelectData`: what a `.select` event picked.

    Attributes:
        index: position of the selection (an int, or a (row, col) pair for tables).
        value: the selected value.
        selected: True when selected, False when deselected.
    """

    def __init__(self, target: Block | None, data: Any = None) -> None:
        super().__init__(target, data)
        payload = data if isinstance(data, dict) else {}
        self.index: Any = payload.get("index")
        self.value: Any = payload.get("value")
        self.selected: bool = bool(payload.get("selected", True))
        self.row_value: Any = payload.get("row_value")


def event_data_for(cls: type[EventData], target: Block | None, data: Any) -> EventData:
    """Build the `cls` instance a parameter asks for from whatever the trigger carried.

    Triggers may pass an EventData already, a plain dict, or nothing; a function annotated
    with `SelectData` must get one either way (with `index`/`value` None when unknown).
    """
    if isinstance(data, cls):
        return data
    if isinstance(data, EventData):
        return cls(data.target if target is None else target, data._data)
    return cls(target, data)
