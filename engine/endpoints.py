"""Endpoints: an app's dependencies seen from the Client (names, parameters, conversions).

`Client`, `audiotui api` and `audiotui call` share this so the three always agree on what an
app exposes: which listeners are callable, under which `/name`, with which parameters.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audiotui.components.base import Block, Component
from audiotui.data import FileData
from audiotui.errors import AudiotuiError

if TYPE_CHECKING:
    from audiotui.blocks import Blocks
    from audiotui.events import Dependency


class EndpointError(AudiotuiError, ValueError):
    """A call that names no endpoint of the app, or passes arguments it does not take."""


_JSON_TYPES = {
    "string": "str", "number": "float", "integer": "int", "boolean": "bool",
    "array": "list", "object": "dict", "null": "None",
}


def _python_type(info: dict[str, Any]) -> str:
    """gradio_client's way of naming a parameter's type from the component's api_info."""
    description = str(info.get("description", ""))
    if "path to" in description or "filepath" in description:
        return "filepath"
    if "enum" in info:
        return "Literal[" + ", ".join(repr(v) for v in info["enum"]) + "]"
    kind = info.get("type")
    if isinstance(kind, str):
        if kind == "array" and isinstance(info.get("items"), dict):
            return f"list[{_python_type(info['items'])}]"
        return _JSON_TYPES.get(kind, kind)
    return "Any"


def _components(blocks: list[Block]) -> list[Component]:
    return [b for b in blocks if isinstance(b, Component)]


def is_state(component: Component) -> bool:
    """State values stay out of the API (gradio_client's rule): the session supplies them."""
    return bool(getattr(type(component), "stateful", False))


def _api_value(stored: Any) -> Any:
    """A stored value as the Client hands it back: files become their paths."""
    if isinstance(stored, FileData):
        return stored.path
    if isinstance(stored, list) and stored and all(isinstance(v, FileData) for v in stored):
        return [v.path for v in stored]
    return stored


@dataclass
class Parameter:
    """One argument (or return value) of an endpoint, as view_api describes it."""

    component: Component
    name: str
    python_type: str
    has_default: bool
    default: Any

    @property
    def component_type(self) -> str:
        return type(self.component).__name__

    def describe(self) -> dict[str, Any]:
        return {
            "parameter_name": self.name, "label": self.component.label,
            "component": self.component_type, "python_type": self.python_type,
            "parameter_has_default": self.has_default,
            "parameter_default": _api_value(self.default) if self.has_default else None,
        }


