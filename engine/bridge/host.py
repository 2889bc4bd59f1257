"""HOST's side of the bridge: the laptop's devices as `local:<name>` streams.

`audiotui ssh` starts the remote command with AUDIOTUI_BRIDGE (the forwarded socket, in a 0700
directory of the user's) and AUDIOTUI_BRIDGE_SECRET_FILE (the session secret, 0600 in the same
directory). Every stream, and every device listing, is one connection to that socket: ssh
turns each into a channel of the one SSH connection and the laptop's agent accepts it, so a
stream that ends closes exactly its own channel.

Input: the agent sends blocks as the laptop's card records them; a reader thread here cuts
them to the requested block size and calls the callback, so a take holds exactly the frames
the microphone produced (its clock is the only one involved: no drift, no gaps). A closed
connection calls `finished_callback` - the recorder then saves what it has and says why.

Output: a pacing thread calls the callback every `blocksize / rate` seconds of HOST's clock,
as a sound card would, and a sender thread sends the blocks (a slow network never stalls the
callback); the agent's jitter buffer absorbs the network's jitter and the drift between this
clock and the laptop's card (jitter.py).
"""

from __future__ import annotations

import collections
import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from audiotui.bridge import protocol
from audiotui.errors import DeviceError, NoAudioHardware

if TYPE_CHECKING:
    import numpy as np

    from audiotui.media.devices import DeviceInfo

ENV_SOCKET = "AUDIOTUI_BRIDGE"
ENV_SECRET_FILE = "AUDIOTUI_BRIDGE_SECRET_FILE"
PREFIX = "local:"
INDEX_BASE = 1000
"""Laptop device N is HOST device 1000 + N: HOST's own indices stay what `devices` says."""
CACHE_SECONDS = 2.0
STALE_SECONDS = 300.0
OUTBOX_SECONDS = 2.0
"""Output blocks kept for a network that holds writes back; older ones are dropped."""
_END_FRAME = protocol.encode(protocol.END)
CONNECT_TIMEOUT = 10.0

_cache: tuple[float, list[DeviceInfo], dict[str, Any]] | None = None
_cache_lock = threading.Lock()


def active() -> bool:
    """Is this process running under `audiotui ssh` (a bridge socket is given)?"""
    return bool(os.environ.get(ENV_SOCKET, "").strip())


def _unreachable(detail: str) -> NoAudioHardware:
    return NoAudioHardware(
        f"the laptop's audio (audiotui ssh bridge) is not reachable: {detail}; "
        "the SSH connection that carried it has probably closed"
    )


def _secret() -> bytes:
    path = os.environ.get(ENV_SECRET_FILE, "").strip()
    if not path:
        raise _unreachable(f"{ENV_SECRET_FILE} is not set")
    try:
        return Path(path).read_bytes().strip()
    except OSError as exc:
        raise _unreachable(f"cannot read the session secret ({exc.strerror})") from None


def connect(timeout: float = CONNECT_TIMEOUT, then: dict[str, Any] | None = None
            ) -> protocol.Connection:
    """A new authenticated connection to the laptop's agent; `then` is a request sent along
    with the handshake (its reply is the next frame to read)."""
    path = os.environ.get(ENV_SOCKET, "").strip()
    secret = _secret()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError as exc:
        sock.close()
        raise _unreachable(f"{path}: {exc.strerror or exc}") from None
    conn = protocol.Connection(sock)
    extra = protocol.encode_json(protocol.REQUEST, then) if then is not None else b""
    try:
        protocol.client_handshake(conn, secret, timeout, then=extra)
    except (protocol.ProtocolError, OSError) as exc:
        conn.close()
        raise _unreachable(str(exc)) from None
    return conn


