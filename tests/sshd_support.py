"""A private sshd on 127.0.0.1 for end-to-end SSH tests (an SSH drop, the audio bridge).

Its own host key, client key, config and port in the test's tmp_path; nothing system-wide is
read or written except /run/sshd (privilege separation, created when root). Skipped only where
no sshd can be started (not installed, not allowed).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

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

    def __init__(self, folder: Path, extra_config: str = "") -> None:
        self.folder = folder
        self.extra_config = extra_config
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
            + self.extra_config
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

    @property
    def user(self) -> str:
        return os.environ.get("USER") or "root"

    def options(self) -> list[str]:
        """ssh options reaching this server (port, key, no host-key prompts), no HOST."""
        return [
            "-p", str(self.port), "-i", str(self.key),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
        ]

    @property
    def target(self) -> str:
        return f"{self.user}@127.0.0.1"

    def command(self, remote: str) -> list[str]:
        return ["ssh", "-tt", *self.options(), self.target, remote]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def loopback_sshd(tmp_path: Path, extra_config: str = "") -> Iterator[LoopbackSshd]:
    """Body of an `sshd` fixture: started, yielded, stopped."""
    server = LoopbackSshd(tmp_path, extra_config)
    server.start()
    try:
        yield server
    finally:
        server.stop()
