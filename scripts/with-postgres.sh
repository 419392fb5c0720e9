#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server: initdb in a temporary directory, the
# server on loopback only (127.0.0.1, a free port, its socket in that directory), a database
# and a password-protected user for the bot; the command gets DATABASE_URL and
# TEST_DATABASE_URL. The server is stopped and the directory removed on exit, whatever happens.
#
#   scripts/with-postgres.sh npm run test:postgres
#
# Needs Debian's server binaries (apt-get install -y postgresql; .ci/run does it). PostgreSQL
# refuses to run as root, so as root the server runs as the `postgres` user (created by the
# Debian package). PG_BIN overrides where the binaries are.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [ -z "${PG_BIN:-}" ]; then
  # The newest version with server binaries (a client-only package also creates a bin folder).
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    if [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then PG_BIN="$d"; fi
  done
fi
if [ -z "${PG_BIN:-}" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
  echo "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin)." >&2
  echo "Install them with: apt-get install -y postgresql   (or set PG_BIN)" >&2
  exit 1
fi

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  echo "PostgreSQL refuses to run as root, and there is no 'postgres' user to run it as (Debian's package creates one)." >&2
  exit 1
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/bot-pg.XXXXXX")"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
port="${PGPORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
password="$(node -e 'console.log(require("crypto").randomBytes(18).toString("hex"))')"

stop() {
  as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

printf '%s\n' "$password" >"$dir/pwfile"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/pwfile"; fi
as_server_user "$PG_BIN/initdb" -D "$dir/data" -U bot --pwfile="$dir/pwfile" \
  --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/pwfile"

# Loopback only; durability off (the data is thrown away), enough connections for three pools.
server_options="-k $dir -h 127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
if ! as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
  -o "$server_options" >/dev/null; then
  cat "$dir/server.log" >&2
  exit 1
fi

PGPASSWORD="$password" "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U bot -d postgres \
  -c 'CREATE DATABASE bot_test' >/dev/null

# For the tests that stop and start this server (test/postgres/databaseRestart.test.ts): pg_ctl,
# the data directory, the server's options and log, and the user it runs as (empty: this one).
export TEST_PG_CTL="$PG_BIN/pg_ctl" TEST_PG_DATA="$dir/data" TEST_PG_OPTIONS="$server_options" TEST_PG_LOG="$dir/server.log"
if [ "$(id -u)" -eq 0 ]; then export TEST_PG_USER=postgres; else export TEST_PG_USER=""; fi
export DATABASE_URL="postgres://bot:${password}@127.0.0.1:${port}/bot_test"
export TEST_DATABASE_URL="$DATABASE_URL"
echo "== PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:${port} (data in $dir)"
status=0
"$@" || status=$?
exit "$status"