def fn_param_names(fn: Callable[..., Any]) -> list[str]:
    """Parameter names that receive component values (Progress/Request ones excluded)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    names = []
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            break
        annotation = str(p.annotation)
        default_type = type(p.default).__name__
        if "Request" in annotation or default_type in ("Progress", "Request"):
            continue
        names.append(p.name)
    return names


def _param_names(dep: Dependency, components: list[Component]) -> list[str]:
    names = fn_param_names(dep.fn) if dep.fn is not None and not dep.inputs_as_dict else []
    out: list[str] = []
    for i, comp in enumerate(components):
        index = dep.inputs.index(comp) if comp in dep.inputs else i
        if index < len(names):
            name = names[index]
        else:
            name = re.sub(r"\W+", "_", (comp.label or "").lower()).strip("_") or f"param_{i}"
        while name in out:
            name += "_"
        out.append(name)
    return out


class Endpoint:
    """One dependency seen from the Client: its name, parameters, returns and conversions.

    Arguments go through the input component's `postprocess`, the same conversion a value
    returned by a function gets, so a path or `(sr, array)` becomes a stored audio file and a
    number is rounded to the component's precision. State inputs are left out of the API, as
    gradio_client leaves them out: the session supplies them.
    """

    def __init__(
        self, dep: Dependency, fn_index: int, name: str, max_file_size: int | None = None
    ) -> None:
        self.dep = dep
        self.max_file_size = max_file_size
        self.fn_index = fn_index
        self.name = name
        self.visible = dep.show_api
        inputs = [c for c in _components(dep.inputs) if not is_state(c)]
        outputs = [c for c in _components(dep.outputs) if not is_state(c)]
        self.parameters = [
            Parameter(c, n, _python_type(c.api_info()), c.initial_value() is not None,
                      c.initial_value())
            for c, n in zip(inputs, _param_names(dep, inputs), strict=True)
        ]
        self.returns = [
            Parameter(c, re.sub(r"\W+", "_", (c.label or "output").lower()).strip("_"),
                      _python_type(c.api_info()), False, None)
            for c in outputs
        ]

    @property
    def api_path(self) -> str:
        return f"/{self.name}"

    def to_stored(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], session: Any
    ) -> list[Any]:
        """Arguments -> stored values for every input of the dependency, in order."""
        params = self.parameters
        if len(args) > len(params):
            raise EndpointError(
                f"{self.api_path} takes {len(params)} argument(s) "
                f"({', '.join(p.name for p in params)}), got {len(args)}"
            )
        given: dict[str, Any] = {p.name: a for p, a in zip(params, args, strict=False)}
        for key, value in kwargs.items():
            if key not in {p.name for p in params}:
                raise EndpointError(
                    f"{self.api_path} has no parameter {key!r}; its parameters: "
                    f"{', '.join(p.name for p in params) or 'none'}"
                )
            if key in given:
                raise EndpointError(f"{self.api_path}: {key!r} given twice")
            given[key] = value
        by_component: dict[int, Any] = {}
        for p in params:
            if p.name in given:
                by_component[p.component.id] = self._convert(
                    p, given[p.name], session.configured(p.component)
                )
            elif p.has_default:
                by_component[p.component.id] = copy.deepcopy(p.default)
            else:
                raise EndpointError(
                    f"{self.api_path}: missing argument {p.name!r} ({p.component_type}); "
                    f"call it with {len(params)} argument(s): "
                    f"{', '.join(q.name for q in params)}"
                )
        return [
            by_component[c.id] if c.id in by_component else session.get_value(c)
            for c in self.dep.inputs
        ]

    def _convert(self, param: Parameter, value: Any, component: Any) -> Any:
        """One argument -> its stored value, judged by `component` as the session sees it.

        A value outside a choice component's (current) choices is refused here, as one
        error: storing it first would warn and then fail again in preprocess.
        """
        if isinstance(value, FileData):
            value = value.path
        elif isinstance(value, dict) and "path" in value and len(value) <= 4:
            value = value["path"]  # gradio_client's handle_file() dict
        if isinstance(value, Path):
            value = str(value)
        if self.max_file_size is not None and isinstance(value, str) and Path(value).is_file():
            size = Path(value).stat().st_size
            if size > self.max_file_size:
                raise EndpointError(
                    f"{self.api_path}: argument {param.name!r}: {value} is {size} bytes, over "
                    f"the app's max_file_size of {self.max_file_size} bytes"
                )
        self._check_choice(param, value, component)
        try:
            if _is_local_audio_file(component, value):
                from audiotui.media.files import path_to_filedata

                # Stored as an upload is (probed, not re-encoded into `format`): preprocess
                # decodes or converts it once, so a long MP3 argument is not transcoded twice.
                return path_to_filedata(value)
            return component.postprocess(value)
        except (TypeError, ValueError, AudiotuiError) as exc:
            raise EndpointError(f"{self.api_path}: argument {param.name!r}: {exc}") from exc

    def _check_choice(self, param: Parameter, value: Any, component: Any) -> None:
        outside = getattr(component, "outside_choices", None)
        if outside is None or value is None:
            return
        bad = outside(value if isinstance(value, list) else [value])
        if bad:
            choices = component.choice_values
            raise EndpointError(
                f"{self.api_path}: argument {param.name!r}: {', '.join(map(repr, bad))} is not "
                f"one of the choices ({', '.join(map(repr, choices)) or 'none'})"
            )

    def to_result(self, stored_outputs: list[Any]) -> Any:
        """Stored output values -> what predict returns (one alone, several as a tuple)."""
        values = [
            _api_value(v)
            for c, v in zip(self.dep.outputs, stored_outputs, strict=False)
            if not (isinstance(c, Component) and is_state(c))
        ]
        if not values:
            return None
        return values[0] if len(values) == 1 else tuple(values)

    def describe(self) -> dict[str, Any]:
        return {
            "parameters": [p.describe() for p in self.parameters],
            "returns": [r.describe() | {"label": r.component.label} for r in self.returns],
        }

    def signature(self) -> str:
        args = ", ".join(
            p.name + (f"={_api_value(p.default)!r}" if p.has_default else "")
            for p in self.parameters
        )
        sep = ", " if args else ""
        returns = ", ".join(r.name for r in self.returns) or "None"
        return f"predict({args}{sep}api_name={self.api_path!r}) -> {returns}"


def list_endpoints(blocks: Blocks) -> list[Endpoint]:
    """Every listener callable by name, named as `Blocks.api_endpoints` (and Gradio) name them.

    `fn_index` is the listener's position in `blocks.fns`, as gradio_client counts.
    """
    index = {dep.id: i for i, dep in enumerate(blocks.fns)}
    return [
        Endpoint(dep, index[dep.id], name, blocks.max_file_size)
        for name, dep in blocks.api_endpoints().items()
    ]


def describe_api(endpoints: list[Endpoint]) -> dict[str, Any]:
    """`view_api(return_format="dict")`: gradio_client's structured form."""
    return {
        "named_endpoints": {ep.api_path: ep.describe() for ep in endpoints},
        "unnamed_endpoints": {},
    }


