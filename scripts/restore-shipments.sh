#!/usr/bin/env bash
# Restore a backup of Shipments' database (scripts/backup-shipments.sh) into a server that does not
# have it: a new machine, or a server whose data was lost. Shipments must not be running against it.
# Then rebuild Trade from it (scripts/rebuild-trade.sh) and start the services. See
# docs/operations.md, "Backup, restore and rebuild".
#
#   scripts/restore-shipments.sh --dump FILE          into the PostgreSQL of scripts/up.sh, started
#                                                     under .run/up (127.0.0.1:55432) if it is not running
#   scripts/restore-shipments.sh --dump FILE --ha     into the formation of scripts/up.sh --ha, likewise
#   PGHOST=db.internal PGUSER=... PGPASSWORD=... scripts/restore-shipments.sh --dump FILE
#
# Options:
#   --dump FILE        the archive to restore
#   --database NAME    Shipments' database (default energytrade_shipments)
#   --replace          replace the database if it exists, once the restore has succeeded (no session may
#                      be open on it); without it, an existing database with tables is refused, so a
#                      restore never overwrites by mistake
#   --ha               default to the --ha formation instead of the single server
# The server and credentials are libpq's: PGHOST, PGPORT, PGUSER, PGPASSWORD (scripts/lib/pgclient.sh);
# the restored objects belong to PGUSER, who needs CREATEDB.
#
# The restore is one transaction: it lands whole or not at all. Shipments acknowledged after the
# backup was taken are not in it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=scripts/lib/infra.sh
source "$ROOT/scripts/lib/infra.sh"
# shellcheck source=scripts/lib/pgclient.sh
source "$ROOT/scripts/lib/pgclient.sh"

dump='' database=energytrade_shipments replace=0 ha=0
usage() { sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($#)); do
    case $1 in
    --dump) dump=${2:?--dump needs a file}; shift 2 ;;
    --database) database=${2:?--database needs a name}; shift 2 ;;
    --replace) replace=1; shift ;;
    --ha) ha=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'restore-shipments.sh: unknown option %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ -n $dump ]] || { echo "restore-shipments.sh: --dump FILE is required" >&2; usage >&2; exit 2; }
[[ -r $dump ]] || { echo "restore-shipments.sh: cannot read $dump" >&2; exit 1; }
[[ $database =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "restore-shipments.sh: --database must be a plain lower-case name" >&2; exit 2; }
own_server=0
[[ -n ${PGHOST:-} ]] || own_server=1
pgclient_defaults "$ha"

if ((own_server)); then
    # scripts/up.sh's own server, as up.sh would start it (idempotent when it runs already).
    if ((ha)); then
        infra_start_pg_formation "$ROOT/.run/up-ha" 55431 55432 55442
    else
        infra_start_postgres "$ROOT/.run/up" 55432
    fi
fi
pg_restore=$(pgclient_tool pg_restore)
# The archive's table of contents must name Shipments' table: not just any pg_dump archive.
if ! toc=$("$pg_restore" --list "$dump" 2>&1) || ! grep -Eq '^[0-9]+; [0-9]+ [0-9]+ TABLE [^ ]+ shipments ' <<<"$toc"; then
    echo "restore-shipments.sh: $dump is not a pg_dump archive of Shipments' database (no table shipments in it)" >&2
    exit 1
fi

if ! exists=$(pgclient_sql postgres "SELECT count(*) FROM pg_database WHERE datname = '$database'" 2>&1); then
    echo "restore-shipments.sh: cannot connect to $(pgclient_where):" >&2
    printf '  %s\n' "$exists" >&2
    exit 1
fi
if ((exists)); then
    tables=$(pgclient_sql "$database" "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
    if ((tables > 0 && !replace)); then
        echo "restore-shipments.sh: $database on $(pgclient_where) already holds $tables tables." >&2
        echo "  Restore into a fresh server, or pass --replace to replace it once the restore has succeeded (stop Shipments first)." >&2
        exit 1
    fi
    sessions=$(pgclient_sql postgres "SELECT count(*) FROM pg_stat_activity WHERE datname = '$database' AND pid <> pg_backend_pid()")
    if ((sessions > 0)); then
        echo "restore-shipments.sh: $sessions session(s) are open on $database: stop every Shipments replica first." >&2
        exit 1
    fi
fi

# Into a database of its own first: the one being replaced stays whole until the restore has succeeded.
staging=${database}_restoring
"$(pgclient_tool dropdb)" --if-exists "$staging"
"$(pgclient_tool createdb)" "$staging"
printf 'restoring %s into %s on %s …' "$dump" "$database" "$(pgclient_where)"
t0=$(_infra_now_ms)
errors=$(mktemp "${TMPDIR:-/tmp}/restore-shipments.XXXXXX")
trap 'rm -f "$errors"' EXIT
if ! "$pg_restore" --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$staging" "$dump" 2>"$errors"; then
    printf ' failed\n'
    cat "$errors" >&2
    "$(pgclient_tool dropdb)" --if-exists "$staging" || true
    echo "restore-shipments.sh: nothing was restored (one transaction); ${database} is as it was." >&2
    exit 1
fi
((!exists)) || "$(pgclient_tool dropdb)" "$database"
pgclient_sql postgres "ALTER DATABASE $staging RENAME TO $database" >/dev/null
# Statistics are not in a dump: without them the first queries plan blind.
"$(pgclient_tool vacuumdb)" --quiet --analyze-only --dbname="$database"
printf ' done in %s\n' "$(_infra_elapsed "$t0")"
echo "restored: $(pgclient_sql "$database" "SELECT count(*) FROM shipments") shipments, $(pgclient_sql "$database" "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL") events still to publish"
echo "next: scripts/rebuild-trade.sh, then start the services (docs/operations.md, \"Backup, restore and rebuild\")"
