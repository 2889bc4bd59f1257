"""SVG snapshot of the spectrogram face: a stereo chirp/tone file, zoomed out, playhead set.

Refresh with `pytest --snapshot-update tests/test_tui_spectrogram_snapshot.py` after checking
the new SVG by eye (tests/snapshots/test_tui_spectrogram_snapshot/).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from test_tui_snapshots import SnapshotsDir, _shot
from test_tui_support import app_for

import audiotui as gr
from audiotui.tui.widgets.audio import AudioWidget

RATE = 16000


@pytest.fixture
def svg_snapshot(snapshot: Any) -> Any:
    return snapshot.use_extension(SnapshotsDir)


def _stereo_chirp(path: Path, seconds: float = 6.0) -> Path:
    """Left: a log chirp 100 Hz -> 6 kHz; right: 1 kHz for 2 s, then silence, then noise."""
    t = np.arange(int(seconds * RATE)) / RATE
    k = np.log(6000 / 100) / seconds
    left = 0.5 * np.sin(2 * np.pi * 100 * (np.exp(k * t) - 1) / k)
    right = np.where(t < 2, 0.5 * np.sin(2 * np.pi * 1000 * t), 0.0)
    right += np.where(t > 4, 0.1 * np.random.default_rng(3).standard_normal(len(t)), 0.0)
    sf.write(path, np.stack([left, right], axis=1), RATE, subtype="PCM_16")
    return path


def test_spectrogram_of_a_stereo_file(svg_snapshot: Any, tmp_path: Path) -> None:
    wav = _stereo_chirp(tmp_path / "chirp.wav")
    with gr.Blocks() as demo:
        gr.Audio(str(wav), label="chirp", interactive=False)
    app = app_for(demo)

    async def spectrogram_with_playhead(pilot: Any) -> None:
        widget = next(iter(pilot.app.query(AudioWidget)))
        widget.view.styles.height = 13  # two lanes of six lines: 12 frequency rows each
        widget.view.focus()
        await pilot.press("g")
        widget.seek(3.0)

    assert svg_snapshot == _shot(app, (100, 24), spectrogram_with_playhead)
