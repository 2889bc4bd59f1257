"""Framing and authentication of the bridge: what travels over the forwarded Unix socket.

Every message is one frame: a 4-byte big-endian length, then one type byte, then the payload
(length counts the type byte and the payload). Length-prefixed binary keeps PCM blocks cheap
(no escaping, no base64) and lets a reader refuse a frame larger than `MAX_FRAME` before
allocating it, so a stranger writing garbage cannot make us eat memory.

Each connection starts with a challenge: the agent sends HELLO (protocol version + 32 random
bytes), the client answers AUTH = HMAC-SHA256(secret, "client" + nonce), the agent checks it
and answers WELCOME = HMAC-SHA256(secret, "agent" + nonce), so each side knows the other holds
the per-session secret and the secret itself never crosses the wire (a replayed AUTH is useless
against a fresh nonce). Anything else before AUTH, or a wrong AUTH, closes the connection.

PCM frames carry a u64 frame counter (the stream position of their first frame, in the
stream's own frames) and interleaved little-endian int16 samples: 48 kHz mono is 96 kB/s.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import socket
import struct
from dataclasses import dataclass
from typing import Any

VERSION = 1
MAX_FRAME = 4 * 1024 * 1024
NONCE_BYTES = 32

# frame types
HELLO = 1  # agent -> client: u16 version + nonce
AUTH = 2  # client -> agent: HMAC(secret, b"client" + nonce)
WELCOME = 3  # agent -> client: HMAC(secret, b"agent" + nonce)
REQUEST = 4  # client -> agent: JSON {"op": ...}
REPLY = 5  # agent -> client: JSON {"ok": true, ...} or {"error": "..."}
PCM = 6  # either way: u64 position + int16 LE interleaved samples
STATUS = 7  # either way: JSON (buffer levels, overflows, underruns)
END = 8  # client -> agent: play out what is buffered, then answer END and close
ERROR = 9  # either way: JSON {"error": "..."}; the connection closes after it

NAMES = {HELLO: "HELLO", AUTH: "AUTH", WELCOME: "WELCOME", REQUEST: "REQUEST", REPLY: "REPLY",
         PCM: "PCM", STATUS: "STATUS", END: "END", ERROR: "ERROR"}

_HEADER = struct.Struct(">IB")
_POSITION = struct.Struct("<Q")


class ProtocolError(Exception):
    """The peer broke the protocol (bad frame, refused handshake, closed mid-frame)."""


class AuthError(ProtocolError):
    """The other side does not hold this session's secret."""


