"""`audiotui run`, `call` and `api`: open an app in the terminal, or use it headless.

User mistakes (missing file, syntax error in the app, unknown endpoint, bad argument) end in
one line on stderr: exit status 2 for a mistake on the command line (no such APP, a word
that is not a choice), 1 for one inside the app; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from audiotui.errors import AudiotuiError


@contextmanager
def _user_errors(debug: bool) -> Iterator[None]:
    """Turn user-caused errors into one line and exit 1 (tracebacks only with --debug)."""
    try:
        yield
    except (AudiotuiError, FileNotFoundError) as exc:
        if debug:
            raise
        click.echo(f"audiotui: error: {exc}", err=True)
        sys.exit(1)


def _common(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")(fn)
    fn = click.option(
        "--no-gradio-alias", is_flag=True,
        help="Let `import gradio` load a real installed gradio instead of audiotui.",
    )(fn)
    fn = click.option(
        "--demo-name", default=None, metavar="NAME",
        help="Variable holding the app when the file defines several (default: demo).",
    )(fn)
    return click.argument(
        "app", type=click.Path(exists=True, dir_okay=False, path_type=Path))(fn)


# -- run ---------------------------------------------------------------------------------------
@click.command()
@_common
@click.option("--input-device", default=None, metavar="DEVICE", help="Microphone (index or name).")
@click.option("--output-device", default=None, metavar="DEVICE", help="Speaker (index or name).")
@click.option("--ascii", "ascii_only", is_flag=True, help="Draw with ASCII only (no braille).")
@click.option("--fps", default=20, show_default=True, type=click.IntRange(1, 60),
              help="Redraw rate limit for waveforms and meters.")
@click.option("--no-mouse", is_flag=True, help="Keyboard only.")
@click.option("--check", is_flag=True,
              help="Print the app's compatibility report and exit (0 = fully supported).")
def run(
    app: Path, demo_name: str | None, no_gradio_alias: bool, debug: bool,
    input_device: str | None, output_device: str | None, ascii_only: bool, fps: int,
    no_mouse: bool, check: bool,
) -> None:
    """Open APP in the terminal UI."""
    from audiotui.loader import compatibility_findings, gradio_alias

    # The alias stays in force for the whole run: app functions may import gradio lazily.
    with _user_errors(debug), gradio_alias(not no_gradio_alias):
        blocks, load_warnings = _load_collecting_warnings(app, demo_name, not no_gradio_alias)
        findings = compatibility_findings(blocks)
        if check:
            click.echo(f"{app}: {len(blocks.components)} components, {len(blocks.fns)} listeners")
            if not findings:
                click.echo("fully supported")
            for line in findings:
                click.echo(f" - {line}")
            for line in load_warnings:  # reported, but a warning alone is no compatibility gap
                click.echo(f" - warning while loading: {line}")
            sys.exit(1 if findings else 0)
        # One line before the UI takes the screen: findings first, then the app's warnings.
        notes = findings + [w for w in load_warnings if w not in findings]
        if findings:
            click.echo(
                f"audiotui: partly supported: {'; '.join(notes)} "
                "(`audiotui run --check` for details)", err=True,
            )
        elif notes:
            click.echo(f"audiotui: warning: {'; '.join(notes)}", err=True)
        from audiotui.cli.hardware_commands import say_recovered
        from audiotui.tui.launch import run_app

        # A take a killed `record`/`run` left behind: repaired and named, on stderr and again
        # as a toast (the UI's screen covers stderr until it exits).
        startup = [("Interrupted recording repaired", line) for line in say_recovered()]
        if notes:
            startup.append(("Partly supported" if findings else "Warning", "; ".join(notes)))
        _check_devices(_device(input_device), _device(output_device))
        run_app(
            blocks, input_device=_device(input_device), output_device=_device(output_device),
            ascii=ascii_only, fps=fps, mouse=not no_mouse, startup_notices=startup,
        )


def _load_collecting_warnings(
    app: Path, demo_name: str | None, alias: bool
) -> tuple[Any, list[str]]:
    """Load the app, keeping its UserWarnings (ignored web-only arguments...) as findings.

    Printed one per line they would scroll past before the UI takes the screen; folded into
    the single findings line they are read together. Other warning categories are passed on
    unchanged, and the interpreter's filters still apply (an "ignore" drops one, "error"
    raises as usual).
    """
    import warnings

    from audiotui.loader import load_app

    with warnings.catch_warnings(record=True) as caught:
        blocks = load_app(app, demo_name=demo_name, alias=alias)
    messages: list[str] = []
    for w in caught:
        if issubclass(w.category, UserWarning):
            text = " ".join(str(w.message).split())  # one line, whatever the app wrote
            if _same_file(w.filename, app):  # the app's line that asked for it, as Python does
                text = f"{app.name}:{w.lineno}: {text}"
            if text not in messages:
                messages.append(text)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    return blocks, messages


def _same_file(filename: str, app: Path) -> bool:
    try:
        return Path(filename).resolve() == app.resolve()
    except (OSError, ValueError):
        return False


def _check_devices(input_device: int | str | None, output_device: int | str | None) -> None:
    """Refuse a device that does not exist before the UI opens, with the list to pick from."""
    from audiotui.media.devices import named_device_problems

    for where, why in named_device_problems(input_device, output_device):
        click.echo(f"audiotui: error: {where}: {why}", err=True)
        sys.exit(2)


def _device(spec: str | None) -> int | str | None:
    """A device given as a number is a PortAudio index; anything else is a name."""
    if spec is None:
        return None
    return int(spec) if spec.strip().isdigit() else spec


# -- api ---------------------------------------------------------------------------------------
@click.command()
@_common
@click.option("--json", "as_json", is_flag=True, help="Print view_api's dict form as JSON.")
def api(app: Path, demo_name: str | None, no_gradio_alias: bool, debug: bool, as_json: bool) -> None:
    """Print APP's endpoints, their parameters and return values (like Client.view_api)."""
    from audiotui.endpoints import describe_api, list_endpoints, render_api_text
    from audiotui.loader import load_app

    with _user_errors(debug):
        blocks = load_app(app, demo_name=demo_name, alias=not no_gradio_alias)
        visible = [ep for ep in list_endpoints(blocks) if ep.visible]
        if as_json:
            click.echo(json.dumps(describe_api(visible), indent=2, default=str))
        else:
            click.echo(render_api_text(visible), nl=False)


