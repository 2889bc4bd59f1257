"""Examples and flagging: a small synthesizer with cached example presets and a Flag button."""

import numpy as np

import audiotui as gr

SR = 22050


def synth(frequency, waveform, seconds):
    t = np.arange(int(SR * seconds)) / SR
    phase = 2 * np.pi * frequency * t
    if waveform == "sine":
        wave = np.sin(phase)
    elif waveform == "square":
        wave = np.sign(np.sin(phase))
    else:  # sawtooth
        wave = 2 * (frequency * t - np.floor(0.5 + frequency * t))
    fade = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01)  # 10 ms fades: no clicks
    return SR, (0.5 * wave * fade).astype(np.float32)


demo = gr.Interface(
    fn=synth,
    inputs=[
        gr.Number(440, label="Frequency (Hz)", minimum=20, maximum=10000),
        gr.Radio(["sine", "square", "sawtooth"], value="sine", label="Waveform"),
        gr.Slider(0.1, 3, value=1, step=0.1, label="Seconds"),
    ],
    outputs=gr.Audio(label="Tone"),
    examples=[[440, "sine", 1], [220, "square", 0.5], [110, "sawtooth", 2]],
    cache_examples=True,
    allow_flagging="manual",
    flagging_options=["good", "harsh"],
    flagging_dir="flagged_synth",
    title="Synth presets",
    article="Flag a tone to keep it in `flagged_synth/` with a row in `log.csv`.",
)

if __name__ == "__main__":
    demo.launch()
