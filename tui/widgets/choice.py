"""Choice widgets: Dropdown (single, multiselect), Radio, Checkbox and CheckboxGroup.

Controls hold choice *indices*, not values: choice values may be unhashable or repeat
their names, and the engine's stored value is always the choice's value (a component's
`type="index"` is applied by its preprocess, not here).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, RadioButton, RadioSet, Select, SelectionList
from textual.widgets.select import InvalidSelectValueError

from audiotui.tui.widgets.base import ComponentWidget, plain


def choices_of(component: Any) -> list[tuple[str, Any]]:
    """Gradio accepts values or (name, value) pairs; normalise to pairs."""
    return as_pairs(getattr(component, "choices", None) or [])


def as_pairs(choices: Any) -> list[tuple[str, Any]]:
    """`["a", ("Label", 2)]` -> `[("a", "a"), ("Label", 2)]`."""
    out: list[tuple[str, Any]] = []
    for choice in choices or []:
        if isinstance(choice, (tuple, list)) and len(choice) == 2:
            out.append((str(choice[0]), choice[1]))
        else:
            out.append((str(choice), choice))
    return out


def _index_of(choices: list[tuple[str, Any]], value: Any) -> int | None:
    for i, (_name, choice_value) in enumerate(choices):
        if choice_value == value:
            return i
    return None


class _ChoiceWidget(ComponentWidget):
    """Shared choice bookkeeping; `apply_props` rebuilds when `choices` change."""

    def __init__(self, component: Any, value: Any = None, *, interactive: bool = True) -> None:
        self.choices = choices_of(component)
        super().__init__(component, value, interactive=interactive)

    def apply_props(self, props: dict[str, Any]) -> None:
        super().apply_props(props)
        if "choices" in props:
            self.choices = as_pairs(props["choices"])
            self.refresh(recompose=True)


class DropdownWidget(_ChoiceWidget):
    """gr.Dropdown: a Select, or a SelectionList when `multiselect=True`."""

    @property
    def multiselect(self) -> bool:
        return bool(getattr(self.component, "multiselect", False))

    def compose_control(self) -> Iterable[Any]:
        if self.multiselect:
            yield SelectionList[int](
                *[(plain(name), i, False) for i, (name, _v) in enumerate(self.choices)],
                classes="control",
            )
        else:
            # String keys: Select's "no selection" sentinel compares equal to 0.
            options = [(Text(str(name)), str(i)) for i, (name, _v) in enumerate(self.choices)]
            yield Select[str](options, classes="control", allow_blank=True, prompt="Select…")

    def show_value(self, stored: Any) -> None:
        if self.multiselect:
            wanted = {_index_of(self.choices, v) for v in (stored or [])}
            for sel in self.query(SelectionList):
                if set(sel.selected) != wanted:
                    sel.deselect_all()
                    for i in wanted - {None}:
                        sel.select(i)
            return
        index = _index_of(self.choices, stored)
        for select in self.query(Select):
            if index is None:
                if not select.is_blank():
                    select.clear()
            elif select.value != str(index):
                try:
                    select.value = str(index)
                except InvalidSelectValueError:
                    # New choices and a value arrived together (`gr.Dropdown(choices=...,
                    # value=...)`): the Select still has the old options until the recompose
                    # `apply_props` asked for has run; show the value after it.
                    self.call_after_refresh(self.show_value, stored)
                    return

    @on(Select.Changed)
    def _picked(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.is_blank():
            index, stored = None, None
        else:
            index = int(str(event.value))
            stored = self.choices[index][1]
        if self.user_edit(stored):
            self.fire("select", {"index": index, "value": stored})

    @on(SelectionList.SelectedChanged)
    def _multi(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        picked = sorted(event.selection_list.selected)
        self.user_edit([self.choices[i][1] for i in picked])


class CheckboxGroupWidget(DropdownWidget):
    """gr.CheckboxGroup: always a multi-selection list."""

    @property
    def multiselect(self) -> bool:
        return True


class RadioWidget(_ChoiceWidget):
    """gr.Radio: one RadioButton per choice."""

    def compose_control(self) -> Iterable[Any]:
        yield RadioSet(*[RadioButton(plain(name)) for name, _v in self.choices],
                       classes="control")

    def show_value(self, stored: Any) -> None:
        index = _index_of(self.choices, stored)
        for radio_set in self.query(RadioSet):
            for i, button in enumerate(radio_set.query(RadioButton)):
                if (i == index) != button.value:
                    button.value = i == index

    @on(RadioSet.Changed)
    def _picked(self, event: RadioSet.Changed) -> None:
        event.stop()
        if 0 <= event.index < len(self.choices):
            stored = self.choices[event.index][1]
            if self.user_edit(stored):
                self.fire("select", {"index": event.index, "value": stored})


class CheckboxWidget(ComponentWidget):
    """gr.Checkbox: the label sits beside the box, as in Gradio."""

    def compose(self) -> ComposeResult:
        label = getattr(self.component, "label", None) or ""
        yield Checkbox(plain(label), classes="control")
        info = getattr(self.component, "info", None)
        if info:
            from textual.widgets import Static

            yield Static(str(info), classes="component-info", markup=False)

    def show_value(self, stored: Any) -> None:
        for box in self.query(Checkbox):
            if box.value != bool(stored):
                box.value = bool(stored)

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        if self.user_edit(bool(event.value)):
            self.fire("select", {"value": bool(event.value), "selected": bool(event.value)})
