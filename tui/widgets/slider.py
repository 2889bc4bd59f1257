"""Slider widget: a keyboard- and mouse-driven bar with its value shown beside it."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from audiotui.tui.widgets.base import ComponentWidget

# A terminal has no key-up: "release" fires once the keys have been quiet this long.
RELEASE_DELAY = 0.4


class SliderBar(Widget, can_focus=True):
    """The bar itself: arrows step, PageUp/PageDown step by tenths, Home/End jump."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,down,minus", "step(-1)", "less", show=False),
        Binding("right,up,plus", "step(1)", "more", show=False),
        Binding("pageup", "step(10)", "much more", show=False),
        Binding("pagedown", "step(-10)", "much less", show=False),
        Binding("home", "jump(0)", "minimum", show=False),
        Binding("end", "jump(1)", "maximum", show=False),
    ]
    """Keyboard steps; a step is the component's `step`."""

    DEFAULT_CSS: ClassVar[str] = """
    SliderBar { height: 1; width: 1fr; }
    SliderBar:focus { background: $boost; }
    """
    """One line high."""

    class Moved(Message):
        """The user moved the bar to `value`; `final` when a mouse drag ended."""

        def __init__(self, value: float, final: bool) -> None:
            super().__init__()
            self.value = value
            self.final = final

    def __init__(self, minimum: float, maximum: float, step: float) -> None:
        super().__init__()
        self.minimum = float(minimum)
        self.maximum = float(maximum) if maximum > minimum else float(minimum) + 1.0
        self.step = float(step) if step and step > 0 else (self.maximum - self.minimum) / 100
        self.position = self.minimum

    def snap(self, value: float) -> float:
        """Clamp to the range and round to the nearest step from the minimum."""
        steps = round((value - self.minimum) / self.step)
        snapped = self.minimum + steps * self.step
        decimals = max(0, -int(math.floor(math.log10(self.step)))) if self.step < 1 else 0
        return round(min(max(snapped, self.minimum), self.maximum), decimals + 6)

    def render(self) -> Text:
        label = _format(self.position)
        width = max(self.size.width - len(label) - 1, 3)
        frac = (self.position - self.minimum) / (self.maximum - self.minimum)
        knob = min(int(round(frac * (width - 1))), width - 1)
        text = Text()
        text.append("━" * knob, style="bold")
        text.append("●", style="bold")
        text.append("─" * (width - knob - 1), style="dim")
        text.append(" " + label)
        return text

    def action_step(self, count: int) -> None:
        self._move(self.position + count * self.step, final=False)

    def action_jump(self, end: int) -> None:
        # A jump is one decisive move with nothing to follow: it is let go at once.
        self._move(self.maximum if end else self.minimum, final=True)

    def _move(self, value: float, *, final: bool) -> None:
        value = self.snap(value)
        if value != self.position:
            self.position = value
            self.refresh()
            self.post_message(self.Moved(value, final))
        elif final:
            self.post_message(self.Moved(value, final))

    def _value_at(self, x: int) -> float:
        width = max(self.size.width - len(_format(self.maximum)) - 1, 3)
        frac = min(max(x / max(width - 1, 1), 0.0), 1.0)
        return self.minimum + frac * (self.maximum - self.minimum)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.capture_mouse()
        self._move(self._value_at(event.x), final=False)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.app.mouse_captured is self:
            self._move(self._value_at(event.x), final=False)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self.app.mouse_captured is self:
            self.release_mouse()
            self._move(self._value_at(event.x), final=True)


class SliderWidget(ComponentWidget):
    """gr.Slider: change/input while moving, `release` once the user lets go.

    A terminal has no key-up, so arrow steps release once the keys go quiet; Home/End and a
    mouse button going up release at once.
    """

    def compose_control(self) -> Iterable[Any]:
        c = self.component
        yield SliderBar(
            float(getattr(c, "minimum", 0) or 0),
            float(getattr(c, "maximum", 100) if getattr(c, "maximum", None) is not None else 100),
            float(getattr(c, "step", 1) or 1),
        )

    def show_value(self, stored: Any) -> None:
        for bar in self.query(SliderBar):
            if isinstance(stored, (int, float)):
                bar.position = bar.snap(float(stored))
                bar.refresh()

    def apply_props(self, props: dict[str, Any]) -> None:
        super().apply_props(props)
        for bar in self.query(SliderBar):
            if "minimum" in props and props["minimum"] is not None:
                bar.minimum = float(props["minimum"])
            if "maximum" in props and props["maximum"] is not None:
                bar.maximum = max(float(props["maximum"]), bar.minimum + 1e-9)
            if "step" in props and props["step"]:
                bar.step = float(props["step"])
            bar.position = bar.snap(bar.position)
            bar.refresh()

    def on_slider_bar_moved(self, event: SliderBar.Moved) -> None:
        event.stop()
        self.user_edit(_as_stored(event.value, self.component))
        if event.final:
            timer = getattr(self, "_release_timer", None)
            if timer is not None:  # arrow steps before the jump: one release for both
                timer.stop()
                self._release_timer = None
            self.fire("release", self.value)
        else:
            self._schedule_release()

    def _schedule_release(self) -> None:
        timer = getattr(self, "_release_timer", None)
        if timer is not None:
            timer.stop()
        self._release_timer = self.set_timer(
            RELEASE_DELAY, lambda: self.fire("release", self.value)
        )


def _as_stored(value: float, component: Any) -> float | int:
    """Integers stay integers when the slider's range and step are whole numbers."""
    whole = all(
        float(getattr(component, name, 0) or 0).is_integer() for name in ("minimum", "step")
    )
    return int(value) if whole and float(value).is_integer() else value


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