def render_api_text(endpoints: list[Endpoint]) -> str:
    """gradio_client's usage text: one block per endpoint with typed parameters."""
    lines = ["Client.predict() Usage Info", "---------------------------",
             f"Named API endpoints: {len(endpoints)}", ""]
    for ep in endpoints:
        lines.append(f" - {ep.signature()}")
        lines.append("    Parameters:")
        if not ep.parameters:
            lines.append("     - None")
        for p in ep.parameters:
            need = (
                f"Not Required, defaults to: {_api_value(p.default)!r}" if p.has_default
                else "Required"
            )
            lines.append(f"     - [{p.component_type}] {p.name}: {p.python_type} ({need})")
        lines.append("    Returns:")
        if not ep.returns:
            lines.append("     - None")
        for r in ep.returns:
            lines.append(f"     - [{r.component_type}] {r.name}: {r.python_type}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def join_stream(chunks: list[FileData], format: str = "wav") -> FileData:  # noqa: A002
    """One file holding every chunk of a streamed audio output, in order.

    gradio_client returns the whole stream from `result()` and the chunks from `outputs()`;
    this builds the former. Chunks at another sample rate or channel count than the first
    cannot be joined honestly, so they raise instead of being resampled.
    """
    import numpy as np

    from audiotui.media.files import path_to_filedata, read_float, write_audio
    from audiotui.media.temp import temp_path

    rate: int | None = None
    parts: list[np.ndarray] = []
    for chunk in chunks:
        sr, data = read_float(chunk.path)
        if rate is not None and (sr != rate or data.shape[1] != parts[0].shape[1]):
            raise AudiotuiError(
                f"streamed chunks differ ({rate} Hz x {parts[0].shape[1]} ch, then {sr} Hz x "
                f"{data.shape[1]} ch); yield every chunk at one rate and channel count"
            )
        rate = sr
        parts.append(data)
    if rate is None:
        raise AudiotuiError("no streamed chunks to join")
    joined = np.concatenate(parts)
    path = temp_path(f".{format}")
    write_audio(path, rate, joined[:, 0] if joined.shape[1] == 1 else joined, format=format)
    return path_to_filedata(path)


def _is_local_audio_file(component: Any, value: Any) -> bool:
    from audiotui.components.audio import Audio

    return (
        isinstance(component, Audio)
        and isinstance(value, str)
        and not value.startswith(("http://", "https://"))
    )
