"""The streaming gaps from the issue-3 audit: sliced byte streams, coalesced mic chunks, overflows."""

from __future__ import annotations

import io
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from conftest import wait_until_quiet
from test_tui_support import app_for, settle

import audiotui as gr
from audiotui.client import Client
from audiotui.media.devices import HardwareStatus
from audiotui.media.levels import Level
from audiotui.media.sources import decode_bytes
from audiotui.tui.widgets.audio import AudioWidget
from audiotui.tui.widgets.audio_recording import LiveRecording

SLICE = 50_000


def _noisy_tone(seconds: float, rate: int = 44100) -> np.ndarray:
    """Stereo tone plus noise: an MP3 of it is big enough to need several 50 kB slices."""
    t = np.arange(int(seconds * rate)) / rate
    rng = np.random.default_rng(7)
    tone = 0.3 * np.sin(2 * np.pi * 440 * t)[:, None]
    return (tone + 0.1 * rng.standard_normal((len(t), 2))).astype(np.float32)


@pytest.fixture(params=["MP3", "WAV"])
def sliced_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    buf = io.BytesIO()
    sf.write(buf, _noisy_tone(8.0), 44100, format=request.param)
    path = tmp_path / f"song.{request.param.lower()}"
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size > 2 * SLICE  # the test is about slices past the first
    return path


def _slicing_demo(path: Path) -> gr.Blocks:
    """Gradio's own streaming demo: raw 50 kB slices of a file into gr.Audio(streaming=True)."""

    def stream(_: str) -> Iterator[bytes]:
        with open(path, "rb") as f:
            while chunk := f.read(SLICE):
                yield chunk

    with gr.Blocks() as demo:
        name = gr.Textbox()
        out = gr.Audio(streaming=True, autoplay=True)
        name.submit(stream, name, out, api_name="stream")
    return demo


