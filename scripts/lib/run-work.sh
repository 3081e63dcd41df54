# Sourced by e2e.sh, reliability.sh, queue.sh and bench.sh: a work folder per run (outside the repository), the leftover-process
# sweep when the run ends, and one build + pack. Set RUN_NAME (e2e, reliability, bench) first;
# <RUN_NAME>_KEEP_WORK=1 keeps the work folder of a passing run. A script may define
# `on_cleanup` to stop what it started itself before the sweep.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
log() { echo "[$RUN_NAME] $*" >&2; }

# outside the repository, so nothing a run leaves behind can slow lint or reach a commit
WORK_BASE="${PLIANT_WORK_BASE:-${TMPDIR:-/tmp}/n8n-nodes-pliant}"
mkdir -p "$WORK_BASE"
WORK="$(mktemp -d "$WORK_BASE/$RUN_NAME-XXXXXX")"
# Every process the runners start is recorded as <work>/**/pids/<pid> and removed when it stops;
# whatever is still alive when the run ends (a runner killed hard) is stopped here, by PID.
export PLIANT_WORK_ROOT="$WORK"
cleanup() {
  local rc=$? keep_var
  if declare -F on_cleanup >/dev/null; then on_cleanup; fi
  while IFS= read -r f; do
    pid="$(basename "$f")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping leftover process $pid ($(cat "$f" 2>/dev/null))"
      for c in $(pgrep -P "$pid" 2>/dev/null); do kill "$c" 2>/dev/null || true; done
      kill "$pid" 2>/dev/null || true
    fi
  done < <(find "$WORK" -path '*/pids/*' -type f 2>/dev/null)
  keep_var="$(echo "$RUN_NAME" | tr '[:lower:]' '[:upper:]')_KEEP_WORK"
  if [ $rc = 0 ] && [ -z "${!keep_var:-}" ]; then rm -rf "$WORK"; else log "work folder kept: $WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Builds once and packs the tarball n8n installs (PLIANT_TGZ), as a user's community install would.
# PLIANT_BUILT=1 (set by `npm test` after its build stage passed on this tree) skips the build.
build_and_pack() {
  if [ "${PLIANT_BUILT:-}" = 1 ] && [ -d dist/nodes ]; then
    log "pack (built by npm test's build stage)"
  else
    log "build and pack"
    npm run build --silent >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
  fi
  PLIANT_TGZ="$WORK/$(npm pack --silent --pack-destination "$WORK" | tail -n1)"
  export PLIANT_TGZ
  log "packed $PLIANT_TGZ"
}
