#!/usr/bin/env bash
# Back up Shipments' database, the system's one source of truth, while the system runs: pg_dump takes
# one consistent snapshot and only light locks, so creates keep arriving and are not slowed much.
# Trade's database is derived from it and is rebuilt, never restored (scripts/rebuild-trade.sh);
# RabbitMQ holds nothing that is not also in Shipments' outbox. See docs/operations.md, "Backup,
# restore and rebuild".
#
#   scripts/backup-shipments.sh                  the PostgreSQL of scripts/up.sh (127.0.0.1:55432)
#   scripts/backup-shipments.sh --ha             the formation of scripts/up.sh --ha (its primary)
#   PGHOST=db.internal PGUSER=backup PGPASSWORD=... scripts/backup-shipments.sh --out /backups/shipments.dump
#
# Options:
#   --out FILE         where to write the archive (default .run/backups/shipments-<UTC time>.dump);
#                      an existing file is never overwritten
#   --database NAME    Shipments' database (default energytrade_shipments)
#   --ha               default to the --ha formation's hosts instead of the single server
# The server and credentials are libpq's: PGHOST, PGPORT, PGUSER, PGPASSWORD (scripts/lib/pgclient.sh).
#
# The archive is pg_dump's custom format (compressed; pg_restore reads it, table by table if need be).
# Everything acknowledged before the backup starts is in it; what is acknowledged after is not: the
# interval between backups is how much a restore can lose. Copy the archive off this machine.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=scripts/lib/infra.sh
source "$ROOT/scripts/lib/infra.sh"
# shellcheck source=scripts/lib/pgclient.sh
source "$ROOT/scripts/lib/pgclient.sh"

out='' database=energytrade_shipments ha=0
usage() { sed -n '2,21s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($#)); do
    case $1 in
    --out) out=${2:?--out needs a file}; shift 2 ;;
    --database) database=${2:?--database needs a name}; shift 2 ;;
    --ha) ha=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'backup-shipments.sh: unknown option %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
    esac
done
pgclient_defaults "$ha"
pg_dump=$(pgclient_tool pg_dump)
pg_restore=$(pgclient_tool pg_restore)
[[ -n $out ]] || out=$ROOT/.run/backups/shipments-$(date -u +%Y%m%dT%H%M%SZ).dump
if [[ -e $out ]]; then
    echo "backup-shipments.sh: $out exists; choose another --out (a backup is never overwritten)" >&2
    exit 1
fi
mkdir -p "$(dirname "$out")"
# Every shipment of the system is in it: readable by its owner only.
umask 077
trap 'rm -f "$out.partial" "$out.log"' EXIT

if ! shipments=$(pgclient_sql "$database" "SELECT count(*) FROM shipments" 2>&1); then
    echo "backup-shipments.sh: cannot read database $database on $(pgclient_where):" >&2
    printf '  %s\n' "$shipments" >&2
    echo "  Set PGHOST, PGPORT, PGUSER and PGPASSWORD for Shipments' PostgreSQL (or --ha for scripts/up.sh --ha)." >&2
    exit 1
fi
printf 'backing up %s on %s (about %s shipments) to %s …' "$database" "$(pgclient_where)" "$shipments" "$out"
t0=$(_infra_now_ms)
# --lock-wait-timeout: rather fail than queue behind a migration's exclusive lock and block every
# create behind the dump's own lock request.
if ! "$pg_dump" --format=custom --compress=6 --lock-wait-timeout=30s --dbname="$database" --file="$out.partial" 2>"$out.log"; then
    printf ' failed\n'
    cat "$out.log" >&2
    echo "backup-shipments.sh: pg_dump failed; nothing was written to $out. Run it again (a migration holding a lock, or a failover, ends a dump)." >&2
    exit 1
fi
# Readable before it is called a backup.
if ! "$pg_restore" --list "$out.partial" >/dev/null 2>"$out.log"; then
    printf ' failed\n'
    cat "$out.log" >&2
    echo "backup-shipments.sh: the archive pg_dump wrote cannot be read back; nothing was written to $out. Check the disk, then run it again." >&2
    exit 1
fi
mv "$out.partial" "$out"
# The shipments in the archive itself, from its data, not from the live table that has moved on.
in_archive=$("$pg_restore" --data-only --table=shipments --file=- "$out" |
    awk '/^COPY / {copy = 1; next} copy && /^\\\.$/ {copy = 0} copy {n++} END {print n + 0}')
printf ' done in %s\n' "$(_infra_elapsed "$t0")"
echo "backup: $out, $(du -h "$out" | cut -f1), $in_archive shipments"
