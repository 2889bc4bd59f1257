#!/usr/bin/env bash
# with-virtual-audio.sh CMD [ARG...] - run CMD with a private virtual sound server of its own.
#
# Starts scripts/virtual-audio-up.sh in a fresh directory, exports its PULSE_SERVER and
# ALSA_CONFIG_PATH (so the names virtual_speaker, virtual_speaker_monitor, virtual_mic_feed and
# virtual_mic reach that server, in CMD and its children), runs CMD, then stops that server and
# removes its directory. Nothing system-wide is written and no other server is touched, so it is
# safe beside test runs and on a machine whose real sound must not change. For the benchmarks:
#   bash scripts/with-virtual-audio.sh .venv/bin/python benchmarks/bench_hw_latency.py
# (pytest needs no wrapper: tests/conftest.py starts a private server per run.)
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 CMD [ARG...]" >&2; exit 2; }
here="$(cd "$(dirname "$0")" && pwd)"
# /tmp, not $TMPDIR: the server's socket path must stay under the 107-byte limit.
dir="$(mktemp -d /tmp/audiotui-audio-XXXXXXXX)"
cleanup() { VIRTUAL_AUDIO_DIR="$dir" bash "$here/virtual-audio-down.sh" --purge >/dev/null 2>&1 || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! VIRTUAL_AUDIO_DIR="$dir" bash "$here/virtual-audio-up.sh" >"$dir/up.log" 2>&1; then
    echo "with-virtual-audio: the virtual sound server did not start:" >&2
    tail -n 20 "$dir/up.log" >&2
    exit 1
fi
# shellcheck source=/dev/null
. "$dir/env"
export VIRTUAL_AUDIO_DIR="$dir"
# Not exec: the EXIT trap must still stop the server when CMD ends.
status=0
"$@" || status=$?
exit "$status"
