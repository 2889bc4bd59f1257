"""`Blocks`, the app definition: a tree of layouts and components plus its dependencies."""

from __future__ import annotations

import contextlib
import string
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from audiotui.components.base import Block, BlockContext, Component
from audiotui.context import Context

if TYPE_CHECKING:
    from audiotui.events import Dependency

_API_NAME_DROP = set(string.punctuation) - {"-", "_"}
# Gradio 4.34's launch() parameters: all accepted; only max_file_size means something here.
_LAUNCH_POSITIONAL = (
    "inline", "inbrowser", "share", "debug", "max_threads", "auth", "auth_message",
    "prevent_thread_lock", "show_error", "server_name", "server_port",
)
_LAUNCH_KEYWORDS = frozenset({
    "height", "width", "favicon_path", "ssl_keyfile", "ssl_certfile", "ssl_keyfile_password",
    "ssl_verify", "quiet", "show_api", "allowed_paths", "blocked_paths", "root_path",
    "app_kwargs", "state_session_capacity", "share_server_address", "share_server_protocol",
    "auth_dependency", "enable_monitoring", "_frontend",
    # Gradio 5 and 6 (gradio/blocks.py `launch`): server, page and MCP options, and in 6 the
    # theme/css/js/head that moved here from Blocks(): accepted, nothing to serve.
    "share_server_tls_certificate", "strict_cors", "node_server_name", "node_port", "ssr_mode",
    "pwa", "mcp_server", "footer_links", "run_history", "num_workers", "_app", "theme", "css",
    "css_paths", "js", "head", "head_paths", "i18n",
})
_SIZE_UNITS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4}


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
        fill_width: bool = False,
        **kwargs: Any,
    ) -> None:
        self.blocks: dict[int, Block] = {}
        self.fns: list[Dependency] = []
        self.title = title
        self.mode = mode
        self.fill_height = fill_height
        self.fill_width = fill_width  # Gradio 5: the page's width; a terminal is always full
        self.web_only = {
            k: v
            for k, v in dict(theme=theme, css=css, js=js, head=head).items()
            if v is not None
        }
        self.queue_settings: dict[str, Any] = {"default_concurrency_limit": 1}
        self.max_file_size: int | None = None
        """Largest upload in bytes (set by `launch(max_file_size=...)`); the TUI/Client enforce it."""
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
        if exc[0] is None:
            self._attach_value_loads()
        super().__exit__(*exc)
        Context.root_block = self._previous_root.pop()
        parent = Context.root_block
        if parent is not None:  # a Blocks rendered inside another (TabbedInterface, nesting)
            parent.absorb(self)

    def render(self) -> Blocks:
        """Place an app built elsewhere (e.g. an Interface) inside the Blocks being built.

        Its components and listeners come along, so `io.render()` inside `with gr.Blocks()`
        gives the outer app working endpoints, as in Gradio.
        """
        root = Context.root_block
        if root is not None and root is not self:
            root.absorb(self)
        self.is_rendered = True
        return self

    def absorb(self, other: Blocks) -> None:
        """Take over another Blocks' blocks and listeners (it was built inside this one)."""
        if other.id in self.blocks:  # already absorbed (nested `with`, then render())
            return
        self.blocks.update(other.blocks)
        self.blocks[other.id] = other
        self.fns.extend(other.fns)
        if Context.block is not None and other.parent is None:
            Context.block.add_child(other)

    def _attach_value_loads(self) -> None:
        """Give each component whose value is a callable its load event (`load_event`).

        As in Gradio, the callable runs when a session starts and again every `every`
        seconds; the dependency is what `cancels=[comp.load_event]` stops. It is hidden
        from the API and has no name, so it never shifts the names of user endpoints.
        """
        for component in self.components:
            if component.load_fn is not None and component.load_event is None:
                # Gradio 5's `inputs=` of a callable value: its arguments (Audio keeps them)
                inputs = getattr(component, "value_inputs", None)
                component.load_event = self.load(
                    component.load_fn, inputs=inputs, outputs=[component], every=component.every,
                    api_name=False, show_api=False, show_progress="hidden", queue=False,
                )

    # -- events ---------------------------------------------------------------------------
    def load(
        self, fn: Callable[..., Any] | None | str = "decorator", inputs: Any = None,
        outputs: Any = None, **settings: Any,
    ) -> Any:
        """`demo.load(...)`: run `fn` when a session starts (all listener settings apply)."""
        from audiotui.events import _register

        previous = Context.root_block
        if previous is None:  # called after the `with` block, as Gradio allows
            Context.root_block = self
        try:
            return _register(
                [(self, "load")], "load", fn, inputs=inputs, outputs=outputs, **settings
            )
        finally:
            Context.root_block = previous

    def unload(self, fn: Callable[..., Any]) -> None:
        """`demo.unload(fn)` (Gradio >= 4.25): run `fn` when a session ends, to free resources.

        A browser tab closing ends a Gradio session; here it is the TUI quitting or a Client
        closing (`Session.close()`). `fn` takes no inputs (a `gr.Request` parameter tells which
        session ended) and its result is not used. Hidden from the API, as in Gradio.
        """
        from audiotui.events import _register

        if not callable(fn):
            raise TypeError(f"unload(): fn must be callable, got {fn!r}")
        previous = Context.root_block
        if previous is None:  # called after the `with` block, as Gradio allows
            Context.root_block = self
        try:
            _register(
                [(self, "unload")], "unload", fn, api_name=False, show_api=False,
                show_progress="hidden", queue=False, concurrency_limit=None,
                preprocess=False, postprocess=False,
            )
        finally:
            Context.root_block = previous

    def api_endpoints(self) -> dict[str, Dependency]:
        """Endpoints callable by name (Client, `audiotui call`), in registration order.

        `api_name=None` takes the function's name without punctuation (a lambda is
        "lambda"); a name already taken gets `_1`, `_2`... as Gradio does, explicit names
        included. `api_name=False` and listeners without `fn` are not endpoints.
        """
        endpoints: dict[str, Dependency] = {}
        for dep in self.fns:
            if dep.fn is None or dep.api_name is False:
                continue
            base = dep.api_name if dep.api_name else _default_api_name(dep.fn)
            name, n = base, 0
            while name in endpoints:
                n += 1
                name = f"{base}_{n}"
            endpoints[name] = dep
        return endpoints

    def api_name_of(self, dep: Dependency) -> str | None:
        """The endpoint name `dep` is reachable by, or None when it is not an endpoint."""
        for name, candidate in self.api_endpoints().items():
            if candidate is dep:
                return name
        return None

    # -- running ----------------------------------------------------------------------------
    def launch(self, *args: Any, max_file_size: str | int | None = None, **kwargs: Any) -> None:
        """Open the terminal UI for this app (blocks until it is closed).

        Web-only arguments (share, server_name, server_port, auth, inbrowser, ...) are
        accepted and ignored: there is no server. `max_file_size` ("5mb", 5_000_000) becomes
        `self.max_file_size` in bytes. Without the TUI the app runs headless until Ctrl-C.
        """
        import asyncio

        if len(args) > len(_LAUNCH_POSITIONAL):
            raise TypeError(
                f"launch() takes at most {len(_LAUNCH_POSITIONAL)} positional arguments "
                f"({', '.join(_LAUNCH_POSITIONAL)}), got {len(args)}"
            )
        unknown = sorted(set(kwargs) - _LAUNCH_KEYWORDS - set(_LAUNCH_POSITIONAL))
        if unknown:
            raise TypeError(
                f"launch() got unexpected argument(s) {', '.join(unknown)}; it takes "
                f"Gradio 4.34's launch() arguments"
            )
        self.max_file_size = parse_file_size(max_file_size)
        try:
            from audiotui.tui.launch import run_app
        except ModuleNotFoundError as exc:
            print(
                f"audiotui: the terminal UI is unavailable ({exc}); running headless, "
                f"press Ctrl-C to stop"
            )
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(_run_headless(self))
            return
        run_app(self)

    def close(self, verbose: bool = True) -> None:
        """`demo.close()`: Gradio stops its web server; there is none, so nothing to do.

        Accepted so scripts that launch with `prevent_thread_lock=True` and close afterwards
        (tests, notebooks) run unchanged. Sessions are closed by whoever opened them.
        """

    def clear(self) -> Blocks:
        """`demo.clear()`: forget every block and listener, so `with demo.clear():` rebuilds it.

        Gradio 4.34 (gradio/blocks.py `Blocks.clear`) empties the blocks, the dependencies and
        the children and returns self; its demos rebuild an app's layout that way.
        """
        self.blocks = {}
        self.fns = []
        self.children = []
        return self

    def __call__(self, *inputs: Any, fn_index: int = 0, api_name: str | None = None) -> Any:
        """`demo(*inputs)`: call one endpoint like a function (Gradio's `Blocks.__call__`).

        Runs through a short-lived in-process Client, so inputs are preprocessed and outputs
        postprocessed as in a session (audio comes back as a file path, as in Gradio). Several
        outputs come back as a tuple; generators are refused, as Gradio refuses them.
        """
        import inspect

        from audiotui.client import Client

        if api_name is None:
            if not 0 <= fn_index < len(self.fns):
                raise ValueError(f"this app has no function with fn_index={fn_index}")
            dep = self.fns[fn_index]
            if inspect.isgeneratorfunction(dep.fn) or inspect.isasyncgenfunction(dep.fn):
                raise ValueError(
                    "This function is not callable because it is either stateful or is a "
                    "generator. Please use the .launch() method instead to create an "
                    "interactive user interface."
                )
        client = Client(self)
        try:
            if api_name is not None:
                return client.predict(*inputs, api_name=api_name)
            return client.predict(*inputs, fn_index=fn_index)
        finally:
            client.close()

    def block_thread(self) -> None:
        """Gradio blocks the main thread while its server runs (after `launch(
        prevent_thread_lock=True)`); `launch()` here already ran the UI to its end."""

    def integrate(self, comet_ml: Any = None, wandb: Any = None, mlflow: Any = None) -> None:
        """Experiment-tracker links to a hosted app page: nothing to link from a terminal."""

    def get_component(self, id: int) -> Block:  # noqa: A002 - Gradio's parameter name
        """The component or layout with this `id` (gradio/blocks.py `get_component`)."""
        block = self.blocks[id]
        if not isinstance(block, (Component, BlockContext)):
            raise TypeError(f"Block with id {id} is not a Component or BlockContext")
        return block

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


