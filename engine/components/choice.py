"""Choice components: Dropdown, Radio, Checkbox and CheckboxGroup (Gradio 4.34 semantics).

Choices are kept as `(label, value)` pairs, as Gradio does, so `type="index"` and labelled
choices work the same way in every component. A constructor value outside the choices is a
`ValueError` (a typo in the app); a value a function returns outside the choices only warns,
like Gradio 4.34, because apps update `choices` at run time and the session, not the shared
component, knows the current ones.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Literal

from audiotui.components.base import FormComponent, _check_bool
from audiotui.errors import ComponentError, Error
from audiotui.updates import record_constructor_args

Choice = tuple[str, Any]


def normalise_choices(owner: str, choices: Any) -> list[Choice]:
    """`["a", ("Label", 2)]` -> `[("a", "a"), ("Label", 2)]`, as Gradio 4.34 builds them.

    gradio/components/dropdown.py (and radio, checkboxgroup) make `(str(c), c)` of anything
    that is not a pair and iterate whatever `choices` is, so a string gives one choice per
    character there: the same here, with a warning naming the app's line. Only what cannot
    be iterated at all is refused (Gradio fails on it too).
    """
    from audiotui.components.base import tolerate

    if not choices:
        return []
    if isinstance(choices, (str, bytes)):
        tolerate(owner, f"choices is the string {choices!r}; as in Gradio, each character is "
                 "a choice (pass a list)")
        choices = list(choices.decode() if isinstance(choices, bytes) else choices)
    elif not isinstance(choices, Sequence):
        try:
            choices = list(choices)
        except TypeError:
            raise TypeError(
                f"{owner}: choices must be a list of values or (label, value) pairs, "
                f"got {choices!r}"
            ) from None
    pairs: list[Choice] = []
    for choice in choices:
        if isinstance(choice, (tuple, list)):
            if len(choice) != 2:
                tolerate(owner, f"a choice given as a pair should be (label, value), got "
                         f"{choice!r}; using {(str(choice[0]), choice[-1]) if choice else ('', '')!r}")
                if not choice:
                    choice = ("", "")
                choice = (choice[0], choice[-1])
            pairs.append((str(choice[0]), choice[1]))
        else:
            pairs.append((str(choice), choice))
    return pairs


def _check_type(owner: str, type_: Any) -> str:
    if type_ not in ("value", "index"):
        raise ValueError(f"{owner}: type must be 'value' or 'index', got {type_!r}")
    return str(type_)


class _ChoiceComponent(FormComponent):
    """What Dropdown, Radio and CheckboxGroup share: choices, `type`, and value <-> index."""

    multiselect: bool = False
    allow_custom_value: bool = False
    offers_custom_value: ClassVar[bool] = False
    """True where the constructor has `allow_custom_value` (the error then suggests it)."""
    choices: list[Choice]
    type: str

    def _name(self) -> str:
        kind = type(self).__name__
        return f"{kind} {self.label!r}" if self.label else kind

    @property
    def choice_values(self) -> list[Any]:
        return [value for _, value in self.choices]

    def _is_choice(self, value: Any) -> bool:
        return value in self.choice_values

    def outside_choices(self, values: list[Any]) -> list[Any]:
        """The values that are not among the choices (none when custom values are allowed)."""
        if self.allow_custom_value:
            return []
        return [v for v in values if not self._is_choice(v)]

    def _to_index(self, value: Any) -> int | None:
        values = self.choice_values
        return values.index(value) if value in values else None

    def _check_values(self, values: list[Any], *, initial: bool) -> None:
        bad = self.outside_choices(values)
        if not bad:
            return
        listed = ", ".join(repr(v) for v in self.choice_values) or "(none)"
        message = (
            f"{self._name()}: {', '.join(repr(v) for v in bad)} is not one of the choices "
            f"({listed}); pick one of them"
            + (" or pass allow_custom_value=True" if self.offers_custom_value else "")
        )
        if initial:  # gradio/components/dropdown.py `_warn_if_invalid_choice`: a warning
            from audiotui.notices import warn_app

            warn_app(message)
            return
        warnings.warn(message, UserWarning, stacklevel=4)

    def _initial(self) -> bool:
        # Component.__init__ postprocesses the constructor value before `value` exists.
        return "value" not in self.__dict__

    def normalise_update(self, props: dict[str, Any]) -> dict[str, Any]:
        """`gr.update(choices=[...])` arrives in the same (label, value) shape as the constructor's."""
        if "choices" in props:
            props = {**props, "choices": normalise_choices(self._name(), props["choices"])}
        return props

    def _index_payload(self, payload: Any) -> Any:
        if self.type == "value" or payload is None:
            return payload
        if isinstance(payload, list):
            return [self._to_index(v) for v in payload]
        return self._to_index(payload)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(choices=list(self.choices), type=self.type)
        return config


