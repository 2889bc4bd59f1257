"""Client arguments for choice components are judged once, against the session's choices."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

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


def test_an_audio_file_argument_is_decoded_once_not_transcoded_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like an upload: the file is probed, not re-encoded into `format` before preprocess."""
    from audiotui.media import files

    take = tmp_path / "take.flac"
    sf.write(take, np.linspace(-0.5, 0.5, 8000, dtype=np.float32), 8000)
    conversions: list[str] = []
    real_convert = files.convert_filedata

    def counting_convert(fd: Any, format: str) -> Any:  # noqa: A002 - the real name
        conversions.append(format)
        return real_convert(fd, format)

    monkeypatch.setattr(files, "convert_filedata", counting_convert)
    seen: list[tuple[int, np.ndarray]] = []

    def peak(audio: tuple[int, np.ndarray]) -> float:
        seen.append(audio)
        return float(np.abs(audio[1]).max())

    with gr.Blocks() as demo:
        clip = gr.Audio(format="mp3")
        level = gr.Number()
        gr.Button().click(peak, clip, level, api_name="peak")
    with Client(demo) as client:
        assert client.predict(str(take), api_name="/peak") == 16384
    assert conversions == []
    assert seen[0][0] == 8000 and seen[0][1].dtype == np.int16 and len(seen[0][1]) == 8000
