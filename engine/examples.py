"""`gr.Examples`: sample inputs shown as a Dataset; picking a row fills the inputs.

Example values are postprocessed once, by their own components, when the app is built, so a
row that names an audio file holds the same `FileData` an upload would, and a broken example
fails at start-up with the row and input named, not when someone clicks it.

Cached examples (`cache_examples=True` or `"lazy"`) run `fn` once per row and keep the stored
outputs: `compute_cache()` fills every row and, with `cache_examples=True`, runs as a hidden
load listener of the app (registered here, or by the Interface that owns the Examples) so the
first session fills the cache at start-up; with `"lazy"` a row is computed the first time it is
clicked.
"""

from __future__ import annotations

import copy
import csv
import inspect
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from audiotui.components.base import Component
from audiotui.components.dataset import Dataset
from audiotui.context import Context
from audiotui.errors import ComponentError
from audiotui.updates import NO_VALUE, split_update, update

LOG_FILE = "log.csv"
"""In an examples directory with several inputs, the CSV whose rows are the examples."""

_FILE_COMPONENTS = frozenset({"Audio", "File", "Image", "Video", "Model3D"})


class Examples:
    """Example rows for `inputs`, optionally run through `fn` into `outputs` (Gradio 4.34 API).

    Args:
        examples: a list of rows (one value per input), a flat list when there is one input,
            or a directory: each file is an example for a single input, or `log.csv` holds
            the rows for several (paths in it are relative to the directory).
        inputs: the component(s) the rows fill.
        outputs, fn: what `run_on_click` and caching run.
        cache_examples: True computes every row's outputs once; "lazy" computes a row on its
            first click; None reads GRADIO_CACHE_EXAMPLES ("true") as Gradio does.
    """

    def __init__(
        self,
        examples: list[Any] | list[list[Any]] | str | Path,
        inputs: Component | Sequence[Component],
        outputs: Component | Sequence[Component] | None = None,
        fn: Callable[..., Any] | None = None,
        cache_examples: bool | Literal["lazy"] | None = None,
        examples_per_page: int = 10,
        _api_mode: bool = False,
        label: str | None = "Examples",
        elem_id: str | None = None,
        run_on_click: bool = False,
        preprocess: bool = True,
        postprocess: bool = True,
        api_name: str | Literal[False] = "load_example",
        batch: bool = False,
        *,
        visible: bool = True,
    ) -> None:
        self.inputs = _as_components("inputs", inputs)
        self.outputs = _as_components("outputs", outputs) if outputs is not None else []
        if fn is not None and not callable(fn):
            raise TypeError(f"Examples: fn must be callable or None, got {fn!r}")
        self.fn = fn
        if cache_examples is None:
            cache_examples = os.environ.get("GRADIO_CACHE_EXAMPLES", "").lower() == "true" and (
                fn is not None and bool(self.outputs)
            )
        if cache_examples not in (True, False, "lazy"):
            raise ValueError(
                f"Examples: cache_examples must be True, False, 'lazy' or None, got {cache_examples!r}"
            )
        if cache_examples and (fn is None or not self.outputs):
            raise ValueError("Examples: caching examples needs both fn= and outputs=; pass them")
        if run_on_click and fn is None:
            raise ValueError("Examples: run_on_click=True needs fn=; pass the function to run")
        self.cache_requested: bool | Literal["lazy"] = cache_examples
        self.cache_examples = cache_examples
        self.run_on_click = run_on_click
        self.preprocess = preprocess
        self.postprocess = postprocess
        self.batch = batch
        self.api_name = api_name
        self.label = label

        rows, self.working_directory = _read_examples(examples, len(self.inputs))
        self.examples = [self._resolve_row(_pad(row, len(self.inputs))) for row in rows]
        has_example = [
            any(row[i] is not None for row in self.examples) for i in range(len(self.inputs))
        ]
        self.inputs_with_examples = [
            c for c, keep in zip(self.inputs, has_example, strict=True) if keep
        ]
        self.non_none_examples = [
            [v for v, keep in zip(row, has_example, strict=True) if keep] for row in self.examples
        ]
        self.processed_examples = [
            [self._postprocess_example(r, c, v) for c, v in zip(self.inputs, row, strict=True)]
            for r, row in enumerate(self.examples)
        ]
        self.non_none_processed_examples = [
            [v for v, keep in zip(row, has_example, strict=True) if keep]
            for row in self.processed_examples
        ]
        self.cached: dict[int, list[tuple[dict[str, Any], Any]]] = {}

        self.dataset = Dataset(
            components=self.inputs_with_examples,
            samples=self.non_none_examples,
            type="index",
            label=label,
            samples_per_page=examples_per_page,
            elem_id=elem_id,
            visible=visible,
        )
        self.dataset.examples_handler = self
        self.load_input_event = self.dataset.click(
            self._load_example,
            inputs=[self.dataset],
            outputs=self.inputs_with_examples,
            show_progress="hidden",
            postprocess=False,
            queue=False,
            api_name=api_name,
            show_api=False,
        )
        self.load_output_event = None
        if self.cache_examples:
            self.load_output_event = self.load_input_event.then(
                self._load_cached,
                inputs=[self.dataset],
                outputs=self.outputs,
                show_progress="hidden",
                postprocess=False,
                queue=False,
                show_api=False,
                api_name=False,  # an internal step, not an endpoint (Gradio has none here)
            )
        elif run_on_click:
            self.load_output_event = self.load_input_event.then(
                fn,
                inputs=self.inputs,
                outputs=self.outputs,
                preprocess=preprocess,
                postprocess=postprocess,
                batch=batch,
                show_api=False,
            )

        self.cache_event: Any = None
        root = Context.root_block
        if cache_examples is True and root is not None and root.mode != "interface":
            # Gradio fills the cache when the app starts. An Interface registers this itself
            # (it builds its Examples inside its own `with`); any other Blocks gets it here,
            # hidden from the API. The cache lives on this object, so later sessions reuse it.
            self.cache_event = root.load(
                self.compute_cache, None, None, api_name=False, show_api=False,
                show_progress="hidden",
            )

    # -- building -------------------------------------------------------------------------
    def _resolve_row(self, row: list[Any]) -> list[Any]:
        """Paths in an examples directory's log are relative to that directory."""
        if self.working_directory is None:
            return row
        out = []
        for component, value in zip(self.inputs, row, strict=True):
            if _is_file_component(component) and isinstance(value, str) and value:
                candidate = self.working_directory / value
                if not Path(value).is_absolute() and candidate.exists():
                    value = str(candidate)
            out.append(value)
        return out

    def _postprocess_example(self, row: int, component: Component, value: Any) -> Any:
        if value is None:
            return None
        try:
            return component.postprocess(value)
        except (ValueError, TypeError, OSError) as exc:
            name = component.label or type(component).__name__
            raise ComponentError(f"Examples: row {row + 1}, input {name!r}: {exc}") from exc

    # -- what the dataset click runs --------------------------------------------------------
    def _load_example(self, index: int) -> Any:
        """The stored values of row `index` (postprocess=False: they are stored already)."""
        values = copy.deepcopy(self.non_none_processed_examples[index])
        return values[0] if len(values) == 1 else values

    async def _load_cached(self, index: int) -> Any:
        outputs = await self.cached_outputs(index)
        values = [
            update(**props, **({} if v is NO_VALUE else {"value": v}))
            if props or v is NO_VALUE
            else v
            for props, v in outputs
        ]
        return values[0] if len(values) == 1 else values

    # -- caching ----------------------------------------------------------------------------
    async def compute_cache(self) -> None:
        """Run `fn` on every row not cached yet, in order (await once, at start-up)."""
        for index in range(len(self.examples)):
            await self.cached_outputs(index)

    async def cached_outputs(self, index: int) -> list[tuple[dict[str, Any], Any]]:
        """`(props, stored value or NO_VALUE)` per output for row `index`, computed once."""
        if index not in self.cached:
            self.cached[index] = await self._run(index)
        return copy.deepcopy(self.cached[index])

    async def _run(self, index: int) -> list[tuple[dict[str, Any], Any]]:
        assert self.fn is not None
        args = [
            c.preprocess(copy.deepcopy(v)) if self.preprocess else copy.deepcopy(v)
            for c, v in zip(self.inputs, self.processed_examples[index], strict=True)
        ]
        if self.batch:
            args = [[a] for a in args]
        result = await _call(self.fn, args)
        if self.batch:  # a tuple of lists, one list per output (even for one output)
            columns = [column[0] for column in result]
            result = columns[0] if len(self.outputs) == 1 else columns
        out = []
        for component, returned in zip(
            self.outputs, _per_output(self.outputs, result), strict=True
        ):
            props, value = split_update(component, returned)
            if value is not NO_VALUE and self.postprocess:
                value = component.postprocess(value)
            out.append((props, value))
        return out