@dataclass(frozen=True)
class Frame:
    kind: int
    payload: bytes

    def json(self) -> dict[str, Any]:
        try:
            value = json.loads(self.payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ProtocolError(f"bad JSON in a {NAMES.get(self.kind, self.kind)} frame") from exc
        if not isinstance(value, dict):
            raise ProtocolError("a JSON frame must hold an object")
        return value


def encode(kind: int, payload: bytes = b"") -> bytes:
    """One frame as bytes."""
    if len(payload) + 1 > MAX_FRAME:
        raise ProtocolError(f"frame of {len(payload)} bytes is larger than {MAX_FRAME}")
    return _HEADER.pack(len(payload) + 1, kind) + payload


def encode_json(kind: int, value: dict[str, Any]) -> bytes:
    return encode(kind, json.dumps(value, separators=(",", ":")).encode("utf-8"))


def encode_pcm(position: int, samples: bytes) -> bytes:
    return encode(PCM, _POSITION.pack(position) + samples)


def decode_pcm(payload: bytes) -> tuple[int, bytes]:
    if len(payload) < _POSITION.size:
        raise ProtocolError("PCM frame without a position")
    return _POSITION.unpack_from(payload)[0], payload[_POSITION.size:]


class FrameReader:
    """Incremental decoder: feed bytes as they arrive, take whole frames out."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Frame]:
        self._buffer.extend(data)
        frames: list[Frame] = []
        while len(self._buffer) >= _HEADER.size:
            length, kind = _HEADER.unpack_from(self._buffer)
            if length < 1 or length > MAX_FRAME:
                raise ProtocolError(f"frame length {length} out of range")
            end = 4 + length
            if len(self._buffer) < end:
                break
            frames.append(Frame(kind, bytes(self._buffer[_HEADER.size:end])))
            del self._buffer[:end]
        return frames

    @property
    def pending(self) -> int:
        return len(self._buffer)


class Connection:
    """A blocking socket carrying frames; `send` is thread-safe (one writer at a time)."""

    def __init__(self, sock: socket.socket) -> None:
        import threading

        self.sock = sock
        self._reader = FrameReader()
        self._ready: list[Frame] = []
        self._send_lock = threading.Lock()
        self.bytes_sent = 0
        self.bytes_received = 0

    def send(self, data: bytes) -> None:
        with self._send_lock:
            self.sock.sendall(data)
            self.bytes_sent += len(data)

    def recv(self, timeout: float | None = None) -> Frame | None:
        """The next frame; None at a clean end of stream. ProtocolError if cut mid-frame."""
        while not self._ready:
            self.sock.settimeout(timeout)
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                raise
            except OSError as exc:
                raise ProtocolError(f"connection lost ({exc})") from None
            if not data:
                if self._reader.pending:
                    raise ProtocolError("connection closed in the middle of a frame")
                return None
            self.bytes_received += len(data)
            self._ready.extend(self._reader.feed(data))
        return self._ready.pop(0)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


def _mac(secret: bytes, role: bytes, nonce: bytes) -> bytes:
    return hmac.new(secret, role + nonce, hashlib.sha256).digest()


def new_secret() -> bytes:
    return os.urandom(32)


def agent_handshake(conn: Connection, secret: bytes, timeout: float = 10.0) -> None:
    """The agent's side: challenge, check the answer, prove we hold the secret too."""
    nonce = os.urandom(NONCE_BYTES)
    conn.send(encode(HELLO, struct.pack(">H", VERSION) + nonce))
    frame = conn.recv(timeout)
    if frame is None or frame.kind != AUTH:
        raise AuthError("the client did not authenticate")
    if not hmac.compare_digest(frame.payload, _mac(secret, b"client", nonce)):
        with contextlib.suppress(OSError):
            conn.send(encode_json(ERROR, {"error": "refused: wrong session secret"}))
        raise AuthError("wrong session secret")
    conn.send(encode(WELCOME, _mac(secret, b"agent", nonce)))


def client_handshake(conn: Connection, secret: bytes, timeout: float = 10.0,
                     then: bytes = b"") -> None:
    """HOST's side: answer the challenge, then check the agent's proof.

    `then` (a request frame) is sent right behind AUTH, before the agent's answer is read:
    the agent reads it only once AUTH checked out, and the request saves a round trip
    (40 ms on a 40 ms link) on every stream that opens.
    """
    frame = conn.recv(timeout)
    if frame is None or frame.kind != HELLO or len(frame.payload) != 2 + NONCE_BYTES:
        raise ProtocolError("the laptop side did not greet (is it an audiotui bridge?)")
    (version,) = struct.unpack_from(">H", frame.payload)
    if version != VERSION:
        raise ProtocolError(
            f"the laptop runs bridge protocol {version}, HOST runs {VERSION}: "
            "install the same audiotui version on both"
        )
    nonce = frame.payload[2:]
    conn.send(encode(AUTH, _mac(secret, b"client", nonce)) + then)
    reply = conn.recv(timeout)
    if reply is None:
        raise AuthError("the laptop side closed the connection: refused")
    if reply.kind == ERROR:
        raise AuthError(str(reply.json().get("error", "refused")))
    if reply.kind != WELCOME or not hmac.compare_digest(
        reply.payload, _mac(secret, b"agent", nonce)
    ):
        raise AuthError("the laptop side does not hold this session's secret")