# -- call --------------------------------------------------------------------------------------
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def parse_argument(text: str, python_type: str, name: str) -> Any:
    """One command-line word -> the value the endpoint's component takes.

    The type comes from the component (as `audiotui api` shows it): numbers and booleans are
    parsed, lists/dicts are JSON, file parameters must name an existing file or a URL.
    """
    if python_type == "filepath" or python_type == "list[filepath]":
        paths = json.loads(text) if python_type.startswith("list") and text.startswith("[") else (
            [text] if not python_type.startswith("list") else text.split(",")
        )
        for p in paths:
            if not p.startswith(("http://", "https://")) and not Path(p).exists():
                raise click.BadParameter(f"{p}: no such file", param_hint=name)
        return paths if python_type.startswith("list") else paths[0]
    if python_type in ("int", "float"):
        try:
            number = float(text)
        except ValueError:
            raise click.BadParameter(f"expected a number, got {text!r}", param_hint=name) from None
        return int(number) if python_type == "int" or number.is_integer() else number
    if python_type == "bool":
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise click.BadParameter(f"expected true or false, got {text!r}", param_hint=name)
    if python_type.startswith(("list", "dict")):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            if python_type.startswith("list"):
                return [item.strip() for item in text.split(",") if item.strip()]
            raise click.BadParameter(f"expected JSON, got {text!r}", param_hint=name) from None
    if python_type.startswith("Literal['"):
        return _choice(text, python_type, name)
    if python_type.startswith("Literal[") and not python_type.startswith("Literal['"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    if python_type == "Any":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text


def _choice(text: str, python_type: str, name: str) -> Any:
    """A Dropdown/Radio argument: one of its choices, or a usage mistake listing them.

    The engine refuses it too, but only after the app has loaded and as a run-time error
    (exit 1); a word that is not a choice is a mistake on the command line.
    """
    import ast

    try:
        choices = ast.literal_eval(f"[{python_type[len('Literal['):-1]}]")
    except (SyntaxError, ValueError):
        return text
    if text in choices or not all(isinstance(c, str) for c in choices):
        return text
    listed = ", ".join(repr(c) for c in choices[:20]) + (", ..." if len(choices) > 20 else "")
    raise click.BadParameter(f"{text!r} is not one of the choices: {listed}", param_hint=name)


def _save_file(path: str, out_dir: Path, stem: str) -> str:
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = Path(path).suffix
    target = out_dir / f"{stem}{suffix}"
    n = 1
    while target.exists():
        target = out_dir / f"{stem}_{n}{suffix}"
        n += 1
    shutil.copyfile(path, target)
    return str(target)


def _save_temp_files(value: Any, out_dir: Path, stem: str) -> Any:
    """Copy every file of ours a result holds (at any depth) into `out_dir`; return the
    result with their new paths.

    The private temp folder is removed when the command exits, so a path into it (a Plot's
    PNG, an Image, a Gallery's pictures) would point nowhere; gradio_client downloads every
    file an endpoint returns, so `--out` gets all of them. Other strings are left alone: a
    Textbox saying "notes.txt" is text, not an output file.
    """
    from audiotui.media.temp import temp_dir

    if isinstance(value, str):
        try:
            ours = Path(value).is_file() and Path(value).resolve().is_relative_to(
                temp_dir().resolve())
        except (OSError, ValueError):
            ours = False
        return _save_file(value, out_dir, stem) if ours else value
    if isinstance(value, (list, tuple)):
        saved = [_save_temp_files(v, out_dir, stem) for v in value]
        return saved if isinstance(value, list) else tuple(saved)
    if isinstance(value, dict):
        return {k: _save_temp_files(v, out_dir, stem) for k, v in value.items()}
    return value


@click.command(context_settings={"ignore_unknown_options": True})  # `-20` is an argument
@_common
@click.argument("args", nargs=-1)
@click.option("--api-name", default=None, metavar="NAME",
              help="Endpoint to call (see `audiotui api APP`); default: the first one.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON object.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Directory for audio/file outputs (default: the current directory).")
def call(
    app: Path, demo_name: str | None, no_gradio_alias: bool, debug: bool,
    args: tuple[str, ...], api_name: str | None, as_json: bool, out_dir: Path | None,
) -> None:
    """Run one endpoint of APP headless with ARGS and print its results."""
    import warnings

    from audiotui.client import Client

    if sys.stderr is sys.__stderr__:
        from audiotui.media.devices import divert_native_stderr

        divert_native_stderr()  # libmpg123/ALSA print from C to fd 2; our lines stay visible
    with _user_errors(debug):
        client = Client(app, demo_name=demo_name, alias=not no_gradio_alias)
        try:
            ep = client.endpoint(api_name)
            if len(args) > len(ep.parameters):
                raise click.UsageError(
                    f"{ep.api_path} takes {len(ep.parameters)} argument(s) "
                    f"({', '.join(p.name for p in ep.parameters)}), got {len(args)}"
                )
            values = [
                parse_argument(text, p.python_type, p.name)
                for text, p in zip(args, ep.parameters, strict=False)
            ]
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", UserWarning)
                result = client.predict(*values, api_name=ep.api_path)
            for w in caught:  # gr.Warning notices, a truncated input file: one line each
                if issubclass(w.category, UserWarning):
                    click.echo(f"audiotui: warning: {w.message}", err=True)
                else:
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        finally:
            client.close()
        results = list(result) if len(ep.returns) > 1 else [result]
        named: dict[str, Any] = {}
        target = out_dir or Path.cwd()
        for r, value in zip(ep.returns, results, strict=False):
            stem = f"{ep.name}_{r.name}"
            if isinstance(value, str) and r.python_type == "filepath" and Path(value).is_file():
                value = _save_file(value, target, stem)
            elif isinstance(value, list) and r.python_type == "list[filepath]":
                value = [_save_file(v, target, stem) if Path(v).is_file() else v for v in value]
            else:  # a Plot's PNG, an Image, a Gallery...: any file in the private temp folder
                value = _save_temp_files(value, target, stem)
            named[r.name] = value
        if as_json:
            click.echo(json.dumps(named, default=str))
        elif len(named) == 1:
            click.echo(_text(next(iter(named.values()))))
        else:
            for key, value in named.items():
                click.echo(f"{key}: {_text(value)}")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)
