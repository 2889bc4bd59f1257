"""The engine works headless on a machine where Textual cannot be imported at all."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# A finder first in sys.meta_path that refuses `textual` and its sub-modules, as if the
# package were not installed, so any import of it anywhere raises ModuleNotFoundError.
_BLOCK_TEXTUAL = textwrap.dedent("""
    import importlib.abc, sys

    class NoTextual(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "textual" or name.startswith("textual."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NoTextual())
""")


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _BLOCK_TEXTUAL + textwrap.dedent(code)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )


def test_the_blocker_really_hides_textual(tmp_path: Path) -> None:
    result = _run("import textual\n", tmp_path)
    assert result.returncode != 0
    assert "No module named 'textual'" in result.stderr


def test_interface_and_client_of_the_tone_example_work_without_textual(tmp_path: Path) -> None:
    result = _run(f"""
        import json, sys
        import numpy as np
        import soundfile as sf
        import audiotui as gr
        from audiotui import Client

        # an Interface built in code ...
        iface = gr.Interface(lambda a: (a[0], np.flipud(a[1])), "audio", "audio")
        with Client(iface) as client:
            ramp = np.arange(100, dtype=np.int16)
            back, sr = sf.read(client.predict((8000, ramp)), dtype="int16")
        # ... and the tone example loaded from its file
        with Client({str(EXAMPLES / "tone.py")!r}) as tone:
            info = sf.info(tone.predict("A", 4, "1"))
            api = tone.view_api(print_info=False, return_format="dict")
        print(json.dumps({{
            "reversed": back.tolist() == ramp[::-1].tolist(), "sr": sr,
            "tone": [info.samplerate, info.frames],
            "endpoints": list(api["named_endpoints"]),
            "textual_loaded": any(m.split(".")[0] == "textual" for m in sys.modules),
        }}))
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {
        "reversed": True, "sr": 8000, "tone": [48000, 48000], "endpoints": ["/predict"],
        "textual_loaded": False,
    }


def test_cli_call_works_without_textual(tmp_path: Path) -> None:
    result = _run(f"""
        import sys
        from audiotui.cli import main
        sys.argv = ["audiotui", "call", {str(EXAMPLES / "tone.py")!r}, "C", "4", "1"]
        main()
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "predict_output.wav").is_file()
