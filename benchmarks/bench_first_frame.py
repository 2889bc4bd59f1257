"""Time to the first full frame of `audiotui run examples/tone.py` in a pseudo-terminal.

Prints the median over several runs (target < 0.8 s) next to two baselines measured in the
same run: a bare `python -c pass` and `python -c "import textual.app"`, so the figure can be
read on any machine. Asserts nothing.

Each command runs once first, unmeasured, with bytecode writing allowed (the children drop
PYTHONDONTWRITEBYTECODE): an installed audiotui has its `.pyc` files, and compiling every
module from source on each start (~0.1 s) is not what a user waits for.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MARKERS = (b"Submit", b"Flag")  # the last widgets of the tone demo's layout
RUNS = 7


def _spawn(argv: list[str], markers: tuple[bytes, ...], timeout: float = 20.0) -> float:
    """Seconds from fork until every marker has been written to the terminal."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.chdir(ROOT)
        env = {k: v for k, v in os.environ.items()
               if k not in ("COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")}
        env["TERM"] = "xterm-256color"
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
    seen = b""
    elapsed = float("nan")
    deadline = start + timeout
    try:
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
                if all(m in seen for m in markers):
                    elapsed = time.perf_counter() - start
                    break
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
    return elapsed


def _median(argv: list[str], markers: tuple[bytes, ...]) -> float:
    _spawn(argv, markers)  # warm-up: writes the bytecode caches a normal install has
    return statistics.median(_spawn(argv, markers) for _ in range(RUNS))


def main() -> None:
    python = sys.executable
    bare = _median([python, "-c", "print('ready')"], (b"ready",))
    textual = _median([python, "-c", "import textual.app; print('ready')"], (b"ready",))
    app = _median([str(BIN / "audiotui"), "run", "examples/tone.py"], MARKERS)
    print(f"python -c pass:            {bare:.3f} s (median of {RUNS})")
    print(f"python -c import textual:  {textual:.3f} s")
    print(f"audiotui run tone.py:      {app:.3f} s to first full frame (target < 0.8 s)")
    print(f"ratio to bare python:      {app / bare:.1f}x; to importing textual: "
          f"{app / textual:.1f}x")


if __name__ == "__main__":
    main()
