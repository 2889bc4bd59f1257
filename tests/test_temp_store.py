"""The private temp store (issue 8): removed on SIGTERM/SIGHUP even when a Client created it
from its loop thread, and folders of dead (SIGKILLed) processes are removed at the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from audiotui.media import temp

CLIENT_SCRIPT = """
import time
import numpy as np
import audiotui as at
from audiotui import Client
from audiotui.media import temp

def tone(name):
    return (8000, np.zeros(800, np.int16))

demo = at.Interface(tone, at.Textbox(), at.Audio())
client = Client(demo)
result = client.predict("a")  # written into the temp store from a worker thread
print(temp._dir, flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_client_temp_folder_is_removed_on_sigterm_and_sighup(
    tmp_path: Path, signum: int
) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", CLIENT_SCRIPT], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        folder = Path(proc.stdout.readline().strip())
        assert folder.is_dir() and folder.parent == tmp_path
        proc.send_signal(signum)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signum
    assert not folder.exists()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _fake_store(root: Path, name: str, pid: int | None, start: str = "") -> Path:
    folder = root / name
    folder.mkdir(mode=0o700)
    (folder / "take.wav").write_bytes(b"x")
    if pid is not None:
        (folder / temp.OWNER_FILE).write_text(f"{pid} {start}\n")
    return folder


def test_stale_folders_of_dead_processes_are_removed_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = _fake_store(tmp_path, "audiotui-dead", _dead_pid())
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live = _fake_store(tmp_path, "audiotui-live", sleeper.pid, temp.process_start(sleeper.pid))
        # a live pid with another start time is a reused pid: its owner is gone
        reused = _fake_store(tmp_path, "audiotui-reused", sleeper.pid, "1")
        unmarked = _fake_store(tmp_path, "audiotui-unmarked", None)
        other = _fake_store(tmp_path, "something-else", _dead_pid())
        monkeypatch.setattr(temp, "_dir", None)
        monkeypatch.setattr(temp, "_owner_pid", None)
        mine = temp.temp_dir()
        try:
            assert not dead.exists() and not reused.exists()
            assert live.is_dir() and unmarked.is_dir() and other.is_dir()
            assert mine.is_dir() and (mine / temp.OWNER_FILE).is_file()
        finally:
            temp.cleanup()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_owner_marker_names_this_process() -> None:
    folder = temp.temp_dir()
    pid, start = (folder / temp.OWNER_FILE).read_text().split()
    assert int(pid) == os.getpid()
    assert start == temp.process_start(os.getpid())
    assert temp.process_alive(os.getpid(), start)
    assert not temp.process_alive(_dead_pid(), "")
