"""`audiotui ssh [SSH OPTIONS] HOST [-- AUDIOTUI COMMAND ...]`: run audiotui on HOST with the
laptop's microphone and speakers.

Two ssh calls, both `$AUDIOTUI_SSH [options] HOST COMMAND` (default `ssh`):

1. Preparation (no terminal, no forwardings): HOST makes a private directory with
   `mktemp -d` under umask 077 (0700, unpredictable name) and stores the per-session secret,
   read from ssh's stdin, in `secret` (0600). The secret is never on a command line (any user
   on HOST can read those in `ps`), never in the environment of a process it was not meant
   for, and the directory must exist before ssh can bind the forwarded socket in it - which is
   why this is a separate call. (With ssh keys or ControlMaster it costs no extra prompt.)
2. The session: `ssh -R DIR/bridge.sock:LOCAL/agent.sock ... HOST sh -c '...'` runs the
   audiotui command with AUDIOTUI_BRIDGE and AUDIOTUI_BRIDGE_SECRET_FILE pointing into DIR, and
   removes DIR when it ends. The audio travels in channels of this same connection; sshd
   creates the socket 0600 (StreamLocalBindMask), inside the 0700 directory.

This process is the laptop's agent (audiotui.bridge.agent: PortAudio streams in, PCM out,
never user code) and the parent of the ssh client. If it is SIGKILLed, its sockets close, so
every stream on HOST ends (a take is saved with what it received) and the remote command
exits; on Linux the ssh client is also killed with it (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

HELP = """\
Run an audiotui command on HOST over SSH, with THIS machine's microphone and speakers.
On HOST they appear as local:<device name> devices (the defaults); audio rides the same SSH connection.

usage: audiotui ssh [--audio-rate HZ] [--no-host-audio] [--remote-audiotui CMD] [SSH OPTIONS] HOST [-- AUDIOTUI COMMAND ...]

  AUDIOTUI COMMAND     run APP.py [...] (the default), record, play, devices...; paths are HOST paths
  SSH OPTIONS          passed to ssh unchanged (-p, -i, -J, -o ...); the program is $AUDIOTUI_SSH or ssh
  --audio-rate HZ      carry audio at HZ (e.g. 16000: 32 kB/s per mono stream instead of 96 kB/s at 48 kHz)
  --no-host-audio      ignore HOST's own sound devices (AUDIOTUI_HOST_AUDIO=off on HOST)
  --remote-audiotui C  how to start audiotui on HOST (default: `audiotui` on PATH, else `python3 -m audiotui`)

examples: audiotui ssh lab1 -- run examples/reverse.py
          audiotui ssh -p 2222 lab1 -- record take.wav -t 10     (the laptop mic into HOST:take.wav)
          audiotui ssh lab1 -- play result.wav                  (plays on the laptop speakers)
