"""Spectrogram summaries: dB per log-frequency band per time step, kept as a pyramid.

A spectrogram view of an hour of audio must not read the file again, nor hold its FFTs: the
waveform's streamed pass (`PeakPyramid.from_file(feed=...)`) hands every block to a
`SpectrumPyramid` too, which keeps one column of `bands` log-spaced frequency bands per `hop`
frames (level 0, ~85 ms at 48 kHz) and 2x coarser levels above it, as the peaks do. Levels
merge by maximum, so a short chirp or click survives any zoom-out, the same promise the
waveform makes for peaks. Values are dBFS quantised to half a dB in one byte: an hour of 48 kHz
stereo costs ~11 MB with every level. Zoomed in until a level-0 column would
cover 4+ screen columns, the samples are re-read and analysed per screen column (at most
`width` FFTs per channel), like the peaks.

One FFT of `n_fft` frames is taken per hop (from the middle of it, so a quarter of the
samples): the FFT is nearly all of the extra cost, and analysing every sample would make the
waveform pass several times slower (benchmarks/bench_spectrogram.py measures the ratio). A
zoomed-out column says where the energy sits; a sound shorter than ~60 ms may fall between
windows there, and zoomed in every screen column is analysed from the samples under it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from audiotui.errors import AudioFormatError
from audiotui.media.peaks import BlockedSummary, _as_float2d

if TYPE_CHECKING:
    from audiotui.media.peaks import PeakPyramid

FLOOR_DB = -127.5
"""The quietest level kept (one byte of half-dB steps covers -127.5..0 dBFS)."""
MIN_FREQUENCY = 40.0
"""Lowest band edge in Hz: below it a terminal-sized window has no useful resolution."""
DEFAULT_BANDS = 64


def analysis_sizes(sample_rate: int) -> tuple[int, int]:
    """(n_fft, hop) for a rate: ~21 ms windows (47 Hz bins at 48 kHz), one per ~85 ms.

    A terminal shows 12-40 frequency rows on a log axis (40 Hz..24 kHz is ~1.5x per row at
    16 rows), which 47 Hz bins resolve above ~100 Hz; the FFT is most of the pass's extra
    cost, so a longer window would buy detail no cell can show.
    """
    n_fft = 128
    while n_fft < sample_rate * 0.02:
        n_fft *= 2
    return n_fft, 4 * n_fft


def band_edges(sample_rate: int, bands: int = DEFAULT_BANDS) -> np.ndarray:
    """`bands + 1` log-spaced edges (Hz) from MIN_FREQUENCY to Nyquist."""
    nyquist = sample_rate / 2.0
    low = min(MIN_FREQUENCY, nyquist / 4)
    edges: np.ndarray = np.geomspace(low, nyquist, bands + 1)
    return edges


class _Level:
    """One pyramid level: (entries, channels, bands) uint8 codes, growable."""

    def __init__(self, channels: int, bands: int, capacity: int) -> None:
        self.codes = np.zeros((max(capacity, 1), channels, bands), np.uint8)
        self.n = 0

    def reserve(self, n: int) -> None:
        if n > len(self.codes):
            new = np.zeros((max(n, 2 * len(self.codes)),) + self.codes.shape[1:], np.uint8)
            new[: self.n] = self.codes[: self.n]
            self.codes = new


class SpectrumPyramid(BlockedSummary):
    """Log-frequency dB spectra of an audio signal, for drawing a spectrogram at any zoom.

    Fed like a PeakPyramid: `append` blocks as they are read or recorded (a partial last
    column is recomputed when more frames arrive, so a live take grows smoothly).

    Attributes:
        sample_rate: frames per second of the analysed audio.
        channels: channel count.
        n_fft: FFT length (frames) of one analysis window.
        hop: frames per level-0 column.
        edges: band edges in Hz (`bands + 1`, log-spaced), low to high.
    """

    def __init__(
        self,
        sample_rate: int,
        channels: int,
        *,
        bands: int = DEFAULT_BANDS,
        hop: int | None = None,
        capacity_frames: int = 0,
        source: Path | np.ndarray | None = None,
    ) -> None:
        if channels < 1 or sample_rate <= 0 or bands < 1:
            raise ValueError("SpectrumPyramid: channels, sample_rate and bands must be positive")
        self.sample_rate = int(sample_rate)
        self.channels = int(channels)
        self.n_fft, default_hop = analysis_sizes(self.sample_rate)
        self.hop = int(hop or default_hop)
        if self.hop < 1:
            raise ValueError(f"SpectrumPyramid: hop must be positive, got {hop!r}")
        self.edges = band_edges(self.sample_rate, bands)
        self.frames = 0
        self._window = np.hanning(self.n_fft).astype(np.float32)
        # a full-scale sine's bin power (Hann: amplitude * sum(w) / 2) reads 0 dBFS
        self._scale = float((self._window.sum() / 2) ** 2)
        bins = np.fft.rfftfreq(self.n_fft, 1.0 / self.sample_rate)
        lows = np.searchsorted(bins, self.edges[:-1])
        # a band narrower than a bin takes the bin nearest its lower edge (reduceat's rule
        # for an empty segment), so low bands repeat a bin instead of reading as silence
        self._band_starts = np.minimum(lows, len(bins) - 1).astype(np.intp)
        self._source = source
        self._source_frames = len(source) if isinstance(source, np.ndarray) else capacity_frames
        self._tail = np.empty((0, self.channels), np.float32)
        self._raw_cache: tuple[tuple[int, int, int, int], np.ndarray] | None = None
        self._lock = threading.Lock()
        entries = -(-capacity_frames // self.hop)
        self._levels: list[_Level] = [_Level(self.channels, self.bands, entries)]

    @property
    def bands(self) -> int:
        return len(self.edges) - 1

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_array(cls, sr: int, data: np.ndarray, *, hop: int | None = None) -> SpectrumPyramid:
        """Analyse samples already in memory (kept for zoom-in re-analysis)."""
        samples = _as_float2d(data)
        if np.shares_memory(samples, np.asarray(data)):
            samples = samples.copy()
        spectrum = cls(sr, samples.shape[1], hop=hop, capacity_frames=len(samples),
                       source=samples)
        spectrum.append(samples)
        return spectrum

    # -- growth ---------------------------------------------------------------------------
    @property
    def block_frames(self) -> int:
        return self.hop

    def _write_blocks(self, level0: Any, at: int, samples: np.ndarray, count: int) -> None:
        level0.codes[at : at + count] = self._analyse(samples, count)

    def _write_partial(self, level0: Any, at: int, tail: np.ndarray) -> None:
        level0.codes[at] = self._analyse(tail, 1)[0]

    def _analyse(self, samples: np.ndarray, columns: int) -> np.ndarray:
        """One windowed FFT from the middle of each `hop` slice -> (columns, ch, bands) codes."""
        n, hop = self.n_fft, self.hop
        padded = samples
        need = columns * hop
        if len(samples) < need or hop < n:
            # a partial last column, or windows longer than the hop: centre each window on
            # its slice's middle, zero-padded at the edges
            return self._analyse_at(samples, np.arange(columns) * hop + hop // 2)
        offset = (hop - n) // 2
        shaped = padded[:need].reshape(columns, hop, self.channels)[:, offset : offset + n, :]
        return self._codes(np.ascontiguousarray(shaped.transpose(0, 2, 1)))

    def _analyse_at(self, samples: np.ndarray, centres: np.ndarray) -> np.ndarray:
        """Windows of `n_fft` centred at `centres` (frame indices into `samples`).

        Frames outside `samples` are silence (zero padding), so a partial last column is
        not made of the next column's start.
        """
        from numpy.lib.stride_tricks import sliding_window_view

        n = self.n_fft
        half = n // 2
        padded = np.zeros((len(samples) + n, self.channels), np.float32)
        padded[half : half + len(samples)] = samples
        views = sliding_window_view(padded, n, axis=0)  # (starts, ch, n): no copy
        starts = np.clip(np.asarray(centres, np.intp), 0, len(views) - 1)
        return self._codes(views[starts])

    def _codes(self, windows: np.ndarray) -> np.ndarray:
        """(columns, ch, n_fft) samples -> (columns, ch, bands) half-dB codes."""
        spectra = np.fft.rfft(windows * self._window, axis=2)
        power = spectra.real**2 + spectra.imag**2
        banded = np.maximum.reduceat(power, self._band_starts, axis=2)
        db = 10.0 * np.log10(np.maximum(banded / self._scale, 1e-13))
        return np.clip(np.rint((db - FLOOR_DB) * 2.0), 0, 255).astype(np.uint8)

    def _propagate(self, changed_from: int) -> None:
        k = 1
        while self._levels[k - 1].n > 1:
            child = self._levels[k - 1]
            if k == len(self._levels):
                self._levels.append(_Level(self.channels, self.bands, -(-child.n // 2)))
            parent = self._levels[k]
            start = changed_from // 2
            pairs = child.n // 2 - start
            parent.reserve(-(-child.n // 2))
            if pairs > 0:
                lo, hi = 2 * start, 2 * (start + pairs)
                np.maximum(child.codes[lo:hi:2], child.codes[lo + 1 : hi : 2],
                           out=parent.codes[start : start + pairs])
            if child.n % 2:
                parent.codes[(child.n - 1) // 2] = child.codes[child.n - 1]
            parent.n = -(-child.n // 2)
            changed_from = start
            k += 1

    # -- queries --------------------------------------------------------------------------
    def needs_samples(self, start_frame: int, end_frame: int, width: int) -> bool:
        """Would `columns(...)` re-read and analyse samples (zoomed in past level 0)?

        A front end asks first, draws `exact=False` at once and the exact columns from a
        worker thread: the re-read is a disk read plus up to `width` FFTs per channel.
        """
        return self._source is not None and (end_frame - start_frame) / width < self.hop / 4

    def columns(
        self,
        start_frame: int,
        end_frame: int,
        width: int,
        channel: int | None = None,
        *,
        exact: bool = True,
    ) -> np.ndarray:
        """dBFS per (screen column, band): float32 `(width, bands)`, low band first.

        Column i covers frames [start + i*span/width, start + (i+1)*span/width); columns past
        the end read FLOOR_DB. `channel=None` takes the loudest channel per band.
        `exact=False` never reads samples: zoomed in, level-0 columns repeat instead.
        """
        if isinstance(width, bool) or not isinstance(width, int) or width < 1:
            raise ValueError(f"SpectrumPyramid.columns: width must be a positive int, got {width!r}")
        if not 0 <= start_frame < end_frame:
            raise ValueError(
                f"SpectrumPyramid.columns: need 0 <= start_frame < end_frame, got "
                f"{start_frame}..{end_frame}"
            )
        if channel is not None and not 0 <= channel < self.channels:
            raise ValueError(
                f"SpectrumPyramid.columns: channel {channel} out of range "
                f"(0..{self.channels - 1})"
            )
        codes = self._columns(start_frame, end_frame, width, channel, exact)
        db: np.ndarray = codes.astype(np.float32) * 0.5 + FLOOR_DB
        return db

    def _columns(self, start: int, end: int, width: int, channel: int | None,
                 exact: bool) -> np.ndarray:
        out = np.zeros((width, self.bands), np.uint8)
        frames = self.frames  # one reading: a live take may grow meanwhile
        edges = start + (np.arange(width + 1, dtype=np.int64) * (end - start)) // width
        inside = edges[:-1] < frames
        if frames == 0 or not inside.any():
            return out
        lo = edges[:-1][inside]
        hi = np.minimum(np.maximum(edges[1:][inside], lo + 1), frames)
        per_column = (end - start) / width
        if exact and per_column < self.hop / 4:  # level 0 would repeat each column 5+ times
            # outside the lock: a source never changes, and a live take's appends must not
            # wait for a disk read
            raw = self._raw_codes(lo, hi)
            if raw is not None:
                out[inside] = raw.max(axis=1) if channel is None else raw[:, channel]
                return out
        with self._lock:  # one writer (a live take's tick) and readers (the UI, workers)
            k = int(np.clip(np.floor(np.log2(max(per_column, 1) / self.hop)), 0,
                            len(self._levels) - 1))
            while k > 0 and self._levels[k].n == 0:
                k -= 1
            level = self._levels[k]
            size = self.hop << k
            first = lo // size
            last = np.minimum(-(-hi // size), level.n)
            last = np.maximum(last, np.minimum(first + 1, level.n))
            span = int((last - first).max())
            idx = first[:, None] + np.arange(max(span, 1))[None, :]
            valid = idx < last[:, None]
            idx = np.minimum(idx, level.n - 1)
            sel = level.codes[: level.n]
            picked = sel[idx] if channel is None else sel[idx][:, :, channel : channel + 1]
        picked = np.where(valid[:, :, None, None], picked, 0)
        out[inside] = picked.max(axis=(1, 2))
        return out

    def _raw_codes(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray | None:
        """Analyse the samples under each column afresh (zoomed in past level 0).

        Windows are at most n_fft/2 apart (closer columns share the nearest one: their
        windows would overlap by more than half anyway), and the result is kept for the next
        call with the same columns: a stereo view asks once per lane.
        """
        key = (int(lo[0]), int(hi[-1]), len(lo), self.frames)
        if self._raw_cache is not None and self._raw_cache[0] == key:
            return self._raw_cache[1]
        half = self.n_fft // 2
        first = max(int(lo[0]) - half, 0)
        last = int(hi[-1]) + half
        samples = self._read(first, last)
        if samples is None:
            return None
        centres = (lo + hi) // 2 - first
        step = max(half, 1)
        codes: np.ndarray
        if len(centres) > 1 and (centres[-1] - centres[0]) / (len(centres) - 1) < step:
            grid = np.arange(int(centres[0]), int(centres[-1]) + step, step)
            nearest = np.minimum(((centres - centres[0] + step // 2) // step).astype(np.intp),
                                 len(grid) - 1)
            codes = self._analyse_at(samples, grid)[nearest]
        else:
            codes = self._analyse_at(samples, centres)
        self._raw_cache = (key, codes)
        return codes

    def _read(self, lo: int, hi: int) -> np.ndarray | None:
        if self._source is None or lo >= self._source_frames:
            return None
        hi = min(hi, self._source_frames)
        if isinstance(self._source, np.ndarray):
            return self._source[lo:hi]
        from audiotui.media.reading import Decoder

        try:
            with Decoder(self._source) as dec:
                dec.seek(lo)
                data: np.ndarray = dec.read(hi - lo)
        except (AudioFormatError, OSError):
            return None  # file gone or changed: the level-0 columns still draw
        return data if len(data) else None


def summarise_file(path: str | Path) -> tuple[PeakPyramid, SpectrumPyramid]:
    """Peaks and spectra of a file from ONE streamed read (the waveform's own pass)."""
    from audiotui.media.files import probe
    from audiotui.media.peaks import PeakPyramid

    info = probe(path)
    spectrum = SpectrumPyramid(info.sample_rate, info.channels, capacity_frames=info.frames,
                               source=Path(info.path))
    peaks = PeakPyramid.from_file(path, feed=spectrum.append)
    spectrum._source_frames = peaks.frames
    return peaks, spectrum


BlockFeed = Callable[[np.ndarray], None]
"""What `PeakPyramid.from_file(feed=...)` calls with each block it reads."""
