"""The playback side's jitter buffer: network blocks in, one steady device stream out.

Two things make a remote speaker harder than a local one:

- Jitter. Blocks leave HOST at a steady pace but arrive in bursts (TCP, SSH's channel
  windows, a busy network). The buffer holds a *target* depth of audio before playing and
  adapts that target to the arrival jitter it measures: up at once after a late block (so the
  next one like it does not starve the device), back down slowly when the network calms, so
  latency is what the network needs and no more.
- Drift. HOST paces blocks with its own clock; the laptop's sound card consumes them with
  another crystal. 100 ppm apart, an hour of audio is 0.36 s too much or too little: the
  buffer would slowly fill (latency grows) or run dry every few minutes. The buffer therefore
  steers its smoothed depth to the target by resampling what it plays by a ratio of at most
  +-`MAX_CORRECTION` (0.2 %: 3.5 cents, inaudible), with linear interpolation. Inside a dead
  band around the target the ratio is exactly 1 and samples pass bit-exact, which is most of
  the time. Only a burst far beyond the target (a stalled connection releasing seconds of
  audio at once) is dropped rather than played late, so latency stays bounded.

Everything takes `now` (seconds on the receiver's clock) as an argument: the unit tests run
an hour of drifting, jittery clocks in a fraction of a second (tests/test_bridge_units.py).
"""

from __future__ import annotations

import collections
import math

import numpy as np

MAX_CORRECTION = 0.002
"""Largest resampling ratio change for drift: 0.2 % (real clocks differ by < 0.02 %)."""
SMOOTHING_SECONDS = 2.0
"""Time constant of the depth average the drift controller steers (hides block granularity)."""
CORRECTION_SECONDS = 8.0
"""A depth error of E seconds is corrected over about this long (proportional control)."""
JITTER_WINDOW_SECONDS = 10.0
"""How long a late arrival keeps the target up."""