def read_reply(conn: protocol.Connection, timeout: float = CONNECT_TIMEOUT) -> dict[str, Any]:
    try:
        frame = conn.recv(timeout)
    except (protocol.ProtocolError, OSError) as exc:
        raise _unreachable(str(exc)) from None
    if frame is None:
        raise _unreachable("the laptop side closed the connection")
    reply = frame.json()
    if frame.kind == protocol.ERROR or "error" in reply:
        raise DeviceError(f"the laptop refused: {reply.get('error', 'unknown error')}")
    return reply


def request(value: dict[str, Any]) -> tuple[protocol.Connection, dict[str, Any]]:
    """Send one request on a ready connection (a spare one when there is one); its reply."""
    conn = _take_spare()
    if conn is not None:
        try:
            conn.send(protocol.encode_json(protocol.REQUEST, value))
            return conn, read_reply(conn)
        except (OSError, NoAudioHardware):  # the spare went stale (agent restarted...)
            conn.close()
    conn = connect(then=value)
    try:
        return conn, read_reply(conn)
    except BaseException:
        conn.close()
        raise


# One authenticated connection is kept idle, ready for the next stream: opening one then
# costs one round trip (open -> reply) instead of three (channel open, handshake, open).
_spare: protocol.Connection | None = None
_spare_lock = threading.Lock()
_refilling = False


def _take_spare() -> protocol.Connection | None:
    global _spare
    with _spare_lock:
        conn, _spare = _spare, None
    _refill_spare()
    return conn


def _refill_spare() -> None:
    global _refilling
    with _spare_lock:
        if _spare is not None or _refilling:
            return
        _refilling = True

    def work() -> None:
        global _spare, _refilling
        try:
            conn = connect()
        except Exception:  # the next stream connects by itself and reports the error
            conn = None
        with _spare_lock:
            _refilling = False
            if conn is not None and _spare is None:
                _spare, conn = conn, None
        if conn is not None:
            conn.close()

    threading.Thread(target=work, name="audiotui-bridge-spare", daemon=True).start()


def forget_devices() -> None:
    """The next listing asks the laptop again (a device was plugged or unplugged)."""
    global _cache
    with _cache_lock:
        _cache = None


def list_devices() -> list[DeviceInfo]:
    """The laptop's devices as HOST sees them."""
    return _listing()[0]


def _listing() -> tuple[list[DeviceInfo], dict[str, Any]]:
    """Cached: a fresh list is fetched when the last is older than CACHE_SECONDS, but one
    younger than STALE_SECONDS is returned at once while the refresh runs in the background
    (resolving a device must not cost a network round trip each time: a picker, a player's
    rate check and the stream open all ask)."""
    global _cache
    with _cache_lock:
        cached = _cache
    if cached is not None:
        age = time.monotonic() - cached[0]
        if age < CACHE_SECONDS:
            return cached[1], cached[2]
        if age < STALE_SECONDS:
            threading.Thread(target=_refresh_quietly, daemon=True).start()
            return cached[1], cached[2]
    return _refresh()


def _refresh_quietly() -> None:
    with contextlib.suppress(Exception):
        _refresh()


def _refresh() -> tuple[list[DeviceInfo], dict[str, Any]]:
    global _cache
    from audiotui.media.devices import DeviceInfo

    conn, reply = request({"op": "devices"})
    conn.close()
    rate = reply.get("audio_rate")
    infos = [
        DeviceInfo(
            index=INDEX_BASE + int(d["index"]),
            name=PREFIX + str(d["name"]),
            hostapi=f"laptop {d.get('hostapi', '?')}",
            max_input_channels=int(d["max_input_channels"]),
            max_output_channels=int(d["max_output_channels"]),
            default_samplerate=float(rate or d["default_samplerate"]),
            is_default_input=bool(d.get("is_default_input")),
            is_default_output=bool(d.get("is_default_output")),
            backend="bridge",
        )
        for d in reply.get("devices", [])
    ]
    with _cache_lock:
        _cache = (time.monotonic(), infos, reply)
    return infos, reply


