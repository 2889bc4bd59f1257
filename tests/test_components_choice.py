"""Dropdown, Radio, Checkbox and CheckboxGroup: choices, type="index", validation, round-trips."""

from __future__ import annotations

import pytest

import audiotui as gr
from audiotui.components.choice import normalise_choices
from audiotui.errors import ComponentError, Error

NOTES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]


def test_dropdown_with_type_index_gives_fn_the_position_as_in_the_tone_demo() -> None:
    dd = gr.Dropdown(NOTES, type="index", render=False)
    assert dd.value is None
    assert dd.preprocess("A") == 9
    assert dd.preprocess(None) is None


def test_dropdown_labelled_choices_keep_values_apart_from_labels() -> None:
    dd = gr.Dropdown([("Low", 0.5), ("High", 2.0)], value=2.0, render=False)
    assert dd.choices == [("Low", 0.5), ("High", 2.0)]
    assert dd.preprocess(dd.value) == 2.0
    assert dd.as_example(0.5) == "Low"
    assert (
        gr.Dropdown([("Low", 0.5), ("High", 2.0)], type="index", render=False).preprocess(2.0) == 1
    )


def test_dropdown_initial_value_outside_choices_names_the_fix() -> None:
    # gradio/components/dropdown.py `_warn_if_invalid_choice`: a warning, not a refusal
    with pytest.warns(UserWarning, match="'Z' is not one of the choices.*allow_custom_value=True"):
        gr.Dropdown(["A", "B"], value="Z", render=False)
    custom = gr.Dropdown(["A", "B"], value="Z", allow_custom_value=True, render=False)
    assert custom.value == "Z"
    assert custom.api_info() == {"type": "string"}


def test_dropdown_returned_value_outside_choices_warns_like_gradio() -> None:
    dd = gr.Dropdown(["A", "B"], render=False)
    with pytest.warns(UserWarning, match="not one of the choices"):
        assert dd.postprocess("Z") == "Z"


def test_dropdown_multiselect_returns_lists_and_enforces_max_choices() -> None:
    dd = gr.Dropdown(["a", "b", "c"], value=["a"], multiselect=True, max_choices=2, render=False)
    assert dd.value == ["a"]
    assert dd.preprocess(["a", "c"]) == ["a", "c"]
    assert dd.postprocess("b") == ["b"]
    assert dd.preprocess(None) == []
    with pytest.raises(Error, match="at most 2"):
        dd.preprocess(["a", "b", "c"])
    with pytest.warns(UserWarning, match="at most 2"):
        gr.Dropdown(
            ["a", "b", "c"], value=["a", "b", "c"], multiselect=True, max_choices=2, render=False
        )
    idx = gr.Dropdown(["a", "b", "c"], multiselect=True, type="index", render=False)
    assert idx.preprocess(["c", "a"]) == [2, 0]
    assert idx.api_info()["type"] == "array"


def test_dropdown_single_select_refuses_a_list() -> None:
    dd = gr.Dropdown(["a", "b"], render=False)
    with pytest.raises(ComponentError, match="multiselect is off"):
        dd.postprocess(["a", "b"])


@pytest.mark.parametrize(
    ("kwargs", "error", "word"),
    [
        ({"choices": 5}, TypeError, "choices"),
        ({"type": "name"}, ValueError, "type"),
    ],
)
def test_dropdown_rejects_bad_arguments_naming_the_parameter(
    kwargs: dict[str, object], error: type[Exception], word: str
) -> None:
    with pytest.raises(error, match=f"Dropdown: {word}"):
        gr.Dropdown(render=False, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [({"max_choices": 0, "multiselect": True}, "max_choices"), ({"multiselect": "yes"}, "multiselect")],
)
def test_dropdown_warns_about_arguments_gradio_only_stores(
    kwargs: dict[str, object], word: str
) -> None:
    with pytest.warns(UserWarning, match=f"Dropdown: {word}"):
        gr.Dropdown(render=False, **kwargs)  # type: ignore[arg-type]


