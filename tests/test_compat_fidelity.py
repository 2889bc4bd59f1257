"""Gradio fidelity (issue 9), headless: what Gradio 4.34 accepts and does, audiotui accepts and does.

Each test drives an unmodified `import gradio as gr` app of tests/compat/apps through a Session
(as the TUI does) or the Client, and checks the behaviour Gradio's own source has; the Gradio
file each behaviour comes from is named in the engine code that implements it.
"""

from __future__ import annotations

import numpy as np
from compat.audio_checks import by_label
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