@record_constructor_args
class Dropdown(_ChoiceComponent):
    """Pick one (or several, with `multiselect=True`) of `choices`."""

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "input", "select", "focus", "blur", "key_up")
    offers_custom_value: ClassVar[bool] = True

    def __init__(
        self,
        choices: Sequence[Any] | None = None,
        *,
        value: Any = None,
        type: Literal["value", "index"] = "value",  # noqa: A002 - Gradio's name
        multiselect: bool | None = None,
        allow_custom_value: bool = False,
        max_choices: int | None = None,
        filterable: bool = True,
        label: str | None = None,
        info: str | None = None,
        every: float | None = None,
        show_label: bool | None = None,
        container: bool = True,
        scale: int | None = None,
        min_width: int = 160,
        interactive: bool | None = None,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        self.choices = normalise_choices("Dropdown", choices)
        self.type = _check_type("Dropdown", type)
        if multiselect is not None:
            _check_bool(self, "multiselect", multiselect)
        self.multiselect = bool(multiselect)
        self.allow_custom_value = _check_bool(self, "allow_custom_value", allow_custom_value)
        if max_choices is not None and (
            isinstance(max_choices, bool) or not isinstance(max_choices, int) or max_choices < 1
        ):  # stored unchecked by Gradio 4.34
            from audiotui.notices import warn_app

            warn_app(f"Dropdown: max_choices should be a positive int or None, got "
                     f"{max_choices!r}; using None")
            max_choices = None
        if max_choices is not None and not self.multiselect:
            from audiotui.notices import warn_app

            warn_app("Dropdown: max_choices only applies with multiselect=True; it is ignored")
        self.max_choices = max_choices
        self.filterable = _check_bool(self, "filterable", filterable)
        super().__init__(
            value, label=label, info=info, every=every, show_label=show_label, container=container,
            scale=scale, min_width=min_width, interactive=interactive, visible=visible,
            elem_id=elem_id, elem_classes=elem_classes, render=render, key=key,
        )  # fmt: skip

    def _check_count(self, values: list[Any]) -> None:
        if self.max_choices is not None and len(values) > self.max_choices:
            raise Error(
                f"{self._name()}: {len(values)} values are selected but at most "
                f"{self.max_choices} are allowed; deselect some."
            )

    def preprocess(self, payload: Any) -> Any:
        """The selected value(s), or their index/indices with `type="index"`.

        A value outside the (session's current) choices stops the event with `gr.Error`,
        as Gradio 4.34 does, unless `allow_custom_value=True`.
        """
        if self.multiselect:
            payload = [] if payload is None else _as_list(payload)
            self._check_count(payload)
        chosen = payload if isinstance(payload, list) else [] if payload is None else [payload]
        bad = self.outside_choices(chosen)
        if bad:
            raise Error(
                f"{self._name()}: value {', '.join(repr(v) for v in bad)} is not in the list "
                f"of choices: {self.choice_values!r}"
            )
        return self._index_payload(payload)

    def postprocess(self, value: Any) -> Any:
        if self.multiselect:
            values = [] if value is None else _as_list(value)
            self._check_values(values, initial=self._initial())
            if self._initial():
                try:
                    self._check_count(values)
                except Error as exc:  # Gradio stores it; the first call will refuse it
                    from audiotui.notices import warn_app

                    warn_app(str(exc))
            return values
        if isinstance(value, list):
            raise ComponentError(
                f"{self._name()}: got a list {value!r} but multiselect is off; return one "
                "value or build the Dropdown with multiselect=True"
            )
        if value is not None:
            self._check_values([value], initial=self._initial())
        return value

    def api_info(self) -> dict[str, Any]:
        item: dict[str, Any] = {"type": "string", "enum": self.choice_values}
        if self.allow_custom_value:
            item = {"type": "string"}
        if self.multiselect:
            return {"type": "array", "items": item}
        return item

    def example_value(self) -> Any:
        first = self.choice_values[0] if self.choices else None
        return [first] if self.multiselect and first is not None else first

    def as_example(self, value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(self._label_of(v) for v in value)
        return "" if value is None else self._label_of(value)

    def _label_of(self, value: Any) -> str:
        for label, choice in self.choices:
            if choice == value:
                return label
        return str(value)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            multiselect=self.multiselect,
            allow_custom_value=self.allow_custom_value,
            max_choices=self.max_choices,
            filterable=self.filterable,
        )
        return config


@record_constructor_args
class Radio(_ChoiceComponent):
    """Exactly one of `choices`, all shown at once."""

    EVENTS: ClassVar[tuple[str, ...]] = ("select", "change", "input")

    def __init__(
        self,
        choices: Sequence[Any] | None = None,
        *,
        value: Any = None,
        type: Literal["value", "index"] = "value",  # noqa: A002 - Gradio's name
        label: str | None = None,
        info: str | None = None,
        every: float | None = None,
        show_label: bool | None = None,
        container: bool = True,
        scale: int | None = None,
        min_width: int = 160,
        interactive: bool | None = None,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        self.choices = normalise_choices("Radio", choices)
        self.type = _check_type("Radio", type)
        super().__init__(
            value, label=label, info=info, every=every, show_label=show_label, container=container,
            scale=scale, min_width=min_width, interactive=interactive, visible=visible,
            elem_id=elem_id, elem_classes=elem_classes, render=render, key=key,
        )  # fmt: skip

    def preprocess(self, payload: Any) -> Any:
        return self._index_payload(payload)

    def postprocess(self, value: Any) -> Any:
        if isinstance(value, list):
            raise ComponentError(f"{self._name()}: expected one value, got the list {value!r}")
        if value is not None:
            self._check_values([value], initial=self._initial())
        return value

    def api_info(self) -> dict[str, Any]:
        return {"type": "string", "enum": self.choice_values}

    def example_value(self) -> Any:
        return self.choice_values[0] if self.choices else None


@record_constructor_args
class CheckboxGroup(_ChoiceComponent):
    """Any subset of `choices`; `fn` receives a list (of values or indices)."""

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "input", "select")

    def __init__(
        self,
        choices: Sequence[Any] | None = None,
        *,
        value: Any = None,
        type: Literal["value", "index"] = "value",  # noqa: A002 - Gradio's name
        label: str | None = None,
        info: str | None = None,
        every: float | None = None,
        show_label: bool | None = None,
        container: bool = True,
        scale: int | None = None,
        min_width: int = 160,
        interactive: bool | None = None,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        self.choices = normalise_choices("CheckboxGroup", choices)
        self.type = _check_type("CheckboxGroup", type)
        self.multiselect = True
        super().__init__(
            value, label=label, info=info, every=every, show_label=show_label, container=container,
            scale=scale, min_width=min_width, interactive=interactive, visible=visible,
            elem_id=elem_id, elem_classes=elem_classes, render=render, key=key,
        )  # fmt: skip

    def preprocess(self, payload: Any) -> list[Any]:
        chosen: list[Any] = self._index_payload([] if payload is None else _as_list(payload))
        return chosen

    def postprocess(self, value: Any) -> list[Any]:
        """None -> no boxes ticked; a single value -> a one-item list (Gradio does the same)."""
        values = [] if value is None else _as_list(value)
        self._check_values(values, initial=self._initial())
        return values

    def api_info(self) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string", "enum": self.choice_values}}

    def example_value(self) -> list[Any]:
        return self.choice_values[:1]


@record_constructor_args
class Checkbox(FormComponent):
    """A single boolean."""

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "input", "select")

    def __init__(
        self,
        value: bool | Callable[[], Any] = False,
        *,
        label: str | None = None,
        info: str | None = None,
        every: float | None = None,
        show_label: bool | None = None,
        container: bool = True,
        scale: int | None = None,
        min_width: int = 160,
        interactive: bool | None = None,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        super().__init__(
            value, label=label, info=info, every=every, show_label=show_label, container=container,
            scale=scale, min_width=min_width, interactive=interactive, visible=visible,
            elem_id=elem_id, elem_classes=elem_classes, render=render, key=key,
        )  # fmt: skip

    def preprocess(self, payload: Any) -> bool:
        return bool(payload)

    def postprocess(self, value: Any) -> bool:
        """Truthiness, as Gradio: `None` and `0` untick, anything else ticks."""
        if isinstance(value, (list, dict)) and value:
            raise ComponentError(
                f"Checkbox{' ' + repr(self.label) if self.label else ''}: expected True or "
                f"False, got {value!r}"
            )
        return bool(value)

    def api_info(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def example_value(self) -> bool:
        return True


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]


__all__ = ["Checkbox", "CheckboxGroup", "Dropdown", "Radio", "normalise_choices"]