def test_dropdown_events_and_example_value() -> None:
    assert list(gr.Dropdown.EVENTS) == ["change", "input", "select", "focus", "blur", "key_up"]
    assert gr.Dropdown(["x", "y"], render=False).example_value() == "x"
    assert gr.Dropdown(["x"], multiselect=True, render=False).example_value() == ["x"]


def test_choice_updates_are_normalised_to_pairs() -> None:
    dd = gr.Dropdown(["a"], render=False)
    assert dd.normalise_update({"choices": ["x", ("Y", 2)], "visible": True}) == {
        "choices": [("x", "x"), ("Y", 2)],
        "visible": True,
    }


def test_normalise_choices_accepts_numbers_and_pairs() -> None:
    assert normalise_choices("T", [1, 2.5, ["two", 2]]) == [("1", 1), ("2.5", 2.5), ("two", 2)]
    assert normalise_choices("T", None) == []


# -- Radio --------------------------------------------------------------------------------


def test_radio_value_and_index_types() -> None:
    radio = gr.Radio(["mono", "stereo"], value="stereo", render=False)
    assert radio.preprocess(radio.value) == "stereo"
    assert gr.Radio(["mono", "stereo"], type="index", render=False).preprocess("stereo") == 1
    assert list(gr.Radio.EVENTS) == ["select", "change", "input"]


def test_radio_rejects_unknown_initial_values_and_lists() -> None:
    with pytest.warns(UserWarning, match="Radio: 'quad' is not one of the choices"):
        gr.Radio(["mono", "stereo"], value="quad", render=False)
    with pytest.raises(ComponentError, match="expected one value"):
        gr.Radio(["mono"], render=False).postprocess(["mono"])
    with pytest.raises(ValueError, match="Radio: type"):
        gr.Radio(["a"], type="label", render=False)  # type: ignore[arg-type]


# -- Checkbox -----------------------------------------------------------------------------


def test_checkbox_is_a_boolean_both_ways() -> None:
    box = gr.Checkbox(render=False)
    assert box.value is False
    assert box.postprocess(1) is True and box.postprocess(None) is False
    assert box.preprocess(box.postprocess(True)) is True
    assert box.api_info() == {"type": "boolean"}
    with pytest.raises(ComponentError, match="expected True or False"):
        box.postprocess(["x"])
    with pytest.warns(UserWarning, match="Checkbox: label"):
        gr.Checkbox(label=3, render=False)  # type: ignore[arg-type]


# -- CheckboxGroup ------------------------------------------------------------------------


def test_checkbox_group_always_stores_a_list() -> None:
    group = gr.CheckboxGroup(["reverb", "echo", "gain"], render=False)
    assert group.value == []
    assert group.postprocess("echo") == ["echo"]
    assert group.preprocess(["gain", "reverb"]) == ["gain", "reverb"]
    assert group.preprocess(None) == []


def test_checkbox_group_index_type_and_validation() -> None:
    group = gr.CheckboxGroup(["reverb", "echo"], type="index", render=False)
    assert group.preprocess(["echo"]) == [1]
    with pytest.warns(UserWarning, match="CheckboxGroup: 'chorus' is not one of the choices"):
        gr.CheckboxGroup(["reverb"], value=["chorus"], render=False)
    assert group.api_info()["items"]["enum"] == ["reverb", "echo"]


def test_choice_config_lists_pairs_for_the_front_end() -> None:
    config = gr.Radio([("A", 1)], render=False).get_config()
    assert config["choices"] == [("A", 1)] and config["type"] == "value"


def test_choices_are_built_as_gradio_builds_them() -> None:
    # gradio/components/dropdown.py: (str(c), c) for anything, a string iterated by character
    with pytest.warns(UserWarning, match="Dropdown: choices is the string 'abc'"):
        assert gr.Dropdown("abc", render=False).choices == [("a", "a"), ("b", "b"), ("c", "c")]
    with pytest.warns(UserWarning, match="Dropdown: a choice given as a pair"):
        assert gr.Dropdown([("only",)], render=False).choices == [("only", "only")]
    assert gr.Radio([None, True], render=False).choices == [("None", None), ("True", True)]