class JitterBuffer:
    """Frames for one output device; `push` from the network thread, `pull` from the callback.

    Not thread-safe by itself: the agent serialises the two under one lock (both are short).

    Args:
        rate: frames per second of the stream (both sides agree on it).
        channels: interleaved channels per frame.
        block: frames the device pulls at a time (the target is never below two of them).
        min_target / max_target: bounds of the adaptive target depth, in seconds.
    """

    def __init__(self, rate: int, channels: int, *, block: int = 1024,
                 min_target: float = 0.04, max_target: float = 1.0) -> None:
        self.rate = rate
        self.channels = channels
        self.block = block
        self.min_target = max(min_target, 2 * block / rate)
        self.max_target = max(max_target, self.min_target)
        self._data = np.zeros((max(rate, 4 * block), channels), np.float32)
        self._start = 0  # first unread frame in _data
        self._end = 0  # one past the last written frame
        self._frac = 0.0  # fractional read position (drift resampling)
        self._priming = True
        self._draining = False
        self._pushed = 0  # frames received so far (the sender's clock, in frames)
        self._push_block = 0  # frames in the last push
        self._first_arrival: float | None = None
        self._transits: collections.deque[tuple[float, float]] = collections.deque()
        self._smoothed: float | None = None
        self._last_pull: float | None = None
        self.jitter = 0.0  # seconds: spread of arrival delays over the window
        self.target_seconds = self.min_target
        self.ratio = 1.0
        self.underruns = 0
        self.skipped_frames = 0  # dropped because a burst went far past the target
        self.played_frames = 0  # frames handed to the device (excluding priming silence)
        self.consumed_frames = 0  # input frames those came from (differs by the drift)

    # ------------------------------------------------------------------ state

    @property
    def level(self) -> int:
        """Frames buffered now."""
        return self._end - self._start

    @property
    def level_seconds(self) -> float:
        return self.level / self.rate

    @property
    def target(self) -> int:
        return int(self.target_seconds * self.rate)

    @property
    def drained(self) -> bool:
        """True once `finish()` was called and everything buffered has been played."""
        return self._draining and self.level == 0

    # ------------------------------------------------------------------ input

    def push(self, block: np.ndarray, now: float) -> None:
        """Add frames that arrived at `now`; measures jitter from when they were expected."""
        if block.ndim == 1:
            block = block.reshape(-1, self.channels)
        n = len(block)
        if n == 0:
            return
        self._measure(now)
        self._pushed += n
        self._push_block = n
        self._make_room(n)
        self._data[self._end:self._end + n] = block
        self._end += n
        limit = self.target + max(int(0.2 * self.rate), self.target) + self.block
        if self.level > limit:
            # Seconds of audio released at once after a stall: play the newest, not late.
            drop = self.level - self.target
            self._start += drop
            self.skipped_frames += drop
            self._smoothed = float(self.level)

    def finish(self) -> None:
        """No more frames will come: play what is buffered (no priming, no holding back)."""
        self._draining = True
        self._priming = False

    def _measure(self, now: float) -> None:
        # transit = arrival time - the sender's media time of this block's first frame; its
        # spread over the window is the jitter. Clock offsets cancel out (only differences
        # matter) and drift moves it by < 1 ms over the window.
        if self._first_arrival is None:
            self._first_arrival = now
        transit = now - self._first_arrival - self._pushed / self.rate
        self._transits.append((now, transit))
        while self._transits and self._transits[0][0] < now - JITTER_WINDOW_SECONDS:
            self._transits.popleft()
        values = [t for _, t in self._transits]
        self.jitter = max(values) - min(values)
        # Enough to ride out the worst lateness seen lately, plus one device block of slack.
        wanted = self.jitter * 1.5 + self.block / self.rate + 0.015
        self.target_seconds = min(self.max_target, max(self.min_target, wanted))

    def _make_room(self, n: int) -> None:
        if self._end + n <= len(self._data):
            return
        level = self.level
        if level + n > len(self._data):
            size = len(self._data)
            while size < level + n:
                size *= 2
            grown = np.zeros((size, self.channels), np.float32)
            grown[:level] = self._data[self._start:self._end]
            self._data = grown
        else:
            self._data[:level] = self._data[self._start:self._end]
        self._start, self._end = 0, level

    # ------------------------------------------------------------------ output

    def pull(self, frames: int, now: float) -> np.ndarray:
        """`frames` frames for the device at `now`: buffered audio, or silence while priming."""
        out = np.zeros((frames, self.channels), np.float32)
        self.pull_into(out, now)
        return out

    def pull_into(self, out: np.ndarray, now: float) -> int:
        """Fill `out` (frames, channels); returns frames of real audio written (rest zeros)."""
        frames = len(out)
        self._steer(now)
        if self._priming:
            if self.level >= self.target:
                self._priming = False
            else:
                out[:] = 0
                return 0
        if self.ratio == 1.0:
            got = min(frames, self.level)
            out[:got] = self._data[self._start:self._start + got]
            self._start += got
            consumed = got
        else:
            got, consumed = self._resample_into(out)
        self.played_frames += got
        self.consumed_frames += consumed
        if got < frames:
            out[got:] = 0
            if not self._draining:
                self.underruns += 1
                self._priming = True  # rebuild the cushion before playing on
                self._frac = 0.0
        return got

    def _resample_into(self, out: np.ndarray) -> tuple[int, int]:
        """Linear interpolation at `ratio` input frames per output frame."""
        frames = len(out)
        available = self.level
        # output frame k reads input position frac + k * ratio (and the frame after it)
        can = int(math.floor((available - 1 - self._frac) / self.ratio)) + 1 if available > 1 else 0
        got = max(0, min(frames, can))
        if got:
            pos = self._frac + np.arange(got) * self.ratio
            index = pos.astype(np.int64)
            weight = (pos - index).astype(np.float32)[:, None]
            base = self._data[self._start:self._end]
            nxt = np.minimum(index + 1, available - 1)
            out[:got] = base[index] * (1.0 - weight) + base[nxt] * weight
            advance = self._frac + got * self.ratio
            consumed = int(math.floor(advance))
            self._frac = advance - consumed
        else:
            consumed = 0
        consumed = min(consumed, available)
        self._start += consumed
        return got, consumed

    def _steer(self, now: float) -> None:
        """Update the smoothed depth and the resampling ratio that pulls it to the target."""
        level = float(self.level)
        if self._smoothed is None or self._last_pull is None or self._priming:
            self._smoothed = level
        else:
            dt = max(0.0, now - self._last_pull)
            alpha = 1.0 - math.exp(-dt / SMOOTHING_SECONDS)
            self._smoothed += alpha * (level - self._smoothed)
        self._last_pull = now
        if self._priming or self._draining:
            self.ratio = 1.0
            return
        # Sampled just before a pull, the depth of a steady stream runs from the target up by
        # a network block and a device block, depending on how the two cadences line up.
        centre = self.target + self._push_block / 2
        error = (self._smoothed - centre) / self.rate  # seconds too much (+) or too little
        dead_band = max(0.005, 0.15 * self.target_seconds) + self.block / self.rate / 2
        if abs(error) <= dead_band:
            if self.ratio != 1.0:
                self._frac = 0.0  # back to bit-exact copying (a sub-sample step)
            self.ratio = 1.0
            return
        excess = error - math.copysign(dead_band, error)
        correction = max(-MAX_CORRECTION, min(MAX_CORRECTION, excess / CORRECTION_SECONDS))
        self.ratio = 1.0 + correction
