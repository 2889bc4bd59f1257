"""Number and Slider: numeric inputs with Gradio 4.34's rounding, bounds and step rules."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any, ClassVar, cast

from audiotui.components.base import FormComponent, _check_bool, tolerate
from audiotui.errors import ComponentError, Error
from audiotui.updates import record_constructor_args


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_opt_number(owner: str, name: str, value: Any) -> float | int | None:
    """A bound; Gradio 4.34 stores anything, so a non-number warns and means "no bound"."""
    if value is not None and not _is_number(value):
        tolerate(owner, f"{name} should be a number or None, got {value!r}; using None")
        return None
    return cast("float | int | None", value)


def round_to_precision(value: float | int, precision: int | None) -> float | int:
    """Gradio's rule: no precision -> float, 0 -> int, n -> float rounded to n decimals."""
    if precision is None:
        return float(value)
    if precision == 0:
        return int(round(value, 0))
    return round(float(value), precision)


def _as_number(owner: str, value: Any) -> float | int:
    """Accept numbers and numeric strings (a Textbox-typed "3" is a common client input)."""
    if _is_number(value):
        return cast("float | int", value)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars, without importing numpy
        item = value.item()
        if _is_number(item):
            return cast("float | int", item)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise ComponentError(f"{owner}: expected a number, got {value!r}")


@record_constructor_args
class Number(FormComponent):
    """A number field; `precision=0` makes `fn` receive an `int`."""

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "input", "submit", "focus")
    FRONTEND_DEFAULT: ClassVar[Any] = 0
    """js/number/Index.svelte: `export let value = 0`; a chain of change listeners doing
    arithmetic on an unset Number gets 0 in Gradio, not None."""

    def __init__(
        self,
        value: float | Callable[[], Any] | None = None,
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
        precision: int | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        step: float = 1,
    ) -> None:
        # gradio/components/number.py (4.34) stores all four unchecked: warn and go on.
        # A negative precision rounds to tens, hundreds... as Python's round() does there.
        if precision is not None and (isinstance(precision, bool) or not isinstance(precision, int)):
            tolerate("Number", f"precision should be an int or None, got {precision!r}; "
                     "using None")
            precision = None
        self.precision = precision
        self.minimum = _check_opt_number("Number", "minimum", minimum)
        self.maximum = _check_opt_number("Number", "maximum", maximum)
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            tolerate("Number", f"minimum ({minimum}) is greater than maximum ({maximum}); "
                     "every value will be refused, as in Gradio")
        if not _is_number(step) or step <= 0:
            tolerate("Number", f"step should be a positive number, got {step!r}; using 1")
            step = 1
        self.step = step
        super().__init__(
            value, label=label, info=info, every=every, show_label=show_label, container=container,
            scale=scale, min_width=min_width, interactive=interactive, visible=visible,
            elem_id=elem_id, elem_classes=elem_classes, render=render, key=key,
        )  # fmt: skip

    def _name(self) -> str:
        return f"Number {self.label!r}" if self.label else "Number"

    def preprocess(self, payload: Any) -> float | int | None:
        """Check the bounds, then round to `precision`, before `fn` sees the number."""
        if payload is None:
            return None
        number = _as_number(self._name(), payload)
        if self.minimum is not None and number < self.minimum:
            raise Error(
                f"{self._name()}: {number} is less than the minimum {self.minimum}; "
                f"enter a value between {self.minimum} and {self.maximum}."
            )
        if self.maximum is not None and number > self.maximum:
            raise Error(
                f"{self._name()}: {number} is greater than the maximum {self.maximum}; "
                f"enter a value between {self.minimum} and {self.maximum}."
            )
        return round_to_precision(number, self.precision)

    def postprocess(self, value: Any) -> float | int | None:
        if value is None:
            return None
        return round_to_precision(_as_number(self._name(), value), self.precision)

    def api_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {"type": "integer" if self.precision == 0 else "number"}
        if self.minimum is not None:
            info["minimum"] = self.minimum
        if self.maximum is not None:
            info["maximum"] = self.maximum
        return info

    def example_value(self) -> float | int:
        base = 3 if self.minimum is None else self.minimum
        if self.maximum is not None:
            base = min(base, self.maximum)
        return round_to_precision(base, self.precision)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            precision=self.precision, minimum=self.minimum, maximum=self.maximum, step=self.step
        )
        return config


