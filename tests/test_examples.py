"""gr.Examples: rows fill inputs, directories and log.csv, run_on_click, cached outputs."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import audiotui as gr
from audiotui.data import FileData
from audiotui.errors import ComponentError
from audiotui.updates import NO_VALUE, is_update, split_update


def _click(examples: gr.Examples, index: int) -> Any:
    """What the dataset's click listener returns for row `index` (the runtime's view)."""
    dep = examples.load_input_event
    assert dep.fn is not None
    return dep.fn(dep.inputs[0].preprocess(index))


def test_picking_a_row_fills_the_inputs_with_stored_values() -> None:
    with gr.Blocks() as demo:
        word = gr.Textbox(label="word")
        times = gr.Number(precision=0, label="times")
        ex = gr.Examples([["ab", 2.6], ["cd", 1]], [word, times])
    dep = ex.load_input_event
    assert dep in demo.fns
    assert dep.triggers == [(ex.dataset, "click")]
    assert dep.outputs == [word, times]
    assert dep.postprocess is False and dep.show_api is False
    assert _click(ex, 0) == ["ab", 3]  # postprocessed once, by the Number itself
    assert ex.dataset.display_rows() == [["ab", "2.6"], ["cd", "1"]]
    assert ex.dataset.header_labels() == ["word", "times"]


def test_loaded_rows_are_copies_so_sessions_cannot_change_the_examples() -> None:
    with gr.Blocks():
        box = gr.JSON()
        ex = gr.Examples([[{"gain": 1}]], [box])
    first = _click(ex, 0)
    first["gain"] = 99
    assert _click(ex, 0) == {"gain": 1}


def test_a_flat_list_works_for_a_single_input() -> None:
    with gr.Blocks():
        box = gr.Textbox()
        ex = gr.Examples(["one", "two"], box)
    assert ex.examples == [["one"], ["two"]]
    assert _click(ex, 1) == "two"


def test_inputs_without_any_example_are_left_out() -> None:
    with gr.Blocks():
        a, b, c = gr.Textbox(), gr.Textbox(), gr.Number()
        ex = gr.Examples([["x", None, 1], ["y"]], [a, b, c])
    assert ex.inputs_with_examples == [a, c]
    assert ex.load_input_event.outputs == [a, c]
    assert _click(ex, 1) == ["y", None]


def test_a_directory_gives_one_example_per_file_for_one_input(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", ".hidden"):
        (tmp_path / name).write_text(name)
    with gr.Blocks():
        files = gr.File()
        ex = gr.Examples(str(tmp_path), files)
    stored = _click(ex, 0)
    assert isinstance(stored, FileData) and stored.name == "a.txt"
    assert len(ex.examples) == 2


def test_a_directory_log_csv_gives_rows_with_paths_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "take.txt").write_text("hello")
    (tmp_path / "log.csv").write_text("file,note,extra\ntake.txt,first,ignored\n")
    with gr.Blocks():
        files, note = gr.File(), gr.Textbox()
        ex = gr.Examples(tmp_path, [files, note])
    stored, text = _click(ex, 0)
    assert Path(stored.path) == (tmp_path / "take.txt").resolve()
    assert text == "first"


def test_a_directory_without_log_csv_needs_a_single_input(tmp_path: Path) -> None:
    with gr.Blocks(), pytest.raises(FileNotFoundError, match="log.csv"):
        gr.Examples(tmp_path, [gr.Textbox(), gr.Textbox()])
    with gr.Blocks(), pytest.raises(FileNotFoundError, match="not a directory"):
        gr.Examples(tmp_path / "missing", gr.Textbox())


def test_an_audio_example_path_is_stored_as_filedata(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    sf = pytest.importorskip("soundfile")
    wav = tmp_path / "beep.wav"
    sf.write(wav, np.zeros((800, 1), dtype=np.float32), 8000)
    with gr.Blocks():
        audio = gr.Audio()
        ex = gr.Examples([[str(wav)]], [audio])
    stored = _click(ex, 0)
    assert isinstance(stored, FileData)
    assert stored.meta.get("sample_rate") == 8000


def test_a_broken_example_fails_at_build_time_naming_row_and_input(tmp_path: Path) -> None:
    with gr.Blocks(), pytest.raises(ComponentError, match="row 2, input 'doc'.*does not exist"):
        gr.Examples([[None], [str(tmp_path / "gone.txt")]], [gr.File(label="doc")])


def test_bad_arguments_are_rejected_with_the_fix() -> None:
    with gr.Blocks():
        box = gr.Textbox()
        with pytest.raises(ValueError, match="needs both fn= and outputs="):
            gr.Examples([["a"]], box, cache_examples=True)
        with pytest.raises(ValueError, match="run_on_click=True needs fn="):
            gr.Examples([["a"]], box, run_on_click=True)
        with pytest.raises(TypeError, match="inputs must be components"):
            gr.Examples([["a"]], ["not a component"])  # type: ignore[list-item]
        with pytest.raises(ValueError, match="list of rows"):
            gr.Examples(["a", "b"], [box, box])
        with pytest.raises(ValueError, match="cache_examples must be"):
            gr.Examples([["a"]], box, cache_examples="eager")  # type: ignore[arg-type]


def test_run_on_click_chains_fn_after_filling_the_inputs() -> None:
    def shout(text: str) -> str:
        return text.upper()

    with gr.Blocks() as demo:
        box, out = gr.Textbox(), gr.Textbox()
        ex = gr.Examples([["hi"]], box, out, fn=shout, run_on_click=True)
    then = ex.load_output_event
    assert then is not None and then in demo.fns
    assert then.trigger_after is ex.load_input_event
    assert then.fn is shout and then.inputs == [box] and then.outputs == [out]
    assert ex.cache_requested is False


def test_cached_examples_run_fn_once_per_row() -> None:
    calls: list[str] = []

    def shout(text: str, times: int) -> str:
        calls.append(text)
        return text.upper() * times

    with gr.Blocks():
        box, num, out = gr.Textbox(), gr.Number(precision=0), gr.Textbox()
        ex = gr.Examples([["ab", 2], ["c", 1]], [box, num], out, fn=shout, cache_examples=True)
    assert ex.cache_requested is True
    assert ex.dataset.examples_handler is ex
    asyncio.run(ex.compute_cache())
    asyncio.run(ex.compute_cache())
    assert calls == ["ab", "c"]
    cached_dep = ex.load_output_event
    assert cached_dep is not None and cached_dep.postprocess is False
    assert asyncio.run(cached_dep.fn(0)) == "ABAB"  # type: ignore[misc]
    assert calls == ["ab", "c"]


def test_lazy_cache_computes_a_row_on_its_first_click() -> None:
    calls: list[int] = []

    async def double(n: float) -> float:
        calls.append(int(n))
        return n * 2

    with gr.Blocks():
        num, out = gr.Number(), gr.Number()
        ex = gr.Examples([[1], [5]], num, out, fn=double, cache_examples="lazy")
    dep = ex.load_output_event
    assert dep is not None
    assert asyncio.run(dep.fn(1)) == 10.0  # type: ignore[misc]
    assert asyncio.run(dep.fn(1)) == 10.0  # type: ignore[misc]
    assert calls == [5]


def test_cached_generator_keeps_its_last_output_and_updates_keep_their_props() -> None:
    def count(n: float) -> Any:
        yield from range(int(n))
        yield gr.update(value=str(n), visible=True)

    with gr.Blocks():
        num, out = gr.Number(), gr.Textbox()
        ex = gr.Examples([[3]], num, out, fn=count, cache_examples=True)
    asyncio.run(ex.compute_cache())
    assert ex.cached[0] == [({"visible": True}, "3.0")]
    returned = asyncio.run(ex.load_output_event.fn(0))  # type: ignore[union-attr,misc]
    assert is_update(returned)
    assert split_update(out, returned) == ({"visible": True}, "3.0")


def test_cached_outputs_map_dict_returns_and_batches() -> None:
    def both(text: str) -> dict[Any, Any]:
        return {upper: text.upper()}

    def batched(texts: list[str]) -> tuple[list[str], list[int]]:
        return [t[::-1] for t in texts], [len(t) for t in texts]

    with gr.Blocks():
        box, upper, lower = gr.Textbox(), gr.Textbox(), gr.Textbox()
        ex = gr.Examples([["Ab"]], box, [upper, lower], fn=both, cache_examples=True)
        size = gr.Number(precision=0)
        bex = gr.Examples(
            [["abc"]], box, [upper, size], fn=batched, cache_examples=True, batch=True
        )
    asyncio.run(ex.compute_cache())
    assert ex.cached[0][0] == ({}, "AB")
    assert ex.cached[0][1] == ({}, NO_VALUE)
    asyncio.run(bex.compute_cache())
    assert bex.cached[0] == [({}, "cba"), ({}, 3)]


def test_gradio_cache_examples_env_turns_caching_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADIO_CACHE_EXAMPLES", "true")
    with gr.Blocks():
        box, out = gr.Textbox(), gr.Textbox()
        with_fn = gr.Examples([["a"]], box, out, fn=str.upper)
        without_fn = gr.Examples([["a"]], box)
    assert with_fn.cache_requested is True
    assert without_fn.cache_requested is False


async def test_clicking_a_row_in_a_session_fills_inputs_and_cached_outputs() -> None:
    from audiotui.runtime import Session

    with gr.Blocks() as demo:
        word, times, out = gr.Textbox(), gr.Number(precision=0), gr.Textbox()
        cached = gr.Examples(
            [["a", 1], ["b", 2.7]], [word, times], out, fn=lambda s, k: s * k, cache_examples=True
        )
        on_click = gr.Examples(
            [["z", 2]], [word, times], out, fn=lambda s, k: s + str(k), run_on_click=True
        )
    session = Session(demo)
    await session.start()
    try:
        session.set_value(cached.dataset, 1)
        session.trigger(cached.dataset, "click")
        await session.wait_idle()
        assert (session.get_value(word), session.get_value(times)) == ("b", 3)
        assert session.get_value(out) == "bbb"
        session.set_value(on_click.dataset, 0)
        session.trigger(on_click.dataset, "click")
        await session.wait_idle()
        assert (session.get_value(word), session.get_value(out)) == ("z", "z2")
    finally:
        await session.close()
