#!/usr/bin/env bash
# Services for the tests, sourced by .ci/run before pytest (so exports reach the tests).
# Starts a throw-away PostgreSQL server from Debian packages and exports
# LIFTRISK_TEST_PG_URL for the store tests marked `postgres`. Never fails the CI run: when
# anything goes wrong it prints why and returns, and those tests are skipped (SQLite tests
# still run). .ci/run uses `set -euo pipefail`, so every step here is checked explicitly.

_liftrisk_pg_start() {
    local port="${LIFTRISK_PG_PORT:-54329}"
    case "$port" in ''|*[!0-9]*) port=54329 ;; esac
    local sudo_cmd=""
    if [ "$(id -u)" != "0" ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo_cmd="sudo -n"; fi
    fi
    if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
        echo "services: installing PostgreSQL (apt-get install -y postgresql)"
        if [ "$(id -u)" != "0" ] && [ -z "$sudo_cmd" ]; then
            echo "services: not root and no sudo: cannot install PostgreSQL"; return 1
        fi
        $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
        if ! $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1; then
            echo "services: apt-get install postgresql failed"; return 1
        fi
    fi
    local bindir
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
        echo "services: no initdb found under /usr/lib/postgresql"; return 1
    fi
    # first free port from LIFTRISK_PG_PORT (default 54329) on
    local tries=0
    while "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" >/dev/null 2>&1 \
          || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        port=$((port + 1)); tries=$((tries + 1))
        if [ "$tries" -gt 20 ]; then echo "services: no free port for PostgreSQL"; return 1; fi
    done
    # A fresh cluster in a temporary folder, on its own port, owned by an unprivileged user
    # (PostgreSQL refuses to run as root).
    local run_as=""
    local pgdir
    pgdir="$(mktemp -d /tmp/liftrisk-pg.XXXXXX)" || { echo "services: mktemp failed"; return 1; }
    if [ "$(id -u)" = "0" ]; then
        id postgres >/dev/null 2>&1 || useradd -r -M postgres >/dev/null 2>&1 || true
        if ! id postgres >/dev/null 2>&1; then echo "services: no 'postgres' user"; return 1; fi
        chown postgres "$pgdir" || { echo "services: chown failed"; return 1; }
        run_as="runuser -u postgres --"
    fi
    if ! $run_as "$bindir/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 >"$pgdir/initdb.log" 2>&1; then
        echo "services: initdb failed:"; tail -n 5 "$pgdir/initdb.log"; return 1
    fi
    if ! $run_as "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
            -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1; then
        echo "services: PostgreSQL did not start:"; tail -n 5 "$pgdir/server.log" 2>/dev/null; return 1
    fi
    local psql="$bindir/psql -h 127.0.0.1 -p $port -U postgres -v ON_ERROR_STOP=1 -q"
    if ! $psql -c "CREATE ROLE liftrisk LOGIN PASSWORD 'liftrisk' CREATEDB" >/dev/null 2>&1 \
       || ! $psql -c "CREATE DATABASE liftrisk_test OWNER liftrisk" >/dev/null 2>&1; then
        echo "services: could not create the liftrisk role/database"; return 1
    fi
    export LIFTRISK_TEST_PG_URL="postgresql+psycopg://liftrisk:liftrisk@127.0.0.1:${port}/liftrisk_test"
    export LIFTRISK_TEST_PG_DIR="$pgdir"
    echo "services: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:${port} (data in $pgdir)"
    return 0
}

if _liftrisk_pg_start; then
    :
else
    echo "services: PostgreSQL unavailable; tests marked 'postgres' will be skipped"
    unset LIFTRISK_TEST_PG_URL || true
fi
unset -f _liftrisk_pg_start
