"""Audio and Microphone: the Gradio 4.34 audio component, backed by files in the temp store."""

from __future__ import annotations

import dataclasses
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from audiotui.components.base import Component, _check_bool, tolerate
from audiotui.data import FileData
from audiotui.errors import AudioLengthError, ComponentError

if TYPE_CHECKING:
    import numpy as np

SOURCES = ("upload", "microphone")
TYPES = ("numpy", "filepath")
FORMATS = ("wav", "mp3", "flac", "ogg")
_JOB_STREAMS: weakref.WeakKeyDictionary[Any, dict[int, Any]] = weakref.WeakKeyDictionary()
"""Streamed bytes outputs in progress, per job; entries go with their job."""
_JOB_STREAMS_LOCK = threading.Lock()
EXAMPLE_URL = "https://github.com/gradio-app/gradio/raw/main/test/test_files/audio_sample.wav"


@dataclass
class WaveformOptions:
    """How the waveform is drawn and recorded (Gradio's `gr.WaveformOptions`).

    Colours are passed to the TUI as given (names or `#rrggbb`); None means the theme's.

    Attributes:
        waveform_color: colour of the not-yet-played part.
        waveform_progress_color: colour of the played part.
        show_controls: show the full transport (skip buttons, speed) rather than play/pause.
        skip_length: seconds the skip keys jump.
        trim_region_color: colour of a selected trim region.
        show_recording_waveform: draw the live waveform while recording.
        sample_rate: rate new recordings are made at (Hz).
    """

    waveform_color: str | None = None
    waveform_progress_color: str | None = None
    show_controls: bool = False
    skip_length: int | float = 5
    trim_region_color: str | None = None
    show_recording_waveform: bool = True
    sample_rate: int = 44100

    def __post_init__(self) -> None:
        """Gradio's dataclass stores anything; a value we cannot draw or record with warns
        (naming the app's line) and the default is used instead."""
        for name in ("waveform_color", "waveform_progress_color", "trim_region_color"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                tolerate("WaveformOptions", f"{name} should be a colour name or None, got "
                         f"{value!r}; using the theme's")
                setattr(self, name, None)
        for name in ("show_controls", "show_recording_waveform"):
            setattr(self, name, _check_bool("WaveformOptions", name, getattr(self, name)))
        skip = self.skip_length
        if isinstance(skip, bool) or not isinstance(skip, (int, float)) or skip <= 0:
            tolerate("WaveformOptions", f"skip_length should be positive seconds, got {skip!r}; "
                     "using 5")
            self.skip_length = 5
        rate: Any = self.sample_rate
        if isinstance(rate, float) and rate.is_integer() and rate > 0:
            self.sample_rate = int(rate)
        elif isinstance(rate, bool) or not isinstance(rate, int) or rate <= 0:
            tolerate("WaveformOptions", f"sample_rate should be a positive int, got {rate!r}; "
                     "using 44100")
            self.sample_rate = 44100

    @classmethod
    def coerce(cls, value: WaveformOptions | dict[str, Any] | None) -> WaveformOptions:
        """Accept the forms Gradio accepts: None (defaults), a dict, or an instance."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            known = {f.name for f in dataclasses.fields(cls)}
            unknown = sorted(str(k) for k in value if k not in known)
            if unknown:  # keys of other Gradio versions: the waveform is drawn without them
                tolerate("Audio", f"waveform_options keys {unknown} are ignored; known keys "
                         f"are {sorted(known)}")
            return cls(**{k: v for k, v in value.items() if k in known})
        tolerate("Audio", f"waveform_options should be a WaveformOptions, dict or None, got "
                 f"{value!r}; using the defaults")
        return cls()


class Audio(Component):
    """Upload, record, play and return audio (`gr.Audio`).

    As an input, `type="numpy"` passes `(sample_rate, data)` with `data` an **int16** array
    shaped `(n,)` for mono or `(n, channels)` - for every source format and bit depth (8/16/
    24/32-bit and float WAV, FLAC, OGG/Vorbis, MP3), as the Gradio docs promise (Gradio itself
    hands back int8/int32 for some files; we keep the documented promise). Nothing is
    resampled or down-mixed. `type="filepath"` passes the path of a private copy in `format`,
    so `fn` may do anything to it; the user's original file is never modified.
    `min_length`/`max_length` are checked before `fn` runs (AudioLengthError).

    As an output, `fn` may return None, a str/Path file, an http(s) URL (downloaded with a
    10 s timeout), bytes of any container libsndfile reads (kept as they are), or
    `(sample_rate, array)`. A file or URL in another container than `format` is converted
    into a private copy in `format`, as the seed says `format` applies to outputs too; a
    file already in `format` is used where it is, untouched. Arrays:

    - float arrays are divided by their peak (the documented Gradio behaviour); with
      `normalize=False` levels are kept and anything beyond [-1, 1] is clipped with a warning.
      An all-zero array stays silent.
    - int8/uint8/int16/uint16/int32/uint32 arrays are rescaled to 16 bits from their own
      range. int64 is refused (AudioFormatError): numpy's default integer type says nothing
      about the bit depth, so `astype(np.int16)` or `astype(np.int32)` must say it.
    - a 2-D array shaped `(channels, n)` with channels <= 8 < n is transposed, with a warning
      (Gradio would write a file with n channels).
    - NaN/inf, bool/complex/object dtypes, empty arrays and more than two dimensions raise
      AudioFormatError naming the problem.

    `format` may be "wav" or "mp3" as in Gradio, and also "flac" or "ogg" (libsndfile writes
    both). `show_share_button` is accepted for compatibility only: a terminal has nothing to
    share to. `streaming=True` marks output values as chunks (`FileData.is_stream`) to be
    appended to what is playing.

    Errors: audio that cannot be decoded or written (corrupt, empty, truncated, not audio,
    MP3 beyond 2 channels or off the MPEG rates) and failed downloads raise AudioFormatError
    naming the file and the reason; a returned value of the wrong type raises ComponentError.
    """

    EVENTS: ClassVar[Sequence[str]] = (
        "stream",
        "change",
        "clear",
        "play",
        "pause",
        "stop",
        "start_recording",
        "pause_recording",
        "stop_recording",
        "upload",
        "input",
    )
    DEFAULT_SOURCES: ClassVar[list[str] | None] = None

    def __init__(
        self,
        value: str | Path | tuple[int, np.ndarray] | Callable[[], Any] | None = None,
        *,
        sources: list[Literal["upload", "microphone"]] | str | None = None,
        type: Literal["numpy", "filepath"] = "numpy",
        label: str | None = None,
        every: float | None = None,
        show_label: bool | None = None,
        container: bool = True,
        scale: int | None = None,
        min_width: int = 160,
        interactive: bool | None = None,
        visible: bool = True,
        streaming: bool = False,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
        format: Literal["wav", "mp3", "flac", "ogg"] = "wav",
        autoplay: bool = False,
        show_download_button: bool | None = None,
        show_share_button: bool | None = None,
        editable: bool = True,
        min_length: int | float | None = None,
        max_length: int | float | None = None,
        waveform_options: WaveformOptions | dict[str, Any] | None = None,
        normalize: bool = True,
        inputs: Any = None,
        preserved_by_key: Any = None,
        loop: bool = False,
        recording: bool = False,
        subtitles: Any = None,
        buttons: list[str] | None = None,
        playback_position: float = 0,
    ) -> None:
        # Everything postprocess needs is set before Component.__init__ postprocesses value.
        self.streaming = _flag("streaming", streaming, False)
        self.sources = _check_sources(sources, self.streaming, self.DEFAULT_SOURCES)
        if type not in TYPES:
            raise ValueError(f"Audio: type must be one of {TYPES}, got {type!r}")
        self.type = type
        if format is None:  # Gradio 5's default ("as the input"); arrays are written as wav
            format = "wav"
        elif not isinstance(format, str) or format not in FORMATS:
            # Gradio 4.34 stores `format` unchecked (gradio/components/audio.py) and only uses
            # it when it writes a file, so apps pass e.g. "bytes" for streamed output: bytes a
            # function returns are kept as they are here anyway, and files are written as wav.
            tolerate("Audio", f"format={format!r} is not a format audiotui writes "
                     f"({', '.join(FORMATS)}); audio is written as 'wav' and bytes a function "
                     "returns are kept as they are")
            format = "wav"
        self.format = format
        self.autoplay = _flag("autoplay", autoplay, False)
        self.show_download_button = _opt_flag("show_download_button", show_download_button)
        self.show_share_button = _opt_flag("show_share_button", show_share_button)
        self.editable = _flag("editable", editable, True)
        self.normalize = _flag("normalize", normalize, True)
        self.min_length = _seconds("min_length", min_length)
        self.max_length = _seconds("max_length", max_length)
        if (
            self.min_length is not None
            and self.max_length is not None
            and self.min_length > self.max_length
        ):  # Gradio stores both; every recording would then be refused
            tolerate("Audio", f"min_length ({self.min_length}) is greater than max_length "
                     f"({self.max_length}); every audio will be refused")
        self.waveform_options = WaveformOptions.coerce(waveform_options)
        # Gradio 5 and 6 (gradio/components/audio.py): `loop` replays the audio when it ends,
        # `recording` starts the microphone as the app opens, `buttons` replaces the
        # show_download_button/show_share_button pair (6), `playback_position` is where
        # playback starts; `subtitles`, `inputs` (of a callable value) and
        # `preserved_by_key` are kept for the app and have no terminal meaning.
        self.loop = _flag("loop", loop, False)
        self.recording = _flag("recording", recording, False)
        if buttons is not None:
            names = [b for b in buttons if isinstance(b, str)] if isinstance(
                buttons, (list, tuple)) else []
            self.show_download_button = "download" in names
            self.show_share_button = "share" in names
        self.buttons = buttons
        self.subtitles = subtitles
        self.value_inputs = inputs
        self.preserved_by_key = preserved_by_key
        self.playback_position = (
            float(playback_position)
            if isinstance(playback_position, (int, float)) and not isinstance(
                playback_position, bool) and playback_position >= 0
            else 0.0
        )
        if show_label is not None:
            show_label = _flag("show_label", show_label, True)
        super().__init__(
            value,
            label=label,
            every=every,
            show_label=show_label,
            container=container,
            scale=scale,
            min_width=min_width,
            interactive=interactive,
            visible=visible,
            elem_id=elem_id,
            elem_classes=elem_classes,
            render=render,
            key=key,
        )

    # -- conversion -----------------------------------------------------------------------
    def preprocess(self, payload: FileData | str | Path | None) -> Any:
        """Stored file -> `(sr, int16 array)` or a private copy's path, after the length check."""
        if payload is None:
            return None
        from audiotui.media import files

        if isinstance(payload, (str, Path)):
            payload = files.path_to_filedata(payload)
        if not isinstance(payload, FileData):
            raise ComponentError(
                f"Audio: cannot preprocess {type(payload).__name__} {payload!r}; "
                "expected FileData, a file path or None"
            )
        self.check_length(payload)
        if self.type == "numpy":
            decoded = files.decode_int16(payload.path)
            _warn_truncated(decoded.truncation, payload)
            return decoded.rate, decoded.data
        copy, truncation = files.convert_with_report(payload, self.format)
        _warn_truncated(truncation, payload)
        return copy.path

    def check_streamable(self) -> None:
        """Gradio's check (gradio/components/audio.py): streaming needs the microphone."""
        if self.streaming and "microphone" not in self.sources:
            raise ValueError("Audio streaming only available if sources includes 'microphone'.")

    def check_length(self, payload: FileData) -> None:
        """Enforce min_length/max_length; the error names both limits and the duration."""
        if self.min_length is None and self.max_length is None:
            return
        meta = payload.meta
        if meta.get("frames") is not None and meta.get("sample_rate"):
            duration = meta["frames"] / meta["sample_rate"]
        else:
            from audiotui.media.files import probe

            duration = probe(payload.path).duration
        too_short = self.min_length is not None and duration < self.min_length
        too_long = self.max_length is not None and duration > self.max_length
        if too_short or too_long:
            raise AudioLengthError(
                f"Audio: {payload.name!r} is {_fmt_seconds(duration)} long, "
                f"{'shorter' if too_short else 'longer'} than allowed "
                f"(min_length={_fmt_limit(self.min_length)}, "
                f"max_length={_fmt_limit(self.max_length)})"
            )

    def postprocess(self, value: Any) -> FileData | None:
        """What `fn` returned -> a FileData in the temp store (or the user's probed file)."""
        if value is None:
            return None
        from audiotui.media import files

        if isinstance(value, FileData):
            result = value
        elif isinstance(value, (str, Path)):
            text = str(value)
            if text.startswith(("http://", "https://")):
                result = files.download_to_filedata(text)
                if Path(result.path).suffix.lower() != "." + self.format:
                    result = files.convert_filedata(result, self.format)
            else:
                result = files.path_to_filedata(text, format=self.format)
        elif isinstance(value, (bytes, bytearray, memoryview)) and self.streaming:
            from audiotui.media.sources import stream_slice_to_filedata

            return stream_slice_to_filedata(self._container_stream(), bytes(value))
        elif isinstance(value, (bytes, bytearray, memoryview)):
            result = files.bytes_to_filedata(bytes(value), format=None)
        elif isinstance(value, (tuple, list)) and len(value) == 2:
            sr, data = value
            result = files.array_to_filedata(sr, data, format=self.format, normalize=self.normalize)
        else:
            raise ComponentError(
                f"Audio: cannot use a value of type {type(value).__name__} as audio; give None, "
                "a file path or URL, bytes, or a (sample_rate, numpy array) tuple"
            )
        if self.streaming and not result.is_stream:
            result = dataclasses.replace(result, is_stream=True)
        return result

    def _container_stream(self) -> Any:
        """The ContainerStream of this output in the running job (one per job and component).

        Gradio joins the bytes a streaming output yields, so a yield may be any slice of a
        file; the job's stream remembers the bytes before it. Outside a job (a direct call)
        each call starts afresh, so the slice must then be a whole container.
        """
        from audiotui.job import current_job
        from audiotui.media.sources import ContainerStream

        job = current_job.get()
        if job is None:
            return ContainerStream()
        with _JOB_STREAMS_LOCK:  # jobs of other sessions postprocess on other threads
            streams = _JOB_STREAMS.setdefault(job, {})
            return streams.setdefault(self.id, ContainerStream())

    # -- description ----------------------------------------------------------------------
    def api_info(self) -> dict[str, Any]:
        return {
            "type": "filepath" if self.type == "filepath" else "audio",
            "description": "path to an audio file (wav, flac, ogg, mp3) or a "
            "(sample_rate, numpy array) tuple",
        }

    def example_value(self) -> Any:
        return EXAMPLE_URL

    def as_example(self, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, FileData):
            return value.name
        if isinstance(value, (str, Path)):
            return Path(str(value)).name
        return "(audio array)"

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            sources=list(self.sources),
            type=self.type,
            streaming=self.streaming,
            format=self.format,
            autoplay=self.autoplay,
            show_download_button=self.show_download_button,
            show_share_button=self.show_share_button,
            editable=self.editable,
            min_length=self.min_length,
            max_length=self.max_length,
            waveform_options=dataclasses.asdict(self.waveform_options),
            normalize=self.normalize,
            loop=self.loop,
            recording=self.recording,
            playback_position=self.playback_position,
        )
        return config


