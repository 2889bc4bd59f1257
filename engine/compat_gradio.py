"""The `gradio` stand-in: an import hook that answers `import gradio` with audiotui's API.

Apps written for Gradio 4.34 import more than the top-level names: `gradio.components.audio`,
`gradio.themes.utils.colors`, `gradio.processing_utils`. Each of those resolves here to the
matching audiotui names (or an inert stand-in where the thing is web-only), so an unmodified
demo loads. The hook is installed only while an app is loaded or run (`gradio_alias`), never
into site-packages, and it is first on `sys.meta_path`, so it wins over a real gradio.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import threading
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

GRADIO_VERSION = "4.34.0"
"""The Gradio release whose API the alias stands in for (apps sometimes check it)."""

# Sub-packages of gradio whose names (and whose own sub-modules' names, e.g.
# `gradio.components.audio.WaveformOptions`) are audiotui's public names.
_DELEGATING_PACKAGES = ("components", "layouts", "events", "blocks", "interface", "templates")
_DELEGATING_MODULES = ("exceptions", "data_classes", "helpers", "flagging", "route_utils")
_SUBMODULES = (*_DELEGATING_PACKAGES, *_DELEGATING_MODULES, "themes", "processing_utils")


# -- themes --------------------------------------------------------------------------------
class _Inert(str):
    """What any theme attribute is: an empty string that also answers every attribute and
    call with itself, so `theme.primary_hue.c500`, `theme._get_computed_value("x")` and
    `css + theme._get_theme_css()` all run and add nothing (a terminal has its own colours)."""

    def __getattr__(self, name: str) -> _Inert:
        if name.startswith("__"):
            raise AttributeError(name)
        return _INERT

    def __call__(self, *args: Any, **kwargs: Any) -> _Inert:
        return _INERT


_INERT = _Inert("")


class _ThemeMeta(type):
    """Class attributes of the stand-in (`gr.themes.colors.blue.c500`) are inert too."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _INERT


class _ThemeStandIn(metaclass=_ThemeMeta):
    """Any `gr.themes.X(...)`: accepted so theme code runs; a terminal has its own colours.

    Demos also call Gradio's private theme API (`theme._get_theme_css()`, `_stylesheets`,
    `to_dict()`, `dump()`, gradio/themes/base.py `ThemeClass`); every attribute answers
    harmlessly: the known ones with an empty value of their type, the rest with `_Inert`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        self._stylesheets: list[str] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _INERT

    def __str__(self) -> str:
        return ""  # `f"{sizes.radius_sm}"` in CSS strings adds nothing

    def set(self, **kwargs: Any) -> _ThemeStandIn:
        self.kwargs.update(kwargs)
        return self

    def _get_theme_css(self) -> str:
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {"theme": {}}

    def dump(self, filename: str) -> None:
        """Gradio writes the theme as JSON; an empty theme is written, so reloading works."""
        import json
        from pathlib import Path

        Path(filename).write_text(json.dumps(self.to_dict()))

    @classmethod
    def from_dict(cls, theme: dict[str, Any]) -> _ThemeStandIn:
        return cls()

    def push_to_hub(self, *args: Any, **kwargs: Any) -> None:
        """Publishing a theme needs the Hub; nothing is published from here."""

    @classmethod
    def from_hub(cls, repo_name: str) -> _ThemeStandIn:
        return cls(repo_name)

    @classmethod
    def load(cls, path: str) -> _ThemeStandIn:
        return cls(path)


class _ThemeNamespace(types.ModuleType):
    """`gradio.themes` (and `themes.utils`, `themes.base`...): every name is a stand-in.

    Custom themes subclass `gradio.themes.base.Base` and read `colors.blue`, `sizes.radius_sm`
    or `fonts.GoogleFont(...)`; all of those are `_ThemeStandIn`, so the class statement and
    its `super().__init__(...).set(...)` calls run unchanged.
    """

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in ("colors", "sizes", "fonts", "utils", "base"):
            return self
        if name[:1].islower():  # `colors.blue`, `sizes.radius_sm`: values, not classes
            return _ThemeStandIn(name)
        return _ThemeStandIn


themes = _ThemeNamespace("audiotui.themes")
"""`gr.themes` for `import audiotui as gr` apps: every theme is an accepted stand-in."""
themes.Theme = _ThemeStandIn  # type: ignore[attr-defined]


# -- names only a gradio app needs ------------------------------------------------------------
class FlaggingCallbackStandIn:
    """`gr.CSVLogger()`, `gr.HuggingFaceDatasetSaver(...)`...: accepted for `flagging_callback=`.

    audiotui's Interface always flags with its own CSV logger (Gradio's layout), so a custom
    callback only has to construct without error.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    def setup(self, components: Any, flagging_dir: str) -> None:
        """Gradio calls this before the first flag; audiotui's logger needs nothing here."""

    def flag(self, flag_data: Any, flag_option: str = "", username: str | None = None) -> int:
        """Nothing is written by the stand-in itself: the Interface's FlagLogger writes."""
        return 0


def _inert(*args: Any, **kwargs: Any) -> None:
    """`gr.close_all()`, `gr.set_static_paths(...)`: server housekeeping, nothing to do here."""


def _make_waveform(*args: Any, **kwargs: Any) -> Any:
    from audiotui.errors import AppLoadError

    raise AppLoadError(
        "gr.make_waveform renders a video, which audiotui cannot show or create; return the "
        "audio itself to a gr.Audio output instead"
    )


