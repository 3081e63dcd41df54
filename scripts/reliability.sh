#!/usr/bin/env bash
# `npm run test:reliability` (part of `npm test`, run by CI): faults, bursts, publish cycles,
# restarts, hostile callbacks and secret leaks, against a real n8n 2.41.1 with the packed
# package and the local emulator (test/reliability/). Builds and packs once, installs Node 24
# and n8n into ~/.cache/n8n-nodes-pliant when missing (first time: a few minutes), then runs
# the jest project `reliability`. Bounded: jest stops after RELIABILITY_TIMEOUT seconds (default
# 900), and every process started is stopped by PID when this script ends.
# Env: RELIABILITY_N8N_VERSION (default: the first version in test/e2e/n8n-versions.json), PLIANT_CACHE, JEST_ARGS, RELIABILITY_KEEP_WORK=1.
set -euo pipefail
RUN_NAME=reliability
# shellcheck source=scripts/lib/run-work.sh
source "$(dirname "$0")/lib/run-work.sh"
if [ ! -x node_modules/.bin/jest ]; then
  log "dev dependencies are missing: run 'npm ci' first"
  exit 1
fi
VERSION="${RELIABILITY_N8N_VERSION:-$(node -p "require('./test/e2e/n8n-versions.json')[0]")}"
JEST_PID=
on_cleanup() {
  if [ -n "$JEST_PID" ] && kill -0 "$JEST_PID" 2>/dev/null; then kill "$JEST_PID" 2>/dev/null || true; fi
}

START=$(date +%s)
build_and_pack

log "n8n $VERSION: install (cached)"
eval "$(bash scripts/install-n8n.sh "$VERSION")"
export N8N_E2E_VERSION="$VERSION" NODE_BIN NODEDIR N8N_DIR

set +e
# shellcheck disable=SC2086
timeout --kill-after=30 "${RELIABILITY_TIMEOUT:-900}" \
  node_modules/.bin/jest --selectProjects reliability --runInBand ${JEST_ARGS:-} &
JEST_PID=$!
wait "$JEST_PID"
RC=$?
JEST_PID=
set -e
[ $RC = 124 ] && log "timed out after ${RELIABILITY_TIMEOUT:-900} s"
log "$([ $RC = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - START )) s"
exit $RC
