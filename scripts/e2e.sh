#!/usr/bin/env bash
# `npm run test:e2e`: the package in a real n8n, once per supported n8n version.
#   builds and packs once, then for each version: installs Node + n8n (cached under
#   ~/.cache/n8n-nodes-pliant, rebuilt from scratch when empty) and runs the jest project
#   `e2e` with N8N_E2E_VERSION, NODE_BIN, NODEDIR, N8N_DIR and PLIANT_TGZ set.
# Env: N8N_E2E_VERSIONS (default: every version in e2e/n8n-versions.json), PLIANT_CACHE, JEST_ARGS (extra jest args,
#      e.g. "-t onboarding" or a test path), E2E_UI=0 to skip the browser tests (test/e2e/*-ui.test.ts),
#      E2E_KEEP_WORK=1 to keep the work folder (logs, n8n user folders) of a passing run.
set -euo pipefail
RUN_NAME=e2e
# shellcheck source=scripts/lib/run-work.sh
source "$(dirname "$0")/lib/run-work.sh"
VERSIONS="${N8N_E2E_VERSIONS:-$(node -p "require('./e2e/n8n-versions.json').join(' ')")}"

START=$(date +%s)
build_and_pack

UI_ARGS=()
if [ "${E2E_UI:-1}" != 0 ]; then
  bash scripts/ensure-chromium.sh
else
  log "E2E_UI=0: skipping the browser tests"
  UI_ARGS=(--testPathIgnorePatterns=-ui\.test\.ts)
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
    npx jest --selectProjects e2e --runInBand --verbose ${JEST_ARGS:-} ${UI_ARGS[@]+"${UI_ARGS[@]}"}
  RC=$?
  set -e
  T2=$(date +%s)
  SUMMARY+=("n8n $V: $([ $RC = 0 ] && echo passed || echo FAILED) (install $((T1 - T0)) s, tests $((T2 - T1)) s)")
  [ $RC = 0 ] || FAILED=1
done

log "summary (total $(( $(date +%s) - START )) s):"
for line in "${SUMMARY[@]}"; do log "  $line"; done
exit $FAILED
