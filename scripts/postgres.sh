#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1:${PGPORT:-55432} for the test suite and
# prints the admin URL (postgres://postgres@127.0.0.1:PORT). Idempotent: an already
# running test cluster is reused. Stop it with: scripts/postgres.sh stop
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PGPORT=${PGPORT:-55432}
DATA=${PORTICO_PGDATA:-/tmp/portico-pg}
[ -n "$PGBIN" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "${1:-}" = stop ]; then
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi
if ! as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"; [ "$(id -u)" = 0 ] && chown postgres "$DATA"
    as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/log" -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$PGPORT"
