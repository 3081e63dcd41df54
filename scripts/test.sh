#!/usr/bin/env bash
# `npm test`: every stage CI runs, in order, then one summary line over all of them.
# A stage is `name:npm-script:needs` — it runs only when the stages it needs passed, and is
# reported as "not run" otherwise. Jest stages count their tests; other stages count as one check.
# Env: TEST_STAGES="unit integration" runs only those stages (their needs still run first).
set -uo pipefail
cd "$(dirname "$0")/.."
STAGES=(
  "lint:lint:"
  "build:build:"
  "workflows:validate:workflows:"
  "scan:scan:build"
  "unit:test:unit:"
  "integration:test:integration:"
  "e2e:test:e2e:build"
  "reliability:test:reliability:e2e"
  "queue:test:queue:build"
)
LOGS="$(mktemp -d)"
trap 'rm -rf "$LOGS"' EXIT
declare -A RESULT
PASSED=0 FAILED=0 NOT_RUN=() LINES=()

selected() {
  [ -z "${TEST_STAGES:-}" ] && return 0
  local s; for s in $TEST_STAGES; do [ "$s" = "$1" ] && return 0; done
  return 1
}

for spec in "${STAGES[@]}"; do
  name="${spec%%:*}"; rest="${spec#*:}"; script="${rest%:*}"; needs="${rest##*:}"
  selected "$name" || continue
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
  secs=$(( $(date +%s) - t0 ))
  # jest prints "Tests:  1 failed, 2 skipped, 40 passed, 43 total" once per run (e2e runs it per n8n line)
  p=$(grep -aE '^Tests: ' "$LOGS/$name.log" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
  f=$(grep -aE '^Tests: ' "$LOGS/$name.log" | grep -oE '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
  if ! grep -aqE '^Tests: ' "$LOGS/$name.log"; then
    if [ "$rc" = 0 ]; then p=1; f=0; else p=0; f=1; fi
  elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    f=1 # jest passed its tests but the stage failed (set-up, timeout): count it
  fi
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  if [ "$rc" = 0 ]; then RESULT[$name]=passed; else RESULT[$name]=failed; fi
  LINES+=("$(printf '  %-12s %-7s %5s passed %4s failed  %4ss' "$name" "${RESULT[$name]}" "$p" "$f" "$secs")")
done

echo
echo "=== npm test summary"
for l in "${LINES[@]}"; do echo "$l"; done
for l in "${NOT_RUN[@]+"${NOT_RUN[@]}"}"; do echo "  $l"; done
echo "test: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ] && [ ${#NOT_RUN[@]} = 0 ]
