"""Components a terminal cannot draw (images, video, chat, plots, HTML...), kept so apps still run.

A Gradio app that shows a spectrogram next to its audio should not refuse to start here: these
components accept any constructor arguments, keep their values (files as `FileData`, other
objects as they are) and pass them to functions unchanged. The TUI draws a box saying what is
not shown (`describe()`), and the Client still returns their values.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, ClassVar

from audiotui.components.base import Component
from audiotui.data import FileData
from audiotui.updates import NO_VALUE, record_constructor_args

# The base Component settings; everything else a caller passes is kept in `settings`.
_BASE_ARGS = (
    "label", "info", "every", "show_label", "container", "scale", "min_width",
    "interactive", "visible", "elem_id", "elem_classes", "render", "key",
)  # fmt: skip


class UnsupportedComponent(Component):
    """Base of components with no terminal widget: values pass through, nothing is drawn.

    Args:
        value: the initial value; paths to existing files become FileData when the
            component holds files (Image, Video, Gallery...).
        *args, **kwargs: every other Gradio argument, accepted and kept in `settings`.
    """

    terminal_supported: ClassVar[bool] = False
    """Tells the TUI and `audiotui api` to show a placeholder instead of a widget."""
    noun: ClassVar[str] = "this component"
    """What the placeholder calls the value ("an image", "a chat history")."""
    holds_files: ClassVar[bool] = False
    """True where Gradio's value is a file, so paths are stored as FileData."""

    def __init__(self, value: Any = None, *args: Any, **kwargs: Any) -> None:
        base = {k: kwargs.pop(k) for k in _BASE_ARGS if k in kwargs}
        label = base.get("label")
        if label is not None and not isinstance(label, str):
            base["label"] = str(label)
        min_width = base.get("min_width")
        if min_width is None or isinstance(min_width, bool) or not isinstance(min_width, int):
            base.pop("min_width", None)
        scale = base.get("scale")
        if scale is not None and (isinstance(scale, bool) or not isinstance(scale, int)):
            base.pop("scale")
        self.settings: dict[str, Any] = dict(kwargs)
        if args:
            self.settings["args"] = list(args)
        super().__init__(value, **base)

    def postprocess(self, value: Any) -> Any:
        """Keep the value; with `holds_files`, existing paths (also inside lists) become FileData."""
        return _files_to_filedata(value) if self.holds_files else value

    def preprocess(self, payload: Any) -> Any:
        """Files reach `fn` as paths, as Gradio's default `type="filepath"`-like behaviour."""
        return _filedata_to_paths(payload) if self.holds_files else payload

    def initial_value(self) -> Any:
        try:
            return super().initial_value()
        except Exception:  # figures and handles that refuse deepcopy are shared, read-only
            return self.value

    def api_info(self) -> dict[str, Any]:
        return {"type": {}, "description": f"{self.noun} (not shown in the terminal)"}

    def describe(self, value: Any = NO_VALUE) -> str:
        """One line for the TUI's placeholder box: what is not shown and what the value is."""
        kind = type(self).__name__
        name = f"{kind} {self.label!r}" if self.label else kind
        text = f"{name}: {self.noun} cannot be drawn in a terminal"
        if value is NO_VALUE:
            return text + "; its value is kept and passed to functions unchanged."
        return f"{text}; value: {summarise(value)}"

    def as_example(self, value: Any) -> str:
        return summarise(value)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(terminal_supported=False, noun=self.noun)
        return config


def summarise(value: Any) -> str:
    """A short description of any value: a file's name, an array's shape, a list's length."""
    if value is None or (isinstance(value, (str, list, tuple, dict)) and not value):
        return "empty"  # also the front-end defaults ("" / []) an unset component holds
    if isinstance(value, FileData):
        size = f", {value.size} bytes" if value.size is not None else ""
        return f"{value.name} ({value.path}{size})"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "dtype"):
        return f"array of shape {tuple(shape)} ({value.dtype})"
    if isinstance(value, (list, tuple)):
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return f"{len(value)} entr{'ies' if len(value) != 1 else 'y'}"
    return type(value).__name__


def _files_to_filedata(value: Any) -> Any:
    if isinstance(value, (str, Path)) and _is_file(value):
        resolved = Path(value).resolve()
        return FileData(path=str(resolved), orig_name=resolved.name, size=resolved.stat().st_size)
    if isinstance(value, list):
        return [_files_to_filedata(v) for v in value]
    if isinstance(value, tuple):  # Gallery's (image, caption) pairs
        return tuple(_files_to_filedata(v) for v in value)
    return value


def _is_file(value: str | Path) -> bool:
    """True for a path to an existing file; captions and URLs are not (and never raise)."""
    try:
        return Path(value).is_file()
    except (OSError, ValueError):
        return False


