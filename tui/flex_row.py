"""gr.Row as Gradio draws it: children share the width by `scale`, and wrap when too narrow.

Gradio 4.34's Row is `display: flex; flex-wrap: wrap` with every child `flex: <scale> 1 0%;
min-width: min(<min_width>px, 100%)` (js/row/Index.svelte, js/column/Index.svelte). Textual
has no flex-wrap, and its horizontal layout honours `min-width` by pushing later children past
the right edge - where Tab, focus and the wheel cannot reach them. `FlexWrapLayout` packs the
children into lines greedily by their minimum width (Gradio's pixels, ~8 per cell) and shares
each line's width by scale, never below a child's minimum, never past the row's width.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from textual.containers import Horizontal
from textual.geometry import NULL_OFFSET, Region, Size, Spacing
from textual.layout import ArrangeResult, Layout, WidgetPlacement
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.css.scalar import Scalar

PIXELS_PER_CELL = 8
"""Gradio sizes are CSS pixels; a terminal cell is about 8 pixels wide."""

DEFAULT_MIN_PIXELS = 160
"""Gradio's floor for any Row child (`min-width: min(160px, 100%)`)."""

GAP = 1
"""Cells between two children on one line (Gradio's `--layout-gap`)."""


def min_cells(widget: Widget) -> int:
    """The narrowest a Row child may be drawn (before clamping to the row's width).

    `flex_min_cells`, set when the widget was built from the component's `min_width`, wins;
    a button without one needs only its text (Gradio's 160 px is a browser's button width).
    """
    cells = getattr(widget, "flex_min_cells", None)
    if isinstance(cells, int) and cells > 0:
        return cells
    return DEFAULT_MIN_PIXELS // PIXELS_PER_CELL


def grow(widget: Widget) -> Fraction:
    """A child's share of a line's spare width: its `scale` (an `fr` width), else 1."""
    width: Scalar | None = widget.styles.width
    if width is not None and width.is_fraction and width.value > 0:
        return Fraction(width.value)
    return Fraction(1)


def pack_lines(minimums: list[int], width: int) -> list[list[int]]:
    """Indices of the children on each line: as many as fit at their minimum, in order."""
    lines: list[list[int]] = []
    used = 0
    for index, minimum in enumerate(minimums):
        need = min(minimum, width)
        if lines and used + GAP + need <= width:
            lines[-1].append(index)
            used += GAP + need
        else:
            lines.append([index])
            used = need
    return lines


def share_width(minimums: list[int], grows: list[Fraction], width: int) -> list[int]:
    """CSS flex-grow from a zero basis with min-width floors, in whole cells summing to `width`.

    Children whose share falls below their minimum are frozen at it and the rest is shared
    again (the CSS flexbox algorithm's "resolve flexible lengths", without shrink).
    """
    count = len(minimums)
    available = max(width - GAP * (count - 1), 0)
    floors = [min(m, available) for m in minimums]
    frozen: dict[int, int] = {}
    while True:
        free = [i for i in range(count) if i not in frozen]
        if not free:
            break
        left = available - sum(frozen.values())
        total = sum(grows[i] for i in free) or Fraction(1)
        shares = {i: left * grows[i] / total for i in free}
        short = [i for i in free if shares[i] < floors[i]]
        if not short:
            break
        for i in short:
            frozen[i] = floors[i]
    widths: list[int] = [0] * count
    for i, cells in frozen.items():
        widths[i] = cells
    free = [i for i in range(count) if i not in frozen]
    if free:
        left = available - sum(frozen.values())
        total = sum(grows[i] for i in free) or Fraction(1)
        edge = Fraction(0)
        start = 0
        for i in free:  # cumulative rounding: the widths add up to exactly `left`
            edge += left * grows[i] / total
            widths[i] = max(int(edge) - start, 0)
            start += widths[i]
    return widths


class FlexWrapLayout(Layout):
    """Lines of children: each line as wide as the row, shared by scale (see module doc)."""

    name = "flex-wrap"

    def __init__(self, stretch: bool = True) -> None:
        super().__init__()
        self.stretch = stretch
        """Share each line's spare width by scale (a Row); False keeps natural widths."""

    def arrange(
        self, parent: Widget, children: list[Widget], size: Size, greedy: bool = True
    ) -> ArrangeResult:
        parent.pre_layout(self)
        placements: list[WidgetPlacement] = []
        viewport = parent.app.viewport_size
        flowing = [c for c in children if c.styles.overlay != "screen"]
        if not flowing or size.width <= 0:
            return placements
        width = size.width
        if self.stretch:
            minimums = [min_cells(child) for child in flowing]
        else:
            minimums = [self._natural_width(child, size, viewport) for child in flowing]
        y = 0
        for line in pack_lines(minimums, width):
            members = [flowing[i] for i in line]
            if self.stretch:
                widths = share_width([minimums[i] for i in line], [grow(c) for c in members],
                                     width)
            else:
                widths = [min(minimums[i], width) for i in line]
            x = 0
            line_height = 0
            for child, cells in zip(members, widths, strict=True):
                box = self._box(child, cells, size, viewport, greedy)
                margin = child.styles.margin
                height = int(box.height)
                region = Region(x, y + margin.top, cells, height)
                placements.append(WidgetPlacement(
                    region, NULL_OFFSET, Spacing(margin.top, 0, margin.bottom, 0), child,
                ))
                line_height = max(line_height, margin.top + height + margin.bottom)
                x += cells + GAP
            y += line_height
        return placements

    @staticmethod
    def _natural_width(child: Widget, size: Size, viewport: Size) -> int:
        """A child's own width (a button's text and frame) plus its side margins."""
        box = child._get_box_model(size, viewport, Fraction(size.width), Fraction(size.height))
        margin = child.styles.margin
        return int(box.width) + margin.left + margin.right

    @staticmethod
    def _box(child: Widget, cells: int, size: Size, viewport: Size, greedy: bool) -> Any:
        """The child's box at exactly `cells` wide (its own width style is the share)."""
        styles = child.styles
        container = Size(cells, size.height)
        width = styles.width
        scale = width.value if width is not None and width.is_fraction and width.value else 1
        # An `Nfr` width resolves to N x width_fraction: give one fr 1/N of the share.
        fraction = Fraction(cells) / Fraction(scale)
        box = child._get_box_model(container, viewport, fraction, Fraction(size.height),
                                   constrain_width=True, greedy=greedy)
        return box


class RowContainer(Horizontal):
    """A gr.Row: always arranged by `FlexWrapLayout` (a `.tcss` `layout:` does not apply).

    A `Horizontal` still, so selectors and code that know Textual's row container find it.
    """

    DEFAULT_CSS = """
    RowContainer { width: 1fr; height: auto; overflow: hidden hidden; }
    """
    """Rows are as tall as their lines and never scroll sideways."""

    _flex_layout = FlexWrapLayout()

    @property
    def layout(self) -> Layout:
        """The flex-wrap layout, whatever `styles.layout` says."""
        return self._flex_layout

    @property
    def is_container(self) -> bool:
        return True


class ButtonStrip(Widget):
    """Buttons at their natural width, wrapping onto a second line rather than off screen."""

    DEFAULT_CSS = """
    ButtonStrip { width: 1fr; height: auto; overflow: hidden hidden; }
    """
    """As tall as its lines."""

    _strip_layout = FlexWrapLayout(stretch=False)

    @property
    def layout(self) -> Layout:
        """The non-stretching flex-wrap layout."""
        return self._strip_layout

    @property
    def is_container(self) -> bool:
        return True
