"""Textbox, Number, Slider, Button, Markdown, Label, JSON and State: constructors and conversions."""

from __future__ import annotations

import json

import pytest

import audiotui as gr
from audiotui.errors import ComponentError, Error

# -- Textbox ------------------------------------------------------------------------------


def test_textbox_coerces_numbers_to_text_like_the_tone_demo() -> None:
    box = gr.Textbox(value=1, label="Duration in seconds", render=False)
    assert box.value == "1"
    assert box.preprocess(box.initial_value()) == "1"
    assert int(box.preprocess(box.value)) == 1


def test_textbox_defaults_match_gradio() -> None:
    box = gr.Textbox(render=False)
    assert box.value == ""
    assert (box.lines, box.max_lines, box.type, box.autoscroll) == (1, 20, "text", True)
    assert box.postprocess(None) is None
    assert box.api_info() == {"type": "string"}
    assert list(type(box).EVENTS) == ["change", "input", "select", "submit", "focus", "blur"]


def test_textbox_refuses_a_type_gradio_refuses() -> None:
    with pytest.raises(ValueError, match="Textbox: type"):
        gr.Textbox(render=False, type="number")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "word", "attr", "used"),
    [  # Gradio 4.34 stores these unchecked: a warning naming the parameter, a usable value
        ({"lines": 0}, "lines", "lines", 1),
        ({"placeholder": 3}, "placeholder", "placeholder", "3"),
        ({"max_length": 0}, "max_length", "max_length", None),
        ({"autofocus": "yes"}, "autofocus", "autofocus", True),
    ],
)
def test_textbox_warns_about_arguments_gradio_only_stores(
    kwargs: dict[str, object], word: str, attr: str, used: object
) -> None:
    with pytest.warns(UserWarning, match=f"Textbox: {word}"):
        box = gr.Textbox(render=False, **kwargs)  # type: ignore[arg-type]
    assert getattr(box, attr) == used


def test_textbox_refuses_text_over_max_length_before_fn_runs() -> None:
    box = gr.Textbox(max_length=3, label="code", render=False)
    assert box.preprocess("abc") == "abc"
    with pytest.raises(Error, match="4 characters but at most 3"):
        box.preprocess("abcd")


def test_textbox_round_trips_text() -> None:
    box = gr.Textbox(lines=4, render=False)
    assert box.preprocess(box.postprocess("héllo\nworld")) == "héllo\nworld"
    assert box.get_config()["lines"] == 4


# -- Number -------------------------------------------------------------------------------


def test_number_with_precision_zero_gives_fn_an_int() -> None:
    num = gr.Number(precision=0, render=False)
    result = num.preprocess(2.6)
    assert result == 3 and isinstance(result, int)


def test_number_rounds_to_precision_and_defaults_to_float() -> None:
    assert gr.Number(precision=2, render=False).preprocess(3.14159) == 3.14
    plain = gr.Number(render=False).preprocess(2)
    assert plain == 2.0 and isinstance(plain, float)
    assert gr.Number(render=False).preprocess("4.5") == 4.5


def test_number_out_of_range_is_a_clear_error() -> None:
    num = gr.Number(minimum=0, maximum=10, label="gain", render=False)
    assert num.preprocess(10) == 10.0
    with pytest.raises(Error, match="greater than the maximum 10"):
        num.preprocess(11)
    with pytest.raises(Error, match="less than the minimum 0"):
        num.preprocess(-1)


def test_number_postprocess_rejects_non_numbers() -> None:
    num = gr.Number(render=False)
    assert num.postprocess(None) is None
    with pytest.raises(ComponentError, match="expected a number"):
        num.postprocess("loud")


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [  # Gradio 4.34 stores these unchecked: accepted with a warning naming the parameter
        ({"precision": 1.5}, "precision"),
        ({"minimum": "0"}, "minimum"),
        ({"minimum": 5, "maximum": 1}, "minimum"),
        ({"step": 0}, "step"),
    ],
)
def test_number_warns_about_arguments_gradio_only_stores(
    kwargs: dict[str, object], word: str
) -> None:
    with pytest.warns(UserWarning, match=f"Number: {word}"):
        gr.Number(render=False, **kwargs)  # type: ignore[arg-type]


