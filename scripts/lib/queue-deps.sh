# Sourced by queue.sh and bench.sh (after run-work.sh): Redis and Postgres for queue mode, from
# Debian's packages, installed when missing. Their package scripts may start the system
# services; nothing here uses those: the runs start their own throwaway instances.
# ensure_queue_deps: 0 when redis-server, redis-cli, psql, initdb and pg_ctl are there (exports
# PLIANT_PG_BIN); otherwise 1, with the reason in QUEUE_DEPS_WHY (no root and no sudo, no apt,
# the install failed).
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }

queue_deps_present() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && command -v psql >/dev/null \
    && [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] && [ -x "$(pg_bin)/pg_ctl" ]
}

ensure_queue_deps() {
  QUEUE_DEPS_WHY=
  local t0 SUDO=
  t0=$(date +%s)
  if ! queue_deps_present; then
    if [ "$(id -u)" != 0 ]; then
      if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else
        QUEUE_DEPS_WHY="not root and no password-less sudo: install redis-server and postgresql yourself (apt-get install redis-server postgresql)"
        return 1
      fi
    fi
    if ! command -v apt-get >/dev/null; then
      QUEUE_DEPS_WHY="no apt-get on this machine: install Redis and Postgres yourself (redis-server, redis-cli, psql, initdb, pg_ctl; PLIANT_PG_BIN names the folder of initdb)"
      return 1
    fi
    log "installing redis-server and postgresql (apt)"
    if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends redis-server postgresql; } >"$WORK/apt.log" 2>&1; then
      QUEUE_DEPS_WHY="apt-get install redis-server postgresql failed: $(tail -n 3 "$WORK/apt.log" | tr '\n' ' ')"
      return 1
    fi
    if ! queue_deps_present; then
      QUEUE_DEPS_WHY="redis-server and postgresql were installed but are still not all there (see $WORK/apt.log)"
      return 1
    fi
  fi
  PLIANT_PG_BIN="$(pg_bin)"
  export PLIANT_PG_BIN
  log "$(redis-server --version | cut -d' ' -f1-3), $("$PLIANT_PG_BIN/initdb" --version) ($(( $(date +%s) - t0 )) s)"
}
