"""The engine type-checks under mypy --strict (house convention: strict on engine/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_engine_is_mypy_strict_clean(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    # engine/ is installed as `audiotui` through package-dir, which mypy cannot follow from
    # an editable install; a symlink gives it the import name.
    (tmp_path / "audiotui").symlink_to(ROOT / "engine", target_is_directory=True)
    result = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
            "--cache-dir", str(tmp_path / ".mypy_cache"), "-p", "audiotui",
        ],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