async def _call(fn: Callable[..., Any], args: list[Any]) -> Any:
    """Call `fn` off the loop if it is sync; a generator's result is its last yield."""
    if inspect.isasyncgenfunction(fn):
        last = None
        async for item in fn(*args):
            last = item
        return last
    if inspect.iscoroutinefunction(fn):
        return await fn(*args)

    def run_sync() -> Any:
        result = fn(*args)
        if inspect.isgenerator(result):
            final = None
            for item in result:
                final = item
            return final
        return result

    from audiotui.execution import in_thread  # a daemon thread: never holds up the exit

    return await in_thread(run_sync)


def _per_output(outputs: list[Component], result: Any) -> list[Any]:
    if isinstance(result, dict) and result and all(isinstance(k, Component) for k in result):
        return [result.get(c, update()) for c in outputs]
    if len(outputs) == 1:
        return [result]
    if not isinstance(result, (list, tuple)) or len(result) != len(outputs):
        raise ComponentError(
            f"Examples: fn returned {result!r} but there are {len(outputs)} outputs; return "
            f"a tuple of {len(outputs)} values"
        )
    return list(result)


def _as_components(what: str, value: Any) -> list[Component]:
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if not isinstance(item, Component):
            raise TypeError(f"Examples: {what} must be components, got {item!r}")
    return items


