"""ComponentWidget: the shared frame (label, info, error line) every component widget uses."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from audiotui.tui.messages import ComponentEvent, ComponentInput

# Gradio sizes are CSS pixels; a terminal cell is about 8 pixels wide.
PIXELS_PER_CELL = 8


def component_label(component: Any) -> str:
    """The label a component shows (Gradio falls back to nothing but Audio/File names)."""
    label = getattr(component, "label", None)
    if isinstance(label, str):
        return label
    if label is None and any(cls.__name__ == "Audio" for cls in type(component).__mro__):
        return "Audio"  # Gradio's audio frontend names an unlabelled player "Audio"
    return ""


def css_identifier(name: str) -> str:
    """`name` as a Textual identifier: letters, digits, `_` and `-`, not starting with a digit.

    Gradio passes elem_id/elem_classes to the browser, which takes almost anything;
    Textual refuses the rest with an exception, so "1st box" becomes "_1st_box".
    """
    out = re.sub(r"[^A-Za-z0-9_-]", "_", name)
    return f"_{out}" if out[:1].isdigit() else out


_SIBLING_IDS: ContextVar[set[str] | None] = ContextVar("audiotui_sibling_ids", default=None)


@contextmanager
def sibling_ids() -> Iterator[None]:
    """Widgets made inside share one parent: an elem_id may then be given out only once.

    Gradio lets two components share an elem_id; Textual refuses to mount siblings with the
    same id, so the first keeps it and the later ones go without.
    """
    token = _SIBLING_IDS.set(set())
    try:
        yield
    finally:
        _SIBLING_IDS.reset(token)


def plain(text: Any) -> Content:
    """User text for a Textual label: shown as written, never read as markup.

    Textual parses a str label as markup, so a choice named "[/tmp] files" would take the
    UI down and "[b]old" would lose its brackets.
    """
    return Content("" if text is None else str(text))


def widget_id(component: Any) -> str | None:
    """`elem_id` becomes the widget id so users' `.tcss` and tests can select it."""
    elem_id = getattr(component, "elem_id", None)
    if not isinstance(elem_id, str) or not elem_id.strip():
        return None
    candidate = css_identifier(elem_id)
    taken = _SIBLING_IDS.get()
    if taken is not None:
        if candidate in taken:
            return None
        taken.add(candidate)
    return candidate


def css_classes(component: Any) -> list[str]:
    """`elem_classes` as Textual classes (a class holding spaces counts as several)."""
    names = " ".join(getattr(component, "elem_classes", None) or []).split()
    return [css_identifier(name) for name in names]


