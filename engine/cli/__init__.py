"""The `audiotui` command: one click group; each command family lives in its own module.

Commands are imported lazily so `audiotui --help` and `audiotui info` never pay for
Textual or PortAudio start-up.
"""

from __future__ import annotations

import sys

import click

from audiotui import __version__

_COMMANDS: dict[str, tuple[str, str]] = {
    # name: (module, attribute)
    "run": ("audiotui.cli.app_commands", "run"),
    "call": ("audiotui.cli.app_commands", "call"),
    "api": ("audiotui.cli.app_commands", "api"),
    "devices": ("audiotui.cli.hardware_commands", "devices"),
    "record": ("audiotui.cli.hardware_commands", "record"),
    "play": ("audiotui.cli.hardware_commands", "play"),
    "info": ("audiotui.cli.hardware_commands", "info"),
    "ssh": ("audiotui.cli.ssh_command", "ssh"),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        import importlib

        try:
            module = importlib.import_module(target[0])
        except ModuleNotFoundError as exc:
            if exc.name == target[0]:
                return None
            raise
        return getattr(module, target[1], None)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audiotui")
def cli() -> None:
    """Gradio-style audio apps in the terminal: run apps, record, play and inspect audio."""


def _one_line_warning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int,
    file: object = None, line: str | None = None,
) -> None:
    # A user-facing warning (an ignored web-only argument, a clipped level) is one line on
    # stderr, not a source location and a code excerpt.
    click.echo(f"audiotui: warning: {message}", err=True)


def main() -> None:
    """Console-script entry point."""
    import warnings

    warnings.showwarning = _one_line_warning
    try:
        code = cli.main(prog_name="audiotui", standalone_mode=False)
    except click.UsageError as exc:
        # One language for every mistake: one line, exit status 2 (click prints a
        # four-line usage block); `--help` still shows the whole usage.
        path = exc.ctx.command_path if exc.ctx is not None else "audiotui"
        where = path.partition(" ")[2]
        click.echo(f"audiotui: error: {where + ': ' if where else ''}{exc.format_message()} "
                   f"(see `{path} --help`)", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"audiotui: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("audiotui: aborted", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
