#!/usr/bin/env bash
# Makes sure Debian's chromium is at /usr/bin/chromium (the headless browser the UI tests drive
# with playwright-core). Installs it with apt-get when it is missing; a no-op otherwise.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
log() { echo "[ensure-chromium] $*" >&2; }
SUDO=
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    log "chromium is missing and this user cannot run apt-get; install it: apt-get install -y chromium"
    exit 1
  fi
fi
log "installing Debian's chromium (once, ~1 min)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >&2
"$CHROMIUM" --version >&2
