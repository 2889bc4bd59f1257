"""Layout containers: Row, Column, Tabs/Tab, Accordion, Group (Gradio 4.34 signatures)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from audiotui.components.base import BlockContext


class Row(BlockContext):
    """Children side by side; `equal_height` and `variant` are accepted like Gradio's."""

    EVENTS: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        *,
        variant: Literal["default", "panel", "compact"] = "default",
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        equal_height: bool = True,
        key: int | str | None = None,
    ) -> None:
        self.variant = variant
        self.equal_height = equal_height
        super().__init__(
            visible=visible, elem_id=elem_id, elem_classes=elem_classes, render=render, key=key
        )


class Column(BlockContext):
    """Children stacked; `scale` and `min_width` share a Row's width like components do."""

    EVENTS: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        *,
        scale: int = 1,
        min_width: int = 320,
        variant: Literal["default", "panel", "compact"] = "default",
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        if isinstance(scale, bool) or not isinstance(scale, int):
            # gradio/layouts/column.py (4.34) only warns "'scale' value should be an integer"
            from audiotui.components.base import tolerate

            fixed = round(scale) if isinstance(scale, (int, float)) else 1
            tolerate("Column", f"scale should be an integer, got {scale!r}; using {fixed}")
            scale = fixed
        self.scale = scale
        self.min_width = min_width
        self.variant = variant
        super().__init__(
            visible=visible, elem_id=elem_id, elem_classes=elem_classes, render=render, key=key
        )


class Tabs(BlockContext):
    """A set of Tab children, one shown at a time; `selected` names the open one."""

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "select")

    def __init__(
        self,
        *,
        selected: int | str | None = None,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        self.selected = selected
        self.implicit = False
        """Made by a Tab opened outside any Tabs (later Tabs in a row join it)."""
        super().__init__(
            visible=visible, elem_id=elem_id, elem_classes=elem_classes, render=render, key=key
        )


class Tab(BlockContext):
    """One page of a Tabs; a Tab opened outside Tabs gets an implicit Tabs, as in Gradio."""

    EVENTS: ClassVar[tuple[str, ...]] = ("select",)

    def __init__(
        self,
        label: str | None = None,
        visible: bool = True,
        interactive: bool = True,
        *,
        id: int | str | None = None,  # noqa: A002 - Gradio's parameter name
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        self.label = label
        self.tab_id = id
        self.interactive = interactive
        super().__init__(
            visible=visible, elem_id=elem_id, elem_classes=elem_classes, render=render, key=key
        )

    def render(self) -> Tab:
        from audiotui.context import Context

        parent = Context.block
        if parent is not None and not isinstance(parent, Tabs):
            # An implicit container, as Gradio creates one; consecutive Tabs share it
            # (gradio/blocks.py `BlockContext.fill_expected_parents` at 4.34), so two
            # `with gr.Tab(...)` in a row are two pages of one Tabs, not two tab bars.
            last = parent.children[-1] if parent.children else None
            if isinstance(last, Tabs) and getattr(last, "implicit", False):
                with last:
                    super().render()
                return self
            tabs = Tabs()
            tabs.implicit = True
            with tabs:
                super().render()
        else:
            super().render()
        return self


TabItem = Tab


class Accordion(BlockContext):
    """A collapsible section; `open` is its initial state."""

    EVENTS: ClassVar[tuple[str, ...]] = ("expand", "collapse")

    def __init__(
        self,
        label: str | None = None,
        *,
        open: bool = True,  # noqa: A002 - Gradio's parameter name
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        self.label = label
        self.open = open
        super().__init__(
            visible=visible, elem_id=elem_id, elem_classes=elem_classes, render=render, key=key
        )


class Group(BlockContext):
    """Children drawn in one box without gaps."""

    EVENTS: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        *,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        super().__init__(
            visible=visible, elem_id=elem_id, elem_classes=elem_classes, render=render, key=key
        )


class Sidebar(Accordion):
    """`gr.Sidebar` (Gradio 5): a collapsible panel beside the app; here a collapsible
    section drawn first, titled by `label` ("Sidebar" when None). `width` and `position`
    place it on a web page and are kept only."""

    def __init__(
        self,
        label: str | None = None,
        *,
        open: bool = True,  # noqa: A002 - Gradio's parameter name
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        width: int | str = 320,
        position: str = "left",
        key: int | str | None = None,
        preserved_by_key: Any = None,
    ) -> None:
        self.width = width
        self.position = position
        super().__init__(
            label if label is not None else "Sidebar", open=open, visible=visible,
            elem_id=elem_id, elem_classes=elem_classes, render=render, key=key,
        )