def _filedata_to_paths(value: Any) -> Any:
    if isinstance(value, FileData):
        return value.path
    if isinstance(value, list):
        return [_filedata_to_paths(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_filedata_to_paths(v) for v in value)
    return value


def _unsupported(
    name: str, noun: str, events: tuple[str, ...], *, holds_files: bool = False,
    empty: Any = None,
) -> type[UnsupportedComponent]:
    """Declare one Gradio component that has no terminal widget (events as in Gradio 4.34).

    `empty` is the Svelte component's default value, which Gradio's front end holds (and
    sends to functions) when the app gave none (see `Component.FRONTEND_DEFAULT`).
    """
    cls = type(
        name,
        (UnsupportedComponent,),
        {
            "__doc__": f"`gr.{name}`: {noun}; accepted and passed through, not drawn.",
            "__module__": __name__,
            "EVENTS": events,
            "noun": noun,
            "holds_files": holds_files,
            "FRONTEND_DEFAULT": empty,
        },
    )
    return record_constructor_args(cls)


@record_constructor_args
class Image(UnsupportedComponent):
    """`gr.Image`: not drawn, but its values are what Gradio 4.34 passes and accepts.

    gradio/components/image.py decodes an input with Pillow and hands `fn` a numpy array
    (`type="numpy"`, the default: (height, width, 3) uint8 for `image_mode="RGB"`), a
    `PIL.Image` (`"pil"`) or a path (`"filepath"`); an audio app with a spectrogram input
    would otherwise call `np.flipud(path)`. Returned arrays and PIL images are saved into
    the temp store in `format` (webp, else PNG), so the Client and cached examples get a
    file. Without Pillow, one warning at construction says `pip install pillow` and `fn`
    receives the path; returned arrays are still written, as PNG.
    """

    EVENTS = ("clear", "change", "stream", "select", "upload", "input")
    noun = "an image"
    holds_files = True

    def __init__(self, value: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(value, *args, **kwargs)
        self.type = self.settings.get("type", "numpy")
        if self.type not in ("numpy", "pil", "filepath"):  # Gradio refuses it too
            raise ValueError(
                f"Image: type must be 'numpy', 'pil' or 'filepath', got {self.type!r}"
            )
        self.image_mode = self.settings.get("image_mode", "RGB")
        self.format = str(self.settings.get("format", "webp") or "webp")
        if self.type != "filepath" and not _pillow_available():
            from audiotui.components.base import tolerate

            tolerate("Image", f"type={self.type!r} needs Pillow to decode images, so the "
                     "function receives the file path instead; pip install pillow")

    def preprocess(self, payload: Any) -> Any:
        path = super().preprocess(payload)
        if path is None or self.type == "filepath" or not _pillow_available():
            return path
        if str(path).lower().endswith(".svg"):  # Gradio passes SVGs as paths whatever type
            return path
        import warnings

        from PIL import Image as PILImage
        from PIL import ImageOps

        im: Any = PILImage.open(path)
        if im.getexif().get(274, 1) != 1:  # 274: orientation; 1 = upright
            with contextlib.suppress(Exception):
                im = ImageOps.exif_transpose(im)
        if self.image_mode is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                im = im.convert(self.image_mode)
        if self.type == "pil":
            return im
        import numpy as np

        return np.array(im)

    def postprocess(self, value: Any) -> Any:
        if value is None or isinstance(value, (str, Path, FileData)):
            return super().postprocess(value)
        if hasattr(value, "save") and callable(value.save):  # a PIL image
            return _image_file(lambda path, fmt: value.save(path, format=fmt), self.format)
        if hasattr(value, "shape") and hasattr(value, "dtype"):
            return _array_image(value, self.format)
        return super().postprocess(value)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(type=self.type, image_mode=self.image_mode, format=self.format)
        return config


def _pillow_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("PIL") is not None
    except (ImportError, ValueError):
        return False


def _image_file(save: Any, fmt: str) -> FileData:
    """Save through `save(path, format)` into the temp store: `fmt`, else PNG (as Gradio's
    `image_utils.save_image` falls back when Pillow cannot write the format)."""
    from audiotui.media.temp import temp_path

    for candidate in dict.fromkeys((fmt.lower(), "png")):
        path = temp_path("." + candidate, prefix="audiotui-image-")
        try:
            save(str(path), candidate.upper())
        except (KeyError, ValueError, OSError):
            path.unlink(missing_ok=True)
            continue
        return FileData(path=str(path), orig_name=path.name, size=path.stat().st_size,
                        mime_type=f"image/{candidate}")
    raise ValueError(f"Image: cannot save the image as {fmt} or png")


def _array_image(value: Any, fmt: str) -> FileData:
    """A returned array -> an image file, with Gradio's conversion to uint8 (floats in
    [0, 1] are scaled to 0-255; other ranges are clipped)."""
    import numpy as np

    arr = np.asarray(value)
    if arr.dtype == bool:
        arr = arr.astype(np.uint8) * 255
    elif arr.dtype.kind == "f":
        scale = 255.0 if arr.size and float(np.nanmax(np.abs(arr))) <= 1.0 else 1.0
        arr = np.clip(np.nan_to_num(arr) * scale, 0, 255).astype(np.uint8)
    elif arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    if _pillow_available():
        from PIL import Image as PILImage

        im = PILImage.fromarray(arr)
        return _image_file(lambda path, f: im.save(path, format=f), fmt)
    return _image_file(lambda path, f: _write_png(path, arr) if f == "PNG" else _no(f), "png")


def _no(fmt: str) -> None:
    raise ValueError(fmt)


def _write_png(path: str, arr: Any) -> None:
    """A minimal PNG writer (8-bit grey, grey+alpha, RGB or RGBA) for when Pillow is absent."""
    import struct
    import zlib

    import numpy as np

    if arr.ndim == 2:
        arr = arr[:, :, None]
    height, width, channels = arr.shape
    colour = {1: 0, 2: 4, 3: 2, 4: 6}.get(channels)
    if colour is None:
        raise ValueError(f"cannot write an image with {channels} channels")
    rows = np.concatenate([np.zeros((height, 1), np.uint8), arr.reshape(height, -1)], axis=1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                           + chunk(b"IDAT", zlib.compress(rows.tobytes())) + chunk(b"IEND", b""))
Video = _unsupported(
    "Video", "a video",
    ("change", "clear", "start_recording", "stop_recording", "stop", "play", "pause", "end",
     "upload"),
    holds_files=True,
)  # fmt: skip
Gallery = _unsupported(
    "Gallery", "an image gallery", ("select", "upload", "change"), holds_files=True
)
Model3D = _unsupported(
    "Model3D", "a 3D model", ("change", "upload", "edit", "clear"), holds_files=True
)
AnnotatedImage = _unsupported("AnnotatedImage", "an annotated image", ("select",), holds_files=True)
ImageEditor = _unsupported(
    "ImageEditor", "an image editor",
    ("clear", "change", "input", "select", "upload", "apply"), holds_files=True,
)  # fmt: skip
Chatbot = _unsupported(  # js/chatbot/Index.svelte: `export let value = []`
    "Chatbot", "a chat history", ("change", "select", "like"), empty=[]
)


@record_constructor_args
class Plot(UnsupportedComponent):
    """`gr.Plot`: a figure; accepted, not drawn, but a matplotlib figure is saved as a PNG.

    Returning a figure to a terminal would otherwise show only "Figure": saving it gives the
    placeholder box a path the user can open in an image viewer, and the Client a file.
    """

    EVENTS = ("change", "clear")
    noun = "a plot"
    holds_files = True

    def postprocess(self, value: Any) -> Any:
        """Anything with `savefig` (matplotlib figures) becomes a PNG in the temp store."""
        savefig = getattr(value, "savefig", None)
        if not callable(savefig):
            return super().postprocess(value)
        from audiotui.media.temp import temp_path

        path = temp_path(".png", prefix="audiotui-plot-")
        savefig(str(path), format="png")
        return FileData(
            path=str(path), orig_name=path.name, size=path.stat().st_size, mime_type="image/png"
        )


LinePlot = _unsupported("LinePlot", "a line plot", ("change", "clear", "select"))
ScatterPlot = _unsupported("ScatterPlot", "a scatter plot", ("change", "clear", "select"))
BarPlot = _unsupported("BarPlot", "a bar plot", ("change", "clear", "select"))
HTML = _unsupported("HTML", "HTML", ("change",), empty="")  # js/html: `value = ""`
Dataframe = _unsupported("Dataframe", "a table", ("change", "input", "select"))
HighlightedText = _unsupported("HighlightedText", "highlighted text", ("change", "select"))
ColorPicker = _unsupported(  # js/colorpicker/shared/Colorpicker.svelte: `value = "#000000"`
    "ColorPicker", "a colour picker", ("change", "input", "submit", "focus", "blur"),
    empty="#000000",
)
Code = _unsupported(  # js/code/Index.svelte: `export let value = ""`
    "Code", "a code editor", ("change", "input", "focus", "blur"), empty=""
)
MultimodalTextbox = _unsupported(
    "MultimodalTextbox", "a text-and-files box",
    ("change", "input", "select", "submit", "focus", "blur"),
)  # fmt: skip
FileExplorer = _unsupported("FileExplorer", "a file browser", ("change",))
UploadButton = _unsupported("UploadButton", "an upload button", ("click", "upload"))
DownloadButton = _unsupported("DownloadButton", "a download button", ("click",))
DuplicateButton = _unsupported("DuplicateButton", "a Hugging Face Spaces button", ("click",))
LoginButton = _unsupported("LoginButton", "a Hugging Face login button", ("click",))
LogoutButton = _unsupported("LogoutButton", "a Hugging Face logout button", ("click",))
ParamViewer = _unsupported("ParamViewer", "a parameter table", ("change", "upload"))

UNSUPPORTED: tuple[type[UnsupportedComponent], ...] = (
    Image, Video, Gallery, Model3D, AnnotatedImage, ImageEditor, Chatbot, Plot, LinePlot,
    ScatterPlot, BarPlot, HTML, Dataframe, HighlightedText, ColorPicker, Code,
    MultimodalTextbox, FileExplorer, UploadButton, DownloadButton, DuplicateButton,
    LoginButton, LogoutButton, ParamViewer,
)  # fmt: skip
"""Every terminal-less component, for `_EXPORTS` checks and the TUI's placeholder."""