def _default_api_name(fn: Callable[..., Any]) -> str:
    name = getattr(fn, "__name__", None) or type(fn).__name__ or "unnamed"
    return "".join(ch for ch in name if ch not in _API_NAME_DROP) or "unnamed"


def parse_file_size(size: str | int | None) -> int | None:
    """`max_file_size` as bytes: an int, or a string like "5mb" / "1.5 GB" (Gradio's form)."""
    if size is None:
        return None
    if isinstance(size, bool) or not isinstance(size, (int, str)):
        raise TypeError(f"launch(): max_file_size must be an int or a str like '5mb', got {size!r}")
    if isinstance(size, int):
        if size < 0:
            raise ValueError(f"launch(): max_file_size must not be negative, got {size}")
        return size
    text = size.strip().lower().replace(" ", "")
    digits = text.rstrip(string.ascii_letters)
    unit = text[len(digits):] or "b"
    try:
        number = float(digits)
    except ValueError:
        number = -1.0
    if unit not in _SIZE_UNITS or number < 0:
        raise ValueError(
            f"launch(): max_file_size {size!r} is not a size; use bytes or a string like "
            f"'500kb', '5mb' or '1gb'"
        )
    return int(number * _SIZE_UNITS[unit])


async def _run_headless(blocks: Blocks) -> None:
    """Keep one session alive (load events, `every` timers) until cancelled by Ctrl-C."""
    import asyncio

    from audiotui.runtime import Session

    session = Session(blocks)
    await session.start()
    try:
        await asyncio.Event().wait()
    finally:
        await session.close()