def _pad(row: list[Any], width: int) -> list[Any]:
    return list(row[:width]) + [None] * (width - len(row))


def _read_examples(examples: Any, n_inputs: int) -> tuple[list[list[Any]], Path | None]:
    if isinstance(examples, (str, Path)):
        directory = Path(examples)
        if not directory.is_dir():
            raise FileNotFoundError(
                f"Examples: {str(examples)!r} is not a directory; pass a list of rows or a "
                "directory of example files"
            )
        log = directory / LOG_FILE
        if log.is_file():
            with log.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            return [row[:n_inputs] for row in rows[1:]], directory
        if n_inputs != 1:
            raise FileNotFoundError(
                f"Examples: {str(directory)!r} has no {LOG_FILE}, which is needed for "
                f"{n_inputs} inputs (one row per example, a header first)"
            )
        files = sorted(p.name for p in directory.iterdir() if not p.name.startswith("."))
        return [[name] for name in files], directory
    if not isinstance(examples, list):
        raise TypeError(
            "Examples: examples must be a list of rows, a flat list (one input) or a "
            f"directory path, got {type(examples).__name__}"
        )
    if not examples or all(isinstance(row, (list, tuple)) for row in examples):
        return [list(row) for row in examples], None
    if n_inputs == 1:
        return [[value] for value in examples], None
    raise ValueError(
        f"Examples: with {n_inputs} inputs, examples must be a list of rows (lists), one "
        "value per input"
    )


def _is_file_component(component: Component) -> bool:
    return any(cls.__name__ in _FILE_COMPONENTS for cls in type(component).__mro__)
