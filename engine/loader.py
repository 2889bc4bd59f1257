"""Load an app file into a `Blocks`, with `import gradio` answered by audiotui while it runs.

The CLI (`audiotui run/call/api`) and `Client("app.py")` share this, so an app that works in
one works in all three. Loading executes the file as a module whose `__name__` is not
`"__main__"` (the usual `if __name__ == "__main__": demo.launch()` guard does not fire), and an
unguarded `demo.launch()` only records its arguments: loading must never open a UI.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
import traceback
import types
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audiotui.errors import AppLoadError

if TYPE_CHECKING:
    from audiotui.blocks import Blocks

GRADIO_VERSION = "4.34.0"
"""The Gradio release whose API the alias stands in for (apps sometimes check it)."""

# Sub-modules of gradio that audio demos import names from; each resolves to audiotui's
# public names. `themes` and `processing_utils` get their own stand-ins below.
_DELEGATING_SUBMODULES = (
    "components", "layouts", "events", "blocks", "interface", "exceptions", "data_classes",
    "helpers", "templates",
)

_load_lock = threading.RLock()
"""Held while an app file executes: `Blocks.launch` is patched and `sys.path` extended."""
_recorded_launches: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()

_alias_lock = threading.Lock()
_alias_users = 0
_alias_saved: dict[str, types.ModuleType] = {}
_alias_finder: _AliasFinder | None = None


# -- the gradio alias ------------------------------------------------------------------------
class _ThemeStandIn:
    """Any `gr.themes.X(...)`: accepted so theme code runs; a terminal has its own colours."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    def set(self, **kwargs: Any) -> _ThemeStandIn:
        self.kwargs.update(kwargs)
        return self

    @classmethod
    def from_hub(cls, repo_name: str) -> _ThemeStandIn:
        return cls(repo_name)

    @classmethod
    def load(cls, path: str) -> _ThemeStandIn:
        return cls(path)


class _ThemeNamespace(types.ModuleType):
    """`gradio.themes`: every theme, colour, size and font name is an accepted stand-in."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in ("colors", "sizes", "utils"):
            return self
        return _ThemeStandIn


themes = _ThemeNamespace("audiotui.themes")
"""`gr.themes` for `import audiotui as gr` apps: every theme is an accepted stand-in."""
themes.Theme = _ThemeStandIn  # type: ignore[attr-defined]


class _DelegatingModule(types.ModuleType):
    """A `gradio` module (or sub-module) whose attributes are audiotui's public names."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        import audiotui

        try:
            return getattr(audiotui, name)
        except AttributeError:
            raise AttributeError(
                f"{self.__name__}.{name} is not available in audiotui (Gradio {GRADIO_VERSION} "
                "API subset for audio apps; see docs/gradio-compatibility.md)"
            ) from None


def _audio_from_file(filename: str, crop_min: float = 0, crop_max: float = 100) -> Any:
    """`processing_utils.audio_from_file`: (sr, int16 data), optionally cropped by percent."""
    from audiotui.media.files import read_int16

    sr, data = read_int16(filename)
    if crop_min != 0 or crop_max != 100:
        n = len(data)
        data = data[int(n * crop_min / 100) : int(n * crop_max / 100)]
    return sr, data


def _audio_to_file(sample_rate: int, data: Any, filename: str, format: str = "wav") -> str:  # noqa: A002
    """`processing_utils.audio_to_file`: write (sr, array) to `filename` in `format`."""
    from audiotui.media.files import write_audio

    write_audio(filename, sample_rate, data, format=format)
    return filename


def _convert_to_16_bit_wav(data: Any) -> Any:
    """`processing_utils.convert_to_16_bit_wav`: any int/float array as int16."""
    from audiotui.media.files import to_int16

    return to_int16(data)


def _build_alias_modules() -> dict[str, types.ModuleType]:
    root = _DelegatingModule("gradio", "audiotui standing in for Gradio in this app")
    root.__path__ = []  # a package, so unknown sub-modules fail as "No module named ..."
    root.__version__ = GRADIO_VERSION  # type: ignore[attr-defined]
    modules: dict[str, types.ModuleType] = {"gradio": root}
    for sub in _DELEGATING_SUBMODULES:
        modules[f"gradio.{sub}"] = _DelegatingModule(f"gradio.{sub}")
    alias_themes = _ThemeNamespace("gradio.themes")
    alias_themes.Theme = _ThemeStandIn  # type: ignore[attr-defined]
    modules["gradio.themes"] = alias_themes
    processing = types.ModuleType("gradio.processing_utils")
    processing.audio_from_file = _audio_from_file  # type: ignore[attr-defined]
    processing.audio_to_file = _audio_to_file  # type: ignore[attr-defined]
    processing.convert_to_16_bit_wav = _convert_to_16_bit_wav  # type: ignore[attr-defined]
    modules["gradio.processing_utils"] = processing
    for name, module in modules.items():
        module.__spec__ = importlib.machinery.ModuleSpec(name, None, is_package=name == "gradio")
        if name != "gradio":
            setattr(root, name.split(".", 1)[1], module)
    return modules


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers `gradio` imports first in sys.meta_path, so it wins over a real install."""

    def __init__(self, modules: dict[str, types.ModuleType]) -> None:
        self.modules = modules

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname in self.modules:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=fullname == "gradio")
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return self.modules[spec.name]

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: the stand-in modules are complete when built."""


