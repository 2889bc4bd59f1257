"""The streaming gaps from the issue-3 audit: sliced byte streams, coalesced mic chunks, overflows."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import audiotui as gr
from audiotui.client import Client
from audiotui.media.sources import decode_bytes

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