class Microphone(Audio):
    """`gr.Microphone`: an Audio whose only source is the microphone (`"microphone"`)."""

    DEFAULT_SOURCES: ClassVar[list[str] | None] = ["microphone"]


def _check_sources(sources: Any, streaming: bool, default: list[str] | None) -> list[str]:
    if sources is None:
        sources = default or (["microphone"] if streaming else list(SOURCES))
    if isinstance(sources, str):
        if sources not in SOURCES:  # gradio/components/audio.py raises for this one too
            raise ValueError(f"Audio: sources must only contain {SOURCES}, got {sources!r}")
        sources = [sources]
    if not isinstance(sources, (list, tuple)):
        raise TypeError(
            f"Audio: sources must be a list of 'upload'/'microphone', got {sources!r}"
        )
    bad = [s for s in sources if s not in SOURCES]
    if bad or not sources:  # Gradio 4.34 stores any list; its front end offers what it knows
        fallback = [s for s in sources if s in SOURCES] or (
            default or (["microphone"] if streaming else list(SOURCES)))
        tolerate("Audio", f"sources {list(sources)!r} holds no or unknown sources; using "
                 f"{fallback!r}")
        sources = fallback
    if streaming and "microphone" not in sources:
        raise ValueError("Audio: streaming=True needs 'microphone' in sources")
    return list(dict.fromkeys(sources))


def _flag(name: str, value: Any, none: bool) -> bool:
    """Gradio stores flags unchecked and drops None, so None is the front end's default."""
    return _check_bool("Audio", name, value, none=none)


def _opt_flag(name: str, value: Any) -> bool | None:
    return None if value is None else _flag(name, value, False)


def _seconds(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        tolerate("Audio", f"{name} should be a number of seconds or None, got {value!r}; "
                 "using None (no limit)")
        return None
    if value < 0:  # Gradio stores it; no audio is shorter, every audio is longer
        tolerate("Audio", f"{name} is negative ({value!r})")
    return value


def _fmt_limit(value: float | None) -> str:
    return "None" if value is None else f"{value:g} s"


def _warn_truncated(truncation: Any, payload: FileData) -> None:
    """A cut file still reaches `fn` (what is readable), with a warning notice naming the
    file and both lengths: the TUI shows it as a toast, the Client as a UserWarning and
    `audiotui call` as an `audiotui: warning:` line."""
    if truncation is None:
        return
    from dataclasses import replace

    from audiotui.notices import Warning as warn_notice

    warn_notice(replace(truncation, name=payload.name).message())


def _fmt_seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 1 else f"{value:.3g} s"
