"""Client arguments for choice components are judged once, against the session's choices."""

from __future__ import annotations

import warnings

import pytest

import audiotui as gr
from audiotui.client import Client
from audiotui.endpoints import EndpointError


def _app() -> gr.Blocks:
    with gr.Blocks() as demo:
        pick = gr.Dropdown(["a", "b"], value="a", label="pick")
        many = gr.CheckboxGroup(["x", "y"], label="many")
        out = gr.Textbox()
        gr.Button().click(lambda p, m: f"{p}:{','.join(m)}", [pick, many], out, api_name="echo")
        gr.Button().click(
            lambda: gr.Dropdown(choices=["a", "b", "c"]), None, pick, api_name="grow"
        )
    return demo


def test_an_argument_outside_the_choices_is_one_error_and_no_warning() -> None:
    with Client(_app()) as client, warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(EndpointError, match=r"^/echo: argument 'p': 'z' is not one of"):
            client.predict("z", ["x"], api_name="/echo")
        with pytest.raises(EndpointError, match=r"argument 'm': 'q' is not one of the choic"):
            client.predict("a", ["x", "q"], api_name="/echo")
        assert client.predict("b", ["x", "y"], api_name="/echo") == "b:x,y"


def test_a_choice_added_by_a_listener_is_accepted_without_a_warning() -> None:
    with Client(_app()) as client, warnings.catch_warnings():
        warnings.simplefilter("error")
        client.predict(api_name="/grow")
        assert client.predict("c", [], api_name="/echo") == "c:"
