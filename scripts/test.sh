#!/usr/bin/env bash
# `npm test`: every stage CI runs, then a table of the stages (result, tests, retried tests,
# seconds), one line per test that needed a second try, and one summary line over all of them.
# A stage is `name:npm-script:needs` — it runs only when the stages it needs passed, and is
# reported as "not run" otherwise. Jest stages count their tests; other stages count as one check.
# A script written `&script` starts in the background before the first stage (the n8n installs,
# minutes of npm and compiling, run while lint, build and the unit tests use the machine); its
# output is printed whole when the first stage that needs it waits for it, and a failed
# background stage fails like any other. e2e does not wait for all installs: each n8n line
# starts as soon as its own install is done (install-n8n.sh waits for one under way).
# Env: TEST_STAGES="unit integration" runs only those stages (their needs still run first).
set -uo pipefail
cd "$(dirname "$0")/.."
STAGES=(
  "install:&install:n8n:"
  "lint:lint:"
  "build:build:"
  "workflows:validate:workflows:"
  "scan:scan:build"
  "unit:test:unit:"
  "integration:test:integration:"
  "e2e:test:e2e:build"
  "reliability:test:reliability:e2e"
  "queue:test:queue:build install"
)
LOGS="$(mktemp -d)"
declare -A RESULT BG_PID BG_T0 BG_SCRIPT
# a background stage still running when npm test ends (interrupted) is stopped with it
trap 'for p in "${BG_PID[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$LOGS"' EXIT
PASSED=0 FAILED=0 NOT_RUN=() LINES=() RETRIED=()

selected() {
  [ -z "${TEST_STAGES:-}" ] && return 0
  local s; for s in $TEST_STAGES; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# Counts a finished stage from its log: jest prints "Tests:  1 failed, 2 skipped, 40 passed,
# 43 total" once per run (e2e runs it per n8n line).
record() {
  local name="$1" rc="$2" secs="$3" note="${4:-}" p f
  p=$(grep -aE '^Tests: ' "$LOGS/$name.log" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
  f=$(grep -aE '^Tests: ' "$LOGS/$name.log" | grep -oE '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
  if ! grep -aqE '^Tests: ' "$LOGS/$name.log"; then
    if [ "$rc" = 0 ]; then p=1; f=0; else p=0; f=1; fi
  elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    f=1 # jest passed its tests but the stage failed (set-up, timeout): count it
  fi
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  if [ "$rc" = 0 ]; then RESULT[$name]=passed; else RESULT[$name]=failed; fi
  # a test that needed a second try prints "RETRIED: <test>: <why>" (test/support/retried.ts)
  local line r=0
  while IFS= read -r line; do RETRIED+=("$name: ${line#RETRIED: }"); r=$((r + 1)); done \
    < <(grep -aE '^RETRIED: ' "$LOGS/$name.log")
  LINES+=("$(printf '  %-12s %-7s %5s passed %4s failed %3s retried  %4ss%s' "$name" "${RESULT[$name]}" "$p" "$f" "$r" "$secs" "$note")")
}

# Waits for a background stage, prints its output and records it.
finish_bg() {
  local name="$1" rc
  wait "${BG_PID[$name]}"; rc=$?
  echo "=== npm test: $name (npm run ${BG_SCRIPT[$name]}, in the background) $([ "$rc" = 0 ] && echo passed || echo FAILED); its output:"
  cat "$LOGS/$name.log"
  record "$name" "$rc" $(( $(cat "$LOGS/$name.end" 2>/dev/null || date +%s) - BG_T0[$name] )) "  (background)"
  unset "BG_PID[$name]"
}

T_START=$(date +%s)
for spec in "${STAGES[@]}"; do
  name="${spec%%:*}"; rest="${spec#*:}"; script="${rest%:*}"
  [ "${script#&}" != "$script" ] || continue
  selected "$name" || continue
  BG_SCRIPT[$name]="${script#&}"; BG_T0[$name]=$(date +%s)
  echo "=== npm test: $name (npm run ${script#&}) starts in the background; its output follows when a stage needs it"
  (npm run --silent "${script#&}" >"$LOGS/$name.log" 2>&1; rc=$?; date +%s >"$LOGS/$name.end"; exit $rc) &
  BG_PID[$name]=$!
done

for spec in "${STAGES[@]}"; do
  name="${spec%%:*}"; rest="${spec#*:}"; script="${rest%:*}"; needs="${rest##*:}"
  [ "${script#&}" = "$script" ] || continue
  selected "$name" || continue
  for n in $needs; do [ -z "${BG_PID[$n]:-}" ] || finish_bg "$n"; done
  blocked=
  for n in $needs; do [ "${RESULT[$n]:-passed}" = passed ] || blocked="$n ${RESULT[$n]}"; done
  if [ -n "$blocked" ]; then
    RESULT[$name]="not run"; NOT_RUN+=("$name: not run, $blocked")
    continue
  fi
  echo "=== npm test: $name (npm run $script)"
  t0=$(date +%s)
  npm run --silent "$script" 2>&1 | tee "$LOGS/$name.log"
  rc=${PIPESTATUS[0]}
  record "$name" "$rc" $(( $(date +%s) - t0 ))
  # the stages after it reuse this build (scripts/lib/run-work.sh packs it without rebuilding)
  [ "$name" = build ] && [ "$rc" = 0 ] && export PLIANT_BUILT=1
done
for name in "${!BG_PID[@]}"; do finish_bg "$name"; done

echo
echo "=== npm test summary"
for l in "${LINES[@]}"; do echo "$l"; done
for l in "${NOT_RUN[@]+"${NOT_RUN[@]}"}"; do echo "  $l"; done
for l in "${RETRIED[@]+"${RETRIED[@]}"}"; do echo "  retried      $l"; done
echo "  total        $(( $(date +%s) - T_START )) s wall clock"
echo "test: $PASSED passed, $FAILED failed, ${#RETRIED[@]} retried"
[ "$FAILED" = 0 ] && [ ${#NOT_RUN[@]} = 0 ]