def rate_supported(device: DeviceInfo, rate: int) -> bool:
    """With --audio-rate the wire rate is fixed (the player converts here); else any rate goes
    (the laptop's agent converts if its card refuses it)."""
    forced = _listing()[1].get("audio_rate")
    return not forced or int(forced) == int(rate)


@dataclass
class Status:
    """What sounddevice passes as `status`; the recorder and player read these two."""

    input_overflow: bool = False
    output_underflow: bool = False


class BridgeStream:
    """One stream on a laptop device, with sounddevice's stream interface (see backend.py)."""

    def __init__(self, kind: Literal["input", "output"], device: DeviceInfo, *,
                 samplerate: int, channels: int, blocksize: int,
                 callback: Callable[[Any, int, Any, Any], None],
                 finished_callback: Callable[[], None]) -> None:
        self.kind = kind
        self.device = device
        self.rate = int(samplerate)
        self.channels = channels
        self.blocksize = blocksize or max(1, self.rate // 50)
        self._callback = callback
        self._finished_callback = finished_callback
        self._closed = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._finished_once = threading.Event()
        self._ended = threading.Event()  # the agent acknowledged END (output drained)
        self.stats: dict[str, Any] = {}
        self._outbox: collections.deque[bytes] = collections.deque()
        self._outbox_ready = threading.Condition()
        self._sender: threading.Thread | None = None
        self.dropped_blocks = 0
        self.error: str | None = None
        self.overflows = 0
        started = time.monotonic()
        self._conn, reply = request({
            "op": "open", "kind": kind, "device": device.index - INDEX_BASE,
            "rate": self.rate, "channels": channels, "blocksize": self.blocksize,
        })
        self.open_seconds = time.monotonic() - started  # >= one round trip
        self._latency = float(reply.get("latency", 0.0))

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def latency(self) -> float:
        """Seconds from the callback to the laptop's speaker (or microphone to callback): the
        card's latency and the jitter buffer's starting depth, plus half the open's round
        trip for the network."""
        return self._latency + self.open_seconds / 2

    stall_seconds = 30.0
    """A network may hold blocks back for seconds and then deliver them all: only this long a
    silence (or the connection closing, reported at once) ends a take."""

    @property
    def lost_reason(self) -> str | None:
        """Why the stream ended by itself, in words for "stopped delivering audio (...)"."""
        if self.error is None:
            return None
        return f"the SSH audio bridge to the laptop closed: {self.error}"

    def start(self) -> None:
        if self._thread is not None:
            return
        try:
            self._conn.send(protocol.encode_json(protocol.REQUEST, {"op": "start"}))
        except OSError as exc:
            raise _unreachable(str(exc)) from None
        loop = self._read_loop if self.kind == "input" else self._pace_loop
        self._thread = threading.Thread(target=loop, name=f"audiotui-bridge-{self.kind}",
                                        daemon=True)
        self._thread.start()
        if self.kind == "output":
            self._sender = threading.Thread(target=self._send_loop, daemon=True,
                                            name="audiotui-bridge-send")
            self._sender.start()
            threading.Thread(target=self._status_loop, name="audiotui-bridge-status",
                             daemon=True).start()

    def stop(self) -> None:
        """Input: stop now. Output: let the laptop play what it has buffered, then stop."""
        if self._closed:
            return
        if self.kind == "output" and self._thread is not None and not self._finished_once.is_set():
            self._stopping = True
            self._join()
            with self._outbox_ready:
                self._outbox.append(_END_FRAME)
                self._outbox_ready.notify()
            queued = len(self._outbox) * self.blocksize / self.rate
            self._ended.wait(queued + float(self.stats.get("level", 0.0)) + 2.0)
        self.abort()

    def abort(self) -> None:
        self._stopping = True
        self._closed = True
        with self._outbox_ready:
            self._outbox_ready.notify_all()
        self._conn.close()
        self._join()

    def close(self) -> None:
        if not self._closed:
            self.abort()

    def _join(self) -> None:
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2.0)

    def _lost(self, why: str) -> None:
        """The connection ended without us closing it: the device is gone for the caller."""
        if self._stopping or self._finished_once.is_set():
            return
        self.error = why
        self._finished_once.set()
        with contextlib.suppress(Exception):
            self._finished_callback()

    # ------------------------------------------------------------------ input

    def _read_loop(self) -> None:
        import numpy as np

        pending: list[np.ndarray] = []
        pending_frames = 0
        why = "the laptop side closed the stream"
        while not self._stopping:
            try:
                frame = self._conn.recv(None)
            except (protocol.ProtocolError, OSError) as exc:
                why = str(exc)
                break
            if frame is None:
                break
            if frame.kind == protocol.STATUS:
                status = frame.json()
                self.overflows = int(status.get("overflows", self.overflows))
                continue
            if frame.kind == protocol.ERROR:
                why = str(frame.json().get("error", why))
                break
            if frame.kind != protocol.PCM:
                continue
            _, samples = protocol.decode_pcm(frame.payload)
            block = (np.frombuffer(samples, "<i2").astype(np.float32) / 32768.0).reshape(
                -1, self.channels)
            pending.append(block)
            pending_frames += len(block)
            while pending_frames >= self.blocksize and not self._stopping:
                joined = np.concatenate(pending) if len(pending) > 1 else pending[0]
                out, rest = joined[:self.blocksize], joined[self.blocksize:]
                pending = [rest] if len(rest) else []
                pending_frames = len(rest)
                self._callback(out, len(out), None, Status())
        self._lost(why)

    # ------------------------------------------------------------------ output

    def _pace_loop(self) -> None:
        """The device clock: one callback per block of HOST's monotonic time.

        Blocks go to an outbox a sender thread drains, so a network that holds writes back
        never stalls the callback (a player would take that for a dead device); past
        OUTBOX_SECONDS the oldest blocks are dropped (counted in `dropped_blocks`).
        """
        import numpy as np

        period = self.blocksize / self.rate
        limit = max(4, int(OUTBOX_SECONDS / period))
        out = np.zeros((self.blocksize, self.channels), np.float32)
        position = 0
        next_at = time.monotonic()
        while not self._stopping:
            out.fill(0)
            self._callback(out, self.blocksize, None, Status())
            samples = (np.clip(out, -1.0, 32767 / 32768) * 32768.0).astype("<i2").tobytes()
            with self._outbox_ready:
                self._outbox.append(protocol.encode_pcm(position, samples))
                if len(self._outbox) > limit:
                    self._outbox.popleft()
                    self.dropped_blocks += 1
                self._outbox_ready.notify()
            position += self.blocksize
            next_at += period
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.5:  # starved of CPU for a while: do not burst to catch up
                next_at = time.monotonic()

    def _send_loop(self) -> None:
        while True:
            with self._outbox_ready:
                while not self._outbox and not self._closed:
                    self._outbox_ready.wait(0.5)
                if self._closed:
                    return
                frame = self._outbox.popleft()
            try:
                self._conn.send(frame)
            except OSError as exc:
                self._lost(f"the connection to the laptop broke ({exc})")
                return
            if frame == _END_FRAME:
                return

    def _status_loop(self) -> None:
        while True:
            try:
                frame = self._conn.recv(None)
            except (protocol.ProtocolError, OSError) as exc:
                if not self._closed:
                    self._lost(str(exc))
                return
            if frame is None:
                if not self._closed:
                    self._lost("the laptop side closed the stream")
                self._ended.set()
                return
            if frame.kind == protocol.STATUS:
                self.stats = frame.json()
            elif frame.kind == protocol.END:
                self._ended.set()
            elif frame.kind == protocol.ERROR:
                self._lost(str(frame.json().get("error", "the laptop stopped the stream")))
                return
