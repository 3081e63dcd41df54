#!/usr/bin/env bash
# `npm run test:reliability` (part of `npm test`, run by CI): faults, bursts, publish cycles,
# restarts, hostile callbacks and secret leaks, against a real n8n 2.41.1 with the packed
# package and the local emulator (test/reliability/). Builds and packs once, installs Node 24
# and n8n into ~/.cache/n8n-nodes-pliant when missing (first time: a few minutes), then runs
# the jest project `reliability`. Bounded: jest stops after RELIABILITY_TIMEOUT seconds (default
# 900), and every process started is stopped by PID when this script ends.
# Env: RELIABILITY_N8N_VERSION (default 2.41.1), PLIANT_CACHE, JEST_ARGS, RELIABILITY_KEEP_WORK=1.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
if [ ! -x node_modules/.bin/jest ]; then
  echo "[reliability] dev dependencies are missing: run 'npm ci' first" >&2
  exit 1
fi
VERSION="${RELIABILITY_N8N_VERSION:-2.41.1}"
log() { echo "[reliability] $*" >&2; }

mkdir -p .e2e-work
WORK="$(mktemp -d "$REPO/.e2e-work/reliability-XXXXXX")"
export PLIANT_WORK_ROOT="$WORK"
JEST_PID=
cleanup() {
  local rc=$?
  if [ -n "$JEST_PID" ] && kill -0 "$JEST_PID" 2>/dev/null; then kill "$JEST_PID" 2>/dev/null || true; fi
  # processes the runner recorded (<work>/**/pids/<pid>) and could not stop itself
  while IFS= read -r f; do
    pid="$(basename "$f")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping leftover process $pid ($(cat "$f" 2>/dev/null))"
      for c in $(pgrep -P "$pid" 2>/dev/null); do kill "$c" 2>/dev/null || true; done
      kill "$pid" 2>/dev/null || true
    fi
  done < <(find "$WORK" -path '*/pids/*' -type f 2>/dev/null)
  if [ $rc = 0 ] && [ -z "${RELIABILITY_KEEP_WORK:-}" ]; then rm -rf "$WORK"; else log "work folder kept: $WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

START=$(date +%s)
log "build and pack"
npm run build --silent >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
TGZ_NAME="$(npm pack --silent --pack-destination "$WORK" | tail -n1)"
export PLIANT_TGZ="$WORK/$TGZ_NAME"

log "n8n $VERSION: install (cached)"
eval "$(bash scripts/install-n8n.sh "$VERSION")"
export N8N_E2E_VERSION="$VERSION" NODE_BIN NODEDIR N8N_DIR

set +e
# shellcheck disable=SC2086
timeout --kill-after=30 "${RELIABILITY_TIMEOUT:-900}" \
  node_modules/.bin/jest --selectProjects reliability --runInBand --forceExit ${JEST_ARGS:-} &
JEST_PID=$!
wait "$JEST_PID"
RC=$?
JEST_PID=
set -e
[ $RC = 124 ] && log "timed out after ${RELIABILITY_TIMEOUT:-900} s"
log "$([ $RC = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - START )) s"
exit $RC
