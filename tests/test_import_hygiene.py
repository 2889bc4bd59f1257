"""The engine never imports Textual, and `import audiotui` stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parent.parent / "engine"


def _engine_modules() -> list[str]:
    mods = []
    for path in sorted(ENGINE.rglob("*.py")):
        rel = path.relative_to(ENGINE).with_suffix("")
        parts = ["audiotui", *rel.parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts[-1] == "__main__":
            continue
        mods.append(".".join(parts))
    return mods


@pytest.mark.parametrize("module", _engine_modules())
def test_engine_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} pulled in Textual: {result.stdout}{result.stderr}"


def test_import_audiotui_is_light() -> None:
    code = (
        "import sys, audiotui; heavy = [m for m in ('textual', 'sounddevice', 'soundfile', "
        "'numpy') if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_textual_import_statement_in_engine_sources() -> None:
    offenders = [
        str(p)
        for p in ENGINE.rglob("*.py")
        if any(
            line.lstrip().startswith(("import textual", "from textual"))
            for line in p.read_text().splitlines()
        )
    ]
    assert offenders == []


def test_import_linter_contract_covers_every_engine_module_and_holds() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11

    config = tomllib.loads((ENGINE.parent / "pyproject.toml").read_text())
    contract = config["tool"]["importlinter"]["contracts"][0]
    listed = set(contract["source_modules"])
    top_level = {m for m in _engine_modules() if m.count(".") == 1}
    assert top_level <= listed, f"add to the import-linter contract: {sorted(top_level - listed)}"
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint)], capture_output=True, text=True, cwd=ENGINE.parent
    )
    assert result.returncode == 0, result.stdout + result.stderr
