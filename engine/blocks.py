"""`Blocks`, the app definition: a tree of layouts and components plus its dependencies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from audiotui.components.base import Block, BlockContext, Component
from audiotui.context import Context

if TYPE_CHECKING:
    from audiotui.events import Dependency


class Blocks(BlockContext):
    """`with gr.Blocks() as demo:` collects every block and listener created inside it.

    Web-only arguments (theme, css, js, head, analytics...) are accepted for compatibility.
    """

    def __init__(
        self,
        theme: Any = None,
        analytics_enabled: bool | None = None,
        mode: str = "blocks",
        title: str = "audiotui",
        css: str | None = None,
        js: str | None = None,
        head: str | None = None,
        fill_height: bool = False,
        delete_cache: tuple[int, int] | None = None,
        **kwargs: Any,
    ) -> None:
        self.blocks: dict[int, Block] = {}
        self.fns: list[Dependency] = []
        self.title = title
        self.mode = mode
        self.fill_height = fill_height
        self.web_only = {
            k: v
            for k, v in dict(theme=theme, css=css, js=js, head=head).items()
            if v is not None
        }
        self.queue_settings: dict[str, Any] = {"default_concurrency_limit": 1}
        self._previous_root: list[Blocks | None] = []
        super().__init__(render=False, **kwargs)

    # -- building -------------------------------------------------------------------------
    def register_block(self, block: Block) -> None:
        self.blocks[block.id] = block

    def add_dependency(self, dep: Dependency) -> None:
        self.fns.append(dep)

    def __enter__(self) -> Blocks:
        self._previous_root.append(Context.root_block)
        Context.root_block = self
        super().__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        Context.root_block = self._previous_root.pop()
        parent = Context.root_block
        if parent is not None:  # a Blocks rendered inside another (TabbedInterface, nesting)
            parent.absorb(self)

    def absorb(self, other: Blocks) -> None:
        """Take over another Blocks' blocks and listeners (it was built inside this one)."""
        self.blocks.update(other.blocks)
        self.blocks[other.id] = other
        self.fns.extend(other.fns)
        if Context.block is not None and other.parent is None:
            Context.block.add_child(other)

    # -- queries ----------------------------------------------------------------------------
    @property
    def components(self) -> list[Component]:
        return [b for b in self.blocks.values() if isinstance(b, Component)]

    def walk(self) -> list[Block]:
        """Every block in layout order (depth first)."""
        out: list[Block] = []

        def visit(block: Block) -> None:
            out.append(block)
            if isinstance(block, BlockContext):
                for child in block.children:
                    visit(child)

        for child in self.children:
            visit(child)
        return out

    def queue(
        self,
        status_update_rate: float | str = "auto",
        api_open: bool | None = None,
        max_size: int | None = None,
        concurrency_count: int | None = None,
        *,
        default_concurrency_limit: int | None | str = 1,
    ) -> Blocks:
        """Set the queue's default concurrency limit (1, like Gradio); returns self."""
        if concurrency_count is not None:
            raise TypeError(
                "queue(concurrency_count=...) was removed in Gradio 4; use "
                "default_concurrency_limit"
            )
        if default_concurrency_limit == "not_set":
            default_concurrency_limit = 1
        self.queue_settings = {
            "default_concurrency_limit": default_concurrency_limit,
            "max_size": max_size,
        }
        return self
