"""Packaging: the wheel and an editable install both work in a fresh venv.

Each test makes a new venv and lets pip fetch the runtime dependencies from the package
index, so these are marked `slow` (about 20 s each).
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

_CHECK = (
    "import sys, audiotui, audiotui.tui, audiotui.cli; "
    "print(audiotui.__file__); print(audiotui.tui.__file__); "
    "heavy = [m for m in ('textual', 'numpy') if m in sys.modules]; sys.exit(1 if heavy else 0)"
)


def _run(*cmd: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{cmd}:\n{result.stdout}\n{result.stderr[-3000:]}"
    return result


def _fresh_venv(path: Path) -> Path:
    _run(sys.executable, "-m", "venv", path, cwd=path.parent)
    return path / "bin"


def _check_installed(bin_dir: Path, cwd: Path) -> list[str]:
    located = _run(bin_dir / "python", "-c", _CHECK, cwd=cwd).stdout.splitlines()
    help_text = _run(bin_dir / "audiotui", "--help", cwd=cwd).stdout
    assert "Usage: audiotui" in help_text
    for command in ("run", "call", "api", "devices"):
        assert command in help_text
    module_help = _run(bin_dir / "python", "-m", "audiotui", "--help", cwd=cwd).stdout
    assert module_help.replace("python -m audiotui", "audiotui") == help_text
    return located


def test_wheel_installs_in_a_fresh_venv_with_its_console_script(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", dist, ROOT, cwd=tmp_path)
    wheels = list(dist.glob("audiotui-*.whl"))
    assert len(wheels) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "audiotui/__init__.py" in names and "audiotui/tui/__init__.py" in names
    assert not any(n.startswith(("engine/", "tui/", "tests/")) for n in names)

    bin_dir = _fresh_venv(tmp_path / "venv")
    _run(bin_dir / "python", "-m", "pip", "install", "-q", wheels[0], cwd=tmp_path)
    engine_file, tui_file = _check_installed(bin_dir, tmp_path)
    assert "site-packages" in engine_file and "site-packages" in tui_file


def test_editable_install_maps_engine_and_tui_to_the_source_tree(tmp_path: Path) -> None:
    bin_dir = _fresh_venv(tmp_path / "venv")
    _run(bin_dir / "python", "-m", "pip", "install", "-q", "-e", ROOT, cwd=tmp_path)
    engine_file, tui_file = _check_installed(bin_dir, tmp_path)
    assert Path(engine_file) == ROOT / "engine" / "__init__.py"
    assert Path(tui_file) == ROOT / "tui" / "__init__.py"
