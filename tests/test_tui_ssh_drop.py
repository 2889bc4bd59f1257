"""An SSH drop for real: `audiotui run` over a private loopback sshd whose client is SIGKILLed.

sshd then closes the remote pty, as it does when a network goes away; the remote UI must be
gone within 2 s (issue 8: it used to live on with parent 1, spinning on the dead pty).
Skipped only where no sshd can be started (not installed, no privilege-separation dir).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pty_support import PtyProcess
from test_tui_hangup import SYNC_APP

pytestmark = pytest.mark.slow

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)],
                   check=True, capture_output=True)


class LoopbackSshd:
    """sshd on 127.0.0.1:port with its own host key, config and authorized key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.key = folder / "client_key"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if not os.path.exists(SSHD) or shutil.which("ssh") is None:
            pytest.skip("openssh-server/openssh-client are not installed")
        host_key = self.folder / "host_key"
        _keygen(host_key)
        _keygen(self.key)
        authorized = self.folder / "authorized_keys"
        shutil.copy(f"{self.key}.pub", authorized)
        config = self.folder / "sshd_config"
        config.write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
            f"AuthorizedKeysFile {authorized}\nStrictModes no\nPubkeyAuthentication yes\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
            f"PermitRootLogin yes\nPidFile {self.folder / 'sshd.pid'}\nLogLevel ERROR\n"
        )
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation
        log = open(self.folder / "sshd.log", "wb")  # noqa: SIM115 - lives with the server
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.skip(f"sshd cannot start here: {(self.folder / 'sshd.log').read_text()}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        pytest.skip("sshd did not start listening within 15 s")

    def command(self, remote: str) -> list[str]:
        return [
            "ssh", "-tt", "-p", str(self.port), "-i", str(self.key),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
            f"{os.environ.get('USER') or 'root'}@127.0.0.1", remote,
        ]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[LoopbackSshd]:
    server = LoopbackSshd(tmp_path)
    server.start()
    yield server
    server.stop()


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