class ComponentWidget(Vertical):
    """Draws one engine component; `value` in and out is the component's stored value.

    The widget never owns the value: the engine's Session does. A user edit posts
    `ComponentInput` (the app forwards it to the Session); the Session's `ValueChanged`
    comes back through `set_value`. Edits equal to the last value the engine sent are not
    re-posted, which is what keeps an engine update from echoing back as a user input.
    """

    DEFAULT_CSS: ClassVar[str] = """
    ComponentWidget { height: auto; width: 1fr; }
    ComponentWidget > .component-label { color: $text-muted; text-style: bold; height: 1; }
    ComponentWidget > .component-info { color: $text-muted; height: auto; }
    ComponentWidget > .component-error { color: $error; height: auto; display: none; }
    ComponentWidget.-invalid > .component-error { display: block; }
    ComponentWidget.-pending { opacity: 70%; }
    """
    """Intrinsic look: label above, info and error below."""

    def __init__(self, component: Any, value: Any = None, *, interactive: bool = True) -> None:
        classes = ["component", f"component-{type(component).__name__.lower()}"]
        classes += css_classes(component)
        super().__init__(id=widget_id(component), classes=" ".join(classes))
        self.component = component
        self._value = value
        self._sent: list[Any] = []
        self.interactive = interactive
        self._label_text = component_label(component) or ""
        self._show_label = getattr(component, "show_label", None) is not False
        self.display = bool(getattr(component, "visible", True))
        # container=False: Gradio drops the padded frame; here the border and spacing go.
        self.set_class(getattr(component, "container", True) is False, "-no-container")
        scale = getattr(component, "scale", None)
        if isinstance(scale, int) and scale > 0:
            self.styles.width = f"{scale}fr"
        min_width = getattr(component, "min_width", None)
        self.flex_min_cells: int | None = None
        """Narrowest width in a Row (Gradio's min_width); the Row wraps rather than overflow."""
        if isinstance(min_width, int) and min_width > 0:
            self.flex_min_cells = max(min_width // PIXELS_PER_CELL, 8)

    # -- composition --------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # Always composed, so gr.update(label=..., show_label=...) can bring it back later.
        label = Static(self._label_text, classes="component-label", markup=False)
        label.display = self._show_label and bool(self._label_text)
        yield label
        yield from self.compose_control()
        info = getattr(self.component, "info", None)
        if info:
            yield Static(str(info), classes="component-info", markup=False)
        yield Static("", classes="component-error", markup=False)

    def compose_control(self) -> Iterable[Any]:
        """The interactive part; subclasses yield their controls."""
        return ()

    # -- value in / out -----------------------------------------------------------------
    @property
    def value(self) -> Any:
        """The stored value this widget currently shows."""
        return self._value

    @value.setter
    def value(self, stored: Any) -> None:
        self.set_value(stored)

    def set_value(self, stored: Any) -> None:
        """Show a value the engine holds; never posts an input event.

        The engine's echoes of the user's own edits are ignored (they arrive late, while
        the user may have typed more), so what is on screen is never rolled back.
        """
        for i, sent in enumerate(self._sent):
            if _same(stored, sent):  # the echo of an edit of ours: newer edits may follow
                del self._sent[: i + 1]
                return
        self._sent.clear()
        if _same(stored, self._value) and self.is_mounted:
            return
        self._value = stored
        self.flag_error(None)
        if self.is_mounted:
            self.show_value(stored)

    def on_mount(self) -> None:
        self.show_value(self._value)
        if not self.interactive:
            self.set_interactive(False)

    def show_value(self, stored: Any) -> None:
        """Update the controls to show `stored` (subclasses)."""

    def user_edit(self, stored: Any) -> bool:
        """A user edit: remember it and ask the app to store it in the Session.

        Returns False (and posts nothing) when it equals the value already shown, which
        is how a control's echo of an engine update is told apart from a real edit.
        """
        if _same(stored, self._value):
            return False
        self._value = stored
        self.flag_error(None)
        self._remember_sent(stored)
        self.post_message(ComponentInput(self.component, stored))
        return True

    def _remember_sent(self, stored: Any) -> None:
        self._sent.append(stored)
        del self._sent[:-16]  # the Session only echoes changes; keep the list short

    def commit(self, stored: Any) -> None:
        """A user action that produced a value (upload, recording, trim, a picked row):
        show it and store it in the Session even when it equals the current one."""
        self._value = stored
        self.flag_error(None)
        if self.is_mounted:
            self.show_value(stored)
        self._remember_sent(stored)
        self.post_message(ComponentInput(self.component, stored))

    def keep_quietly(self, stored: Any) -> None:
        """Show and store a value without firing its events (a streamed take, after its
        chunks already went to the listeners)."""
        self._value = stored
        self.flag_error(None)
        if self.is_mounted:
            self.show_value(stored)
        self._remember_sent(stored)
        self.post_message(ComponentInput(self.component, stored, quiet=True))

    def upload_refusal(self, path: str) -> str | None:
        """Why `path` may not be uploaded (over the app's `max_file_size`), or None.

        Gradio refuses such uploads in the browser; here the widget says so in place and the
        Session never sees the file. Safe to call from a worker thread (a stat, no UI).
        """
        limit = getattr(getattr(self.app, "blocks", None), "max_file_size", None)
        if limit is None:
            return None
        try:
            size = os.path.getsize(path)
        except OSError:
            return None  # missing files are reported by the loader with their own message
        if size <= limit:
            return None
        return (f"{os.path.basename(path)} is {_size_text(size)}, over this app's max_file_size "
                f"of {_size_text(limit)}; pick a smaller file (or trim it first)")

    def fire(self, event: str, data: Any = None) -> None:
        """Ask the app to trigger `event` on this component (if anyone listens, it runs)."""
        self.post_message(ComponentEvent(self.component, event, data))

    # -- state --------------------------------------------------------------------------
    def set_interactive(self, interactive: bool) -> None:
        """Enable or disable the controls (`interactive=False` or a gr.update)."""
        self.interactive = interactive
        for child in self.query("Input, Button, Select, Checkbox, RadioSet, SelectionList, "
                                "TextArea, Slider"):
            child.disabled = not interactive

    def flag_error(self, message: str | None) -> None:
        """Show (or clear) a one-line problem under the widget; nothing is sent meanwhile."""
        self.set_class(message is not None, "-invalid")
        if self.is_mounted:
            for error in self.query(".component-error").results(Static):
                error.update(message or "")

    def apply_props(self, props: dict[str, Any]) -> None:
        """Apply property overrides from `gr.update(...)` / returned components."""
        if "visible" in props:
            self.display = bool(props["visible"])
        if "label" in props:
            self._label_text = str(props["label"] or "")
        if props.get("show_label") is not None:
            self._show_label = props["show_label"] is not False
        if ("label" in props or "show_label" in props) and self.is_mounted:
            for label in self.query(".component-label").results(Static):
                label.update(self._label_text)
                label.display = self._show_label and bool(self._label_text)
        if "interactive" in props and props["interactive"] is not None:
            self.set_interactive(bool(props["interactive"]))
        if "container" in props and props["container"] is not None:
            self.set_class(props["container"] is False, "-no-container")
        if "info" in props and self.is_mounted:
            for info in self.query(".component-info").results(Static):
                info.update(str(props["info"] or ""))


def _size_text(size: int) -> str:
    """Bytes in the units of Gradio's limits ("100 KB" for "100kb", which is 1024-based)."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.4g} {unit} ({size} bytes)"
    return f"{size} bytes"


def _same(a: Any, b: Any) -> bool:
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return isinstance(a, bool) == isinstance(b, bool) and a == b
    try:
        return bool(a == b) and type(a) is type(b)
    except (ValueError, TypeError):  # numpy arrays and friends
        return a is b
