"""The laptop's side of the bridge: a thin server that moves PCM between PortAudio and HOST.

It listens on a Unix socket in a private (0700) directory that `ssh -R` forwards to HOST. It
never runs user code and understands four requests, each after the challenge-response
handshake of protocol.py:

- `devices`: this machine's PortAudio devices (names, channels, rates, defaults);
- `open` (kind, device, rate, channels, blocksize) then `start`: one stream, carried by this
  connection until either side closes it.

An input stream sends every block the card records (10 ms blocks, so a streamed chunk leaves
as soon as it is complete); an output stream feeds what arrives into a `JitterBuffer` that
the card's callback pulls from. If the card refuses HOST's rate, the stream runs at the card's
own rate and python-soxr converts here (also how `--audio-rate` saves bandwidth). Every half
second an output stream reports its buffer (depth, target, underruns, drift ratio) to HOST.
"""

from __future__ import annotations

import contextlib
import os
import queue
import socket
import threading
import time
from pathlib import Path
from typing import Any, Literal

from audiotui.bridge import protocol
from audiotui.errors import AudiotuiError, DeviceError

STATUS_INTERVAL = 0.5
INPUT_BLOCK_SECONDS = 0.01


class Agent:
    """Serves HOST's requests on `path` until `close()`; one thread per connection."""

    def __init__(self, path: str | os.PathLike[str], secret: bytes, *,
                 audio_rate: int | None = None) -> None:
        self.path = Path(path)
        self.secret = secret
        self.audio_rate = audio_rate
        self.refused = 0  # connections that failed the handshake
        self.streams_opened = 0
        self.bytes_sent = 0
        self.bytes_received = 0
        self._server: socket.socket | None = None
        self._closing = threading.Event()
        self._conns: set[protocol.Connection] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)  # the socket itself 0600, inside a 0700 directory
        try:
            server.bind(str(self.path))
        finally:
            os.umask(old)
        server.listen(16)
        self._server = server
        threading.Thread(target=self._accept_loop, name="audiotui-agent", daemon=True).start()

    def close(self) -> None:
        self._closing.set()
        if self._server is not None:
            with contextlib.suppress(OSError):
                self._server.shutdown(socket.SHUT_RDWR)
            self._server.close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            conn.close()
        with contextlib.suppress(OSError):
            self.path.unlink()

    def _accept_loop(self) -> None:
        assert self._server is not None
        while not self._closing.is_set():
            try:
                sock, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), name="audiotui-agent-conn",
                             daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        conn = protocol.Connection(sock)
        with self._lock:
            self._conns.add(conn)
        try:
            try:
                protocol.agent_handshake(conn, self.secret)
            except (protocol.ProtocolError, OSError, TimeoutError):
                self.refused += 1
                return
            # HOST may keep an authenticated connection idle, ready for its next stream.
            frame = conn.recv(None)
            if frame is None or frame.kind != protocol.REQUEST:
                return
            req = frame.json()
            op = req.get("op")
            if op == "devices":
                conn.send(protocol.encode_json(protocol.REPLY, self._devices()))
            elif op == "open":
                self.streams_opened += 1
                _Stream(self, conn, req).run()
            else:
                conn.send(protocol.encode_json(protocol.ERROR, {"error": f"unknown op {op!r}"}))
        except (protocol.ProtocolError, OSError, TimeoutError):
            pass
        finally:
            with self._lock:
                self._conns.discard(conn)
                self.bytes_sent += conn.bytes_sent
                self.bytes_received += conn.bytes_received
            conn.close()

    def _devices(self) -> dict[str, Any]:
        from audiotui.media import devices

        try:
            found = devices._portaudio_devices()
        except AudiotuiError as exc:
            return {"error": f"no audio devices on the laptop: {exc}"}
        return {"devices": [d.as_dict() for d in found], "audio_rate": self.audio_rate}