"""

# ssh(1) options that take an argument (OpenSSH's getopt string).
_SSH_WITH_ARG = set("BbcDEeFIiJLlmOoPpQRSWw")
_AUDIOTUI_COMMANDS = {"run", "call", "api", "devices", "record", "play", "info"}

_SWEEP = (
    # A session whose shell was SIGKILLed never ran its EXIT trap: its directory (and the
    # secret in it) is removed here, by the next session of the same user, once the shell
    # named in its `pid` file is gone. A directory still being set up has no `pid` yet and
    # is left alone unless it is an hour old (a setup whose second connection never came).
    'for o in "$t"/audiotui-bridge.*; do [ -d "$o" ] && [ -O "$o" ] || continue; '
    'if [ -f "$o/pid" ]; then kill -0 "$(cat "$o/pid")" 2>/dev/null || rm -rf "$o"; '
    'elif [ -n "$(find "$o" -maxdepth 0 -mmin +60 2>/dev/null)" ]; then rm -rf "$o"; fi; '
    "done; "
)
SOCKET_DIR_MAX = 60
"""Longest TMPDIR a bridge socket is made under, on either side: the socket's path must fit a
Unix socket address (~104 bytes, and OpenSSH refuses a longer -R path); else /tmp."""
_SETUP = (
    f't="${{TMPDIR:-/tmp}}"; [ ${{#t}} -le {SOCKET_DIR_MAX} ] || t=/tmp; umask 077; ' + _SWEEP
    + 'd=$(mktemp -d "$t/audiotui-bridge.XXXXXXXXXX") || exit 1; '
    'cat > "$d/secret" || { rm -rf "$d"; exit 1; }; printf "%s\\n" "$d"'
)
_FIND = (
    'if [ -n "$AUDIOTUI_REMOTE" ]; then eval "set -- $AUDIOTUI_REMOTE"; '
    "elif command -v audiotui >/dev/null 2>&1; then set -- audiotui; "
    "elif python3 -c 'import audiotui.bridge' >/dev/null 2>&1; then set -- python3 -m audiotui; "
    'else echo "audiotui ssh: audiotui is not installed on $(hostname) (pip install audiotui)" >&2; '
    "exit 127; fi; "
)


class Invocation:
    """`audiotui ssh`'s command line, split into our options, ssh's, HOST and the command."""

    def __init__(self, args: list[str]) -> None:
        self.audio_rate: int | None = None
        self.host_audio = True
        self.remote_audiotui: str | None = None
        self.help = False
        self.ssh_options: list[str] = []
        self.host = ""
        self.command: list[str] = []
        self._parse(list(args))

    def _parse(self, args: list[str]) -> None:
        while args:
            arg = args.pop(0)
            if arg in ("-h", "--help"):
                self.help = True
                return
            if arg == "--no-host-audio":
                self.host_audio = False
            elif arg.startswith("--audio-rate"):
                value = arg.split("=", 1)[1] if "=" in arg else (args.pop(0) if args else "")
                try:
                    self.audio_rate = int(value)
                except ValueError:
                    raise click.UsageError(
                        f"--audio-rate needs a rate in Hz, not {value!r}") from None
                if not 1000 <= self.audio_rate <= 384000:
                    raise click.UsageError("--audio-rate must be between 1000 and 384000 Hz")
            elif arg.startswith("--remote-audiotui"):
                value = arg.split("=", 1)[1] if "=" in arg else (args.pop(0) if args else "")
                self.remote_audiotui = value
            elif arg.startswith("-") and len(arg) > 1 and not arg.startswith("--"):
                self.ssh_options.append(arg)
                for i, letter in enumerate(arg[1:], start=1):
                    if letter in _SSH_WITH_ARG:
                        if i == len(arg) - 1:  # the value is the next word
                            if not args:
                                raise click.UsageError(f"ssh option {arg} needs a value")
                            self.ssh_options.append(args.pop(0))
                        break
            elif arg.startswith("--"):
                raise click.UsageError(f"unknown option {arg} (see audiotui ssh --help)")
            else:
                self.host = arg
                break
        if not self.host:
            raise click.UsageError("which HOST? usage: audiotui ssh [SSH OPTIONS] HOST "
                                   "[-- AUDIOTUI COMMAND ...]")
        if args and args[0] == "--":
            args = args[1:]
        if not args or args[0] not in _AUDIOTUI_COMMANDS:
            args = ["run", *args]
        self.command = args

    def setup_argv(self, ssh: list[str]) -> list[str]:
        return [*ssh, *self.ssh_options, "-T", "-o", "ClearAllForwardings=yes", self.host,
                "sh -c " + shlex.quote(_SETUP)]

    def session_argv(self, ssh: list[str], remote_dir: str, local_socket: str,
                     terminal: bool) -> list[str]:
        env = ('AUDIOTUI_BRIDGE="$d/bridge.sock" AUDIOTUI_BRIDGE_SECRET_FILE="$d/secret" '
               + ("" if self.host_audio else "AUDIOTUI_HOST_AUDIO=off "))
        remote = (
            f"d={shlex.quote(remote_dir)}; trap 'rm -rf \"$d\"' EXIT; "
            'echo $$ > "$d/pid.new" && mv "$d/pid.new" "$d/pid"; '  # whole, for the sweep
            "trap 'exit 129' HUP; trap 'exit 143' TERM; "
            + (f"AUDIOTUI_REMOTE={shlex.quote(self.remote_audiotui)}; "
               if self.remote_audiotui else "AUDIOTUI_REMOTE=; ")
            + _FIND
            + env + '"$@" ' + " ".join(shlex.quote(a) for a in self.command)
        )
        return [
            *ssh, "-t" if terminal else "-T",
            "-o", "ExitOnForwardFailure=yes", "-o", "StreamLocalBindUnlink=yes",
            "-R", f"{remote_dir}/bridge.sock:{local_socket}",
            *self.ssh_options, self.host, "sh -c " + shlex.quote(remote),
        ]


def ssh_program() -> list[str]:
    return shlex.split(os.environ.get("AUDIOTUI_SSH", "").strip() or "ssh")


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec function making the child get SIGKILL when we die (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def preexec() -> None:
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    return preexec


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False,
                      "allow_extra_args": True},
    add_help_option=False,
    short_help="Run audiotui on HOST over SSH with this machine's microphone and speakers.",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def ssh(args: tuple[str, ...]) -> None:
    """Run an audiotui command on HOST over SSH, with THIS machine's microphone and speakers.

    On HOST they appear as local:<device name> devices (the defaults). See `audiotui ssh -h`.
    """
    inv = Invocation(list(args))
    if inv.help:
        click.echo(HELP, nl=False)
        return
    sys.exit(run_session(inv))


def run_session(inv: Invocation) -> int:
    from audiotui.bridge.agent import Agent
    from audiotui.bridge.protocol import new_secret

    program = ssh_program()
    if shutil.which(program[0]) is None:
        raise click.ClickException(f"{program[0]} not found (set AUDIOTUI_SSH or install "
                                   "OpenSSH's client)")
    secret = new_secret().hex().encode()
    base = tempfile.gettempdir()  # 0700; /tmp when TMPDIR is too long for a socket path
    local_dir = Path(tempfile.mkdtemp(prefix="audiotui-ssh-",
                                      dir=base if len(base) <= SOCKET_DIR_MAX else "/tmp"))
    agent = Agent(local_dir / "agent.sock", secret, audio_rate=inv.audio_rate)
    preexec = _die_with_parent()
    try:
        setup = subprocess.run(inv.setup_argv(program), input=secret + b"\n",
                               stdout=subprocess.PIPE, preexec_fn=preexec)
        remote_dir = setup.stdout.decode("utf-8", "replace").strip().splitlines()
        if setup.returncode != 0 or not remote_dir or not remote_dir[-1].startswith("/"):
            click.echo(f"audiotui ssh: could not prepare {inv.host} for the audio bridge "
                       f"(ssh exited {setup.returncode})", err=True)
            return setup.returncode or 1
        agent.start()
        terminal = sys.stdin.isatty() and sys.stdout.isatty()
        argv = inv.session_argv(program, remote_dir[-1], str(agent.path), terminal)
        return _run_ssh(argv, preexec)
    finally:
        agent.close()
        shutil.rmtree(local_dir, ignore_errors=True)


def _run_ssh(argv: list[str], preexec: Callable[[], None] | None) -> int:
    """Run the session's ssh in the foreground; signals to us are passed on to it."""
    proc = subprocess.Popen(argv, preexec_fn=preexec)
    previous: dict[int, Any] = {}

    def forward(signum: int, frame: Any) -> None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signum)

    # Ctrl-C reaches ssh itself through the terminal (or is a key for HOST's UI): ignore it.
    handlers: list[tuple[int, Any]] = [(signal.SIGINT, signal.SIG_IGN),
                                       (signal.SIGTERM, forward), (signal.SIGHUP, forward)]
    for signum, handler in handlers:
        with contextlib.suppress(ValueError, OSError):
            previous[signum] = signal.signal(signum, handler)
    try:
        # PortAudio's ALSA/JACK chatter must not land on the terminal HOST's UI draws on.
        from audiotui.media.devices import divert_native_stderr

        divert_native_stderr()
        return proc.wait()
    finally:
        for signum, old in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signum, old)
