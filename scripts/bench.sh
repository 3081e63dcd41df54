#!/usr/bin/env bash
# `npm run bench`: the package in real n8n instances, side by side with n8n's own Webhook node
# (bench/run.ts; the figures go to bench/results/latest.json and docs/performance.md).
#   builds and packs once, installs Node + n8n 2.41.1 and 1.123.50 into ~/.cache/n8n-nodes-pliant
#   (first time only: minutes), then runs bench/run.ts with tsx. About 20-30 minutes on 2 cores.
# Env: BENCH_CONFIGS (e.g. "2.41.1,1.123.50"), BENCH_CALLBACKS, BENCH_CONCURRENCY, BENCH_ROUNDS,
#      BENCH_LEADS, BENCH_LEAD_LIMIT (e.g. 300/30), BENCH_OUT, PLIANT_CACHE, BENCH_KEEP_WORK=1.
set -euo pipefail
RUN_NAME=bench
# shellcheck source=scripts/lib/run-work.sh
source "$(dirname "$0")/lib/run-work.sh"
if [ ! -x node_modules/.bin/tsx ]; then
  log "dev dependencies are missing: run 'npm ci' first"
  exit 1
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
  bash scripts/install-n8n.sh "$V" >/dev/null
done

node_modules/.bin/tsx bench/run.ts