class _Stream:
    """One PortAudio stream of the laptop, carried by one connection."""

    def __init__(self, agent: Agent, conn: protocol.Connection, req: dict[str, Any]) -> None:
        self.agent = agent
        self.conn = conn
        self.kind = req.get("kind")
        self.device = int(req.get("device", -1))
        self.rate = int(req.get("rate", 48000))  # the wire rate, what HOST's stream runs at
        self.channels = int(req.get("channels", 1))
        self.blocksize = int(req.get("blocksize", 1024))
        self.device_rate = self.rate
        self.overflows = 0
        self._sent_overflows = 0
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=3000)
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._jitter: Any = None
        self._resampler: Any = None

    def run(self) -> None:
        from audiotui.media.devices import quiet_stderr

        try:
            stream = self._open()
        except AudiotuiError as exc:
            self.conn.send(protocol.encode_json(protocol.ERROR, {"error": str(exc)}))
            return
        try:
            self.conn.send(protocol.encode_json(protocol.REPLY, {
                "ok": True, "rate": self.rate, "device_rate": self.device_rate,
                # output: the card's latency plus the cushion the jitter buffer starts with
                "latency": float(stream.latency) + (
                    self._jitter.target_seconds if self._jitter is not None else 0.0),
            }))
            frame = self.conn.recv(30.0)
            if frame is None or frame.kind != protocol.REQUEST:
                return
            with quiet_stderr():
                stream.start()
            if self.kind == "input":
                self._send_input()
            else:
                self._receive_output()
        finally:
            self._done.set()
            with contextlib.suppress(Exception), quiet_stderr():
                stream.abort()
                stream.close()

    def _open(self) -> Any:
        import soxr

        from audiotui.media.devices import (
            _portaudio_devices,
            quiet_stderr,
            sounddevice_module,
        )

        sd = sounddevice_module()
        kind: Literal["input", "output"] = "input" if self.kind == "input" else "output"
        # By this machine's own PortAudio index: the agent never looks at bridge settings.
        found = [d for d in _portaudio_devices() if d.index == self.device]
        if not found:
            raise DeviceError(f"the laptop has no device {self.device} (was it unplugged?)")
        dev = found[0]
        cls = sd.InputStream if kind == "input" else sd.OutputStream
        callback = self._on_input if kind == "input" else self._on_output
        last: Exception | None = None
        for rate in dict.fromkeys([self.rate, int(dev.default_samplerate)]):
            block = max(1, int(rate * INPUT_BLOCK_SECONDS)) if kind == "input" else 0
            try:
                with quiet_stderr():
                    stream = cls(device=dev.index, samplerate=rate, channels=self.channels,
                                 blocksize=block, dtype="float32", callback=callback,
                                 latency="low" if kind == "input" else "high")
            except (sd.PortAudioError, ValueError) as exc:
                last = exc
                continue
            self.device_rate = rate
            break
        else:
            from audiotui.media.devices import stream_error

            assert last is not None
            raise stream_error(last, dev, kind, self.rate)
        if self.device_rate != self.rate:
            src, dst = ((self.device_rate, self.rate) if kind == "input"
                        else (self.rate, self.device_rate))
            self._resampler = soxr.ResampleStream(src, dst, self.channels, dtype="float32",
                                                  quality="HQ")
        if kind == "output":
            from audiotui.bridge.jitter import JitterBuffer

            self._jitter = JitterBuffer(self.device_rate, self.channels,
                                        block=self.blocksize or 1024)
        return stream

    # ------------------------------------------------------------------ input

    def _on_input(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        if status.input_overflow:
            self.overflows += 1
        try:
            self._queue.put_nowait(indata.copy())
        except queue.Full:
            self.overflows += 1

    def _send_input(self) -> None:
        import numpy as np

        position = 0
        reader = threading.Thread(target=self._watch_input_conn, daemon=True)
        reader.start()
        while not self._done.is_set():
            try:
                block = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            if self._resampler is not None:
                block = self._resampler.resample_chunk(block)
            samples = (np.clip(block, -1.0, 32767 / 32768) * 32768.0).astype("<i2")
            self.conn.send(protocol.encode_pcm(position, samples.tobytes()))
            position += len(block)
            if self.overflows != self._sent_overflows:
                self._sent_overflows = self.overflows
                self.conn.send(protocol.encode_json(protocol.STATUS,
                                                    {"overflows": self.overflows}))

    def _watch_input_conn(self) -> None:
        """HOST closing the connection (or ssh going away) ends the input stream."""
        with contextlib.suppress(protocol.ProtocolError, OSError, TimeoutError):
            while self.conn.recv(None) is not None:
                pass
        self._done.set()

    # ------------------------------------------------------------------ output

    def _on_output(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        with self._lock:
            self._jitter.pull_into(outdata, time.monotonic())

    def _receive_output(self) -> None:
        import numpy as np

        threading.Thread(target=self._report_output, daemon=True).start()
        jitter = self._jitter
        while True:
            frame = self.conn.recv(None)
            if frame is None:
                return
            if frame.kind == protocol.END:
                with self._lock:
                    jitter.finish()
                while not self._done.is_set():
                    with self._lock:
                        if jitter.drained:
                            break
                    time.sleep(0.01)
                time.sleep(0.05)  # the card's own buffer
                self.conn.send(protocol.encode(protocol.END))
                return
            if frame.kind != protocol.PCM:
                continue
            _, samples = protocol.decode_pcm(frame.payload)
            block = (np.frombuffer(samples, "<i2").astype(np.float32) / 32768.0).reshape(
                -1, self.channels)
            if self._resampler is not None:
                block = self._resampler.resample_chunk(block)
            with self._lock:
                jitter.push(block, time.monotonic())

    def _report_output(self) -> None:
        jitter = self._jitter
        while not self._done.wait(STATUS_INTERVAL):
            with self._lock:
                status = {
                    "level": jitter.level_seconds, "target": jitter.target_seconds,
                    "jitter": jitter.jitter, "underruns": jitter.underruns,
                    "ratio": jitter.ratio, "skipped": jitter.skipped_frames,
                    "played": jitter.played_frames,
                }
            try:
                self.conn.send(protocol.encode_json(protocol.STATUS, status))
            except OSError:
                return
