"""Loading app files: finding the app, errors with the app's own line, the scoped gradio alias."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from audiotui.blocks import Blocks
from audiotui.errors import AppLoadError
from audiotui.loader import gradio_alias, load_app, recorded_launch_kwargs


def _write(tmp_path: Path, source: str, name: str = "app.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


def test_guarded_launch_does_not_run_and_demo_is_returned(tmp_path: Path) -> None:
    app = _write(
        tmp_path,
        """
        import audiotui as gr
        with gr.Blocks() as demo:
            pass
        other = gr.Blocks()
        LAUNCHED = []
        if __name__ == "__main__":
            LAUNCHED.append(True)
            demo.launch()
    """,
    )
    blocks = load_app(app)
    assert isinstance(blocks, Blocks)
    assert recorded_launch_kwargs(blocks) == {}  # read from the guard, not run


def test_guarded_launch_arguments_are_read_without_running_them(tmp_path: Path) -> None:
    app = _write(tmp_path, """
        import audiotui as gr
        with gr.Blocks() as demo:
            pass
        SIZE = "1kb"
        if __name__ == "__main__":
            demo.queue(default_concurrency_limit=2).launch(
                max_file_size="100kb", share=True, auth=SIZE
            )
            raise SystemExit("never reached while loading")
    """)
    blocks = load_app(app)
    assert recorded_launch_kwargs(blocks) == {"max_file_size": "100kb", "share": True}
    assert blocks.max_file_size == 100 * 1024
    assert blocks.queue_settings["default_concurrency_limit"] == 1  # the guard did not run


def test_unguarded_launch_only_records_its_arguments(tmp_path: Path) -> None:
    app = _write(
        tmp_path,
        """
        import audiotui as gr
        with gr.Blocks() as app:
            pass
        app.launch(share=True, server_port=7861)
    """,
    )
    blocks = load_app(app)
    assert recorded_launch_kwargs(blocks) == {"share": True, "server_port": 7861}
    assert "launch" not in vars(Blocks) or vars(Blocks)["launch"].__name__ != "_recording_launch"


def test_the_only_blocks_is_found_when_not_named_demo(tmp_path: Path) -> None:
    app = _write(
        tmp_path,
        """
        import audiotui as gr
        with gr.Blocks(title="mine") as my_app:
            pass
    """,
    )
    assert load_app(app).title == "mine"


def test_several_blocks_without_demo_is_an_error_listing_them(tmp_path: Path) -> None:
    app = _write(
        tmp_path,
        """
        import audiotui as gr
        first = gr.Blocks()
        second = gr.Blocks()
    """,
    )
    with pytest.raises(AppLoadError, match=r"several .*first, second.*demo"):
        load_app(app)
    assert load_app(app, demo_name="second") is not None


def test_demo_name_that_is_not_blocks_is_an_error(tmp_path: Path) -> None:
    app = _write(tmp_path, "import audiotui as gr\ndemo = gr.Blocks()\nx = 3\n")
    with pytest.raises(AppLoadError, match="no Blocks/Interface named 'x' .x is a int"):
        load_app(app, demo_name="x")


def test_file_without_blocks_is_an_error(tmp_path: Path) -> None:
    app = _write(tmp_path, "x = 1\n")
    with pytest.raises(AppLoadError, match="no Blocks or Interface"):
        load_app(app)


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AppLoadError, match="no such file"):
        load_app(tmp_path / "nope.py")


def test_syntax_error_names_the_app_file_and_line(tmp_path: Path) -> None:
    app = _write(tmp_path, "import audiotui as gr\n\ndemo = gr.Blocks(\n\n\nx = = 2\n")
    with pytest.raises(AppLoadError) as info:
        load_app(app)
    message = str(info.value)
    assert message.startswith(f"{app}:")
    assert "syntax error" in message


def test_exception_in_the_app_names_its_own_line(tmp_path: Path) -> None:
    app = _write(tmp_path, "import audiotui as gr\n\n\ndemo = gr.Blocks()\n1 / 0\n")
    with pytest.raises(AppLoadError, match=rf"{app}:5: ZeroDivisionError"):
        load_app(app)


def test_sys_exit_in_the_app_does_not_end_the_caller(tmp_path: Path) -> None:
    app = _write(tmp_path, "import sys\nsys.exit(3)\n")
    with pytest.raises(AppLoadError, match=":2: SystemExit"):
        load_app(app)


def test_app_can_import_its_sibling_modules(tmp_path: Path) -> None:
    _write(tmp_path, "LABEL = 'from sibling'\n", name="helpers_for_app.py")
    app = _write(
        tmp_path,
        """
        import audiotui as gr
        from helpers_for_app import LABEL
        demo = gr.Blocks(title=LABEL)
    """,
    )
    assert load_app(app).title == "from sibling"
    assert str(tmp_path) not in sys.path


def test_import_gradio_resolves_to_audiotui_while_loading(tmp_path: Path) -> None:
    app = _write(
        tmp_path,
        """
        import gradio as gr
        from gradio import Blocks
        from gradio.layouts import Row
        import gradio.themes
        theme = gr.themes.Soft(primary_hue="blue").set(body_background_fill="red")
        from gradio.processing_utils import audio_from_file, audio_to_file
        VERSION = gr.__version__
        with Blocks(theme=theme) as demo:
            with Row():
                pass
    """,
    )
    demo = load_app(app)
    assert isinstance(demo, Blocks)
    assert "gradio" not in sys.modules
    with pytest.raises(ModuleNotFoundError):
        __import__("gradio")


def test_unknown_gradio_submodule_is_a_clear_error(tmp_path: Path) -> None:
    app = _write(tmp_path, "import gradio.networking\n")
    with pytest.raises(AppLoadError, match="imports gradio.networking, which audiotui does not"):
        load_app(app)


def test_unknown_gradio_name_says_it_is_not_available(tmp_path: Path) -> None:
    app = _write(tmp_path, "import gradio as gr\nx = gr.Model3DEditorXYZ\n")
    with pytest.raises(AppLoadError, match="gradio.Model3DEditorXYZ is not available"):
        load_app(app)


def test_alias_wins_over_an_installed_gradio_unless_disabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "site" / "gradio"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("REAL = True\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    app = _write(
        tmp_path,
        """
        import gradio
        import audiotui
        IS_REAL = getattr(gradio, "REAL", False)
        demo = audiotui.Blocks(title="real" if IS_REAL else "alias")
    """,
    )
    try:
        assert load_app(app).title == "alias"
        assert load_app(app, alias=False).title == "real"
        import gradio  # the real one is importable again after the alias closed

        assert gradio.REAL is True
        with gradio_alias():
            import gradio as aliased

            assert not hasattr(aliased, "REAL")
        assert sys.modules["gradio"] is gradio
    finally:
        sys.modules.pop("gradio", None)  # the fake must not outlive this test


def test_themes_are_accepted_stand_ins_with_audiotui_too() -> None:
    import audiotui as gr

    theme = gr.themes.Soft(primary_hue=gr.themes.colors.blue).set(button_primary_text_color="x")
    assert theme.kwargs["button_primary_text_color"] == "x"
    assert isinstance(gr.themes.Base(), gr.themes.Theme)


def test_alias_is_shared_by_nested_and_concurrent_users(tmp_path: Path) -> None:
    import threading

    app = _write(tmp_path, "import gradio as gr\ndemo = gr.Blocks(title='inner')\n")
    loaded: list[str] = []
    with gradio_alias():
        import gradio as outer

        # another thread loads an app while this one holds the alias: no deadlock
        worker = threading.Thread(target=lambda: loaded.append(load_app(app).title))
        worker.start()
        worker.join(timeout=30)
        with gradio_alias():
            import gradio as inner
        assert inner is outer  # one alias, still in force after the nested use ended
        import gradio

        assert gradio is outer
    assert loaded == ["inner"]
    assert "gradio" not in sys.modules


def test_submodules_that_demos_import_names_from_resolve(tmp_path: Path) -> None:
    app = _write(tmp_path, """
        import gradio as gr
        from gradio.components.audio import WaveformOptions
        from gradio.components.base import Component
        from gradio.events import SelectData
        from gradio.data_classes import FileData
        from gradio.themes.base import Base
        from gradio.themes.utils import colors, fonts, sizes

        class Seafoam(Base):
            def __init__(self):
                super().__init__(primary_hue=colors.emerald, radius_size=sizes.radius_sm,
                                 font=[fonts.GoogleFont("Quicksand"), "sans-serif"])
                super().set(body_background_fill="white")

        cropped = gr.processing_utils.audio_from_file  # no import needed, as in gradio
        with gr.Blocks(theme=Seafoam()) as demo:
            gr.Audio(waveform_options=WaveformOptions(waveform_color="red"))
        PARTS = (Component, SelectData, FileData)
    """)
    demo = load_app(app)
    import audiotui

    audio = demo.components[0]
    assert isinstance(audio, audiotui.Audio) and audio.waveform_options.waveform_color == "red"
    assert "theme" in demo.web_only


def test_leaf_gradio_modules_have_no_submodules(tmp_path: Path) -> None:
    app = _write(tmp_path, "import gradio.processing_utils.nothing_here\n")
    with pytest.raises(AppLoadError, match="gradio.processing_utils.nothing_here"):
        load_app(app)


def test_gradio_templates_and_other_spellings_exist(tmp_path: Path) -> None:
    app = _write(tmp_path, """
        import gradio as gr
        with gr.Blocks() as demo:
            files = gr.Files(label="Takes")
            notes = gr.TextArea(label="Notes")
            mic = gr.Mic()
            text = gr.Text()
            table = gr.DataFrame()
            cam = gr.Webcam()
    """)
    demo = load_app(app)
    import audiotui

    files, notes, mic, text, table, cam = demo.components
    assert isinstance(files, audiotui.File) and files.file_count == "multiple"
    assert isinstance(notes, audiotui.Textbox) and notes.lines == 7
    assert type(mic) is audiotui.Microphone and type(text) is audiotui.Textbox
    assert not table.terminal_supported and not cam.terminal_supported
    assert audiotui.Files(file_count="single").file_count == "single"  # still overridable


def test_gradio_only_helpers_are_accepted(tmp_path: Path) -> None:
    app = _write(tmp_path, """
        import gradio as gr
        if gr.NO_RELOAD:
            MODEL = "loaded"
        gr.close_all()
        gr.set_static_paths(paths=["."])
        demo = gr.Interface(lambda a: a, "audio", "audio", flagging_callback=gr.CSVLogger(),
                            theme=gr.Theme.from_hub("gradio/seafoam"))
    """)
    with pytest.warns(UserWarning):
        demo = load_app(app)
    assert demo.fn is not None


def test_make_waveform_says_it_cannot_make_a_video(tmp_path: Path) -> None:
    app = _write(tmp_path, "import gradio as gr\ngr.make_waveform('x.wav')\n")
    with pytest.raises(AppLoadError, match="make_waveform renders a video"):
        load_app(app)


def test_findings_list_server_options_given_to_launch_but_not_max_file_size(
    tmp_path: Path,
) -> None:
    from audiotui.loader import compatibility_findings

    app = _write(tmp_path, """
        import gradio as gr
        with gr.Blocks() as demo:
            gr.Audio()
        if __name__ == "__main__":
            demo.launch(auth=("lab", "secret"), server_port=7860, max_file_size="5mb",
                        ssl_keyfile=None, debug=True)
    """)
    assert compatibility_findings(load_app(app)) == [
        "launch(auth=, server_port=) is web-only and ignored (there is no server)"
    ]


def test_gradio_timer_under_the_alias_loads(tmp_path: Path) -> None:
    app = tmp_path / "timer_app.py"
    app.write_text(
        "import gradio as gr\n"
        "with gr.Blocks() as demo:\n"
        "    t = gr.Timer(1)\n"
    )
    assert type(load_app(app).components[0]).__name__ == "Timer"
