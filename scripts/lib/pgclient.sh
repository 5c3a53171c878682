# shellcheck shell=bash
# Which PostgreSQL the operator scripts (backup-shipments.sh, restore-shipments.sh, rebuild-trade.sh)
# talk to, and with which client tools. They speak libpq's own environment variables, so any server
# works: set PGHOST, PGPORT, PGUSER and PGPASSWORD (or a ~/.pgpass entry; for several hosts also
# PGTARGETSESSIONATTRS) as for psql. With PGHOST unset they talk to the servers scripts/up.sh runs,
# with its development credentials: 127.0.0.1:55432, or with --ha the formation's two data nodes
# 55432/55442, whichever is the primary. Sourced after scripts/lib/infra.sh.

# pgclient_defaults HA : fill in what the environment leaves unset (HA=1 for scripts/up.sh --ha).
pgclient_defaults() {
    if [[ -z ${PGHOST:-} ]]; then
        if (($1)); then
            export PGHOST=127.0.0.1,127.0.0.1 PGPORT=${PGPORT:-55432,55442}
            export PGTARGETSESSIONATTRS=${PGTARGETSESSIONATTRS:-read-write}
        else
            export PGHOST=127.0.0.1 PGPORT=${PGPORT:-55432}
        fi
        # scripts/up.sh's own; a server named by PGHOST keeps whatever libpq finds (PGPASSWORD, ~/.pgpass).
        export PGUSER=${PGUSER:-$INFRA_USER} PGPASSWORD=${PGPASSWORD:-$INFRA_PASSWORD}
    fi
    export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-10}
    # libpq would otherwise fall back to the login name for the database.
    unset PGDATABASE
}

# pgclient_where : the server, for messages.
pgclient_where() { printf '%s port %s as %s' "$PGHOST" "${PGPORT:-5432}" "${PGUSER:-$(id -un)}"; }

# pgclient_tool NAME : the path of a PostgreSQL client program (pg_dump, pg_restore, psql, createdb, ...):
# the newest installed (a pg_dump reads every older server), else the one on PATH. The server
# package is not needed: postgresql-client-15 has them all.
pgclient_tool() {
    local found
    found=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path "*/bin/$1" -type f 2>/dev/null | sort -V | tail -n 1)
    [[ -n $found ]] || found=$(command -v "$1" 2>/dev/null) || {
        _infra_err "$1 not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client-15)"
        return 1
    }
    printf '%s\n' "$found"
}

# pgclient_sql DATABASE SQL : one value (or rows, fields separated by |) from DATABASE.
pgclient_sql() {
    local psql
    psql=$(pgclient_tool psql) || return 1
    "$psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}
