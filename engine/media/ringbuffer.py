"""A fixed-size ring of the most recent audio frames, for live waveforms and meters.

The recorder's writer thread appends every block; the UI reads the tail at its own pace. The
capacity is fixed at creation, so memory does not grow with the length of a recording.
"""

from __future__ import annotations

import threading

import numpy as np


class RingBuffer:
    """The last `capacity` frames of a float32 (n, channels) signal; thread-safe."""

    def __init__(self, capacity: int, channels: int) -> None:
        if capacity <= 0 or channels <= 0:
            raise ValueError("capacity and channels must be positive")
        self._data = np.zeros((capacity, channels), dtype=np.float32)
        self._capacity = capacity
        self._channels = channels
        self._write = 0  # next index to write
        self._filled = 0
        self._total = 0
        self._lock = threading.Lock()

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def total_frames(self) -> int:
        """Frames ever written (not only those still held)."""
        return self._total

    def write(self, block: np.ndarray) -> None:
        frames = block.reshape(len(block), -1)
        if frames.shape[1] != self._channels:
            raise ValueError(f"expected {self._channels} channels, got {frames.shape[1]}")
        with self._lock:
            self._total += len(frames)
            if len(frames) >= self._capacity:
                self._data[:] = frames[-self._capacity :]
                self._write = 0
                self._filled = self._capacity
                return
            end = self._write + len(frames)
            if end <= self._capacity:
                self._data[self._write : end] = frames
            else:
                split = self._capacity - self._write
                self._data[self._write :] = frames[:split]
                self._data[: end - self._capacity] = frames[split:]
            self._write = end % self._capacity
            self._filled = min(self._capacity, self._filled + len(frames))

    def latest(self, frames: int) -> np.ndarray:
        """A copy of up to `frames` most recent frames, oldest first."""
        with self._lock:
            n = max(0, min(frames, self._filled))
            start = (self._write - n) % self._capacity
            recent: np.ndarray
            if start + n <= self._capacity:
                recent = self._data[start : start + n].copy()
            else:
                recent = np.concatenate((self._data[start:], self._data[: self._write]))
            return recent
