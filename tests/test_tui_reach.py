"""At 80x24 every component of every example and compat app is reachable by Tab and shown;
the layout-heavy ones are checked at 110x30, 120x45 and 200x60 too.

Gradio's Row wraps children that cannot get their min_width; a terminal that pushed them past
the right edge instead left fields no key, click or wheel could reach (issue 10).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_tui_support import app_for, settle

from audiotui.loader import load_app

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted((ROOT / "examples").glob("*.py")) + sorted((ROOT / "tests/compat/apps").glob("*.py"))


def _shown(widget: Any) -> bool:
    """Displayed with every ancestor (an inactive tab or a closed accordion hides it)."""
    node = widget
    while node is not None and getattr(node, "display", True):
        node = node.parent
    return node is None


def _focusable_parts(app: Any, widget: Any) -> list[Any]:
    return [w for w in app.screen.focus_chain if w is widget or widget in w.ancestors]


WIDE_ROWS = ["examples/audio_events.py", "tests/compat/apps/audio_component_events.py",
             "tests/compat/apps/change_vs_input.py", "tests/compat/apps/equalizer_layout.py"]
"""Rows of columns and buttons that overflowed between 100 and ~126 columns."""

LARGE = sorted({*(ROOT / "examples").glob("*.py"), *(ROOT / p for p in WIDE_ROWS),
                *(ROOT / "tests/compat/apps" / n for n in (
                    "kitchen_sink.py", "track_mixer.py", "audio_effects_tabs.py",
                    "speed_and_pitch_tabs.py", "render_layers.py", "image_and_audio.py"))})
"""Layouts whose Rows share the width (or tab bars, renders) at the sizes a lab uses too:
120x45 and 200x60, where a Row keeps its children side by side instead of wrapping."""

CASES = ([(p, (80, 24)) for p in APPS] + [(ROOT / p, (110, 30)) for p in WIDE_ROWS]
         + [(p, (120, 45)) for p in sorted((ROOT / "examples").glob("*.py"))]
         + [(p, (200, 60)) for p in LARGE])


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize(("path", "size"), CASES,
                         ids=[f"{p.parent.name}/{p.name}-{w}x{h}" for p, (w, h) in CASES])
async def test_every_component_is_reachable_by_tab_and_scrolled_into_view(
    path: Path, size: tuple[int, int]
) -> None:
    demo = load_app(path)
    app = app_for(demo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        width = app.size.width
        main = app.query_one("#main")
        wanted = {cid: w for cid, w in app.component_widgets.items()
                  if _shown(w) and _focusable_parts(app, w)}
        reached: set[int] = set()
        chain = len(app.screen.focus_chain)
        for _ in range(chain + 1):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            if focused is None:
                continue
            region = focused.region
            where = f"{type(focused).__name__} at {region} (screen {size})"
            assert region.width > 0 and region.height > 0, f"{where}: not drawn"
            assert region.x >= 0 and region.right <= width, f"{where}: off the side"
            assert main.region.y <= region.y < main.region.bottom or main not in focused.ancestors, (
                f"{where}: focused but not scrolled into view"
            )
            for cid, w in wanted.items():
                if focused is w or w in focused.ancestors:
                    reached.add(cid)
        missing = [type(wanted[c].component).__name__ for c in wanted if c not in reached]
        assert not missing, f"never reached by Tab: {missing}"