def _is_gradio_name(name: str) -> bool:
    return name == "gradio" or name.startswith("gradio.")


@contextmanager
def gradio_alias(enabled: bool = True) -> Iterator[None]:
    """While open, `import gradio` (and its audio-relevant sub-modules) give audiotui.

    A real gradio already in `sys.modules` is set aside and put back when the last user of
    the alias leaves, so the alias is scoped to the apps being loaded or run and nothing leaks
    into the rest of the process. Nested and concurrent uses (an `audiotui run` whose app
    creates a `Client("other_app.py")`) share one alias rather than blocking each other.
    """
    if not enabled:
        yield
        return
    global _alias_users, _alias_finder
    with _alias_lock:
        if _alias_users == 0:
            _alias_saved.clear()
            _alias_saved.update({k: v for k, v in sys.modules.items() if _is_gradio_name(k)})
            for key in _alias_saved:
                del sys.modules[key]
            _alias_finder = _AliasFinder(_build_alias_modules())
            sys.meta_path.insert(0, _alias_finder)
        _alias_users += 1
    try:
        yield
    finally:
        with _alias_lock:
            _alias_users -= 1
            if _alias_users == 0 and _alias_finder is not None:
                sys.meta_path.remove(_alias_finder)
                _alias_finder = None
                for key in [k for k in sys.modules if _is_gradio_name(k)]:
                    del sys.modules[key]
                sys.modules.update(_alias_saved)
                _alias_saved.clear()


# -- executing the app file --------------------------------------------------------------------
def _record_launch(blocks: Any, kwargs: dict[str, Any]) -> None:
    """Remember launch arguments; `max_file_size` takes effect, since it limits uploads
    rather than opening anything."""
    from audiotui.blocks import parse_file_size

    _recorded_launches[blocks] = dict(kwargs)
    if "max_file_size" in kwargs:
        blocks.max_file_size = parse_file_size(kwargs["max_file_size"])


def _recording_launch(self: Any, *args: Any, **kwargs: Any) -> Any:
    """Stands in for `Blocks.launch` while a file loads: remember the call, open nothing."""
    _record_launch(self, kwargs)
    return self


def _guarded_launches(source: bytes) -> dict[str, dict[str, Any]]:
    """`app.launch(...)` calls under `if __name__ == "__main__":`, by the app's variable name.

    Loading never runs that block, yet its launch arguments belong to the app (Gradio's demos
    set `max_file_size` there), so they are read from the source. Only literal values count.
    """
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    found: dict[str, dict[str, Any]] = {}
    for node in tree.body:
        if not isinstance(node, ast.If):
            continue
        guard = ast.unparse(node.test).replace('"', "'")
        if guard not in ("__name__ == '__main__'", "'__main__' == __name__"):
            continue
        for call in (n for stmt in node.body for n in ast.walk(stmt)):
            if not (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "launch"
            ):
                continue
            root = call.func.value  # `demo` in demo.launch() and demo.queue().launch()
            while isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute):
                root = root.func.value
            if not isinstance(root, ast.Name):
                continue
            kwargs: dict[str, Any] = {}
            for kw in call.keywords:
                if kw.arg is not None:
                    with contextlib.suppress(ValueError, TypeError, SyntaxError):
                        kwargs[kw.arg] = ast.literal_eval(kw.value)
            found[root.id] = kwargs
    return found


def recorded_launch_kwargs(blocks: Any) -> dict[str, Any] | None:
    """The keyword arguments of the app's `demo.launch(...)`: a call made while it loaded, or
    else the literal arguments of the launch under its `if __name__ == "__main__":` guard."""
    return _recorded_launches.get(blocks)


@contextmanager
def _launch_records_only() -> Iterator[None]:
    from audiotui.blocks import Blocks

    original = Blocks.__dict__["launch"]
    Blocks.launch = _recording_launch  # type: ignore[method-assign]
    try:
        yield
    finally:
        Blocks.launch = original  # type: ignore[method-assign]


def _app_error(path: Path, exc: BaseException, alias: bool) -> AppLoadError:
    if isinstance(exc, SyntaxError):
        where = f"{path}:{exc.lineno}" if exc.lineno else str(path)
        return AppLoadError(f"{where}: syntax error: {exc.msg}")
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == path:
            line = frame.lineno
    where = f"{path}:{line}" if line else str(path)
    if isinstance(exc, ModuleNotFoundError) and exc.name and _is_gradio_name(exc.name):
        if not alias:
            return AppLoadError(
                f"{where}: No module named {exc.name!r} (the gradio alias is off: drop "
                "--no-gradio-alias / alias=False, or install gradio)"
            )
        return AppLoadError(
            f"{where}: the app imports {exc.name}, which audiotui does not provide "
            "(see docs/gradio-compatibility.md)"
        )
    detail = str(exc) or type(exc).__name__
    return AppLoadError(f"{where}: {type(exc).__name__}: {detail}")


