"""CPU of `audiotui run` while recording with the live waveform, measured in a pseudo-terminal.

Opens examples/reverse.py (Tab focuses its microphone widget) recording from the virtual
sound server's `virtual_mic` (a private one, see main()), presses `r` and samples the app
process's CPU time from /proc/<pid>/stat over a window. Prints, all measured in this run:

- the same app sitting idle (the floor: Textual's own timers);
- a bare `Recorder` on the same device in a plain Python process (the engine's share);
- the app recording at the default 20 fps (target < 15% of one core) and, for comparison,
  at 60 fps; each while the live waveform fills its 10 s view and then while it scrolls.

Asserts nothing. Runs itself under scripts/with-virtual-audio.sh (a private sound server of its
own) unless one is already set up; says so and exits 1 when none can start.
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEVICE = "virtual_mic"
WINDOW = 10.0
"""Seconds of CPU sampling per measurement."""
TICKS = os.sysconf("SC_CLK_TCK")


class PtyApp:
    """A child process on a pseudo-terminal whose output is drained as it comes."""

    def __init__(self, argv: list[str], columns: int = 120, rows: int = 36) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            os.chdir(ROOT)
            env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
            env["TERM"] = "xterm-256color"
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.output = b""

    def drain(self, seconds: float) -> bytes:
        """Read whatever arrives for `seconds`; returns only the new bytes."""
        start = len(self.output)
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.05))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.output += chunk
        return self.output[start:]

    def wait_for(self, marker: bytes, timeout: float = 20.0, since: int = 0) -> float:
        """Seconds until `marker` appears in the output after byte `since` (nan on timeout)."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if marker in self.output[since:]:
                return time.perf_counter() - start
            ready, _, _ = select.select([self.fd], [], [], 0.01)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.output += chunk
        return float("nan")

    def send(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far (all its threads)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime

    def cpu_percent(self, seconds: float) -> float:
        """Percent of one core used over the next `seconds` (output keeps being drained)."""
        before, t0 = self.cpu_seconds(), time.perf_counter()
        self.drain(seconds)
        return 100 * (self.cpu_seconds() - before) / (time.perf_counter() - t0)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def _bare_recorder_percent() -> float:
    """The engine's Recorder alone on the same device: what recording costs without a UI."""
    script = (
        "import os, sys, time\n"
        "from audiotui.media.recorder import Recorder\n"
        "from audiotui.media.temp import temp_path\n"
        f"r = Recorder(temp_path('.wav'), device={DEVICE!r}, overwrite=True)\n"
        "r.start(); time.sleep(1.0)\n"
        "t = os.times(); t0 = time.perf_counter()\n"
        f"time.sleep({WINDOW})\n"
        "u = os.times(); t1 = time.perf_counter()\n"
        "r.stop()\n"
        "print(100 * ((u.user + u.system) - (t.user + t.system)) / (t1 - t0))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    return float(done.stdout.strip().splitlines()[-1])


def _app_percent(fps: int) -> tuple[float, float, float, bool]:
    """(idle %, recording %, recording % once the waveform scrolls, whether it showed).

    The live waveform shows the last 10 s: the first window fills it, the second scrolls it.
    """
    app = PtyApp([str(BIN / "audiotui"), "run", "examples/reverse.py",
                  "--input-device", DEVICE, "--fps", str(fps)])
    try:
        if math.isnan(app.wait_for(b"Submit")):  # no first full frame
            return float("nan"), float("nan"), float("nan"), False
        app.drain(2.0)  # the PortAudio probe runs after the first frame
        idle = app.cpu_percent(WINDOW / 2)
        mark = len(app.output)
        app.send(b"\t")  # from the scrolling main column to the microphone's waveform
        app.drain(0.3)
        app.send(b"r")
        recording = not math.isnan(app.wait_for(b"REC", timeout=5.0, since=mark))
        app.drain(1.0)
        filling = app.cpu_percent(WINDOW)
        scrolling = app.cpu_percent(WINDOW)
        app.send(b"r")  # finish the take before closing
        app.drain(1.0)
        return idle, filling, scrolling, recording
    finally:
        app.close()


def main() -> None:
    if "VIRTUAL_AUDIO_DIR" not in os.environ:
        # Never a machine-wide server: start a private one for this run (the wrapper exports
        # VIRTUAL_AUDIO_DIR, PULSE_SERVER and ALSA_CONFIG_PATH, and stops it afterwards).
        wrapper = str(ROOT / "scripts" / "with-virtual-audio.sh")
        os.execvp("bash", ["bash", wrapper, sys.executable, *sys.argv])
    bare = _bare_recorder_percent()
    idle, at_default, scroll_default, ok = _app_percent(20)
    _idle60, at_60, scroll_60, ok60 = _app_percent(60)
    if not (ok and ok60):
        print("warning: the recording did not show on screen (is the mic widget focused?)")
    print(f"window: {WINDOW:.0f} s, device {DEVICE}; % of one core")
    print(f"bare Recorder (no UI):          {bare:5.1f} %")
    print(f"app idle (no recording):        {idle:5.1f} %")
    print(f"app recording, 20 fps default:  {at_default:5.1f} % filling the view, "
          f"{scroll_default:5.1f} % scrolling  (target < 15 %)")
    print(f"app recording, 60 fps:          {at_60:5.1f} % filling the view, "
          f"{scroll_60:5.1f} % scrolling")
    print(f"UI share while recording at 20 fps: {at_default - bare:5.1f} % "
          f"({at_default / bare:.1f}x the bare Recorder)" if bare > 0 else "")


if __name__ == "__main__":
    main()
