"""Gradio fidelity (issue 9), headless: what Gradio 4.34 accepts and does, audiotui accepts and does.

Each test drives an unmodified `import gradio as gr` app of tests/compat/apps through a Session
(as the TUI does) or the Client, and checks the behaviour Gradio's own source has; the Gradio
file each behaviour comes from is named in the engine code that implements it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from compat.audio_checks import APPS, CHIRP, PIANO, by_label, dominant_hz, read, read_int16
from compat.session_driving import started_session


# -- 1. a .stream listener makes its Audio stream ------------------------------------------------
async def test_stream_listener_turns_streaming_on() -> None:
    from audiotui.media.files import array_to_filedata

    demo, session = await started_session("stream_listener_unflagged.py")
    try:
        mic = by_label(demo, "Microphone")
        assert mic.streaming is True
        assert mic.get_config()["streaming"] is True
        for n, peak in ((8000, 1000), (4000, 3000)):
            chunk = np.full(n, peak, dtype=np.int16)
            session.set_value(mic, array_to_filedata(16000, chunk, normalize=False))
            session.trigger(mic, "stream")
            await session.wait_idle()
        assert session.get_value(by_label(demo, "Status")) == "0.75 s heard, last peak 3000"
    finally:
        await session.close()


# -- 2. components without a value start at their front-end default --------------------------
def test_unset_values_are_the_front_end_defaults() -> None:
    import audiotui as gr

    with gr.Blocks():
        expected = {
            gr.Number(): 0.0, gr.Number(None, precision=0): 0, gr.Textbox(None): "",
            gr.Checkbox(): False, gr.CheckboxGroup(["a"]): [], gr.Slider(2, 5): 2,
            gr.Radio(["a"]): None, gr.Dropdown(["a"]): None, gr.Markdown(None): "",
            gr.Chatbot(): [], gr.Code(): "", gr.HTML(): "", gr.ColorPicker(): "#000000",
            gr.Audio(): None, gr.State(): None,
        }
    for component, value in expected.items():
        assert component.value == value, type(component).__name__
        assert type(component.value) is type(value), type(component).__name__


async def test_chain_of_unset_components_does_arithmetic() -> None:
    from audiotui.media.files import probe

    demo, session = await started_session("frontend_defaults.py")
    try:
        step = next(c for c in demo.components if type(c).__name__ == "Button")
        for _ in range(2):
            session.trigger(step, "click")
            await session.wait_idle()
        assert session.get_value(by_label(demo, "Steps")) == 2
        assert session.get_value(by_label(demo, "Doubled")) == 4
        assert session.get_value(by_label(demo, "Note")) == "♪♪"
        assert len(session.get_value(by_label(demo, "Log"))) == 2
        tone = session.get_value(by_label(demo, "Tone"))
        assert probe(tone.path).frames == 8000
        sr, data = read(tone.path)
        assert np.abs(data).max() == pytest.approx(0.03, abs=0.002)  # quiet, level 1 of 10
        assert dominant_hz(data, sr) == pytest.approx(220 * 2 ** (2 / 12), abs=2)
    finally:
        await session.close()


# -- 3. what Gradio 4.34 only stores is accepted, with one warning naming the app's line -----
def test_odd_arguments_load_with_warnings_naming_the_app_lines() -> None:
    import warnings

    from audiotui.loader import load_app

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        demo = load_app(APPS / "odd_arguments.py")
    ours = [w for w in caught if str(w.filename).endswith("odd_arguments.py")]
    text = "\n".join(str(w.message) for w in ours)
    for word in ("format='bytes'", "scale", "min_width", "lines", "max_length", "minimum",
                 "step", "variant", "size"):
        assert word in text, word
    assert all(w.lineno > 1 for w in ours)
    out = by_label(demo, "Streamed")
    assert (out.format, out.autoplay, out.streaming) == ("wav", True, True)
    rate = by_label(demo, "Rate")
    assert (rate.minimum, rate.maximum, rate.step > 0) == (1, 10, True)


def test_format_bytes_streams_the_bytes_as_they_come() -> None:
    import soundfile as sf

    from audiotui.client import Client

    client = Client(APPS / "odd_arguments.py")
    try:
        chunks = list(client.submit(str(CHIRP), api_name="/stream"))
    finally:
        client.close()
    assert len(chunks) == 3  # 24 044 bytes in 10 000-byte slices
    # float WAV chunks: read as float (libsndfile does not scale float files read as int16)
    joined = np.concatenate([sf.read(p, dtype="float32", always_2d=True)[0] for p in chunks])
    assert np.allclose(joined * 32768, read_int16(CHIRP), atol=1)


# -- 4. Blocks.clear(), Blocks.__call__ and the other public methods of 4.34 -------------------
async def test_with_demo_clear_rebuilds_the_app() -> None:
    demo, session = await started_session("clear_and_rebuild.py")
    try:
        labels = [c.label for c in demo.components]
        assert "Draft" not in labels and labels == ["Input", "Gain", "Output", None]
        assert [type(b).__name__ for b in demo.walk()] == ["Audio", "Slider", "Audio", "Button"]
        assert len(demo.fns) == 1
        await session.user_input(by_label(demo, "Input"), str(CHIRP))
        session.trigger(next(c for c in demo.components if c.label is None), "click")
        await session.wait_idle()
        out = session.get_value(by_label(demo, "Output"))
        sr, data = read(out.path)
        assert sr == 16000 and len(data) == 12000
    finally:
        await session.close()


def test_blocks_called_as_a_function_returns_the_output_file() -> None:
    from audiotui.loader import load_app

    demo = load_app(APPS / "clear_and_rebuild.py")
    path = demo(str(CHIRP), 2.0, api_name="/louder")
    sr, data = read(path)
    assert sr == 16000 and len(data) == 12000
    assert demo(str(CHIRP), 1.0, fn_index=0) != path
    assert demo.get_component(by_label(demo, "Gain").id).label == "Gain"
    audio = by_label(demo, "Input")
    assert audio.has_event("stream") and audio.has_event(audio.play) and not audio.has_event("click")
    assert audio.get_block_name() == "audio"
    assert audio.process_example(str(CHIRP)) == "rising_chirp.wav"
    demo.block_thread()
    demo.integrate(wandb=None)


# -- 5. the app is found whatever holds it ---------------------------------------------------
def test_an_unbound_interface_is_the_app() -> None:
    from audiotui.client import Client
    from audiotui.loader import load_app, recorded_launch_kwargs

    demo = load_app(APPS / "unbound_interface.py")
    assert type(demo).__name__ == "Interface"
    assert recorded_launch_kwargs(demo) == {}
    client = Client(APPS / "unbound_interface.py")
    try:
        path = client.predict(str(CHIRP))
    finally:
        client.close()
    faded = read_int16(path)[:, 0].astype(np.float64)
    original = read_int16(CHIRP)[:, 0].astype(np.float64)
    assert len(faded) == len(original)
    assert np.abs(faded[-1000:]).max() < 0.1 * np.abs(original[-1000:]).max()
    assert np.allclose(faded, original * np.linspace(1.0, 0.0, len(original)), atol=1.01)


def test_blocks_held_in_a_list_or_an_attribute_are_found(tmp_path: Path) -> None:
    from audiotui.loader import load_app

    app = tmp_path / "held.py"
    app.write_text(
        "import gradio as gr\n"
        "class App:\n"
        "    def __init__(self):\n"
        "        with gr.Blocks() as self.ui:\n"
        "            gr.Audio(label='Held')\n"
        "apps = [App()]\n"
    )
    assert load_app(app).components[0].label == "Held"


# -- 6. the theme stand-in answers every attribute harmlessly -------------------------------
def test_private_theme_api_is_answered_and_the_app_runs() -> None:
    from audiotui.client import Client

    client = Client(APPS / "theme_internals.py")
    try:
        path = client.predict(660, api_name="/beep")
    finally:
        client.close()
    sr, data = read(path)
    assert sr == 16000 and dominant_hz(data, sr) == pytest.approx(660, abs=2)


def test_theme_stand_in_values_behave_like_empty_ones() -> None:
    import audiotui as gr

    theme = gr.themes.Base()
    assert theme._get_theme_css() == "" and list(theme._stylesheets) == []
    assert str(theme.anything.at.all) == "" and theme.method_of_any_name(1, k=2) == ""
    assert theme.to_dict() == {"theme": {}}
    assert gr.themes.colors.blue.c500 == "" and f"{gr.themes.sizes.radius_sm}" == ""


# -- 7. gr.Image(type="numpy"/"pil") gets and returns what Gradio passes -----------------------
def test_image_inputs_are_arrays_and_outputs_are_files() -> None:
    pytest.importorskip("PIL")
    from PIL import Image

    from audiotui.client import Client

    client = Client(APPS / "image_and_audio.py")
    try:
        spectrogram, flipped, info = client.predict(
            str(PIANO), str(APPS / "audio" / "red_over_blue.png"))
    finally:
        client.close()
    assert info == "6x8 at 16000 Hz"
    picture = np.array(Image.open(flipped).convert("RGB"))
    assert picture.shape == (6, 8, 3)
    # saved as webp, lossy as in Gradio: colours are close, not exact
    assert np.allclose(picture[0, 4], [0, 0, 255], atol=16)
    assert np.allclose(picture[5, 4], [255, 0, 0], atol=16)
    spec = np.array(Image.open(spectrogram))
    assert spec.shape[0] == 129 and spec.dtype == np.uint8 and spec.max() >= 245  # 256-point FFT


async def test_cached_image_examples_start_without_error() -> None:
    pytest.importorskip("PIL")
    demo, session = await started_session("image_and_audio.py")
    try:
        rows = await demo.examples_handler.cached_outputs(0)
        values = [value for _, value in rows]
        assert values[2] == "6x8 at 16000 Hz"
        assert all(getattr(v, "path", "").endswith((".webp", ".png")) for v in values[:2])
    finally:
        await session.close()


def test_without_pillow_one_line_names_pip_install_and_fn_gets_the_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    import audiotui as gr

    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.warns(UserWarning, match="pip install pillow") as caught:
        image = gr.Image(type="numpy", render=False)
    assert caught[0].filename == __file__
    png = str(APPS / "audio" / "red_over_blue.png")
    assert image.preprocess(image.postprocess(png)) == png
    out = gr.Image(render=False).postprocess(np.full((4, 5, 3), 0.5))
    assert Path(out.path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # written without Pillow


# -- 8. audiotui call --out DIR writes every file an endpoint returns ----------------------------
def test_call_out_writes_image_outputs_into_the_directory(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "audiotui", "call", str(APPS / "image_and_audio.py"), str(PIANO),
         str(APPS / "audio" / "red_over_blue.png"), "--out", str(tmp_path), "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    for name in ("spectrogram", "flipped"):
        path = Path(out[name])
        assert path.parent == tmp_path and path.is_file() and path.stat().st_size > 0, name
    assert out["info"] == "6x8 at 16000 Hz"


def test_a_plot_figure_is_saved_and_reaches_out_dir(tmp_path: Path) -> None:
    from audiotui.cli.app_commands import _save_temp_files

    class Figure:  # what gr.Plot needs of a matplotlib figure
        def savefig(self, path: str, format: str) -> None:
            Path(path).write_bytes(b"\x89PNG\r\n\x1a\n")

    import audiotui as gr

    stored = gr.Plot(render=False).postprocess(Figure())
    saved = _save_temp_files({"plot": [stored.path], "text": "notes.txt"}, tmp_path, "run_plot")
    assert Path(saved["plot"][0]).parent == tmp_path and saved["text"] == "notes.txt"


# -- 9. Gradio 5 and 6 idioms ------------------------------------------------------------------
async def test_timer_ticks_after_an_interval_and_stops_when_inactive() -> None:
    import asyncio

    demo, session = await started_session("timer_metronome.py")
    try:
        beat = by_label(demo, "Beat")
        assert session.get_value(beat) == ""  # no tick at the start itself
        for _ in range(100):
            await asyncio.sleep(0.02)
            if session.get_value(beat) == "beat 3":
                break
        assert session.get_value(beat).startswith("beat ")
        click = session.get_value(by_label(demo, "Click"))
        sr, data = read(click.path)
        assert len(data) == 800 and dominant_hz(data, sr) in (pytest.approx(1760, abs=25),
                                                              pytest.approx(880, abs=25))
        await session.user_input(by_label(demo, "Running"), False)
        await session.wait_idle()
        await asyncio.sleep(0.1)
        stopped = session.get_value(beat)
        await asyncio.sleep(0.2)
        assert session.get_value(beat) == stopped
        assert by_label(demo, "Click").show_download_button is True
        assert demo.fill_width and type(by_label(demo, "BPM").parent).__name__ == "Sidebar"
    finally:
        await session.close()


async def test_stream_every_and_time_limit_are_taken_by_the_stream_listener() -> None:
    from audiotui.media.files import array_to_filedata

    demo, session = await started_session("stream_every_limit.py")
    try:
        mic = by_label(demo, "Mic")
        assert (mic.streaming, mic.stream_every, mic.stream_time_limit) == (True, 0.25, 3.0)
        assert (demo.fns[0].stream_every, demo.fns[0].time_limit) == (0.25, 3)
        for peak in (900, 2500):
            session.set_value(mic, array_to_filedata(
                16000, np.full(4000, peak, dtype=np.int16), normalize=False))
            session.trigger(mic, "stream")
            await session.wait_idle()
        assert session.get_value(by_label(demo, "Level")) == "2 chunk(s) of 0.25 s, loudest 2500"
    finally:
        await session.close()


async def test_chat_interface_answers_in_text_and_audio() -> None:
    demo, session = await started_session("chat_tone_bot.py")
    try:
        session.set_value(demo.textbox, "hello")
        session.trigger(demo.submit_btn, "click")
        await session.wait_idle()
        history = session.get_value(demo.history)
        assert history == [
            {"role": "user", "content": "hello"},
            {"role": "assistant",
             "content": "Ask for a note (a, c or e). You wrote 'hello'; 0 message(s) before."},
        ]
        assert session.get_value(demo.textbox) == ""
        session.set_value(demo.textbox, "e")
        session.trigger(demo.textbox, "submit")
        await session.wait_idle()
        transcript = session.get_value(demo.transcript)
        assert "**You:** e" in transcript and "**Assistant:** ♪ audio:" in transcript
        reply = session.get_value(demo.reply_audio)
        sr, data = read(reply.path)
        assert len(data) == 8000 and dominant_hz(data, sr) == pytest.approx(329.63, abs=3)
        assert history[0] in session.get_value(demo.history)
    finally:
        await session.close()


def test_chat_endpoint_returns_the_reply() -> None:
    from audiotui.client import Client

    client = Client(APPS / "chat_tone_bot.py")
    try:
        text = client.predict("hi", 1.0, api_name="/chat")
        audio = client.predict("a", 1.0, api_name="/chat")
    finally:
        client.close()
    assert text.startswith("Ask for a note")
    path = audio if isinstance(audio, str) else getattr(audio, "path", None) or audio["path"]
    sr, data = read(path)
    assert len(data) == 16000 and dominant_hz(data, sr) == pytest.approx(440, abs=3)


def test_check_lists_gradio_5_audio_settings_it_does_not_act_on(tmp_path: Path) -> None:
    from audiotui.loader import compatibility_findings, load_app

    app = tmp_path / "looping.py"
    app.write_text("import gradio as gr\nwith gr.Blocks() as demo:\n"
                   "    gr.Audio(loop=True, recording=True, subtitles='x.vtt', label='Loop')\n")
    findings = compatibility_findings(load_app(app))
    assert not any("loop" in f for f in findings)  # looping is done (the TUI replays)
    assert not any("recording" in f for f in findings)  # the TUI starts the microphone
    assert "Audio subtitles= is accepted and ignored (subtitles are not shown)" in findings