@record_constructor_args
class Slider(FormComponent):
    """A bounded number chosen by dragging; `value=None` starts at `minimum`, as in Gradio."""

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "input", "release")

    def __init__(
        self,
        minimum: float = 0,
        maximum: float = 100,
        value: float | Callable[[], Any] | None = None,
        *,
        step: float | None = None,
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
        randomize: bool = False,
    ) -> None:
        # gradio/components/slider.py (4.34) stores the bounds and step unchecked; a
        # slider needs a finite, ordered range, so other values warn and are repaired.
        for name, bound, fallback in (("minimum", minimum, 0), ("maximum", maximum, 100)):
            if not _is_number(bound) or not math.isfinite(bound):
                tolerate("Slider", f"{name} should be a finite number, got {bound!r}; "
                         f"using {fallback}")
                if name == "minimum":
                    minimum = fallback
                else:
                    maximum = fallback
        if minimum > maximum:
            tolerate("Slider", f"minimum ({minimum}) is greater than maximum ({maximum}); "
                     "they are swapped")
            minimum, maximum = maximum, minimum
        self.minimum = minimum
        self.maximum = maximum
        if step is None:
            span = maximum - minimum
            # Gradio's default: about a hundred steps across the range, on a power of ten.
            step = 10 ** math.floor(math.log10(span) - 2) if span > 0 else 1
        elif not _is_number(step) or step <= 0:
            span = maximum - minimum
            fixed = 10 ** math.floor(math.log10(span) - 2) if span > 0 else 1
            tolerate("Slider", f"step should be a positive number or None, got {step!r}; "
                     f"using {fixed}")
            step = fixed
        self.step = step
        self.randomize = _check_bool(self, "randomize", randomize)
        if randomize and not callable(value):
            value = self.random_value
        super().__init__(
            value, label=label, info=info, every=every, show_label=show_label, container=container,
            scale=scale, min_width=min_width, interactive=interactive, visible=visible,
            elem_id=elem_id, elem_classes=elem_classes, render=render, key=key,
        )  # fmt: skip

    def _name(self) -> str:
        return f"Slider {self.label!r}" if self.label else "Slider"

    def random_value(self) -> float | int:
        """A random multiple of `step` inside the range (what `randomize=True` loads)."""
        n_steps = int((self.maximum - self.minimum) / self.step)
        return self._snap(self.minimum + self.step * random.randint(0, n_steps))

    def _snap(self, number: float | int) -> float | int:
        if (
            all(isinstance(x, int) for x in (self.minimum, self.step))
            and float(number).is_integer()
        ):
            return int(number)
        return number

    def preprocess(self, payload: Any) -> float | int | None:
        """The slider's number; out-of-range input is refused so `fn` never sees it."""
        if payload is None:
            return None
        number = _as_number(self._name(), payload)
        if not self.minimum <= number <= self.maximum:
            raise Error(
                f"{self._name()}: {number} is outside the range {self.minimum} to "
                f"{self.maximum}; choose a value inside it."
            )
        return number

    def postprocess(self, value: Any) -> float | int:
        if value is None:
            return self.minimum
        return _as_number(self._name(), value)

    def api_info(self) -> dict[str, Any]:
        return {
            "type": "number",
            "description": f"numeric value between {self.minimum} and {self.maximum}",
            "minimum": self.minimum,
            "maximum": self.maximum,
        }

    def example_value(self) -> float | int:
        return self.minimum

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            minimum=self.minimum, maximum=self.maximum, step=self.step, randomize=self.randomize
        )
        return config
