#!/usr/bin/env bash
# `npm run test:e2e`: the package in a real n8n, on every supported n8n line.
#   builds and packs once, then for every version AT THE SAME TIME: installs Node + n8n (cached
#   under ~/.cache/n8n-nodes-pliant, rebuilt from scratch when empty) and runs the jest project
#   `e2e` (N8N_E2E_VERSION, NODE_BIN, NODEDIR, N8N_DIR, PLIANT_TGZ and a port range of its own
#   per line): the tests mostly wait on n8n, and a line need not wait for the other's install.
#   Each line's output goes to its own log, printed whole when the line ends, so the two never
#   interleave.
# Env: N8N_E2E_VERSIONS (default: every version in test/e2e/n8n-versions.json), PLIANT_CACHE, JEST_ARGS (extra jest args,
#      e.g. "-t onboarding" or a test path), E2E_UI=0 to skip the browser tests (test/e2e/*-ui.test.ts),
#      E2E_SERIAL=1 to run the lines one after another with live output,
#      E2E_KEEP_WORK=1 to keep the work folder (logs, n8n user folders) of a passing run.
set -euo pipefail
RUN_NAME=e2e
# shellcheck source=scripts/lib/run-work.sh
source "$(dirname "$0")/lib/run-work.sh"
VERSIONS="${N8N_E2E_VERSIONS:-$(node -p "require('./test/e2e/n8n-versions.json').join(' ')")}"

START=$(date +%s)
build_and_pack

UI_ARGS=()
if [ "${E2E_UI:-1}" != 0 ]; then
  bash scripts/ensure-chromium.sh
else
  log "E2E_UI=0: skipping the browser tests"
  UI_ARGS=(--testPathIgnorePatterns=-ui\.test\.ts)
fi

# One line: its n8n install (cached; `npm test` starts the installs in the background, and
# install-n8n.sh waits for one already under way), then its jest run. The n-th line gets the
# ports 5690+1000n.. (scripts/lib/stack.ts). A line starts as soon as its own n8n is ready.
run_line() {
  local V="$1" offset="$2" t0 out NODE_BIN NODEDIR N8N_DIR
  t0=$(date +%s)
  out="$(bash scripts/install-n8n.sh "$V")" || return 1
  eval "$out"
  echo $(( $(date +%s) - t0 )) >"$WORK/install-$V.secs"
  log "n8n $V: installed/checked in $(cat "$WORK/install-$V.secs") s; running jest"
  # shellcheck disable=SC2086
  N8N_E2E_VERSION="$V" NODE_BIN="$NODE_BIN" NODEDIR="$NODEDIR" N8N_DIR="$N8N_DIR" \
    E2E_PORT_OFFSET="$offset" \
    npx jest --selectProjects e2e --runInBand --verbose ${JEST_ARGS:-} ${UI_ARGS[@]+"${UI_ARGS[@]}"}
}

declare -A PIDS RCS SECS
n=0
for V in $VERSIONS; do
  if [ "${E2E_SERIAL:-0}" = 1 ]; then
    t0=$(date +%s)
    set +e; run_line "$V" $((n * 1000)); RCS[$V]=$?; set -e
    SECS[$V]=$(( $(date +%s) - t0 ))
  else
    log "n8n $V: install, then jest, in the background (log: $WORK/jest-$V.log)"
    ( set +e; t0=$(date +%s); run_line "$V" $((n * 1000)) >"$WORK/jest-$V.log" 2>&1; rc=$?
      echo $(( $(date +%s) - t0 )) >"$WORK/jest-$V.secs"; exit $rc ) &
    PIDS[$V]=$!
  fi
  n=$((n + 1))
done
for V in $VERSIONS; do
  [ -n "${PIDS[$V]:-}" ] || continue
  set +e; wait "${PIDS[$V]}"; RCS[$V]=$?; set -e
  SECS[$V]="$(cat "$WORK/jest-$V.secs" 2>/dev/null || echo '?')"
  echo "=================== n8n $V: jest output ==================="
  cat "$WORK/jest-$V.log"
done

SUMMARY=()
FAILED=0
for V in $VERSIONS; do
  RC=${RCS[$V]}
  # tests that needed a second try print "RETRIED: ..." (test/support/retried.ts); npm test lists them
  RETRIED='?' # E2E_SERIAL: the output went to the terminal, not to a log
  [ -f "$WORK/jest-$V.log" ] && RETRIED=$(grep -acE '^RETRIED: ' "$WORK/jest-$V.log" || true)
  SUMMARY+=("n8n $V: $([ "$RC" = 0 ] && echo passed || echo FAILED) (install $(cat "$WORK/install-$V.secs" 2>/dev/null || echo '?') s, install + tests ${SECS[$V]} s, $RETRIED retried)")
  [ "$RC" = 0 ] || FAILED=1
done

log "summary (total $(( $(date +%s) - START )) s):"
for line in "${SUMMARY[@]}"; do log "  $line"; done
exit $FAILED
