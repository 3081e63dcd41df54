#!/usr/bin/env bash
# `npm run bench`: the package in real n8n instances, side by side with n8n's own Webhook node
# (bench/run.ts; the figures go to bench/results/latest.json and the README's Performance section).
#   builds and packs once, installs Node + n8n 2.41.1 and 1.123.50 into ~/.cache/n8n-nodes-pliant
#   (first time only: minutes), then runs bench/run.ts with tsx. About 20-30 minutes on 2 cores.
# Env: BENCH_CONFIGS (e.g. "2.41.1,1.123.50"), BENCH_CALLBACKS, BENCH_CONCURRENCY, BENCH_ROUNDS,
#      BENCH_LEADS, BENCH_LEAD_LIMIT (e.g. 300/30), BENCH_OUT, PLIANT_CACHE, BENCH_KEEP_WORK=1.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
cd "$REPO"
log() { echo "[bench] $*" >&2; }

if [ ! -x node_modules/.bin/tsx ]; then
  echo "[bench] dev dependencies are missing: run 'npm ci' first" >&2
  exit 1
fi

mkdir -p .e2e-work
WORK="$(mktemp -d "$REPO/.e2e-work/bench-XXXXXX")"
# Every process the runner starts is recorded as <work>/**/pids/<pid>; whatever is still
# alive when this script ends (a runner killed hard) is stopped here, by PID, with its children.
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
  if [ $rc = 0 ] && [ -z "${BENCH_KEEP_WORK:-}" ]; then rm -rf "$WORK"; else log "work folder kept: $WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "build and pack once"
npm run build --silent >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
TGZ_NAME="$(npm pack --silent --pack-destination "$WORK" | tail -n1)"
export PLIANT_TGZ="$WORK/$TGZ_NAME"

# the n8n versions the configurations need (bench/run.ts lists the configurations; all by default)
VERSIONS="2.41.1 1.123.50"
if [ -n "${BENCH_CONFIGS:-}" ]; then
  VERSIONS="$(echo "$BENCH_CONFIGS" | tr ',' '\n' | sed 's/-.*//' | sort -ru | tr '\n' ' ')"
fi
# installed one at a time (never two installs at once); 2.41.1 first: it brings Node 24
for V in $VERSIONS; do
  log "n8n $V: install (cached)"
  bash scripts/install-n8n.sh "$V" >/dev/null
done

node_modules/.bin/tsx bench/run.ts
