"""An SSH drop for real: `audiotui run` over a private loopback sshd whose client is SIGKILLed.

sshd then closes the remote pty, as it does when a network goes away; the remote UI must be
gone within 2 s (issue 8: it used to live on with parent 1, spinning on the dead pty).
Skipped only where no sshd can be started (not installed, no privilege-separation dir).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pty_support import PtyProcess
from sshd_support import LoopbackSshd, loopback_sshd
from test_tui_hangup import SYNC_APP

pytestmark = pytest.mark.slow


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[LoopbackSshd]:
    yield from loopback_sshd(tmp_path)

def _pids_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in cmdline and b"audiotui" in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("hangup", ["sighup", "eof_only"])
@pytest.mark.parametrize("state", ["idle", "sync function running"])
def test_remote_ui_ends_when_the_ssh_client_is_killed(
    tmp_path: Path, sshd: LoopbackSshd, state: str, hangup: str
) -> None:
    """`eof_only`: the remote shell ignores SIGHUP (as `nohup` does, and as a job whose
    shell never passes the hang-up on sees it): only EOF/EIO on the pty tells the UI."""
    marker = f"ssh-drop-{uuid.uuid4().hex[:12]}"
    app = tmp_path / f"{marker}.py"
    app.write_text(SYNC_APP)
    ignore = "trap '' HUP; " if hangup == "eof_only" else ""
    remote = (
        f"cd {tmp_path} && {ignore}exec env AUDIOTUI_TEST_MARK={tmp_path / 'mark'} "
        f"AUDIOTUI_RECORDINGS_DIR={tmp_path / 'takes'} XDG_STATE_HOME={tmp_path / 'state'} "
        f"PYTHONPATH={os.environ.get('PYTHONPATH', '')} "  # the same audiotui as this test
        f"{sys.executable} -m audiotui run {app}"
    )
    client = PtyProcess(sshd.command(remote))
    try:
        client.wait_for("GOSLOW")
        if state != "idle":
            client.send("\t\r")
            deadline = time.monotonic() + 30
            while not (tmp_path / "mark").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert (tmp_path / "mark").exists()
        remote_pids = _pids_with(marker)
        assert remote_pids, "the remote audiotui process was not found"
        time.sleep(0.5)
        killed = time.monotonic()
        client.proc.kill()  # the SSH drop: sshd closes the remote pty
        while _pids_with(marker) and time.monotonic() - killed < 2.0:
            time.sleep(0.02)
        gone_after = time.monotonic() - killed
        assert _pids_with(marker) == [], f"the remote UI still runs {gone_after:.1f} s later"
        print(f"\nexit after ssh client killed [{state}, {hangup}]: {gone_after:.3f} s")
    finally:
        for pid in _pids_with(marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)
        client.kill()
