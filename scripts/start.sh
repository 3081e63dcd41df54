#!/usr/bin/env bash
# `npm start`: the local demo. Builds and packs the package, then scripts/demo.ts starts the
# Pliant emulator (port 4010) and n8n 2.41.1 (port 5678; Node 24 and n8n are installed into
# ~/.cache/n8n-nodes-pliant the first time) with the packed package, and prints the editor URL
# and login. Ctrl-C stops everything it started.
# Env: DEMO_N8N_PORT, DEMO_EMULATOR_PORT, DEMO_HOME, DEMO_ONBOARDING_DELAY_MS, DEMO_STEP_INTERVAL_MS.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
log() { echo "[demo] $*"; }

if [ ! -x node_modules/.bin/tsx ]; then
  echo "[demo] dev dependencies are missing: run 'npm ci' first" >&2
  exit 1
fi

# outside the repository (removed when the demo ends)
mkdir -p "${PLIANT_WORK_BASE:-${TMPDIR:-/tmp}/n8n-nodes-pliant}"
WORK="$(mktemp -d "${PLIANT_WORK_BASE:-${TMPDIR:-/tmp}/n8n-nodes-pliant}/demo-XXXXXX")"
log "building the package"
npm run build --silent >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; rm -rf "$WORK"; exit 1; }
TGZ_NAME="$(npm pack --silent --pack-destination "$WORK" | tail -n1)"
export PLIANT_TGZ="$WORK/$TGZ_NAME"
log "packed $TGZ_NAME"

DEMO_HOME="${DEMO_HOME:-${PLIANT_CACHE:-$HOME/.cache/n8n-nodes-pliant}/demo-home}"
export DEMO_HOME

DEMO_PID=
cleanup() {
  local rc=$?
  trap - INT TERM
  if [ -n "$DEMO_PID" ] && kill -0 "$DEMO_PID" 2>/dev/null; then
    kill -TERM "$DEMO_PID" 2>/dev/null || true
    wait "$DEMO_PID" 2>/dev/null || true
  fi
  # anything the demo started and could not stop (it writes run/pids/<pid>), by PID
  for f in "$DEMO_HOME"/run/pids/*; do
    [ -e "$f" ] || continue
    pid="$(basename "$f")"
    if kill -0 "$pid" 2>/dev/null; then
      for c in $(pgrep -P "$pid" 2>/dev/null); do kill "$c" 2>/dev/null || true; done
      kill "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
# the demo handles SIGINT/SIGTERM itself (stops n8n and the emulator, then exits)
trap 'kill -TERM "$DEMO_PID" 2>/dev/null || true' INT TERM

# plain node with tsx's loader: no wrapper process between this script and the demo
node --import tsx scripts/demo.ts &
DEMO_PID=$!
# `wait` returns early when a trapped signal arrives: wait again until the demo is gone
set +e
while kill -0 "$DEMO_PID" 2>/dev/null; do
  wait "$DEMO_PID"
  RC=$?
done
set -e
DEMO_PID=
exit "${RC:-0}"
