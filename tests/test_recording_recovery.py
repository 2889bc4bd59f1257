"""Repairing an interrupted take without a sound card (issue 8): the WAV header is made to cover
every frame on disk, a journal is encoded, and `audiotui run` names what it repaired."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from audiotui.media import recording_file as rf

RATE = 16000


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _kill_header(path: Path) -> None:
    """What a SIGKILL between two header rewrites leaves: sizes that count nothing."""
    raw = bytearray(path.read_bytes())
    data = raw.index(b"data")
    raw[4:8] = (data + 8 - 8).to_bytes(4, "little")
    raw[data + 4 : data + 8] = (0).to_bytes(4, "little")
    path.write_bytes(bytes(raw) + b"\x01")  # and half a frame at the end


def _as_if_killed(target: Path, journal: Path | None, fmt: str) -> None:
    sidecar = rf.begin_take(target, journal=journal, fmt=fmt, subtype=None, samplerate=RATE,
                            channels=1, placeholder=journal is not None)
    meta = json.loads(sidecar.read_text())
    meta["pid"] = _dead_pid()
    sidecar.write_text(json.dumps(meta))


def test_repair_wav_counts_every_whole_frame_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "t.wav"
    sf.write(str(path), np.full(RATE, 0.25, dtype=np.float32), RATE, subtype="PCM_16")
    _kill_header(path)
    assert rf.repair_wav(path) == RATE
    data, rate = sf.read(str(path))
    assert rate == RATE and len(data) == RATE


@pytest.mark.parametrize("ext", ["wav", "mp3"])
def test_recover_interrupted_repairs_and_reports_once(tmp_path: Path, ext: str) -> None:
    target = tmp_path / f"take.{ext}"
    signal = (0.3 * np.sin(2 * np.pi * 440 * np.arange(2 * RATE) / RATE)).astype(np.float32)
    if ext == "wav":
        sf.write(str(target), signal, RATE, subtype="PCM_16")
        _kill_header(target)
        _as_if_killed(target, None, "WAV")
    else:
        journal = rf.journal_path(target)
        sf.write(str(journal), signal, RATE, subtype="PCM_16")
        _kill_header(journal)
        target.write_bytes(b"")  # the placeholder
        _as_if_killed(target, journal, "MP3")
    reports = rf.recover_interrupted(tmp_path)
    assert [r.path for r in reports] == [target]
    assert reports[0].seconds == pytest.approx(2.0, abs=0.1)
    assert f"'{target}'" in reports[0].describe() and "2.0" in reports[0].describe()
    assert sf.info(str(target)).frames / RATE == pytest.approx(2.0, abs=0.1)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    assert rf.recover_interrupted(tmp_path) == []


def test_run_names_the_takes_it_repaired_before_the_app_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    import audiotui.tui.launch as tui_launch
    from audiotui.cli import cli

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "song.wav"
    sf.write(str(target), np.zeros(RATE, dtype=np.float32), RATE, subtype="PCM_16")
    _kill_header(target)
    _as_if_killed(target, None, "WAV")
    app = tmp_path / "app.py"
    app.write_text("import audiotui as gr\ndemo = gr.Interface(lambda x: x, 'text', 'text')\n")
    started: list[Any] = []
    notices: list[Any] = []

    def fake_run_app(*a: Any, **k: Any) -> None:
        started.append(a)
        notices.extend(k.get("startup_notices") or [])

    monkeypatch.setattr(tui_launch, "run_app", fake_run_app)
    result = CliRunner().invoke(cli, ["run", str(app)], catch_exceptions=False)
    assert started, result.output
    assert f"repaired interrupted recording '{target}'" in result.output
    assert sf.info(str(target)).frames == RATE
    # The UI's screen covers stderr: the same line comes back inside it as a toast.
    assert any(f"'{target}'" in message for _, message in notices), notices


async def test_startup_notices_are_shown_as_toasts_in_the_ui() -> None:
    import audiotui as gr
    from audiotui.tui.launch import make_app

    demo = gr.Interface(lambda x: x, "text", "text")
    app = make_app(demo, startup_notices=[("Interrupted recording repaired", "take-1.wav 2.0 s")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = [(n.title, n.message) for n in app._notifications]
        assert ("Interrupted recording repaired", "take-1.wav 2.0 s") in shown
