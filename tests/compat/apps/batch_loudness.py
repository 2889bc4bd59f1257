"""Batch loudness: several takes at once (gr.Files), a report (gr.TextArea) and one joined take.

Written the way larger Gradio apps are: a custom theme class from `gradio.themes.base`, names
imported from gradio's sub-modules, a flagging callback, and a `gr.NO_RELOAD` guard.
"""
import gradio as gr
import numpy as np
from gradio.components.audio import WaveformOptions
from gradio.processing_utils import audio_from_file
from gradio.themes.base import Base
from gradio.themes.utils import colors, sizes

if gr.NO_RELOAD:
    TARGET_DBFS = -20.0


class Studio(Base):
    def __init__(self):
        super().__init__(primary_hue=colors.orange, radius_size=sizes.radius_none)
        super().set(button_primary_background_fill="*primary_500")


def rms_dbfs(data):
    samples = data.astype(np.float32) / 32768.0
    return 20 * np.log10(max(float(np.sqrt(np.mean(samples**2))), 1e-9))


def measure(paths):
    if not paths:
        raise gr.Error("Add one or more takes first")
    lines, parts, rate = [], [], None
    for path in paths:
        sr, data = audio_from_file(path)
        if data.ndim == 2:
            data = data[:, 0]
        rate = rate or sr
        if sr != rate:
            raise gr.Error(f"All takes must share one sample rate ({rate} Hz)")
        level = rms_dbfs(data)
        gain = 10 ** ((TARGET_DBFS - level) / 20)
        parts.append(np.clip(data.astype(np.float32) * gain, -32768, 32767).astype(np.int16))
        lines.append(f"{path.rsplit('/', 1)[-1]}: {level:.1f} dBFS, gain {gain:.2f}x")
    return "\n".join(lines), (rate, np.concatenate(parts))


with gr.Blocks(theme=Studio(), title="Batch loudness") as demo:
    takes = gr.Files(label="Takes", file_types=["audio"])
    go = gr.Button("Level them", variant="primary")
    report = gr.TextArea(label="Report")
    joined = gr.Audio(label="Levelled takes", waveform_options=WaveformOptions(skip_length=1))
    go.click(measure, takes, [report, joined], api_name="level")

if __name__ == "__main__":
    demo.launch()
