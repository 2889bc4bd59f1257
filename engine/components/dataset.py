"""Dataset: a clickable table of sample rows (what `gr.Examples` draws).

Its stored value is the index of the row the user picked (or None); `preprocess` turns that
into what `fn` asked for with `type`. Returning a list of rows from a function replaces the
samples (Gradio 4 does the same); `split_update` routes such a return through
`samples_update`, so the session records it as a property change, not a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from audiotui.components.base import Component
from audiotui.errors import ComponentError, Error
from audiotui.updates import record_constructor_args

if TYPE_CHECKING:
    from audiotui.events import BoundListener

_TYPES = ("values", "index", "tuple")


def _check_samples(samples: Any) -> list[list[Any]]:
    if samples is None:
        return []
    if isinstance(samples, (str, bytes)) or not isinstance(samples, Sequence):
        raise TypeError(f"Dataset: samples must be a list of rows (lists), got {samples!r}")
    rows: list[list[Any]] = []
    for row in samples:
        if not isinstance(row, (list, tuple)):
            raise TypeError(
                f"Dataset: each sample must be a list with one value per component, got {row!r}"
            )
        rows.append(list(row))
    return rows


@record_constructor_args
class Dataset(Component):
    """Rows of sample values for `components`; clicking a row fires `click` and `select`."""

    click: BoundListener  # attached from EVENTS by Block.__init_subclass__; typed for mypy
    select: BoundListener

    EVENTS: ClassVar[tuple[str, ...]] = ("click", "select")

    def __init__(
        self,
        *,
        label: str | None = None,
        components: Sequence[Component | str] | None = None,
        component_props: list[dict[str, Any]] | None = None,
        samples: list[list[Any]] | None = None,
        headers: list[str] | None = None,
        type: Literal["values", "index", "tuple"] = "values",  # noqa: A002 - Gradio's name
        samples_per_page: int = 10,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
        container: bool = True,
        scale: int | None = None,
        min_width: int = 160,
        proxy_url: str | None = None,
    ) -> None:
        if type not in _TYPES:
            raise ValueError(f"Dataset: type must be one of {', '.join(_TYPES)}; got {type!r}")
        if (
            isinstance(samples_per_page, bool)
            or not isinstance(samples_per_page, int)
            or samples_per_page < 1
        ):
            raise ValueError(
                f"Dataset: samples_per_page must be a positive int, got {samples_per_page!r}"
            )
        if headers is not None and not (
            isinstance(headers, (list, tuple)) and all(isinstance(h, str) for h in headers)
        ):
            raise TypeError(f"Dataset: headers must be a list of str or None, got {headers!r}")
        self.components = _resolve_components(components)
        self.component_props = component_props or [c.get_config() for c in self.components]
        self.samples = _check_samples(samples)
        self.headers = list(headers) if headers is not None else []
        self.type = type
        self.samples_per_page = samples_per_page
        self.proxy_url = proxy_url
        self.examples_handler: Any = None
        """The `Examples` that built this Dataset, so a runtime can find caches to compute."""
        super().__init__(
            None, label=label, visible=visible, elem_id=elem_id, elem_classes=elem_classes,
            render=render, key=key, container=container, scale=scale, min_width=min_width,
        )  # fmt: skip

    # -- conversion ---------------------------------------------------------------------
    def preprocess(self, payload: Any) -> Any:
        """The picked row as its index, its values, or `(index, values)`, per `type`."""
        if payload is None:
            return None
        if isinstance(payload, bool) or not isinstance(payload, int):
            raise Error(f"Dataset: a row index (int) is expected, got {payload!r}.")
        if not 0 <= payload < len(self.samples):
            raise Error(
                f"Dataset: row {payload} does not exist (there are {len(self.samples)} rows)."
            )
        if self.type == "index":
            return payload
        if self.type == "values":
            return self.samples[payload]
        return payload, self.samples[payload]

    def postprocess(self, value: Any) -> int | None:
        """A row index (or None). New rows come through `samples_update`, not here."""
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        raise ComponentError(
            "Dataset: a function returned "
            f"{type(value).__name__} for a Dataset; return a list of rows (or "
            "gr.update(samples=...)) to replace its samples"
        )

    def samples_update(self, rows: list[Any]) -> dict[str, Any]:
        """A list returned by `fn` replaces the rows (see `audiotui.updates.split_update`)."""
        return {"samples": rows}

    def normalise_update(self, props: dict[str, Any]) -> dict[str, Any]:
        if "samples" in props:
            props = {**props, "samples": _check_samples(props["samples"])}
        return props

    # -- what a front end draws -----------------------------------------------------------
    def header_labels(self) -> list[str]:
        """Column titles: `headers`, else each component's label (Gradio's fallback)."""
        if self.headers:
            return list(self.headers)
        return [c.label or type(c).__name__ for c in self.components]

    def display_rows(self, samples: list[list[Any]] | None = None) -> list[list[str]]:
        """Every row as short strings, each cell rendered by its component's `as_example`."""
        rows = self.samples if samples is None else samples
        out: list[list[str]] = []
        for row in rows:
            cells = []
            for i, cell in enumerate(row):
                component = self.components[i] if i < len(self.components) else None
                shown = component.as_example(cell) if component is not None else cell
                cells.append("" if shown is None else str(shown))
            out.append(cells)
        return out

    def page_count(self) -> int:
        return max(1, -(-len(self.samples) // self.samples_per_page))

    def page(self, number: int) -> list[tuple[int, list[Any]]]:
        """Rows of page `number` (0-based) with their absolute indices, for paging UIs."""
        start = number * self.samples_per_page
        chunk = self.samples[start : start + self.samples_per_page]
        return [(start + i, row) for i, row in enumerate(chunk)]

    def api_info(self) -> dict[str, Any]:
        return {"type": "integer", "description": "index of the selected sample"}

    def example_value(self) -> int:
        return 0

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            headers=self.header_labels(),
            samples=self.display_rows(),
            type=self.type,
            samples_per_page=self.samples_per_page,
            components=[type(c).__name__.lower() for c in self.components],
        )
        return config


def _resolve_components(components: Sequence[Component | str] | None) -> list[Component]:
    if components is None:
        return []
    if isinstance(components, (str, Component)):
        components = [components]
    out: list[Component] = []
    for c in components:
        if isinstance(c, str):
            from audiotui.components.registry import component_from_string

            out.append(component_from_string(c, render=False))
        elif isinstance(c, Component):
            out.append(c)
        else:
            raise TypeError(
                f"Dataset: components must be components or their names like 'audio', got {c!r}"
            )
    return out
