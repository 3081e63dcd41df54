#!/usr/bin/env bash
# `npm run bench`: the package in real n8n instances, side by side with n8n's own Webhook node
# (bench/run.ts; the figures go to bench/results/latest.json and docs/performance.md, after every
# configuration). Before the first configuration: Redis and Postgres for the queue-mode ones, from
# Debian's packages when missing (as `npm run test:queue` does; without root or apt the queue
# configurations are reported skipped and the others run); builds and packs once, installs
# Node + n8n 2.41.1 and 1.123.50 into ~/.cache/n8n-nodes-pliant (first time only: minutes), then
# runs bench/run.ts with tsx. 30+ minutes on 2 cores. Exit code 0 only when every configuration ran.
# Env: BENCH_CONFIGS (e.g. "2.41.1,1.123.50"), BENCH_CALLBACKS, BENCH_CONCURRENCY, BENCH_ROUNDS,
#      BENCH_LEADS, BENCH_LEAD_LIMIT (e.g. 300/30), BENCH_OUT, BENCH_DOC, BENCH_CONFIG_TIMEOUT
#      (minutes), PLIANT_CACHE, BENCH_KEEP_WORK=1 (more in bench/run.ts).
set -euo pipefail
RUN_NAME=bench
# shellcheck source=scripts/lib/run-work.sh
source "$(dirname "$0")/lib/run-work.sh"
if [ ! -x node_modules/.bin/tsx ]; then
  log "dev dependencies are missing: run 'npm ci' first"
  exit 1
fi
# shellcheck source=scripts/lib/queue-deps.sh
source "$(dirname "$0")/lib/queue-deps.sh"
if [ -z "${BENCH_CONFIGS:-}" ] || [[ ",$BENCH_CONFIGS," == *-queue* ]]; then
  if ! ensure_queue_deps; then
    # bench/run.ts reports the queue configurations skipped, with this reason, and runs the others
    log "queue-mode configurations will be skipped: $QUEUE_DEPS_WHY"
    export BENCH_QUEUE_SETUP="$QUEUE_DEPS_WHY"
  fi
fi
build_and_pack

# the n8n versions the configurations need (bench/run.ts lists the configurations; all by default)
VERSIONS="2.41.1 1.123.50"
if [ -n "${BENCH_CONFIGS:-}" ]; then
  VERSIONS="$(echo "$BENCH_CONFIGS" | tr ',' '\n' | sed 's/-.*//' | sort -ru | tr '\n' ' ')"
fi
# installed one at a time (never two installs at once); 2.41.1 first: it brings Node 24
for V in $VERSIONS; do
  log "n8n $V: install (cached)"
  # a failed install fails only the configurations of that version (bench/run.ts tries again and reports)
  bash scripts/install-n8n.sh "$V" >/dev/null || log "n8n $V: install failed; bench/run.ts reports its configurations"
done

node_modules/.bin/tsx bench/run.ts
