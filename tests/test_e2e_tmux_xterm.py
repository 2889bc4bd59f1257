"""End to end at TERM=xterm 80x24 (16 colours, no COLORTERM): a real terminal through tmux.

Seen over SSH with TERM=xterm: Textbox and Dropdown borders black on black. Here the screen
tmux holds is read back with its colours, and no visible character may share its
background's colour; the keys a new user needs (F1, ctrl+s) are on screen (issue 10).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from test_e2e_tmux import AUDIOTUI, ROOT, Tmux

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

_SGR = re.compile(r"\x1b\[([0-9;]*)m")


class SmallTmux(Tmux):
    """An 80x24 window whose program sees TERM=xterm and no COLORTERM."""

    def start(self, command: str) -> None:
        command = f"env -u COLUMNS -u LINES -u COLORTERM -u NO_COLOR TERM=xterm sh -c '{command}'"
        self._tmux("new-session", "-d", "-s", self.target, "-x", "80", "-y", "24", command)
        self._tmux("resize-window", "-t", self.target, "-x", "80", "-y", "24")

    def coloured_screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-e", "-t", self.target)


def same_colour_cells(screen: str) -> list[str]:
    """Visible characters drawn with foreground == background (16-colour SGR codes)."""
    found: list[str] = []
    for line in screen.splitlines():
        fg: int | None = None
        bg: int | None = None
        pos = 0
        for match in _SGR.finditer(line + "\x1b[m"):
            text = line[pos:match.start()]
            if fg is not None and fg == bg and text.strip():
                found.append(text.strip())
            codes = [int(c) for c in match.group(1).split(";") if c] or [0]
            i = 0
            while i < len(codes):
                code = codes[i]
                if code == 0:
                    fg = bg = None
                elif 30 <= code <= 37 or 90 <= code <= 97:
                    fg = code - 30 if code < 90 else code - 82
                elif 40 <= code <= 47 or 100 <= code <= 107:
                    bg = code - 40 if code < 100 else code - 92
                elif code in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                    value = codes[i + 2]
                    if code == 38:
                        fg = value
                    else:
                        bg = value
                    i += 2
                elif code == 39:
                    fg = None
                elif code == 49:
                    bg = None
                i += 1
            pos = match.end()
    return found


def test_same_colour_cells_are_found() -> None:
    assert same_colour_cells("\x1b[30;40m▔▔▔\x1b[0m ok") == ["▔▔▔"]
    assert same_colour_cells("\x1b[37;40m▔▔▔\x1b[0m") == []


def test_tone_demo_at_16_colours_80x24_is_legible_and_keyboard_ready() -> None:
    term = SmallTmux("xterm16")
    try:
        term.start(f"cd {ROOT} && {AUDIOTUI} run examples/tone.py")
        term.wait_for("Select", timeout=30)
        term.wait_for("Duration")
        subprocess.run(["sleep", "0.5"], check=False)  # the first frame is complete
        bad = same_colour_cells(term.coloured_screen())
        assert not bad, f"{len(bad)} runs drawn in their background's colour: {bad[:5]}"
        screen = term.wait_for("f1 keys")
        assert "submit" in screen  # ctrl+s, shown in the footer
        term.keys("F1")
        term.wait_for("Keys (Esc closes)")
        term.keys("Escape")
        term.keys("C-q")  # the pane's program ends, and with it the private tmux server
    finally:
        term.kill()
