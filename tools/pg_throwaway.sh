#!/bin/sh
# A throwaway PostgreSQL 15 cluster for the sync service tests (design note §12).
#
#   eval "$(tools/pg_throwaway.sh)"        # start: prints `export DATABASE_URL=...` and the stop command
#   tools/pg_throwaway.sh stop DIR         # stop the cluster started in DIR and delete DIR
#
# Extra server options can be passed in PG_THROWAWAY_OPTS (e.g. "-c fsync=off" for faster tests).
# It listens on a unix socket inside its temporary folder only (never on a network address) and trusts
# local connections. initdb refuses to run as root, so as root the cluster runs as the `postgres` user.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"

bindir() {
    for candidate in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/15/bin; do
        if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then echo "$candidate"; return 0; fi
    done
    echo "pg_throwaway: initdb not found (install postgresql-15)" >&2
    exit 1
}
PATH="$(bindir):$PATH"
export PATH

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-start}" = stop ]; then
    dir="${2:?usage: pg_throwaway.sh stop DIR}"
    (cd "$dir" && as_pg pg_ctl -D "$dir/data" -m fast -w stop >/dev/null) || true
    rm -rf "$dir"
    exit 0
fi

dir="$(mktemp -d /tmp/pgtmp.XXXXXX)"
chmod 755 "$dir"
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
cd "$dir"
as_pg initdb -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg pg_ctl -D "$dir/data" -l "$dir/log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories=$dir -c max_connections=200 ${PG_THROWAWAY_OPTS:-}" start >/dev/null
echo "export DATABASE_URL='postgresql+psycopg://postgres@/postgres?host=$dir'"
echo "# stop with: $here/pg_throwaway.sh stop $dir"