def _execute(path: Path, alias: bool) -> types.ModuleType:
    module_name = f"audiotui_app_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise AppLoadError(f"{path}: not a Python file (expected an app like examples/tone.py)")
    module = importlib.util.module_from_spec(spec)
    from audiotui.context import Context

    saved_context = (Context.root_block, Context.block)
    sys.modules[module_name] = module  # dataclasses and pickling look the module up by name
    sys.path.insert(0, str(path.parent))  # the app may import its sibling modules
    try:
        with gradio_alias(alias), _launch_records_only():
            spec.loader.exec_module(module)
    except (KeyboardInterrupt, AppLoadError):
        raise
    except BaseException as exc:  # SystemExit too: an app must not end the caller's process
        raise _app_error(path, exc, alias) from exc
    finally:
        Context.root_block, Context.block = saved_context
        sys.path.remove(str(path.parent))
    return module


def find_blocks(namespace: dict[str, Any], demo_name: str | None = None) -> Any:
    """The app in a module namespace: `demo_name`, else `demo`, else the only top-level one.

    A Blocks rendered inside another (the Interfaces of a TabbedInterface) is not a candidate
    of its own, so `a = Interface(...); app = TabbedInterface([a, ...])` picks `app`.
    """
    from audiotui.blocks import Blocks

    if demo_name is not None:
        value = namespace.get(demo_name)
        if not isinstance(value, Blocks):
            raise AppLoadError(
                f"the app has no Blocks/Interface named {demo_name!r}"
                + (f" ({demo_name} is a {type(value).__name__})" if value is not None else "")
            )
        return value
    demo = namespace.get("demo")
    if isinstance(demo, Blocks):
        return demo
    found: dict[int, tuple[str, Blocks]] = {}
    for name, value in namespace.items():
        if isinstance(value, Blocks) and not name.startswith("_") and id(value) not in found:
            found[id(value)] = (name, value)
    top = [
        (name, b)
        for name, b in found.values()
        if not any(b.id in other.blocks for _, other in found.values() if other is not b)
    ]
    if len(top) == 1:
        return top[0][1]
    if not top:
        raise AppLoadError(
            "the app defines no Blocks or Interface at module level; create one, e.g. "
            "`demo = gr.Interface(fn, 'audio', 'audio')`"
        )
    names = ", ".join(sorted(name for name, _ in top))
    raise AppLoadError(
        f"the app defines several Blocks/Interfaces ({names}); name the one to run `demo`"
    )


def load_app(
    path: str | Path, *, demo_name: str | None = None, alias: bool = True
) -> Any:
    """Execute the app file at `path` and return its Blocks/Interface.

    Args:
        path: the app's Python file.
        demo_name: the variable holding the app, when the file defines several.
        alias: resolve `import gradio` to audiotui while the file runs (set False to let a
            real installed gradio answer instead).

    Raises:
        AppLoadError: missing file, syntax error or exception in the app (with the app's own
            file and line), or no single Blocks/Interface to run.
    """
    app_path = Path(path).expanduser().resolve()
    if not app_path.exists():
        raise AppLoadError(f"{path}: no such file")
    if app_path.is_dir():
        raise AppLoadError(f"{path}: is a directory; give the app's .py file")
    with _load_lock:
        module = _execute(app_path, alias)
    namespace = vars(module)
    blocks = find_blocks(namespace, demo_name)
    if recorded_launch_kwargs(blocks) is None:
        for name, kwargs in _guarded_launches(app_path.read_bytes()).items():
            if namespace.get(name) is blocks:
                _record_launch(blocks, kwargs)
    return blocks


def compatibility_findings(blocks: Blocks) -> list[str]:
    """What the app uses that the terminal cannot honour fully, one sentence each.

    Components marked `terminal_supported = False` by their class are shown as a placeholder
    box; web-only settings and `js=` listeners are accepted and ignored.
    """
    findings: list[str] = []
    seen_types: set[str] = set()
    for comp in blocks.components:
        name = type(comp).__name__
        if not getattr(type(comp), "terminal_supported", True) and name not in seen_types:
            seen_types.add(name)
            findings.append(f"{name} is not drawn in the terminal (shown as a placeholder box)")
    for key in sorted(blocks.web_only):
        findings.append(f"Blocks {key}= is web-only and ignored")
    js_deps = [dep.name for dep in blocks.fns if dep.js]
    if js_deps:
        findings.append(f"js= of listener(s) {', '.join(sorted(set(js_deps)))} is ignored")
    return findings