def test_sliced_byte_stream_gives_decodable_chunks_and_a_whole_result(sliced_file: Path) -> None:
    whole_expected = decode_bytes(sliced_file.read_bytes())[1]
    with Client(_slicing_demo(sliced_file)) as client:
        job = client.submit("go", api_name="/stream")
        chunks = list(job)
        whole = job.result()
    assert len(chunks) == -(-sliced_file.stat().st_size // SLICE)
    pieces = [sf.read(c, dtype="float32", always_2d=True)[0] for c in chunks]
    joined = np.concatenate(pieces)
    assert joined.shape == whole_expected.shape
    np.testing.assert_allclose(joined, whole_expected, atol=1e-6)
    data, rate = sf.read(whole, dtype="float32", always_2d=True)
    assert rate == 44100 and data.shape == whole_expected.shape
    np.testing.assert_allclose(data, whole_expected, atol=1e-4)


def test_whole_containers_per_yield_are_still_kept_verbatim(tmp_path: Path) -> None:
    def tones(_: str) -> Iterator[bytes]:
        for freq in (220, 440):
            buf = io.BytesIO()
            t = np.arange(8000) / 16000
            sf.write(buf, 0.5 * np.sin(2 * np.pi * freq * t), 16000, format="WAV",
                     subtype="PCM_16")
            yield buf.getvalue()

    with gr.Blocks() as demo:
        name = gr.Textbox()
        out = gr.Audio(streaming=True)
        name.submit(tones, name, out, api_name="tones")
    with Client(demo) as client:
        job = client.submit("go", api_name="/tones")
        chunks = list(job)
        whole = job.result()
    assert [sf.info(c).subtype for c in chunks] == ["PCM_16", "PCM_16"]
    assert sf.info(whole).frames == 16000


# -- streaming microphone: a slow listener gets every sample once, joined ------------------

RATE = 8000
BLOCK = 1024


class _FeedStream:
    """A stand-in for sounddevice.InputStream: real-time blocks of a known ramp.

    Only the device is faked; MicrophoneStream's own backlog and joining are the real ones.
    """

    fed: list[np.ndarray] = []

    def __init__(self, *, callback: Any, finished_callback: Any, **_: Any) -> None:
        self._callback = callback
        self._finished = finished_callback
        self._running = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._running.set()
        self._thread.start()

    def _run(self) -> None:
        status = types.SimpleNamespace(input_overflow=False)
        n = 0
        while self._running.is_set():
            block = ((np.arange(n, n + BLOCK) % 20000) / 32768.0).astype(np.float32)[:, None]
            self._callback(block, BLOCK, None, status)
            _FeedStream.fed.append(block)
            n += BLOCK
            time.sleep(BLOCK / RATE)

    def stop(self) -> None:
        self._running.clear()
        self._thread.join()

    def close(self) -> None:
        self._finished()


@pytest.fixture
def fake_microphone(monkeypatch: pytest.MonkeyPatch) -> type[_FeedStream]:
    from audiotui.media import streaming
    from audiotui.media.devices import DeviceInfo

    device = DeviceInfo(0, "fake_mic", "test", 1, 0, float(RATE))
    # Streams open through the device backend seam (media/backend.py).
    monkeypatch.setattr(streaming, "open_stream",
                        lambda kind, device, **kwargs: _FeedStream(**kwargs))
    monkeypatch.setattr(streaming, "resolve_device", lambda spec, kind: device)
    _FeedStream.fed = []
    return _FeedStream


async def test_slow_stream_listener_gets_every_sample_once_in_order_and_coalescing_shows(
    fake_microphone: type[_FeedStream],
) -> None:
    from audiotui.media.streaming import to_int16

    calls: list[np.ndarray] = []
    with gr.Blocks() as demo:
        mic = gr.Audio(sources=["microphone"], streaming=True, label="mic")

        def listen(chunk: Any) -> None:
            rate, data = chunk
            calls.append(data)
            time.sleep(3 * 0.5)  # three times the chunk's duration: slower than real time

        mic.stream(listen, mic, None)
    app = app_for(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        widget = app.component_widgets[mic.id]
        widget.view.focus()
        await pilot.pause()
        await pilot.press("r")
        assert widget.take is not None, widget.query_one(".component-error").render()
        status = ""
        for _ in range(100):
            await pilot.pause(0.1)
            status = widget.query_one(".audio-status").render().plain
            if "coalesced" in status:
                break
        assert widget.take is not None and widget.take.coalesced > 0
        assert f"coalesced {widget.take.coalesced}" in status
        await pilot.press("r")
        for _ in range(100):
            await pilot.pause(0.1)
            if widget.take is None:
                break
        await app.session.wait_idle()
    assert widget.take is None
    fed = to_int16(np.concatenate(fake_microphone.fed))[:, 0]
    got = np.concatenate(calls)
    assert any(len(c) > RATE // 2 for c in calls)  # joined chunks, not dropped ones
    np.testing.assert_array_equal(got, fed[: len(got)])
    assert len(got) == len(fed)


# -- overflows next to the level meter ------------------------------------------------------


class _OverflowingRecorder:
    def __init__(self, overflows: int) -> None:
        self.overflows = overflows

    def level(self) -> Level:
        return Level([-6.0], [-9.0], [0])


class _StandInTake:
    """A take held still, whose recorder reports input overflows."""

    state = "recording"
    elapsed = 1.0
    device_name = "virtual_mic"
    peaks = None
    meter = LiveRecording.meter

    def __init__(self, overflows: int) -> None:
        self.recorder = _OverflowingRecorder(overflows)

    def tick(self) -> bool:
        return False

    def stop(self) -> None:
        """Nothing to save: the take never touched a device."""


def test_meter_shows_overflows_only_when_there_are_some() -> None:
    assert "overflows 3" in LiveRecording.meter(_StandInTake(3)).plain  # type: ignore[arg-type]
    assert "overflows" not in LiveRecording.meter(_StandInTake(0)).plain  # type: ignore[arg-type]


async def test_recording_widget_shows_overflows_next_to_the_meter() -> None:
    with gr.Blocks() as demo:
        gr.Audio(sources=["microphone"], label="voice")
    app = app_for(demo)
    async with app.run_test(size=(100, 22)) as pilot:
        await settle(pilot)
        widget = next(iter(app.query(AudioWidget)))
        widget.take = _StandInTake(5)  # type: ignore[assignment]
        widget.add_class("-recording")
        widget._ticking(True)
        await pilot.pause(0.5)
        meter = widget.query_one(".audio-meter").render().plain
        assert "overflows 5" in meter
        widget.take = None
        widget._ticking(False)


# -- hardware: the TUI plays a sliced stream back to back -----------------------------------


@pytest.mark.hardware
@pytest.mark.parametrize(("fmt", "seconds"), [("WAV", 3.0), ("MP3", 6.0)])
async def test_tui_plays_a_sliced_byte_stream_back_to_back(
    fmt: str, seconds: float, tmp_path: Path, virtual_audio: Any, loopback: Any
) -> None:
    from conftest import tone_seconds

    rate = 48000
    t = np.arange(int(seconds * rate)) / rate
    rng = np.random.default_rng(3)
    # The faint noise only makes the MP3 big enough to need several slices.
    tone = 0.5 * np.sin(2 * np.pi * 1000 * t)[:, None]
    signal = tone + 0.05 * rng.standard_normal((len(t), 2))
    path = tmp_path / f"tone.{fmt.lower()}"
    sf.write(path, signal.astype(np.float32), rate, format=fmt)
    assert path.stat().st_size > 2 * SLICE
    demo = _slicing_demo(path)
    out = next(b for b in demo.blocks.values() if isinstance(b, gr.Audio))
    name = next(b for b in demo.blocks.values() if isinstance(b, gr.Textbox))
    app = app_for(demo, output_device=virtual_audio.speaker)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.set_hardware(HardwareStatus(True, ""))
        app.session.trigger(name, "submit")
        widget = app.component_widgets[out.id]
        for _ in range(int(seconds * 10) + 300):
            await pilot.pause(0.1)
            player = getattr(widget.transport, "player", None) if widget.transport else None
            if widget.view.duration >= seconds - 0.1 and player is not None \
                    and player.state == "stopped":
                break
        assert widget.view.duration == pytest.approx(seconds, abs=0.1)  # the waveform grew
    wait_until_quiet(loopback)  # the tail still in the server's buffers reaches the monitor
    data, got_rate = sf.read(loopback.stop().path)
    # A lost or repeated slice is >= 0.26 s (WAV) / ~2.8 s (MP3). Run after other hardware
    # tests, ~0.1 s of the MP3's playback was seen missing (cause not found; the joins
    # themselves are checked sample-exactly through the Client above).
    assert tone_seconds(data, 0.5, got_rate, 1000) == pytest.approx(seconds, abs=0.15)
