#!/usr/bin/env bash
# The README's test command: from nothing to a passing suite.
#   - system packages (PortAudio, PulseAudio + ALSA pulse plugin, tmux, sox, openssh for the SSH-drop test) via apt-get when root
#   - a project venv in .venv with the package (editable) and its test extras
#   - pytest with two xdist workers; extra arguments are passed on (e.g. `bash scripts/test.sh -k waveform`)
# The virtual sound server the hardware tests record and play through is NOT started here: each
# pytest run starts a private one of its own (tests/conftest.py), so two runs side by side, or
# anyone else's sound server, are never touched, and nothing system-wide is written.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
APT_PACKAGES="libportaudio2 libasound2-plugins pulseaudio pulseaudio-utils tmux sox openssh-server openssh-client"

missing=""
for p in $APT_PACKAGES; do
    dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed || missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "test.sh: installing:$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null || echo "test.sh: WARNING: apt-get update failed"
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        echo "test.sh: WARNING: missing$missing (not root); hardware/tmux tests will skip"
    fi
fi

if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"

.venv/bin/python -m ruff check engine tui tests examples benchmarks scripts
# Two pytest-xdist workers: most of the suite's time is tests waiting on real time (ptys, tmux,
# playback through the sound server, sshd), which two workers overlap (a 2-core machine: ~14.5
# -> ~7-9 min). Each worker starts its own private sound server (tests/conftest.py). Set
# AUDIOTUI_TEST_WORKERS (a number, or 0 for one process) to change it; passing -n/--numprocesses,
# -p no:xdist, --pdb or --trace yourself also drops this default.
workers=(-n "${AUDIOTUI_TEST_WORKERS:-2}" --dist worksteal)
for arg in "$@"; do
    case "$arg" in
        -n | -n* | --numprocesses | --numprocesses=* | no:xdist | -pno:xdist | --pdb | --trace)
            workers=() ;;
    esac
done
exec .venv/bin/python -m pytest -q -p no:cacheprovider "${workers[@]}" "$@"
