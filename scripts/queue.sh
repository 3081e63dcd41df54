#!/usr/bin/env bash
# `npm run test:queue` (part of `npm test`, run by CI): the package in n8n 2.41.1's queue mode
# (test/queue/, docs/queue-mode.md): Redis and Postgres from Debian's packages (installed here
# when missing), one main, one webhook processor, two workers, and the emulator. Builds and
# packs once, installs Node 24 + n8n into ~/.cache/n8n-nodes-pliant when missing, then runs the
# jest project `queue`, bounded by QUEUE_TIMEOUT seconds (default 900). Every process started
# is stopped by PID when this script ends.
# Env: QUEUE_N8N_VERSION (default 2.41.1), PLIANT_CACHE, JEST_ARGS, QUEUE_KEEP_WORK=1.
set -euo pipefail
RUN_NAME=queue
# shellcheck source=scripts/lib/run-work.sh
source "$(dirname "$0")/lib/run-work.sh"
if [ ! -x node_modules/.bin/jest ]; then
  log "dev dependencies are missing: run 'npm ci' first"
  exit 1
fi
VERSION="${QUEUE_N8N_VERSION:-2.41.1}"
JEST_PID=
on_cleanup() {
  if [ -n "$JEST_PID" ] && kill -0 "$JEST_PID" 2>/dev/null; then kill "$JEST_PID" 2>/dev/null || true; fi
}

# shellcheck source=scripts/lib/queue-deps.sh
source "$(dirname "$0")/lib/queue-deps.sh"

# Redis and Postgres: Debian's packages, installed when missing (scripts/lib/queue-deps.sh)
START=$(date +%s)
ensure_queue_deps || { log "$QUEUE_DEPS_WHY"; exit 1; }

build_and_pack
log "n8n $VERSION: install (cached)"
eval "$(bash scripts/install-n8n.sh "$VERSION")"
export N8N_E2E_VERSION="$VERSION" NODE_BIN NODEDIR N8N_DIR

set +e
# shellcheck disable=SC2086
timeout --kill-after=30 "${QUEUE_TIMEOUT:-900}" \
  node_modules/.bin/jest --selectProjects queue --runInBand --verbose ${JEST_ARGS:-} &
JEST_PID=$!
wait "$JEST_PID"
RC=$?
JEST_PID=
set -e
[ $RC = 124 ] && log "timed out after ${QUEUE_TIMEOUT:-900} s"
log "$([ $RC = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - START )) s"
exit $RC
