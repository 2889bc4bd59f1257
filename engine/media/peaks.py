"""Waveform summaries: min/max/RMS per block, kept as a pyramid of 2x coarser levels.

Drawing a waveform needs, per screen column, the lowest and highest sample and the loudness
in that column's slice of time. Decimating (taking every Nth sample) drops peaks, and scanning
the samples for every redraw costs time proportional to the file length. Instead one streamed
pass stores min, max and the sum of squares for each `block` frames (level 0), and each further
level halves the count. A `columns()` query picks the level whose blocks are just smaller than
one column, so any zoom of any length costs time proportional to the width. Zoomed in further
than one block per column, the samples themselves are re-read (from the file or the array the
pyramid came from), which is a read of at most `width * block` frames.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from audiotui.errors import AudioFormatError

if TYPE_CHECKING:
    from audiotui.media.reading import Truncation

_READ_BLOCKS = 256  # level-0 blocks per streamed read (65,536 frames at block=256)


class _Level:
    """One pyramid level: per-block min, max and sum of squares, per channel (growable)."""

    def __init__(self, channels: int, capacity: int) -> None:
        capacity = max(capacity, 1)
        self.mins = np.empty((capacity, channels), np.float32)
        self.maxs = np.empty((capacity, channels), np.float32)
        self.sumsq = np.empty((capacity, channels), np.float32)
        self.n = 0

    def reserve(self, n: int) -> None:
        if n <= len(self.mins):
            return
        size = max(n, 2 * len(self.mins))
        for name in ("mins", "maxs", "sumsq"):
            old = getattr(self, name)
            new = np.empty((size, old.shape[1]), np.float32)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)


class BlockedSummary(ABC):
    """Growth shared by the peak and spectrum pyramids: chunks of any size in, one level-0
    entry per `block_frames` out, the last entry partial until more frames arrive.

    A recorder hands in 1024-frame chunks, a file pass 64k-frame ones; either way the entry
    that straddles two chunks is recomputed from the kept tail, so live and file summaries
    of the same samples are equal. Subclasses say how a run of whole blocks and one partial
    block are summarised, and how the upper levels follow.
    """

    channels: int
    frames: int
    _tail: np.ndarray
    _lock: threading.Lock
    _levels: list[Any]

    @property
    @abstractmethod
    def block_frames(self) -> int:
        """Frames per level-0 entry."""

    @abstractmethod
    def _write_blocks(self, level0: Any, at: int, samples: np.ndarray, count: int) -> None:
        """Level-0 entries `at .. at+count` from exactly `count * block_frames` frames."""

    @abstractmethod
    def _write_partial(self, level0: Any, at: int, tail: np.ndarray) -> None:
        """Level-0 entry `at` from fewer than `block_frames` frames."""

    @abstractmethod
    def _propagate(self, first: int) -> None:
        """Recompute the upper levels' entries from level-0 entry `first` on."""

    def append(self, chunk: np.ndarray) -> None:
        """Add frames at the end (float in [-1, 1] or any int dtype, `(n,)` or `(n, ch)`).

        The chunk is not kept (a reader may hand in a buffer it reuses).
        """
        samples = _as_float2d(chunk)
        if samples.shape[1] != self.channels:
            raise ValueError(
                f"{type(self).__name__}.append: chunk has {samples.shape[1]} channels, "
                f"the pyramid has {self.channels}"
            )
        if len(samples):
            with self._lock:
                self._append(samples)

    def _append(self, samples: np.ndarray) -> None:
        added = len(samples)
        block = self.block_frames
        level0 = self._levels[0]
        first = level0.n
        if len(self._tail):  # the last block was partial: recompute it with the new frames
            samples = np.concatenate([self._tail, samples])
            first -= 1
        full = len(samples) // block
        rest = len(samples) - full * block
        level0.reserve(first + full + (1 if rest else 0))
        if full:
            self._write_blocks(level0, first, samples[: full * block], full)
        if rest:
            tail = samples[full * block :]
            self._write_partial(level0, first + full, tail)
            self._tail = tail.copy()
        else:
            self._tail = samples[:0]
        level0.n = first + full + (1 if rest else 0)
        self.frames += added
        self._propagate(first)