_GRADIO_ONLY: dict[str, Any] = {
    "CSVLogger": FlaggingCallbackStandIn,
    "SimpleCSVLogger": FlaggingCallbackStandIn,
    "FlaggingCallback": FlaggingCallbackStandIn,
    "HuggingFaceDatasetSaver": FlaggingCallbackStandIn,
    "NO_RELOAD": True,  # there is no reload mode: code under `if gr.NO_RELOAD:` always runs
    "close_all": _inert,
    "set_static_paths": _inert,
    "make_waveform": _make_waveform,
    "Theme": _ThemeStandIn,
}
"""Names a Gradio app may use that have no audiotui counterpart of their own."""


# -- the stand-in modules ----------------------------------------------------------------------
class _DelegatingModule(types.ModuleType):
    """A `gradio` module (or sub-module) whose attributes are audiotui's public names."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if self.__name__ == "gradio" and name in _SUBMODULES:
            # `gr.processing_utils.x` works without an import, as gradio imports them itself
            return importlib.import_module(f"gradio.{name}")
        import audiotui

        try:
            return getattr(audiotui, name)
        except AttributeError:
            if name in audiotui._NEWER_THAN_4_34:  # its own message names the way to do it
                raise
        if name in _GRADIO_ONLY:
            return _GRADIO_ONLY[name]
        raise AttributeError(
            f"{self.__name__}.{name} is not available in audiotui (Gradio {GRADIO_VERSION} "
            "API subset for audio apps; see docs/gradio-compatibility.md)"
        )


def _audio_from_file(filename: str, crop_min: float = 0, crop_max: float = 100) -> Any:
    """`processing_utils.audio_from_file`: (sr, int16 data), optionally cropped by percent."""
    from audiotui.media.files import read_int16

    sr, data = read_int16(filename)
    if crop_min != 0 or crop_max != 100:
        n = len(data)
        data = data[int(n * crop_min / 100) : int(n * crop_max / 100)]
    return sr, data


def _audio_to_file(sample_rate: int, data: Any, filename: str, format: str = "wav") -> str:  # noqa: A002
    """`processing_utils.audio_to_file`: write (sr, array) to `filename` in `format`."""
    from audiotui.media.files import write_audio

    write_audio(filename, sample_rate, data, format=format)
    return filename


def _convert_to_16_bit_wav(data: Any) -> Any:
    """`processing_utils.convert_to_16_bit_wav`: any int/float array as int16."""
    from audiotui.media.files import to_int16

    return to_int16(data)


def _stand_in(name: str) -> types.ModuleType | None:
    """The module answering `name` (a dotted gradio name), or None when audiotui has none."""
    parts = name.split(".")
    if parts[0] != "gradio":
        return None
    if len(parts) == 1:
        root = _DelegatingModule("gradio", "audiotui standing in for Gradio in this app")
        root.__version__ = GRADIO_VERSION  # type: ignore[attr-defined]
        return root
    top = parts[1]
    if top == "themes":
        return _ThemeNamespace(name)
    if top in _DELEGATING_PACKAGES or (len(parts) == 2 and top in _DELEGATING_MODULES):
        return _DelegatingModule(name)
    if name == "gradio.processing_utils":
        processing = types.ModuleType(name)
        processing.audio_from_file = _audio_from_file  # type: ignore[attr-defined]
        processing.audio_to_file = _audio_to_file  # type: ignore[attr-defined]
        processing.convert_to_16_bit_wav = _convert_to_16_bit_wav  # type: ignore[attr-defined]
        return processing
    return None


def _is_package(name: str) -> bool:
    """Packages may have sub-modules; leaf modules make `import a.b.c` fail as in Python."""
    parts = name.split(".")
    return len(parts) == 1 or parts[1] == "themes" or parts[1] in _DELEGATING_PACKAGES


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers `gradio` imports first in sys.meta_path, so it wins over a real install."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if _stand_in(fullname) is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=_is_package(fullname))

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _stand_in(spec.name)
        assert module is not None  # find_spec only answers names _stand_in knows
        if _is_package(spec.name):
            module.__path__ = []  # unknown sub-modules then fail as "No module named ..."
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: the stand-in modules are complete when built."""


def is_gradio_name(name: str) -> bool:
    """True for `gradio` and its sub-modules (not for `gradio_client`)."""
    return name == "gradio" or name.startswith("gradio.")


_alias_lock = threading.Lock()
_alias_users = 0
_alias_saved: dict[str, types.ModuleType] = {}
_alias_finder: _AliasFinder | None = None


@contextmanager
def gradio_alias(enabled: bool = True) -> Iterator[None]:
    """While open, `import gradio` (and its audio-relevant sub-modules) give audiotui.

    A real gradio already in `sys.modules` is set aside and put back when the last user of
    the alias leaves, so the alias is scoped to the apps being loaded or run and nothing leaks
    into the rest of the process. Nested and concurrent uses (an `audiotui run` whose app
    creates a `Client("other_app.py")`) share one alias rather than blocking each other.
    """
    if not enabled:
        yield
        return
    global _alias_users, _alias_finder
    with _alias_lock:
        if _alias_users == 0:
            _alias_saved.clear()
            _alias_saved.update({k: v for k, v in sys.modules.items() if is_gradio_name(k)})
            for key in _alias_saved:
                del sys.modules[key]
            _alias_finder = _AliasFinder()
            sys.meta_path.insert(0, _alias_finder)
        _alias_users += 1
    try:
        yield
    finally:
        with _alias_lock:
            _alias_users -= 1
            if _alias_users == 0 and _alias_finder is not None:
                # At interpreter teardown (an alias a never-closed Client held, collected
                # late) `sys.meta_path` may already be None: nothing is left to undo.
                if sys.meta_path is not None and _alias_finder in sys.meta_path:
                    sys.meta_path.remove(_alias_finder)
                _alias_finder = None
                for key in [k for k in sys.modules if is_gradio_name(k)]:
                    del sys.modules[key]
                sys.modules.update(_alias_saved)
                _alias_saved.clear()
