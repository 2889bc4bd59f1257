"""Load an app file into a `Blocks`, with `import gradio` answered by audiotui while it runs.

The CLI (`audiotui run/call/api`) and `Client("app.py")` share this, so an app that works in
one works in all three. Loading executes the file as a module whose `__name__` is not
`"__main__"` (the usual `if __name__ == "__main__": demo.launch()` guard does not fire), and an
unguarded `demo.launch()` only records its arguments: loading must never open a UI.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import threading
import traceback
import types
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audiotui.compat_gradio import GRADIO_VERSION, gradio_alias, is_gradio_name, themes
from audiotui.errors import AppLoadError

if TYPE_CHECKING:
    from audiotui.blocks import Blocks

_load_lock = threading.RLock()
"""Held while an app file executes: `Blocks.launch` is patched and `sys.path` extended."""
_recorded_launches: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()

_LAUNCH_UNREPORTED = frozenset({
    "max_file_size", "debug", "quiet", "show_error", "prevent_thread_lock", "inline", "height",
    "width", "inbrowser", "show_tips", "_frontend", "show_api", "max_threads",
    "state_session_capacity", "strict_cors", "enable_monitoring", "ssl_verify",
})  # fmt: skip
"""launch() arguments that work here (max_file_size) or whose absence no user would notice;
the others (share, auth, server_name...) promise something only a web server gives."""

__all__ = [
    "GRADIO_VERSION", "compatibility_findings", "find_blocks", "gradio_alias", "load_app",
    "recorded_launch_kwargs", "themes",
]


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


@contextmanager
def _blocks_created(created: list[Any]) -> Iterator[None]:
    """Collect every Blocks (Interface, TabbedInterface...) built while the app file runs.

    An app may hold its Blocks anywhere, or nowhere (`gr.Interface(...).launch()`), and
    still runs under `python app.py`; the module namespace alone cannot find those. Only the
    loading thread's Blocks count (a Client's session elsewhere may build some meanwhile).
    """
    from audiotui.blocks import Blocks

    original = Blocks.__dict__["__init__"]
    loader_thread = threading.get_ident()

    def recording_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if threading.get_ident() == loader_thread and not any(b is self for b in created):
            created.append(self)

    Blocks.__init__ = recording_init  # type: ignore[method-assign]
    try:
        yield
    finally:
        Blocks.__init__ = original  # type: ignore[method-assign]


def _app_error(path: Path, exc: BaseException, alias: bool) -> AppLoadError:
    if isinstance(exc, SyntaxError):
        where = f"{path}:{exc.lineno}" if exc.lineno else str(path)
        return AppLoadError(f"{where}: syntax error: {exc.msg}")
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == path:
            line = frame.lineno
    where = f"{path}:{line}" if line else str(path)
    if isinstance(exc, ModuleNotFoundError) and exc.name and is_gradio_name(exc.name):
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


def _execute(path: Path, alias: bool, created: list[Any] | None = None) -> types.ModuleType:
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
        with gradio_alias(alias), _launch_records_only(), _blocks_created(
            created if created is not None else []
        ):
            spec.loader.exec_module(module)
    except (KeyboardInterrupt, AppLoadError):
        raise
    except BaseException as exc:  # SystemExit too: an app must not end the caller's process
        raise _app_error(path, exc, alias) from exc
    finally:
        Context.root_block, Context.block = saved_context
        sys.path.remove(str(path.parent))
    return module


def find_blocks(
    namespace: dict[str, Any], demo_name: str | None = None, created: list[Any] | None = None,
) -> Any:
    """The app in a module namespace: `demo_name`, else `demo`, else the only top-level one.

    A Blocks rendered inside another (the Interfaces of a TabbedInterface) is not a candidate
    of its own, so `a = Interface(...); app = TabbedInterface([a, ...])` picks `app`. When no
    module-level name holds one, the Blocks `created` while the module ran are looked at
    (unbound, in a list, an attribute): the only top-level one, else the only one launched.
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
    if not top and created:
        return _created_app(created)
    if not top:
        raise AppLoadError(
            "the app defines no Blocks or Interface at module level; create one, e.g. "
            "`demo = gr.Interface(fn, 'audio', 'audio')`"
        )
    names = ", ".join(sorted(name for name, _ in top))
    raise AppLoadError(
        f"the app defines several Blocks/Interfaces ({names}); name the one to run `demo`"
    )


def _created_app(created: list[Any]) -> Any:
    """The app among Blocks built while the module ran but bound to no module-level name."""
    top = [b for b in created if not any(b.id in other.blocks for other in created if other is not b)]
    if len(top) > 1:  # `gr.Interface(...).launch()` next to helper Blocks: the launched one
        launched = [b for b in top if recorded_launch_kwargs(b) is not None]
        top = launched or top
    if len(top) == 1:
        return top[0]
    raise AppLoadError(
        f"the app builds {len(top)} Blocks/Interfaces but no module-level variable holds one; "
        "assign the one to run to `demo`"
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
    created: list[Any] = []
    with _load_lock:
        module = _execute(app_path, alias, created)
    namespace = vars(module)
    blocks = find_blocks(namespace, demo_name, created)
    if recorded_launch_kwargs(blocks) is None:
        for name, kwargs in _guarded_launches(app_path.read_bytes()).items():
            if namespace.get(name) is blocks:
                _record_launch(blocks, kwargs)
    return blocks


def compatibility_findings(blocks: Blocks) -> list[str]:
    """What the app uses that the terminal cannot honour fully, one sentence each.

    Components marked `terminal_supported = False` by their class are shown as a placeholder
    box; web-only settings (Blocks/Interface look, server options given to `launch`) and `js=`
    listeners are accepted and ignored. Components a `gr.render` function creates are only
    known once it runs, so they are not listed.
    """
    findings: list[str] = []
    seen_types: set[str] = set()
    for comp in blocks.components:
        name = type(comp).__name__
        if not getattr(type(comp), "terminal_supported", True) and name not in seen_types:
            seen_types.add(name)
            findings.append(f"{name} is not drawn in the terminal (shown as a placeholder box)")
    for setting, what in (("subtitles", "subtitles are not shown"),):
        # Gradio 5/6 Audio settings kept but not acted on (docs/gradio-compatibility.md)
        if any(getattr(c, setting, None) for c in blocks.components if type(c).__name__ in (
                "Audio", "Microphone")):
            findings.append(f"Audio {setting}= is accepted and ignored ({what})")
    for key in sorted(blocks.web_only):
        findings.append(f"Blocks {key}= is web-only and ignored")
    launch = recorded_launch_kwargs(blocks) or {}
    web_launch = sorted(k for k, v in launch.items() if k not in _LAUNCH_UNREPORTED and v)
    if web_launch:
        given = ", ".join(f"{k}=" for k in web_launch)
        findings.append(f"launch({given}) is web-only and ignored (there is no server)")
    js_deps = [dep.name for dep in blocks.fns if dep.js]
    if js_deps:
        findings.append(f"js= of listener(s) {', '.join(sorted(set(js_deps)))} is ignored")
    return findings
