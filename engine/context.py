"""Where new blocks attach: the Blocks being built and the innermost open layout.

Gradio keeps this in a module-global `Context`; user code relies on that (components created
inside `with gr.Blocks():` attach themselves), so we keep the same shape. It is per thread so
that two apps built in two threads (tests, the loader) never see each other's blocks.
"""

from __future__ import annotations

import itertools
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audiotui.blocks import Blocks
    from audiotui.components.base import BlockContext

_ids = itertools.count(1)
_ids_lock = threading.Lock()


def next_id() -> int:
    """A process-unique block/dependency id (stable order = creation order)."""
    with _ids_lock:
        return next(_ids)


class _Context(threading.local):
    def __init__(self) -> None:
        self.root_block: Blocks | None = None
        self.block: BlockContext | None = None


Context = _Context()