def test_number_negative_precision_rounds_to_tens_as_python_round_does() -> None:
    assert gr.Number(precision=-1, render=False).preprocess(1234) == 1230


def test_number_api_info_reports_integer_and_bounds() -> None:
    info = gr.Number(precision=0, minimum=1, maximum=9, render=False).api_info()
    assert info == {"type": "integer", "minimum": 1, "maximum": 9}
    assert gr.Number(minimum=5, render=False).example_value() == 5.0


# -- Slider -------------------------------------------------------------------------------


def test_slider_value_none_starts_at_minimum() -> None:
    slider = gr.Slider(4, 6, step=1, render=False)
    assert slider.value == 4
    assert slider.postprocess(None) == 4


def test_slider_default_step_is_about_a_hundredth_of_the_range() -> None:
    assert gr.Slider(render=False).step == 1
    assert gr.Slider(0, 1, render=False).step == pytest.approx(0.01)
    assert gr.Slider(0, 5000, render=False).step == 10


def test_slider_refuses_values_outside_its_range() -> None:
    slider = gr.Slider(0, 2, label="speed", render=False)
    assert slider.preprocess(1.5) == 1.5
    with pytest.raises(Error, match="outside the range 0 to 2"):
        slider.preprocess(3)


def test_slider_randomize_loads_a_value_on_the_step_grid_inside_the_range() -> None:
    slider = gr.Slider(10, 20, step=2, randomize=True, render=False)
    assert slider.load_fn is not None
    values = {slider.load_fn() for _ in range(50)}
    assert values <= {10, 12, 14, 16, 18, 20}
    assert len(values) > 1


def test_slider_repairs_reversed_bounds_and_bad_types_with_a_warning() -> None:
    with pytest.warns(UserWarning, match="Slider: minimum"):
        assert (gr.Slider(5, 1, render=False).minimum, gr.Slider(5, 1, render=False).maximum) == (1, 5)
    with pytest.warns(UserWarning, match="Slider: maximum"):
        assert gr.Slider(0, "10", render=False).maximum == 100  # type: ignore[arg-type]
    assert list(gr.Slider.EVENTS) == ["change", "input", "release"]


# -- Button and Markdown ------------------------------------------------------------------


def test_button_keeps_gradio_defaults_and_validates_variant() -> None:
    btn = gr.Button(render=False)
    assert (btn.value, btn.variant, btn.min_width, btn.interactive) == (
        "Run",
        "secondary",
        None,
        True,
    )
    assert list(gr.Button.EVENTS) == ["click"]
    with pytest.warns(UserWarning, match="Button: variant"):  # Gradio stores it unchecked
        assert gr.Button(variant="danger", render=False).variant == "secondary"  # type: ignore[arg-type]
    with pytest.warns(UserWarning, match="Button: size"):
        assert gr.Button(size="xl", render=False).size is None  # type: ignore[arg-type]


def test_markdown_removes_common_indentation() -> None:
    md = gr.Markdown(render=False)
    assert md.postprocess("\n    # Title\n    body\n") == "# Title\nbody"
    assert md.preprocess(md.postprocess("plain")) == "plain"
    assert list(gr.Markdown.EVENTS) == ["change"]


# -- Label --------------------------------------------------------------------------------


def test_label_confidences_are_sorted_and_cut_to_num_top_classes() -> None:
    label = gr.Label(num_top_classes=2, render=False)
    stored = label.postprocess({"cat": 0.1, "dog": 0.7, "bird": 0.2})
    assert stored == {
        "label": "dog",
        "confidences": [
            {"label": "dog", "confidence": 0.7},
            {"label": "bird", "confidence": 0.2},
        ],
    }
    assert label.preprocess(stored) == {"dog": 0.7, "bird": 0.2}


