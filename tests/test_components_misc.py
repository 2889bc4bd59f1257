"""File, Dataset, string shortcuts and updates (`gr.update`, returned components)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

import audiotui as gr
from audiotui.components.registry import (
    component_from_string,
    get_component_instance,
    shortcut_names,
)
from audiotui.data import FileData
from audiotui.errors import ComponentError, Error
from audiotui.updates import NO_VALUE, constructor_args, is_update, split_update, update

# -- File ---------------------------------------------------------------------------------


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("take 1: good")
    return path


def test_file_stores_filedata_and_hands_fn_a_private_copy(notes: Path) -> None:
    comp = gr.File(render=False)
    stored = comp.postprocess(str(notes))
    assert isinstance(stored, FileData)
    assert (stored.path, stored.orig_name, stored.size) == (str(notes), "notes.txt", 12)
    given = comp.preprocess(stored)
    assert isinstance(given, str) and given != str(notes)
    assert Path(given).name == "notes.txt"
    assert stat.S_IMODE(Path(given).stat().st_mode) == 0o600
    Path(given).write_text("overwritten by fn")
    assert notes.read_text() == "take 1: good"


def test_file_binary_type_gives_bytes_and_round_trips(notes: Path) -> None:
    comp = gr.File(type="binary", render=False)
    data = comp.preprocess(comp.postprocess(notes))
    assert data == b"take 1: good"
    assert comp.preprocess(comp.postprocess(data)) == b"take 1: good"


def test_file_multiple_and_directory_counts(tmp_path: Path) -> None:
    (tmp_path / "a.wav").write_bytes(b"1")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.wav").write_bytes(b"22")
    many = gr.File(file_count="multiple", render=False)
    stored = many.postprocess([tmp_path / "a.wav", tmp_path / "sub" / "b.wav"])
    assert [fd.name for fd in stored] == ["a.wav", "b.wav"]
    assert [Path(p).read_bytes() for p in many.preprocess(stored)] == [b"1", b"22"]
    folder = gr.File(file_count="directory", render=False)
    assert [fd.size for fd in folder.postprocess(tmp_path)] == [1, 2]
    with pytest.raises(ComponentError, match="is a directory"):
        gr.File(render=False).postprocess(tmp_path)


def test_file_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ComponentError, match="does not exist"):
        gr.File(render=False).postprocess(tmp_path / "nope.txt")
    with pytest.raises(ComponentError, match="does not exist"):
        gr.File(value=str(tmp_path / "nope.txt"), render=False)


def test_file_types_are_enforced_on_input(tmp_path: Path) -> None:
    wav = tmp_path / "take.wav"
    wav.write_bytes(b"RIFF")
    audio_only = gr.File(file_types=["audio"], render=False)
    assert Path(audio_only.preprocess(audio_only.postprocess(wav))).name == "take.wav"
    text_only = gr.File(file_types=[".txt"], render=False)
    with pytest.raises(Error, match="not an accepted file type"):
        text_only.preprocess(text_only.postprocess(wav))


def test_file_warns_about_arguments_gradio_only_stores() -> None:
    with pytest.warns(UserWarning, match="File: file_count"):
        assert gr.File(file_count="many", render=False).file_count == "single"  # type: ignore[arg-type]
    with pytest.warns(UserWarning, match="File: file_types entry 'wav'"):
        assert gr.File(file_types=["wav"], render=False).file_types == [".wav"]


@pytest.mark.parametrize(
    ("kwargs", "error", "word"),
    [  # gradio/components/file.py refuses these too
        ({"type": "bytes"}, ValueError, "type"),
        ({"file_types": ".wav"}, TypeError, "file_types"),
    ],
)
def test_file_rejects_bad_arguments(
    kwargs: dict[str, object], error: type[Exception], word: str
) -> None:
    with pytest.raises(error, match=f"File: {word}"):
        gr.File(render=False, **kwargs)  # type: ignore[arg-type]


def test_file_description_and_events(notes: Path) -> None:
    comp = gr.File(file_count="multiple", render=False)
    assert comp.api_info()["type"] == "array"
    assert comp.as_example([str(notes)]) == "notes.txt"
    assert list(gr.File.EVENTS) == ["change", "select", "clear", "upload", "delete"]


# -- Dataset ------------------------------------------------------------------------------


def test_dataset_preprocess_follows_type() -> None:
    box = gr.Textbox(label="word", render=False)
    samples = [["alpha"], ["beta"]]
    assert gr.Dataset(components=[box], samples=samples, render=False).preprocess(1) == ["beta"]
    assert (
        gr.Dataset(components=[box], samples=samples, type="index", render=False).preprocess(1) == 1
    )
    tup = gr.Dataset(components=[box], samples=samples, type="tuple", render=False)
    assert tup.preprocess(0) == (0, ["alpha"])
    with pytest.raises(Error, match="row 5 does not exist"):
        tup.preprocess(5)


def test_dataset_rows_are_drawn_with_each_component_and_paged() -> None:
    ds = gr.Dataset(
        components=["text", gr.Dropdown([("Low", 1), ("High", 2)], label="n", render=False)],
        samples=[[f"s{i}", 1 + i % 2] for i in range(25)],
        samples_per_page=10,
        render=False,
    )
    assert ds.header_labels() == ["Textbox", "n"]
    assert ds.display_rows()[3] == ["s3", "High"]
    assert ds.page_count() == 3
    assert [i for i, _ in ds.page(2)] == [20, 21, 22, 23, 24]


def test_dataset_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="Dataset: type"):
        gr.Dataset(type="rows", render=False)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Dataset: each sample"):
        gr.Dataset(samples=["flat"], render=False)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="Dataset: samples_per_page"):
        gr.Dataset(samples_per_page=0, render=False)
    with pytest.raises(TypeError, match="Dataset: components"):
        gr.Dataset(components=[3], render=False)  # type: ignore[list-item]


def test_returning_rows_to_a_dataset_updates_its_samples() -> None:
    ds = gr.Dataset(components=["text"], samples=[["a"]], render=False)
    props, value = split_update(ds, [["x"], ("y",)])
    assert props == {"samples": [["x"], ["y"]]} and value is NO_VALUE
    with pytest.raises(ComponentError, match="list of rows"):
        ds.postprocess("x")


# -- string shortcuts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("text", "Textbox"),
        ("Textbox", "Textbox"),
        ("number", "Number"),
        ("slider", "Slider"),
        ("checkbox", "Checkbox"),
        ("checkbox_group", "CheckboxGroup"),
        ("dropdown", "Dropdown"),
        ("radio", "Radio"),
        ("label", "Label"),
        ("json", "JSON"),
        ("markdown", "Markdown"),
        ("file", "File"),
        ("state", "State"),
        ("button", "Button"),
        ("dataset", "Dataset"),
    ],
)
def test_string_shortcuts_build_the_named_component(name: str, cls: str) -> None:
    comp = component_from_string(name, render=False)
    assert type(comp).__name__ == cls
    assert not comp.is_rendered


def test_unknown_shortcut_lists_the_valid_names() -> None:
    with pytest.raises(ValueError, match="unknown component 'picture'.*audio.*microphone"):
        component_from_string("picture")
    assert {"audio", "microphone", "text", "textbox"} <= set(shortcut_names())


def test_get_component_instance_accepts_instances_classes_and_names() -> None:
    box = gr.Textbox(render=False)
    assert get_component_instance(box, render=False) is box
    assert isinstance(get_component_instance(gr.Number, render=False), gr.Number)
    assert isinstance(get_component_instance("json", render=False), gr.JSON)
    with pytest.raises(TypeError, match="expected a component"):
        get_component_instance(3)


def test_shortcut_renders_into_the_open_blocks() -> None:
    with gr.Blocks() as demo:
        comp = component_from_string("text")
    assert demo.components == [comp]


# -- updates ------------------------------------------------------------------------------


def test_update_has_gradio_shape() -> None:
    upd = update(visible=False, value="x")
    assert upd == {"__type__": "update", "visible": False, "value": "x"}
    assert is_update(upd) and not is_update({"visible": False})


def test_split_update_separates_props_from_value() -> None:
    box = gr.Textbox(render=False)
    assert split_update(box, update(visible=False, value=3)) == ({"visible": False}, 3)
    assert split_update(box, update(interactive=True)) == ({"interactive": True}, NO_VALUE)
    assert split_update(box, "plain") == ({}, "plain")
    assert split_update(box, update(value=None)) == ({}, None)


def test_returned_component_updates_only_what_was_passed() -> None:
    box = gr.Textbox(render=False)
    assert split_update(box, gr.Textbox(visible=False, render=False)) == (
        {"visible": False},
        NO_VALUE,
    )
    # visible=True is the default, yet passing it must re-show a hidden component
    assert split_update(box, gr.Button(visible=True, render=False)) == ({"visible": True}, NO_VALUE)
    props, value = split_update(box, gr.Textbox("hi", lines=3, render=False))
    assert props == {"lines": 3} and value == "hi"


def test_constructor_args_are_recorded_once_per_instance() -> None:
    slider = gr.Slider(0, 5, step=1, render=False)
    assert constructor_args(slider) == {"minimum": 0, "maximum": 5, "step": 1, "render": False}
    assert constructor_args(gr.State(3, render=False)) == {"value": 3, "render": False}


def test_choice_update_is_normalised_by_split_update() -> None:
    dd = gr.Dropdown(["a"], render=False)
    props, value = split_update(dd, update(choices=["b", ("C", "c")], value="c"))
    assert props == {"choices": [("b", "b"), ("C", "c")]} and value == "c"


def test_returned_component_instance_created_in_fn_does_not_join_the_app() -> None:
    with gr.Blocks() as demo:
        box = gr.Textbox()
    returned = gr.Textbox(visible=False)  # as inside fn, where no Blocks is open
    assert split_update(box, returned) == ({"visible": False}, NO_VALUE)
    assert returned not in demo.components


# -- ClearButton --------------------------------------------------------------------------


async def test_clear_button_empties_components_and_restarts_state() -> None:
    from audiotui.runtime import Session

    with gr.Blocks() as demo:
        box = gr.Textbox("start")
        slider = gr.Slider(2, 5, value=4)
        memory = gr.State([1])
        clear = gr.ClearButton([box, slider])
        clear.add(memory)
    assert clear.value == "Clear" and clear.cleared == [box, slider, memory]
    session = Session(demo)
    await session.start()
    try:
        session.set_value(box, "typed")
        session.set_value(memory, [1, 2, 3])
        session.trigger(clear, "click")
        await session.wait_idle()
        assert session.get_value(box) is None
        assert session.get_value(slider) == 2
        assert session.get_value(memory) == [1]
    finally:
        await session.close()


def test_clear_button_refuses_non_components() -> None:
    with gr.Blocks(), pytest.raises(TypeError, match="ClearButton: can only clear components"):
        gr.ClearButton(["box"])  # type: ignore[list-item]


# -- components a terminal cannot draw ----------------------------------------------------


def test_unsupported_components_accept_any_gradio_arguments() -> None:
    from audiotui.components.unsupported import UNSUPPORTED

    for cls in UNSUPPORTED:
        comp = cls(None, "extra positional", label="Out", height=300, type="pil", render=False)
        assert comp.terminal_supported is False
        assert comp.label == "Out"
        assert comp.settings == {"height": 300, "type": "pil", "args": ["extra positional"]}
        assert "cannot be drawn in a terminal" in comp.describe()
        assert comp.get_config()["terminal_supported"] is False
        assert len(type(comp).EVENTS) >= 1


def test_unsupported_file_values_become_filedata_and_reach_fn_as_paths(notes: Path) -> None:
    image = gr.Image(value=str(notes), label="Spectrogram", type="filepath", render=False)
    assert isinstance(image.value, FileData) and image.value.name == "notes.txt"
    assert image.preprocess(image.value) == str(notes)
    gallery = gr.Gallery(render=False).postprocess([(str(notes), "caption"), "not a file"])
    assert isinstance(gallery[0][0], FileData) and gallery[0][1] == "caption"
    assert gallery[1] == "not a file"
    assert "notes.txt" in image.describe(image.value)


def test_unsupported_values_pass_through_unchanged() -> None:
    np = pytest.importorskip("numpy")
    history = [["hi", "hello"]]
    chat = gr.Chatbot(history, render=False)
    assert chat.preprocess(chat.postprocess(history)) == history
    table = gr.Dataframe(render=False)
    array = np.zeros((3, 2))
    assert table.postprocess(array) is array
    assert "array of shape (3, 2)" in table.describe(array)
    assert gr.HTML(render=False).describe(None).endswith("value: empty")


def test_unsupported_components_listen_to_their_gradio_events() -> None:
    with gr.Blocks() as demo:
        image = gr.Image()
        out = gr.Textbox()
        dep = image.upload(lambda p: p, image, out)
    assert dep.triggers == [(image, "upload")]
    assert image in demo.components
    assert component_from_string("image", render=False).terminal_supported is False
