"""A HOST shell that was SIGKILLed leaves its 0700 bridge directory (and the secret in it):
the next `audiotui ssh` of the same user removes it, and nothing of a live session.

HOST is this machine through the private loopback sshd (tests/sshd_support.py); its sessions
get a private TMPDIR, so the sweep only ever sees this test's directories.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sshd_support import LoopbackSshd, loopback_sshd

pytestmark = [pytest.mark.slow]

REMOTE_AUDIOTUI = f"{sys.executable} -m audiotui"


@pytest.fixture
def remote_tmp() -> Iterator[Path]:
    # Short, as a real TMPDIR is (pytest's tmp_path is too long for a socket path: HOST
    # then uses /tmp, which the last test checks).
    folder = Path(tempfile.mkdtemp(prefix="at-sweep-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _sshd(tmp_path: Path, remote_tmp: Path) -> Iterator[LoopbackSshd]:
    (tmp_path / "sshd").mkdir(exist_ok=True)
    yield from loopback_sshd(tmp_path / "sshd",
                             f"SetEnv AUDIOTUI_HOST_AUDIO=off TMPDIR={remote_tmp}\n")


@pytest.fixture
def sshd(tmp_path: Path, remote_tmp: Path) -> Iterator[LoopbackSshd]:
    yield from _sshd(tmp_path, remote_tmp)


def _devices_over_ssh(sshd: LoopbackSshd) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "audiotui", "ssh", "--remote-audiotui", REMOTE_AUDIOTUI,
         *sshd.options(), sshd.target, "--", "devices"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90,
    )
    assert result.returncode == 0, result.stderr


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _bridge_dir(parent: Path, name: str, pid: int | None, age_minutes: float = 0) -> Path:
    folder = parent / f"audiotui-bridge.{name}"
    folder.mkdir(mode=0o700)
    (folder / "secret").write_text("0" * 64)
    if pid is not None:
        (folder / "pid").write_text(f"{pid}\n")
    if age_minutes:
        old = os.stat(folder).st_mtime - age_minutes * 60
        os.utime(folder, (old, old))
    return folder


def test_the_next_session_removes_directories_of_dead_host_shells_only(
    sshd: LoopbackSshd, remote_tmp: Path
) -> None:
    killed = _bridge_dir(remote_tmp, "killed", _dead_pid())
    live = _bridge_dir(remote_tmp, "live", os.getpid())  # a session still running
    setting_up = _bridge_dir(remote_tmp, "fresh", None)  # its session has not started yet
    abandoned = _bridge_dir(remote_tmp, "abandoned", None, age_minutes=120)
    other = remote_tmp / "audiotui-bridge.notadir"
    other.write_text("a file of the same name pattern is not touched")

    _devices_over_ssh(sshd)
    assert not killed.exists() and not abandoned.exists()
    assert live.is_dir() and (live / "secret").exists()
    assert setting_up.is_dir() and other.is_file()
    # and this session's own directory went with its shell's EXIT trap, as before
    assert sorted(p.name for p in remote_tmp.iterdir()) == sorted(
        [live.name, setting_up.name, other.name])


def test_a_long_tmpdir_on_host_still_gives_a_working_session(tmp_path: Path) -> None:
    """OpenSSH refuses a -R socket path longer than a Unix socket address; HOST's setup
    falls back to /tmp rather than failing with "Bad remote forwarding specification"."""
    long_tmp = tmp_path / ("x" * 40) / "tmp"
    long_tmp.mkdir(parents=True)
    assert len(str(long_tmp)) > 60
    for sshd in _sshd(tmp_path, long_tmp):
        _devices_over_ssh(sshd)
    assert list(long_tmp.iterdir()) == []