def test_label_accepts_a_plain_string_or_number() -> None:
    label = gr.Label(render=False)
    assert label.postprocess("speech") == {"label": "speech", "confidences": None}
    assert label.postprocess(3) == {"label": "3", "confidences": None}
    assert label.preprocess(label.postprocess("speech")) == "speech"
    assert label.postprocess(None) is None


def test_label_rejects_bad_values_and_arguments() -> None:
    label = gr.Label(render=False)
    with pytest.raises(ComponentError, match="expected a label"):
        label.postprocess([1, 2])
    with pytest.raises(ComponentError, match="confidence of 'x' must be a finite number"):
        label.postprocess({"x": "high"})
    with pytest.raises(ValueError, match="Label: num_top_classes"):
        gr.Label(num_top_classes=0, render=False)


def test_label_round_trips_a_stored_value() -> None:
    label = gr.Label(render=False)
    stored = label.postprocess({"a": 0.25, "b": 0.75})
    assert label.postprocess(stored) == stored


# -- JSON ---------------------------------------------------------------------------------


def test_json_parses_strings_and_keeps_structures() -> None:
    box = gr.JSON(render=False)
    assert box.postprocess('{"rate": 48000}') == {"rate": 48000}
    assert box.postprocess({"t": (1, 2)}) == {"t": [1, 2]}
    assert box.preprocess(box.postprocess([1, "a"])) == [1, "a"]


def test_json_makes_numpy_values_plain() -> None:
    np = pytest.importorskip("numpy")
    stored = gr.JSON(render=False).postprocess({"peak": np.float32(0.5), "shape": np.array([2, 3])})
    assert stored == {"peak": 0.5, "shape": [2, 3]}
    json.dumps(stored)


def test_json_rejects_invalid_text_and_unserialisable_objects() -> None:
    box = gr.JSON(render=False)
    with pytest.raises(ComponentError, match="not valid JSON"):
        box.postprocess("{oops")
    with pytest.raises(ComponentError, match="cannot be shown as JSON"):
        box.postprocess({"f": object()})


# -- State --------------------------------------------------------------------------------


def test_state_gives_every_session_its_own_deep_copy() -> None:
    initial = {"chunks": []}
    state = gr.State(initial, render=False)
    first, second = state.initial_value(), state.initial_value()
    first["chunks"].append(1)
    assert second == {"chunks": []}
    assert state.value == {"chunks": []}
    assert state.visible is False and state.stateful is True


def test_state_rejects_values_that_cannot_be_copied() -> None:
    import threading

    with pytest.raises(TypeError, match="deep-copyable"):
        gr.State(threading.Lock(), render=False)
    with pytest.raises(ValueError, match="State: time_to_live"):
        gr.State(time_to_live=0, render=False)
    with pytest.raises(TypeError, match="State: delete_callback"):
        gr.State(delete_callback="x", render=False)  # type: ignore[arg-type]


def test_state_with_a_callable_value_loads_it_per_session() -> None:
    state = gr.State(lambda: [0], render=False)
    assert state.load_fn is not None and state.load_fn() == [0]
    assert state.value is None
    assert list(gr.State.EVENTS) == ["change"]


def test_components_register_with_the_open_blocks() -> None:
    with gr.Blocks() as demo:
        box = gr.Textbox()
        num = gr.Number()
    assert demo.components == [box, num]
    with gr.Blocks():
        dep = box.submit(lambda s: s, box, box)
    assert dep.triggers == [(box, "submit")]


def test_a_bad_constructor_value_names_the_component_and_the_value_argument() -> None:
    with pytest.raises(ValueError, match=r"^Number: the value argument 'x' cannot be used: "):
        gr.Number(value="x")
    with pytest.raises(ValueError, match=r"^Audio: the value argument 3 cannot be used: .*int"):
        gr.Audio(value=3)
    with pytest.raises(ValueError, match=r"^Audio: the value argument '/no/such\.wav'.*no such"):
        gr.Audio(value="/no/such.wav")
