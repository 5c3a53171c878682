# shellcheck shell=bash
# Which PostgreSQL the operator scripts (backup-shipments.sh, restore-shipments.sh, rebuild-trade.sh)
# talk to, and with which client tools. They speak libpq's own environment variables, so any server
# works: set PGHOST, PGPORT, PGUSER, PGPASSWORD (and, for several hosts, PGTARGETSESSIONATTRS) as for
# psql. Unset, they default to the servers scripts/up.sh runs: 127.0.0.1:55432, or with --ha the
# formation's two data nodes 55432/55442, whichever is the primary. Sourced after scripts/lib/infra.sh.

# pgclient_defaults HA : fill in what the environment leaves unset (HA=1 for scripts/up.sh --ha).
pgclient_defaults() {
    if (($1)); then
        export PGHOST=${PGHOST:-127.0.0.1,127.0.0.1} PGPORT=${PGPORT:-55432,55442}
        export PGTARGETSESSIONATTRS=${PGTARGETSESSIONATTRS:-read-write}
    else
        export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-55432}
    fi
    export PGUSER=${PGUSER:-$INFRA_USER} PGPASSWORD=${PGPASSWORD:-$INFRA_PASSWORD}
    export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-10}
    # libpq would otherwise fall back to the login name for the database.
    unset PGDATABASE
}

# pgclient_where : the server, for messages.
pgclient_where() { printf '%s port %s as %s' "$PGHOST" "$PGPORT" "$PGUSER"; }

# pgclient_tool NAME : the path of a PostgreSQL client program (pg_dump, pg_restore, psql, createdb, ...)
# of the newest installed server, whose pg_dump reads every older server.
pgclient_tool() {
    local bindir
    bindir=$(_infra_pg_bindir) || return 1
    printf '%s/%s\n' "$bindir" "$1"
}

# pgclient_sql DATABASE SQL : one value (or rows, fields separated by |) from DATABASE.
pgclient_sql() {
    "$(pgclient_tool psql)" -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}
