"""Multitrack mixer: each added track gets its own gain slider, drawn by `gr.render` from State."""
import gradio as gr
import numpy as np


def to_float_mono(data):
    samples = data.astype(np.float32) / 32768.0
    return samples.mean(axis=1) if samples.ndim == 2 else samples


with gr.Blocks(title="Track mixer") as demo:
    tracks = gr.State([])
    with gr.Row():
        new_track = gr.Audio(label="New track", sources=["upload"], type="numpy")
        add_btn = gr.Button("Add to the mix")
    mix_btn = gr.Button("Mix", variant="primary")
    mix_out = gr.Audio(label="Mix")

    def add_track(track_list, audio):
        if audio is None:
            raise gr.Error("Upload a track before adding it to the mix")
        sr, data = audio
        if track_list and track_list[0]["sr"] != sr:
            raise gr.Error(f"Tracks must share a sample rate ({track_list[0]['sr']} Hz)")
        return track_list + [{"sr": sr, "samples": to_float_mono(data), "gain": 1.0}], None

    add_btn.click(add_track, [tracks, new_track], [tracks, new_track], api_name="add_track")

    @gr.render(inputs=tracks)
    def show_tracks(track_list):
        if not track_list:
            gr.Markdown("No tracks yet: upload one and press *Add to the mix*.")
            return
        for i, track in enumerate(track_list):
            with gr.Row():
                seconds = len(track["samples"]) / track["sr"]
                gr.Markdown(f"**Track {i + 1}**: {seconds:.2f} s at {track['sr']} Hz")
                gain = gr.Slider(0, 2, value=track["gain"], step=0.05, label="Gain", key=f"g{i}")

                def set_gain(value, track_list, i=i):
                    track_list[i]["gain"] = value
                    return track_list

                gain.release(set_gain, [gain, tracks], tracks)

    def mix(track_list):
        if not track_list:
            raise gr.Error("Add at least one track first")
        length = max(len(t["samples"]) for t in track_list)
        out = np.zeros(length, dtype=np.float32)
        for t in track_list:
            out[: len(t["samples"])] += t["gain"] * t["samples"]
        return track_list[0]["sr"], np.clip(out, -1.0, 1.0)

    mix_btn.click(mix, tracks, mix_out, api_name="mix")

if __name__ == "__main__":
    demo.launch()
