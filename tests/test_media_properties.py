"""Property tests: conversions keep dtype promises, shape, rate, channel count and format."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from audiotui.components.audio import Audio
from audiotui.media import files
from audiotui.media.peaks import PeakPyramid

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RATES = st.sampled_from([8000, 11025, 16000, 22050, 44100, 48000])
INT_DTYPES = st.sampled_from(["int8", "uint8", "int16", "uint16", "int32", "uint32"])
FLOAT_DTYPES = st.sampled_from(["float16", "float32", "float64"])


@st.composite
def audio_arrays(draw, dtypes=INT_DTYPES, max_channels: int = 4):
    """(samples,) or (samples, channels) arrays of any supported dtype, finite values."""
    dtype = np.dtype(draw(dtypes))
    frames = draw(st.integers(9, 600))
    channels = draw(st.integers(1, max_channels))
    shape = (frames,) if channels == 1 and draw(st.booleans()) else (frames, channels)
    if dtype.kind == "f":
        elements = st.floats(-4, 4, width=min(dtype.itemsize * 8, 64), allow_nan=False)
    else:
        info = np.iinfo(dtype)
        elements = st.integers(int(info.min), int(info.max))
    return draw(arrays(dtype, shape, elements=elements))


def _expected_shape(data: np.ndarray) -> tuple[int, ...]:
    if data.ndim == 2 and data.shape[1] > 1:
        return data.shape
    return (data.shape[0],)


@PROPERTY
@given(rate=RATES, data=audio_arrays(), fmt=st.sampled_from(["wav", "flac"]))
def test_int_arrays_round_trip_losslessly_through_wav_and_flac(rate, data, fmt):
    fd = files.array_to_filedata(rate, data, format=fmt)
    sr, back = files.read_int16(fd.path)
    assert sr == rate and back.dtype == np.int16
    assert back.shape == _expected_shape(data)
    np.testing.assert_array_equal(back.reshape(data.shape), files.to_int16(data))


@PROPERTY
@given(rate=RATES, data=audio_arrays(FLOAT_DTYPES))
def test_float_arrays_come_back_peak_normalised_int16(rate, data):
    fd = Audio().postprocess((rate, data))
    sr, back = Audio().preprocess(fd)
    assert sr == rate and back.dtype == np.int16 and back.shape == _expected_shape(data)
    peak = np.abs(data.astype(np.float64)).max()
    expected = np.zeros(data.shape) if peak == 0 else np.rint(data / peak * 32767)
    assert np.abs(back.reshape(data.shape).astype(np.int64) - expected).max() <= 1


@PROPERTY
@given(
    rate=st.sampled_from([16000, 22050, 44100, 48000]),
    data=audio_arrays(st.sampled_from(["int16", "float32"]), max_channels=2),
    fmt=st.sampled_from(["ogg", "mp3"]),
)
def test_lossy_formats_keep_rate_channels_and_length(rate, data, fmt):
    fd = files.array_to_filedata(rate, data, format=fmt)
    assert fd.meta["format"] == fmt.upper() and fd.path.endswith("." + fmt)
    sr, back = files.read_int16(fd.path)
    assert sr == rate and back.dtype == np.int16 and back.shape == _expected_shape(data)


@PROPERTY
@given(
    data=audio_arrays(st.sampled_from(["int16"]), max_channels=2),
    target=st.sampled_from(["wav", "flac", "ogg", "mp3"]),
)
def test_conversion_keeps_rate_channels_and_length(data, target):
    source = files.array_to_filedata(44100, data, format="wav")
    out = files.convert_filedata(source, target)
    assert out.meta["format"] == target.upper()
    info = files.probe(out.path)
    assert (info.sample_rate, info.frames) == (44100, data.shape[0])
    assert info.channels == (1 if data.ndim == 1 else data.shape[1])


@PROPERTY
@given(
    data=audio_arrays(st.sampled_from(["float32"]), max_channels=3),
    start_frac=st.floats(0, 0.9),
    width=st.integers(1, 300),
)
def test_peak_columns_are_ordered_bounded_and_contain_the_truth(data, start_frac, width):
    samples = np.clip(data, -1, 1).reshape(len(data), -1)
    pyr = PeakPyramid.from_array(8000, samples)
    start = int(start_frac * len(samples))
    mins, maxs, rms = pyr.columns(start, len(samples), width)
    assert mins.shape == maxs.shape == rms.shape == (width,)
    assert (mins <= maxs).all() and (mins >= -1).all() and (maxs <= 1).all()
    assert (rms <= np.maximum(np.abs(mins), np.abs(maxs)) + 1e-5).all()
    assert mins.min() <= samples[start:].min() + 1e-6
    assert maxs.max() >= samples[start:].max() - 1e-6
