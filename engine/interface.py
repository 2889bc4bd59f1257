"""`Interface` and `TabbedInterface`: one function wrapped in a ready-made layout, as in Gradio.

An Interface is a `Blocks` whose tree and listeners are generated from `fn`, `inputs` and
`outputs`, so everything downstream (the Session, the TUI, the Client) treats it as any other
Blocks. The attributes the TUI reads (`input_components`, `submit_btn`, `flag_btn`...) are kept
so a front end can lay out buttons the way Gradio users expect.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, Literal

from audiotui.blocks import Blocks
from audiotui.components.base import Component
from audiotui.endpoints import fn_param_names, is_state
from audiotui.flagging import FlagLogger, flag_method
from audiotui.layout import Accordion, Column, Row, Tab, Tabs
from audiotui.notices import warn_app

_WEB_ONLY = ("theme", "css", "js", "head", "thumbnail", "analytics_enabled")


class InterfaceTypes(Enum):
    """The four shapes Gradio distinguishes, which decide buttons and columns."""

    STANDARD = "standard"
    INPUT_ONLY = "input_only"
    OUTPUT_ONLY = "output_only"
    UNIFIED = "unified"


def _as_components(value: Any, what: str) -> list[Component]:
    """Inputs/outputs as Gradio accepts them: None, one spec, or a list of specs."""
    from audiotui.components.registry import get_component_instance

    if value is None:
        return []
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    try:
        return [get_component_instance(item, render=False) for item in items]
    except TypeError as exc:
        raise TypeError(f"Interface: {what}: {exc}") from None


def _pair_state(fn: Callable[..., Any], inputs: Any, outputs: Any) -> tuple[Any, Any]:
    """Gradio's "state" convention: one state input and one state output are one `State`.

    What `fn` returns for the state output is what it receives next time. A `"state"` string
    becomes a State whose initial value is fn's default for that parameter.
    """
    from audiotui.components.state import State

    def is_state(spec: Any) -> bool:
        return isinstance(spec, State) or (isinstance(spec, str) and spec.lower() == "state")

    ins = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    outs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
    in_idx = [i for i, spec in enumerate(ins) if is_state(spec)]
    out_idx = [i for i, spec in enumerate(outs) if is_state(spec)]
    if not in_idx and not out_idx:
        return inputs, outputs
    if len(in_idx) != 1 or len(out_idx) != 1:
        raise ValueError(
            "Interface: with 'state', give exactly one state input and one state output "
            "(the value fn returns for the output is what it receives next time)"
        )
    spec = ins[in_idx[0]]
    if not isinstance(spec, State):
        params = list(inspect.signature(fn).parameters.values())
        default = None
        if in_idx[0] < len(params) and params[in_idx[0]].default is not inspect.Parameter.empty:
            default = params[in_idx[0]].default
        spec = State(value=default, render=False)
    ins[in_idx[0]] = outs[out_idx[0]] = spec
    return ins, outs


class Interface(Blocks):
    """`gr.Interface(fn, inputs, outputs, ...)`: a function with a generated layout.

    Same parameters, order and defaults as Gradio 4.34. Web-only ones (theme, css, js, head,
    thumbnail, analytics_enabled) are accepted and ignored with a single warning.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        inputs: Any,
        outputs: Any,
        examples: list[Any] | str | None = None,
        cache_examples: bool | Literal["lazy"] | None = None,
        examples_per_page: int = 10,
        live: bool = False,
        title: str | None = None,
        description: str | None = None,
        article: str | None = None,
        thumbnail: str | None = None,
        theme: Any = None,
        css: str | None = None,
        allow_flagging: Literal["never", "auto", "manual"] | None = None,
        flagging_options: list[str] | list[tuple[str, str]] | None = None,
        flagging_dir: str = "flagged",
        flagging_callback: Any = None,
        analytics_enabled: bool | None = None,
        batch: bool = False,
        max_batch_size: int = 4,
        api_name: str | Literal[False] | None = "predict",
        _api_mode: bool = False,
        allow_duplication: bool = False,
        concurrency_limit: int | None | Literal["default"] = "default",
        js: str | None = None,
        head: str | None = None,
        additional_inputs: Any = None,
        additional_inputs_accordion: str | Accordion | None = None,
        *,
        submit_btn: str | Any = "Submit",
        stop_btn: str | Any = "Stop",
        clear_btn: str | Any | None = "Clear",
        delete_cache: tuple[int, int] | None = None,
        show_progress: Literal["full", "minimal", "hidden"] = "full",
        **kwargs: Any,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"Interface: fn must be callable, got {fn!r}")
        given = dict(
            theme=theme, css=css, js=js, head=head, thumbnail=thumbnail,
            analytics_enabled=analytics_enabled,
        )
        ignored = [k for k in _WEB_ONLY if given[k] is not None]
        if ignored:
            warn_app(
                f"Interface: {', '.join(ignored)} ignored (web-only; the terminal draws its own "
                "look)"
            )
        super().__init__(
            theme=theme, analytics_enabled=analytics_enabled, mode="interface",
            title=title or "audiotui", css=css, js=js, head=head, delete_cache=delete_cache,
            **kwargs,
        )
        flagging = allow_flagging or os.environ.get("GRADIO_ALLOW_FLAGGING", "manual")
        if flagging not in ("never", "auto", "manual"):
            raise ValueError(
                f"Interface: allow_flagging must be 'never', 'auto' or 'manual', got {flagging!r}"
            )
        if cache_examples not in (None, True, False, "lazy"):
            raise ValueError("Interface: cache_examples must be True, False, 'lazy' or None")
        self.fn = fn
        self.interface_title = title
        self.description = description
        self.article = article
        self.live = live
        self.batch = batch
        self.max_batch_size = max_batch_size
        self.api_name = api_name
        self.concurrency_limit = concurrency_limit
        self.show_progress = show_progress
        self.allow_flagging = flagging
        self.flagging_dir = flagging_dir
        self.examples = examples
        self.cache_examples = cache_examples
        self.examples_per_page = examples_per_page
        inputs, outputs = _pair_state(fn, inputs, outputs)
        self.input_components = _as_components(inputs, "inputs")
        self.output_components = _as_components(outputs, "outputs")
        self.additional_input_components = _as_components(additional_inputs, "additional_inputs")
        self.interface_type = self._kind()
        self._label_components()
        for comp in self._distinct_outputs():
            if comp.interactive is None:  # Gradio: an Interface's outputs are display-only
                comp.interactive = False
        options = flagging_options or [("Flag", "")]
        self.flagging_options = [
            (f"Flag as {o}", o) if isinstance(o, str) else (str(o[0]), str(o[1]))
            for o in options
        ]
        flagged = [
            c for c in self.all_input_components + self._distinct_outputs() if not is_state(c)
        ]
        self.flag_logger = FlagLogger(flagging_dir, list(dict.fromkeys(flagged)))
        self.submit_btn: Any = None
        self.stop_btn: Any = None
        self.clear_btn: Any = None
        self.flag_btns: list[Any] = []
        self.examples_handler: Any = None
        self.predict_dep: Any = None
        with self:
            self._build(submit_btn, stop_btn, clear_btn, additional_inputs_accordion)

    # -- shape -------------------------------------------------------------------------------
    @property
    def all_input_components(self) -> list[Component]:
        return self.input_components + self.additional_input_components

    @property
    def flag_btn(self) -> Any:
        """The first flag button (the only one unless `flagging_options` names several)."""
        return self.flag_btns[0] if self.flag_btns else None

    def _kind(self) -> InterfaceTypes:
        ins, outs = self.input_components, self.output_components
        if not ins and not outs:
            raise ValueError("Interface: give at least one input or output component")
        if not outs:
            return InterfaceTypes.INPUT_ONLY
        if not ins:
            return InterfaceTypes.OUTPUT_ONLY
        if len(ins) == len(outs) and all(a is b for a, b in zip(ins, outs, strict=True)):
            return InterfaceTypes.UNIFIED
        return InterfaceTypes.STANDARD

    def _distinct_outputs(self) -> list[Component]:
        """Outputs that are not also inputs (a unified Interface or a paired State)."""
        return [c for c in self.output_components if c not in self.all_input_components]

    def _label_components(self) -> None:
        """Unlabelled inputs take fn's parameter names; unlabelled outputs 'output (i)'."""
        names = fn_param_names(self.fn)
        for comp, name in zip(self.all_input_components, names, strict=False):
            if comp.label is None:
                comp.label = name
        outs = self._distinct_outputs()
        for i, comp in enumerate(outs):
            if comp.label is None:
                comp.label = "output" if len(outs) == 1 else f"output {i}"

    # -- layout and listeners ----------------------------------------------------------------
    def _build(
        self, submit_btn: Any, stop_btn: Any, clear_btn: Any, accordion: str | Accordion | None
    ) -> None:
        from audiotui.components.display import Markdown

        if self.description:
            Markdown(self.description)
        is_gen = inspect.isgeneratorfunction(self.fn) or inspect.isasyncgenfunction(self.fn)
        with Row():
            if self.interface_type is not InterfaceTypes.OUTPUT_ONLY:
                with Column():
                    for comp in self.input_components:
                        _place(comp)
                    if self.additional_input_components:
                        self._place_additional(accordion)
                    with Row():
                        self._make_buttons(submit_btn, stop_btn, clear_btn, is_gen, inputs=True)
            if self.interface_type in (InterfaceTypes.STANDARD, InterfaceTypes.OUTPUT_ONLY):
                with Column():
                    for comp in self._distinct_outputs():
                        _place(comp)
                    with Row():
                        if self.interface_type is InterfaceTypes.OUTPUT_ONLY:
                            self._make_buttons(
                                submit_btn, stop_btn, clear_btn, is_gen, inputs=False
                            )
                        self._make_flag_buttons()
            else:
                with Row():
                    self._make_flag_buttons()
        self._attach_predict()
        self._attach_clear()
        self._attach_flagging()
        self._attach_examples()
        if self.article:
            Markdown(self.article)

    def _place_additional(self, accordion: str | Accordion | None) -> None:
        if isinstance(accordion, Accordion):
            box = accordion
            if box.parent is None:
                box.render()
        else:
            box = Accordion(accordion or "Additional Inputs", open=False)
        with box:
            for comp in self.additional_input_components:
                _place(comp)

    def _make_buttons(
        self, submit: Any, stop: Any, clear: Any, is_gen: bool, *, inputs: bool
    ) -> None:
        from audiotui.components.display import Button

        if clear is not None and inputs:
            self.clear_btn = _button(clear, Button, variant="secondary")
        if not self.live or self.interface_type is InterfaceTypes.OUTPUT_ONLY:
            if self.interface_type is InterfaceTypes.OUTPUT_ONLY and submit == "Submit":
                submit = "Generate"
            self.submit_btn = _button(submit, Button, variant="primary")
        if is_gen and stop is not None and not self.live:
            self.stop_btn = _button(stop, Button, variant="stop")

    def _make_flag_buttons(self) -> None:
        from audiotui.components.display import Button

        if self.allow_flagging == "manual":
            self.flag_btns = [Button(label) for label, _ in self.flagging_options]

    def _attach_predict(self) -> None:
        from audiotui.events import BoundListener, on

        settings: dict[str, Any] = dict(
            api_name=self.api_name, batch=self.batch, max_batch_size=self.max_batch_size,
            concurrency_limit=self.concurrency_limit,
        )
        outputs = self.output_components
        if self.live and self.interface_type is not InterfaceTypes.OUTPUT_ONLY:
            triggers = []
            streaming = False
            for comp in self.all_input_components:
                if getattr(comp, "streaming", False) and "stream" in type(comp).EVENTS:
                    triggers.append(BoundListener(comp, "stream"))
                    streaming = True
                elif "change" in type(comp).EVENTS and not getattr(comp, "stateful", False):
                    # A State changes only because fn returned it: rerunning on that would
                    # make every live run trigger the next one.
                    triggers.append(BoundListener(comp, "change"))
            dep = on(
                triggers, self.fn, self.all_input_components, outputs,
                trigger_mode="always_last",
                show_progress="hidden" if streaming else self.show_progress, **settings,
            )
        else:
            triggers = [BoundListener(self.submit_btn, "click")] + [
                BoundListener(comp, "submit")
                for comp in self.input_components
                if "submit" in type(comp).EVENTS
            ]
            dep = on(
                triggers, self.fn, self.all_input_components, outputs,
                show_progress=self.show_progress, **settings,
            )
        self.predict_dep = dep
        if self.stop_btn is not None:
            self.stop_btn.click(None, None, None, cancels=[dep], queue=False, api_name=False)

    def _attach_clear(self) -> None:
        if self.clear_btn is None:
            return
        targets: list[Component] = []
        for comp in self.all_input_components + self.output_components:
            if comp not in targets:
                targets.append(comp)

        def reset() -> Any:
            values = tuple(c.initial_value() for c in targets)
            return values if len(values) != 1 else values[0]

        self.clear_btn.click(
            reset, None, targets, postprocess=False, api_name=False, show_api=False,
            queue=False, show_progress="hidden",
        )

    def _attach_flagging(self) -> None:
        components = self.flag_logger.components
        if self.allow_flagging == "manual":
            for btn, (_, option) in zip(self.flag_btns, self.flagging_options, strict=True):
                btn.click(
                    flag_method(self.flag_logger, option), components, None, preprocess=False,
                    api_name=False, show_api=False, queue=False, show_progress="hidden",
                )
        elif self.allow_flagging == "auto" and self.predict_dep is not None:
            self.predict_dep.success(
                flag_method(self.flag_logger, ""), components, None, preprocess=False,
                api_name=False, show_api=False, show_progress="hidden",
            )

    def _attach_examples(self) -> None:
        if self.examples is None:
            return
        # Only now: audiotui.examples (and the media it pulls in) costs ~40 ms of import,
        # which an app without examples should not pay before its first frame.
        from audiotui.examples import Examples

        # Rows may leave out the additional inputs: Examples pads short rows with None.
        self.examples_handler = Examples(
            examples=self.examples, inputs=self.all_input_components,
            outputs=self.output_components, fn=self.fn, cache_examples=self.cache_examples,
            examples_per_page=self.examples_per_page, batch=self.batch,
        )
        if self.cache_examples is True:
            # Gradio fills the cache when the app starts; the cache lives on the handler, so
            # only the first session computes it and later ones find it ready.
            self.load(
                self.examples_handler.compute_cache, None, None, api_name=False,
                show_api=False, show_progress="hidden",
            )


