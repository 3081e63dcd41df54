#!/usr/bin/env bash
# `npm run test:e2e`: the package in a real n8n, once per supported n8n version.
#   builds and packs once, then for each version: installs Node + n8n (cached under
#   ~/.cache/n8n-nodes-pliant, rebuilt from scratch when empty) and runs the jest project
#   `e2e` with N8N_E2E_VERSION, NODE_BIN, NODEDIR, N8N_DIR and PLIANT_TGZ set.
# Env: N8N_E2E_VERSIONS (default "2.41.1 1.123.50"), PLIANT_CACHE, JEST_ARGS (extra jest args,
#      e.g. "-t onboarding" or a test path), E2E_UI=0 to skip the browser test,
#      E2E_KEEP_WORK=1 to keep the work folder (logs, n8n user folders) of a passing run.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
VERSIONS="${N8N_E2E_VERSIONS:-2.41.1 1.123.50}"
log() { echo "[e2e] $*" >&2; }

mkdir -p .e2e-work
WORK="$(mktemp -d "$REPO/.e2e-work/e2e-XXXXXX")"
# Every work folder of this run lives under $WORK (PLIANT_WORK_ROOT); the runners write
# <work>/pids/<pid> for each process they start and remove it when it stops. Whatever is
# left (a runner killed hard) is stopped here by PID, with its children, however this ends.
export PLIANT_WORK_ROOT="$WORK"
cleanup() {
  local rc=$?
  while IFS= read -r f; do
    pid="$(basename "$f")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping leftover process $pid ($(cat "$f" 2>/dev/null))"
      for c in $(pgrep -P "$pid" 2>/dev/null); do kill "$c" 2>/dev/null || true; done
      kill "$pid" 2>/dev/null || true
    fi
  done < <(find "$WORK" -path '*/pids/*' -type f 2>/dev/null)
  if [ $rc = 0 ] && [ -z "${E2E_KEEP_WORK:-}" ]; then rm -rf "$WORK"; else log "work folder kept: $WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

START=$(date +%s)
log "build and pack once"
npm run build --silent >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
TGZ_NAME="$(npm pack --silent --pack-destination "$WORK" | tail -n1)"
export PLIANT_TGZ="$WORK/$TGZ_NAME"
log "packed $PLIANT_TGZ"

UI_ARGS=()
if [ "${E2E_UI:-1}" != 0 ]; then
  bash scripts/ensure-chromium.sh
else
  log "E2E_UI=0: skipping the browser test"
  UI_ARGS=(--testPathIgnorePatterns editor-ui)
fi

SUMMARY=()
FAILED=0
for V in $VERSIONS; do
  T0=$(date +%s)
  log "n8n $V: install (cached)"
  INSTALL_OUT="$(bash scripts/install-n8n.sh "$V")"
  eval "$INSTALL_OUT"
  T1=$(date +%s)
  log "n8n $V: installed/checked in $((T1 - T0)) s; running jest"
  set +e
  # shellcheck disable=SC2086
  N8N_E2E_VERSION="$V" NODE_BIN="$NODE_BIN" NODEDIR="$NODEDIR" N8N_DIR="$N8N_DIR" \
    npx jest --selectProjects e2e --runInBand --verbose ${UI_ARGS[@]+"${UI_ARGS[@]}"} ${JEST_ARGS:-}
  RC=$?
  set -e
  T2=$(date +%s)
  SUMMARY+=("n8n $V: $([ $RC = 0 ] && echo passed || echo FAILED) (install $((T1 - T0)) s, tests $((T2 - T1)) s)")
  [ $RC = 0 ] || FAILED=1
done

log "summary (total $(( $(date +%s) - START )) s):"
for line in "${SUMMARY[@]}"; do log "  $line"; done
exit $FAILED
