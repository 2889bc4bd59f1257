"""File: upload/download of arbitrary files, stored as `FileData` (Gradio 4.34's `gr.File`)."""

from __future__ import annotations

import mimetypes
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar, Literal

from audiotui.components.base import Component
from audiotui.data import FileData
from audiotui.errors import ComponentError, Error
from audiotui.updates import record_constructor_args

_COUNTS = ("single", "multiple", "directory")
_TYPES = ("filepath", "binary")
_CATEGORIES = ("audio", "video", "image", "text", "file")


@record_constructor_args
class File(Component):
    """One file, several, or a whole directory; `fn` gets paths (or bytes with `type="binary"`).

    A function always receives a private copy (same file name, inside the process's temp
    store), so it may modify or delete what it gets without touching the user's own file.
    """

    EVENTS: ClassVar[tuple[str, ...]] = ("change", "select", "clear", "upload", "delete")

    def __init__(
        self,
        value: str | Path | list[str | Path] | Callable[[], Any] | None = None,
        *,
        file_count: Literal["single", "multiple", "directory"] = "single",
        file_types: list[str] | None = None,
        type: Literal["filepath", "binary"] = "filepath",  # noqa: A002 - Gradio's name
        label: str | None = None,
        every: float | None = None,
        show_label: bool | None = None,
        container: bool = True,
        scale: int | None = None,
        min_width: int = 160,
        height: int | float | None = None,
        interactive: bool | None = None,
        visible: bool = True,
        elem_id: str | None = None,
        elem_classes: list[str] | str | None = None,
        render: bool = True,
        key: int | str | None = None,
    ) -> None:
        # gradio/components/file.py (4.34) refuses a bad `type` or a non-list file_types;
        # file_count and the entries of file_types it stores unchecked: warn, use the nearest.
        if file_count not in _COUNTS:
            from audiotui.components.base import tolerate

            tolerate("File", f"file_count should be one of {', '.join(_COUNTS)}; got "
                     f"{file_count!r}; using 'single'")
            file_count = "single"
        if type not in _TYPES:
            raise ValueError(f"File: type must be 'filepath' or 'binary', got {type!r}")
        if file_types is not None and (
            isinstance(file_types, str)
            or not isinstance(file_types, Sequence)
            or not all(isinstance(t, str) for t in file_types)
        ):
            raise TypeError(
                "File: file_types must be a list like ['.wav', 'audio'] or None, "
                f"got {file_types!r}"
            )
        fixed_types = []
        for kind in file_types or []:
            if not kind.startswith(".") and kind not in _CATEGORIES:
                from audiotui.components.base import tolerate

                tolerate("File", f"file_types entry {kind!r} is neither an extension like "
                         f"'.wav' nor one of {', '.join(_CATEGORIES)}; using '.{kind}'")
                kind = "." + kind
            fixed_types.append(kind)
        if file_types is not None:
            file_types = fixed_types
        self.file_count = file_count
        self.file_types = list(file_types) if file_types is not None else None
        self.type = type
        self.height = height
        super().__init__(
            value, label=label, every=every, show_label=show_label, container=container,
            scale=scale, min_width=min_width, interactive=interactive, visible=visible,
            elem_id=elem_id, elem_classes=elem_classes, render=render, key=key,
        )  # fmt: skip

    @property
    def multiple(self) -> bool:
        return self.file_count != "single"

    def _name(self) -> str:
        return f"File {self.label!r}" if self.label else "File"

    # -- conversion ---------------------------------------------------------------------
    def preprocess(self, payload: Any) -> str | bytes | list[str] | list[bytes] | None:
        """Private copies of the stored files, as paths or bytes according to `type`."""
        if payload is None:
            return None
        files = payload if isinstance(payload, list) else [payload]
        data = [self._as_filedata(f) for f in files]
        for fd in data:
            self._check_type(fd)
        converted = [self._deliver(fd) for fd in data]
        if self.multiple:
            return converted  # type: ignore[return-value]
        if len(converted) != 1:
            raise Error(f"{self._name()}: expects one file but got {len(converted)}; pick one.")
        return converted[0]

    def postprocess(self, value: Any) -> FileData | list[FileData] | None:
        """Paths, `Path`s, bytes, FileData or lists of them -> stored FileData."""
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            return [fd for item in value for fd in self._expand(item)]
        expanded = self._expand(value)
        if self.multiple or len(expanded) != 1:
            return expanded
        return expanded[0]

    def _expand(self, item: Any) -> list[FileData]:
        if isinstance(item, (str, Path)) and Path(item).is_dir():
            if self.file_count != "directory":
                raise ComponentError(
                    f"{self._name()}: {str(item)!r} is a directory; return a file, or build "
                    "the component with file_count='directory'"
                )
            return [_filedata(p) for p in sorted(Path(item).rglob("*")) if p.is_file()]
        return [self._as_filedata(item)]

    def _as_filedata(self, item: Any) -> FileData:
        if isinstance(item, FileData):
            return item
        if isinstance(item, dict) and isinstance(item.get("path"), str):  # gradio_client's shape
            return _filedata(Path(item["path"]), item.get("orig_name"))
        if isinstance(item, (bytes, bytearray)):
            return _bytes_to_filedata(bytes(item))
        if isinstance(item, (str, Path)):
            path = Path(item)
            if not path.is_file():
                raise ComponentError(
                    f"{self._name()}: {str(item)!r} does not exist or is not a file; return "
                    "the path of an existing file"
                )
            return _filedata(path)
        raise ComponentError(
            f"{self._name()}: expected a file path, bytes or a list of them, "
            f"got {type(item).__name__}"
        )

    def _check_type(self, fd: FileData) -> None:
        if not self.file_types:
            return
        suffix = Path(fd.name).suffix.lower()
        mime = fd.mime_type or mimetypes.guess_type(fd.name)[0] or ""
        for kind in self.file_types:
            if kind.startswith(".") and suffix == kind.lower():
                return
            if kind == "file" or (kind in _CATEGORIES and mime.startswith(kind + "/")):
                return
        raise Error(
            f"{self._name()}: {fd.name!r} is not an accepted file type; choose a file of type "
            f"{', '.join(self.file_types)}."
        )

    def _deliver(self, fd: FileData) -> str | bytes:
        source = Path(fd.path)
        if not source.is_file():
            raise Error(f"{self._name()}: {fd.path!r} no longer exists; choose the file again.")
        if self.type == "binary":
            return source.read_bytes()
        return str(_private_copy(source, fd.name))

    # -- description ----------------------------------------------------------------------
    def api_info(self) -> dict[str, Any]:
        one = {"type": "string", "description": "path to a file"}
        return {"type": "array", "items": one} if self.multiple else one

    def example_value(self) -> str | list[str]:
        return ["path/to/file.txt"] if self.multiple else "path/to/file.txt"

    def as_example(self, value: Any) -> str:
        if value is None:
            return ""
        items = value if isinstance(value, list) else [value]
        return ", ".join(
            item.name if isinstance(item, FileData) else Path(str(item)).name for item in items
        )

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            file_count=self.file_count,
            file_types=self.file_types,
            type=self.type,
            height=self.height,
        )
        return config


def _filedata(path: Path, orig_name: str | None = None) -> FileData:
    resolved = path.resolve()
    return FileData(
        path=str(resolved),
        orig_name=orig_name or resolved.name,
        size=resolved.stat().st_size,
        mime_type=mimetypes.guess_type(resolved.name)[0],
    )


def _private_dir() -> Path:
    """A fresh 0700 directory in the temp store, so copies keep their original names."""
    from audiotui.media.temp import temp_dir

    return Path(tempfile.mkdtemp(prefix="file-", dir=temp_dir()))


def _private_copy(source: Path, name: str) -> Path:
    target = _private_dir() / (Path(name).name or source.name)
    shutil.copyfile(source, target)
    os.chmod(target, 0o600)
    return target


def _bytes_to_filedata(data: bytes) -> FileData:
    from audiotui.media.temp import temp_path

    path = temp_path(".bin", prefix="file-")
    path.write_bytes(data)
    return FileData(
        path=str(path),
        orig_name=path.name,
        size=len(data),
        mime_type="application/octet-stream",
    )