def _place(comp: Component) -> None:
    """Render `comp` into the open layout (it may have been created outside any Blocks)."""
    if comp.parent is not None:
        comp.unrender()
    comp.render()


def _button(spec: Any, button_cls: type[Component], **kwargs: Any) -> Component:
    if isinstance(spec, button_cls):
        _place(spec)
        return spec
    if not isinstance(spec, str):
        raise TypeError(f"Interface: buttons must be a str or a gr.Button, got {spec!r}")
    return button_cls(spec, **kwargs)


class TabbedInterface(Blocks):
    """`gr.TabbedInterface(interface_list, tab_names)`: several apps, one tab each."""

    def __init__(
        self,
        interface_list: Sequence[Blocks],
        tab_names: list[str] | None = None,
        title: str | None = None,
        theme: Any = None,
        analytics_enabled: bool | None = None,
        css: str | None = None,
        js: str | None = None,
        head: str | None = None,
    ) -> None:
        given = dict(theme=theme, css=css, js=js, head=head, analytics_enabled=analytics_enabled)
        ignored = [k for k, v in given.items() if v is not None]
        if ignored:
            warn_app(
                f"TabbedInterface: {', '.join(ignored)} ignored (web-only; the terminal draws "
                "its own look)"
            )
        super().__init__(
            theme=theme, analytics_enabled=analytics_enabled, mode="tabbed_interface",
            title=title or "audiotui", css=css, js=js, head=head,
        )
        interfaces = list(interface_list)
        if not interfaces or not all(isinstance(i, Blocks) for i in interfaces):
            raise TypeError("TabbedInterface: interface_list must be a non-empty list of apps")
        if tab_names is None:
            tab_names = [f"Tab {i}" for i in range(len(interfaces))]
        if len(tab_names) != len(interfaces):
            raise ValueError(
                f"TabbedInterface: {len(tab_names)} tab_names for {len(interfaces)} interfaces"
            )
        self.interface_list = interfaces
        self.tab_names = list(tab_names)
        with self, Tabs():
            for interface, name in zip(interfaces, tab_names, strict=True):
                with Tab(label=name):
                    self.absorb(interface)
