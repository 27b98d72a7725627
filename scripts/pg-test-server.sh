#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server holding Folio's sample database.
#
#   scripts/pg-test-server.sh start [--dir DIR] [--owner-pid PID]
#       initdb in a fresh temporary directory (or DIR, which must not exist or be empty), as an
#       unprivileged user (the server refuses to run as root: when run as root, the system user
#       `folio-pg` is created if missing and the server runs as it), listening on 127.0.0.1 at a
#       random free port only. Creates the database `folio_sample`, loads scripts/sample-db.sql and
#       prints the connection URL (postgresql://folio:PASSWORD@127.0.0.1:PORT/folio_sample) as the
#       only line on stdout. Progress and the stop command go to stderr.
#       With --owner-pid, a watchdog stops the server when that process ends.
#   scripts/pg-test-server.sh stop DIR
#       stops the server started in DIR (printed on stderr by `start`) and deletes DIR.
#
# Environment: PG_BINDIR (default: the newest /usr/lib/postgresql/*/bin), FOLIO_PG_USER (the user
# the server runs as when started by root; default folio-pg, falling back to nobody).
set -eEuo pipefail

script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
root="$(cd "$(dirname "$script")/.." && pwd)"
marker=".folio-pg-test-server"

die() { echo "pg-test-server: $*" >&2; exit 1; }

find_bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then echo "$PG_BINDIR"; return; fi
    local d best=""
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x "$d/initdb" ]] && best="$d"
    done
    if [[ -z "$best" ]] && command -v initdb >/dev/null 2>&1; then best="$(dirname "$(command -v initdb)")"; fi
    [[ -n "$best" ]] || die "PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql or set PG_BINDIR"
    echo "$best"
}

# Runs a command as the server's user (only differs from the caller when the caller is root).
as_pg() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u "$pguser" -- "$@"
    else
        "$@"
    fi
}

choose_user() {
    if [[ "$(id -u)" != 0 ]]; then pguser="$(id -un)"; return; fi
    pguser="${FOLIO_PG_USER:-folio-pg}"
    if ! id "$pguser" >/dev/null 2>&1; then
        # Two test processes may race to create it: accept "already exists".
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
            --user-group "$pguser" >/dev/null 2>&1 || true
    fi
    if ! id "$pguser" >/dev/null 2>&1; then
        echo "pg-test-server: cannot create user $pguser; running the server as nobody" >&2
        pguser=nobody
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

cmd_stop() {
    local dir="${1:-}"
    [[ -n "$dir" ]] || die "usage: $0 stop DIR"
    [[ -d "$dir" ]] || return 0
    [[ -f "$dir/$marker" ]] || die "$dir was not created by pg-test-server.sh; refusing to touch it"
    local bindir owner
    bindir="$(find_bindir)"
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        owner="$(stat -c %U "$dir/data")"
        if [[ "$(id -u)" == 0 ]]; then
            runuser -u "$owner" -- "$bindir/pg_ctl" -D "$dir/data" stop -m immediate -w -t 10 >/dev/null 2>&1 || true
        else
            "$bindir/pg_ctl" -D "$dir/data" stop -m immediate -w -t 10 >/dev/null 2>&1 || true
        fi
    fi
    rm -rf -- "$dir"
}

cmd_start() {
    local dir="" owner_pid=""
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
            --owner-pid) owner_pid="${2:?--owner-pid needs a value}"; shift 2 ;;
            *) die "unknown option $1" ;;
        esac
    done
    local bindir
    bindir="$(find_bindir)"
    command -v psql >/dev/null 2>&1 || [[ -x "$bindir/psql" ]] || die "psql not found"
    local psql="psql"; [[ -x "$bindir/psql" ]] && psql="$bindir/psql"
    [[ -f "$root/scripts/sample-db.sql" ]] || die "missing $root/scripts/sample-db.sql"
    choose_user

    if [[ -z "$dir" ]]; then
        dir="$(mktemp -d "${TMPDIR:-/tmp}/folio-pg.XXXXXX")"
    else
        mkdir -p "$dir"
        [[ -z "$(ls -A "$dir")" ]] || die "$dir is not empty"
    fi
    touch "$dir/$marker"
    # From here on, a failure removes everything we created.
    trap 'cmd_stop "$dir" || true' ERR
    local password
    password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    printf '%s\n' "$password" >"$dir/pw"
    chmod 700 "$dir"; chmod 600 "$dir/pw"
    if [[ "$(id -u)" == 0 ]]; then chown -R "$pguser" "$dir"; fi

    if ! as_pg "$bindir/initdb" -D "$dir/data" -U folio --pwfile="$dir/pw" -A scram-sha-256 \
            -E UTF8 --locale=C -N >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        cmd_stop "$dir"; trap - ERR
        die "initdb failed (as user $pguser)"
    fi
    rm -f "$dir/pw"

    local port="" attempt
    for attempt in 1 2 3 4 5 6 7 8; do
        local candidate=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        port_in_use "$candidate" && continue
        if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -s \
                -o "-c listen_addresses=127.0.0.1 -p $candidate -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40 -c shared_buffers=16MB" \
                start >/dev/null 2>&1; then
            port="$candidate"; break
        fi
        if ! grep -q "could not bind\|Address already in use" "$dir/server.log" 2>/dev/null; then
            cat "$dir/server.log" >&2 2>/dev/null || true
            cmd_stop "$dir"; trap - ERR
            die "the server did not start (as user $pguser)"
        fi
    done
    if [[ -z "$port" ]]; then cmd_stop "$dir"; trap - ERR; die "no free port found"; fi

    local base="postgresql://folio:$password@127.0.0.1:$port"
    if ! "$psql" "$base/postgres" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE folio_sample" >"$dir/load.log" 2>&1 \
        || ! "$psql" "$base/folio_sample" -X -q -v ON_ERROR_STOP=1 -f "$root/scripts/sample-db.sql" >>"$dir/load.log" 2>&1; then
        cat "$dir/load.log" >&2
        cmd_stop "$dir"; trap - ERR
        die "loading scripts/sample-db.sql failed"
    fi
    trap - ERR
    local url="$base/folio_sample"
    printf '%s\n' "$url" >"$dir/url"; chmod 600 "$dir/url"

    if [[ -n "$owner_pid" ]]; then
        # Watchdog: stop the server when the owner goes away (also after a crash or kill -9).
        local runner=(bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; "$2" stop "$3"' watchdog "$owner_pid" "$script" "$dir")
        if command -v setsid >/dev/null 2>&1; then
            nohup setsid "${runner[@]}" </dev/null >/dev/null 2>&1 &
        else
            nohup "${runner[@]}" </dev/null >/dev/null 2>&1 &
        fi
    fi
    echo "pg-test-server: running as $pguser on 127.0.0.1:$port, data in $dir; stop with: $script stop $dir" >&2
    printf '%s\n' "$url"
}

case "${1:-}" in
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    *) echo "usage: $0 start [--dir DIR] [--owner-pid PID] | stop DIR" >&2; exit 2 ;;
esac
