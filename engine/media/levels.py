"""Signal levels: peak and RMS in dBFS per channel, and a running clip count.

Shared by the recorder's live meter and `audiotui info`, so both report the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SILENCE_DBFS = -120.0
# A sample at or beyond this magnitude counts as clipped: PCM_16 full scale is 32767/32768.
CLIP_THRESHOLD = 0.999


def to_dbfs(amplitude: float) -> float:
    """Amplitude (1.0 = full scale) to dBFS, floored so silence prints as a number, not -inf."""
    if amplitude <= 0.0:
        return SILENCE_DBFS
    return max(SILENCE_DBFS, 20.0 * math.log10(amplitude))


@dataclass(frozen=True)
class Level:
    """What a level meter shows, one entry per channel."""

    peak_dbfs: list[float]
    rms_dbfs: list[float]
    clips: list[int]


@dataclass
class LevelAccumulator:
    """Peak, RMS and clip counts over many blocks without keeping the blocks.

    Sums are kept in float64 per channel so an hour of audio does not drift.
    """

    channels: int
    peak: list[float] = field(init=False)
    sum_squares: list[float] = field(init=False)
    clips: list[int] = field(init=False)
    frames: int = 0

    def __post_init__(self) -> None:
        self.peak = [0.0] * self.channels
        self.sum_squares = [0.0] * self.channels
        self.clips = [0] * self.channels

    def add(self, block: np.ndarray) -> None:
        import numpy as np

        if block.size == 0:
            return
        data = block.reshape(len(block), -1)
        mags = np.abs(data)
        peaks = mags.max(axis=0)
        squares = np.einsum("ij,ij->j", data, data, dtype=np.float64)
        clipped = np.count_nonzero(mags >= CLIP_THRESHOLD, axis=0)
        for ch in range(self.channels):
            self.peak[ch] = max(self.peak[ch], float(peaks[ch]))
            self.sum_squares[ch] += float(squares[ch])
            self.clips[ch] += int(clipped[ch])
        self.frames += len(data)

    def level(self) -> Level:
        rms = [math.sqrt(s / self.frames) if self.frames else 0.0 for s in self.sum_squares]
        return Level(
            peak_dbfs=[to_dbfs(p) for p in self.peak],
            rms_dbfs=[to_dbfs(r) for r in rms],
            clips=list(self.clips),
        )


def measure(block: np.ndarray) -> Level:
    """Level of one block (what a meter shows for the last fraction of a second)."""
    channels = 1 if block.ndim == 1 else block.shape[1]
    acc = LevelAccumulator(channels)
    acc.add(block)
    return acc.level()
