"""What the compatibility suite measures in the audio its apps return, shared by both test files.

The app files live next to this module (apps/); the helpers read results back with soundfile and
judge them by FFT, so assertions are about the sound rather than about file names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

APPS = Path(__file__).resolve().parent / "apps"
AUDIO = APPS / "audio"
PIANO, DUET, CHIRP = AUDIO / "piano_a4.wav", AUDIO / "duet_stereo.wav", AUDIO / "rising_chirp.wav"


def read(path: str | Path) -> tuple[int, np.ndarray]:
    """(sample rate, float32 samples shaped (n, channels)) of an audio file."""
    data, sr = sf.read(str(path), dtype="float32", always_2d=True)
    return sr, data


def read_int16(path: str | Path) -> np.ndarray:
    data, _ = sf.read(str(path), dtype="int16", always_2d=True)
    return data


def dominant_hz(samples: np.ndarray, sr: int) -> float:
    mono = samples[:, 0] if samples.ndim == 2 else samples
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono))))
    spectrum[0] = 0.0
    return float(np.fft.rfftfreq(len(mono), 1 / sr)[int(np.argmax(spectrum))])


def band_level(samples: np.ndarray, sr: int, hz: float) -> float:
    """Magnitude of the FFT bin nearest `hz` (first channel)."""
    mono = samples[:, 0] if samples.ndim == 2 else samples
    spectrum = np.abs(np.fft.rfft(mono))
    return float(spectrum[int(round(hz * len(mono) / sr))])


def wav(path: Path, data: np.ndarray, sr: int = 16000) -> Path:
    sf.write(str(path), data, sr, subtype="PCM_16")
    return path


def by_label(demo: Any, label: str) -> Any:
    matches = [c for c in demo.components if c.label == label]
    assert len(matches) == 1, f"expected one component labelled {label!r}, found {len(matches)}"
    return matches[0]