class PeakPyramid(BlockedSummary):
    """Min/max/RMS summaries of an audio signal for drawing at any zoom.

    Build it with `from_file` (one streamed pass, memory ~ frames/block), `from_array`, or
    empty and fed by `append` (a live recording or a streamed output grows it).

    Attributes:
        sample_rate: frames per second of the summarised audio.
        channels: channel count.
        block: frames summarised by one level-0 entry.
    """

    def __init__(
        self,
        sample_rate: int,
        channels: int,
        *,
        block: int = 256,
        capacity_frames: int = 0,
        source: Path | np.ndarray | None = None,
    ) -> None:
        if isinstance(block, bool) or not isinstance(block, int) or block < 1:
            raise ValueError(f"PeakPyramid: block must be a positive int, got {block!r}")
        if channels < 1 or sample_rate <= 0:
            raise ValueError("PeakPyramid: channels and sample_rate must be positive")
        self.sample_rate = int(sample_rate)
        self.channels = int(channels)
        self.block = block
        self.frames = 0
        self._tail = np.empty((0, self.channels), np.float32)
        self._source = source
        self._source_frames = len(source) if isinstance(source, np.ndarray) else capacity_frames
        self._levels: list[_Level] = []
        self.truncation: Truncation | None = None
        """Declared vs readable length of the file it was built from, when they differ."""
        self._lock = threading.Lock()  # one writer (recorder tick) and any readers (UI)
        blocks = -(-capacity_frames // block)
        while True:  # preallocate every level when the length is known: no regrowth copies
            self._levels.append(_Level(self.channels, blocks))
            if blocks <= 1:
                break
            blocks = -(-blocks // 2)

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_file(
        cls,
        path: str | Path,
        *,
        block: int = 256,
        feed: Callable[[np.ndarray], None] | None = None,
    ) -> PeakPyramid:
        """Summarise a file in one streamed pass (never holds more than one read block).

        The pass counts the frames it decodes, so `frames` is the readable length and
        `truncation` says when the header declared more (a cut MP3/FLAC is only found out
        by decoding it, and this pass does that anyway). `feed`, when given, also gets every
        float32 `(n, ch)` block (a reused buffer: copy what you keep), so other summaries
        (the spectrogram's) come from this same read instead of a second one.
        """
        from audiotui.media.files import probe
        from audiotui.media.reading import Decoder

        info = probe(path)
        pyramid = cls(
            info.sample_rate,
            info.channels,
            block=block,
            capacity_frames=info.frames,
            source=Path(info.path),
        )
        buffer = np.empty((block * _READ_BLOCKS, info.channels), np.float32)
        with Decoder(info.path) as dec:
            # Decoder.read_into never seeks between blocks: soundfile's read() does, which
            # turned libsndfile's MP3s into silence with a gap at every block.
            while n := dec.read_into(buffer):
                pyramid.append(buffer[:n])
                if feed is not None:
                    feed(buffer[:n])
            if dec.frames == 0 and (dec.declared_frames > 0 or dec.hint):
                raise dec.empty_error()
            pyramid.truncation = dec.truncation
        pyramid._source_frames = pyramid.frames
        return pyramid

    @classmethod
    def from_array(cls, sr: int, data: np.ndarray) -> PeakPyramid:
        """Summarise samples already in memory (kept for sample-level zoom)."""
        samples = _as_float2d(data)
        if np.shares_memory(samples, np.asarray(data)):
            samples = samples.copy()  # callers reuse buffers (ring buffers); zoom must not change
        pyramid = cls(sr, samples.shape[1], capacity_frames=len(samples), source=samples)
        pyramid.append(samples)
        return pyramid

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    @property
    def levels(self) -> int:
        """How many levels are in use (level k summarises `block * 2**k` frames)."""
        return sum(1 for level in self._levels if level.n > 0) or 1

    # -- growth ---------------------------------------------------------------------------
    @property
    def block_frames(self) -> int:
        return self.block

    def _write_blocks(self, level0: Any, at: int, samples: np.ndarray, count: int) -> None:
        # Channel-major copy: reducing a contiguous last axis is ~20x faster in numpy than
        # reducing the middle axis of interleaved frames.
        planar = np.ascontiguousarray(samples.T)
        shaped = planar.reshape(self.channels, count, self.block)
        level0.mins[at : at + count] = shaped.min(axis=2).T
        level0.maxs[at : at + count] = shaped.max(axis=2).T
        level0.sumsq[at : at + count] = np.einsum("cij,cij->ci", shaped, shaped).T

    def _write_partial(self, level0: Any, at: int, tail: np.ndarray) -> None:
        level0.mins[at] = tail.min(axis=0)
        level0.maxs[at] = tail.max(axis=0)
        level0.sumsq[at] = np.einsum("ij,ij->j", tail, tail)

    def _propagate(self, changed_from: int) -> None:
        k = 1
        while self._levels[k - 1].n > 1:
            if k == len(self._levels):
                self._levels.append(_Level(self.channels, -(-self._levels[k - 1].n // 2)))
            child, parent = self._levels[k - 1], self._levels[k]
            start = changed_from // 2
            pairs = child.n // 2 - start
            parent.reserve(-(-child.n // 2))
            if pairs > 0:
                lo, hi = 2 * start, 2 * (start + pairs)
                for name, reduce in (("mins", np.minimum), ("maxs", np.maximum), ("sumsq", np.add)):
                    src = getattr(child, name)
                    reduce(
                        src[lo:hi:2],
                        src[lo + 1 : hi : 2],
                        out=getattr(parent, name)[start : start + pairs],
                    )
            if child.n % 2:  # an odd child left over: its parent is a copy, redone next time
                last = child.n - 1
                for name in ("mins", "maxs", "sumsq"):
                    getattr(parent, name)[last // 2] = getattr(child, name)[last]
            parent.n = -(-child.n // 2)
            changed_from = start
            k += 1

    # -- queries --------------------------------------------------------------------------
    def columns(
        self, start_frame: int, end_frame: int, width: int, channel: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-column (mins, maxs, rms), float32 arrays of length `width`, in [-1, 1].

        Column i covers frames [start + i*span/width, start + (i+1)*span/width). Columns past
        the end of the audio are 0. `channel=None` merges all channels (min of mins, max of
        maxs, RMS over every sample).
        """
        if isinstance(width, bool) or not isinstance(width, int) or width < 1:
            raise ValueError(f"PeakPyramid.columns: width must be a positive int, got {width!r}")
        if not 0 <= start_frame < end_frame:
            raise ValueError(
                f"PeakPyramid.columns: need 0 <= start_frame < end_frame, got "
                f"{start_frame}..{end_frame}"
            )
        if channel is not None and not 0 <= channel < self.channels:
            raise ValueError(
                f"PeakPyramid.columns: channel {channel} out of range (0..{self.channels - 1})"
            )
        with self._lock:
            return self._columns(start_frame, end_frame, width, channel)

    def _columns(
        self, start_frame: int, end_frame: int, width: int, channel: int | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        edges = (
            start_frame
            + (np.arange(width + 1, dtype=np.int64) * (end_frame - start_frame)) // width
        )
        mins = np.zeros(width, np.float32)
        maxs = np.zeros(width, np.float32)
        rms = np.zeros(width, np.float32)
        inside = edges[:-1] < self.frames
        if not inside.any() or self.frames == 0:
            return mins, maxs, rms
        lo = edges[:-1][inside]
        hi = np.minimum(np.maximum(edges[1:][inside], lo + 1), self.frames)
        per_column = (end_frame - start_frame) / width
        raw = self._raw(int(lo[0]), int(hi[-1])) if per_column < self.block else None
        if raw is not None:
            cmin, cmax, crms = _reduce_samples(raw, lo - lo[0], channel)
        else:
            k = int(np.clip(np.floor(np.log2(max(per_column, 1) / self.block)), 0, self.levels - 1))
            level = self._levels[k]
            stats = (level.mins[: level.n], level.maxs[: level.n], level.sumsq[: level.n])
            size, count = self.block << k, level.n
            cmin, cmax, crms = _reduce(stats, size, 0, count, lo, hi, self.frames, channel)
        mins[inside], maxs[inside], rms[inside] = cmin, cmax, crms
        return mins, maxs, rms

    def _raw(self, lo: int, hi: int) -> np.ndarray | None:
        if hi > self._source_frames or self._source is None:
            return None
        if isinstance(self._source, np.ndarray):
            return self._source[lo:hi]
        from audiotui.media.reading import Decoder

        try:  # no re-probe: the file was validated when the pyramid was built
            with Decoder(self._source) as dec:
                dec.seek(lo)  # an MP3 is decoded up to `lo`: a bare seek starts with silence
                data = dec.read(hi - lo)
        except (AudioFormatError, OSError):
            return None  # file gone or changed: fall back to the block summaries
        return data if len(data) == hi - lo else None


def _reduce_samples(
    samples: np.ndarray, starts: np.ndarray, channel: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact per-column stats from samples; column i starts at `starts[i]` (non-decreasing).

    Columns narrower than a frame repeat the frame under them (reduceat's rule for an empty
    segment), which is what a deep zoom should draw.
    """
    x = samples if channel is None else samples[:, channel : channel + 1]
    idx = np.minimum(starts, len(x) - 1).astype(np.intp)
    cmin = np.minimum.reduceat(x, idx, axis=0).min(axis=1)
    cmax = np.maximum.reduceat(x, idx, axis=0).max(axis=1)
    energy = np.add.reduceat(np.square(x, dtype=np.float64), idx, axis=0).sum(axis=1)
    counts = np.maximum(np.diff(np.append(idx, len(x))), 1) * x.shape[1]
    crms = np.sqrt(energy / counts)
    return cmin.astype(np.float32), cmax.astype(np.float32), crms.astype(np.float32)


def _reduce(
    stats: tuple[np.ndarray, np.ndarray, np.ndarray],
    size: int,
    offset: int,
    count: int,
    lo: np.ndarray,
    hi: np.ndarray,
    frames: int,
    channel: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Combine the entries (each `size` frames, first at frame `offset`) touching each column.

    Entries straddling a column edge count for both columns, so a peak is never lost.
    """
    first = (lo - offset) // size
    last = np.minimum(-(-(hi - offset) // size), count)  # exclusive
    span = int((last - first).max())
    idx = first[:, None] + np.arange(span)[None, :]
    valid = idx < last[:, None]
    idx = np.minimum(idx, count - 1)
    sel = slice(None) if channel is None else slice(channel, channel + 1)
    mins, maxs, sumsq = (s[:, sel][idx] for s in stats)  # (width, span, channels)
    mask = valid[:, :, None]
    cmin = np.where(mask, mins, np.inf).min(axis=(1, 2))
    cmax = np.where(mask, maxs, -np.inf).max(axis=(1, 2))
    block_start = offset + idx * size
    block_frames = np.minimum(block_start + size, frames) - block_start
    covered = (np.where(valid, block_frames, 0)).sum(axis=1) * mins.shape[2]
    energy = np.where(mask, sumsq, 0).sum(axis=(1, 2))
    crms = np.sqrt(energy / np.maximum(covered, 1))
    return (
        np.clip(cmin, -1, 1).astype(np.float32),
        np.clip(cmax, -1, 1).astype(np.float32),
        np.clip(crms, 0, 1).astype(np.float32),
    )


def _as_float2d(data: Any) -> np.ndarray:
    """Samples as float32 `(n, ch)` in [-1, 1] (integers scaled by their own range)."""
    array = np.asarray(data)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(f"PeakPyramid: samples must be (n,) or (n, channels), got {array.shape}")
    kind = array.dtype.kind
    if kind == "f":
        return array.astype(np.float32, copy=False)
    if kind == "i":
        return array.astype(np.float32) / float(2 ** (8 * array.dtype.itemsize - 1))
    if kind == "u":
        half = float(2 ** (8 * array.dtype.itemsize - 1))
        return (array.astype(np.float32) - half) / half
    raise ValueError(f"PeakPyramid: cannot summarise {array.dtype} samples")
