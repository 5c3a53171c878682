#!/usr/bin/env bash
# Start Trade's database afresh, to be refilled from Shipments by a republish: after Shipments'
# database was restored from a backup (scripts/restore-shipments.sh), or when Trade's database is
# lost or suspect. Trade's database is derived and disposable: everything in it comes back from
# Shipments. See docs/operations.md, "Backup, restore and rebuild".
#
#   scripts/rebuild-trade.sh                the servers of scripts/up.sh (.run/up)
#   scripts/rebuild-trade.sh --ha           the servers of scripts/up.sh --ha
#   PGHOST=... PGUSER=... PGPASSWORD=... scripts/rebuild-trade.sh --management http://rabbit:15672 --user admin --password ...
#
# Every Trade replica must be stopped first: the script refuses while Trade's queue has a consumer.
# It then
#   1. empties Trade's queue and its _error queue: they hold events of the world before the restore,
#      which may name shipments the restored database does not have (and would be counted);
#   2. drops Trade's database (ending any session left on it).
# Then start Trade (it creates and migrates its database), start Shipments, and run
#   energytrade shipments republish          every shipment's current snapshot, waits for the end
#   energytrade reconcile AZ BY              Trade against Shipments' own sums, for any pair
#
# Options (or environment):
#   --management URL, --user NAME, --password SECRET, --vhost NAME
#                      the RabbitMQ management API (scripts/lib/rabbitmq-api.sh; default: scripts/up.sh's,
#                      with --ha its first node's, http://127.0.18.2:55673)
#   --queue NAME       Trade's queue                    (default energytrade.trade.shipment-events)
#   --database NAME    Trade's database                 (default energytrade_trade)
#   --ha               default to the --ha servers
# Trade's PostgreSQL is libpq's: PGHOST, PGPORT, PGUSER, PGPASSWORD (scripts/lib/pgclient.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=scripts/lib/infra.sh
source "$ROOT/scripts/lib/infra.sh"
# shellcheck source=scripts/lib/pgclient.sh
source "$ROOT/scripts/lib/pgclient.sh"

# shellcheck source=scripts/lib/rabbitmq-api.sh
source "$ROOT/scripts/lib/rabbitmq-api.sh"
queue=energytrade.trade.shipment-events
database=energytrade_trade
ha=0
usage() { sed -n '2,27s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($#)); do
    case $1 in
    --management | --user | --password | --vhost) rabbitapi_option "$@"; shift 2 ;;
    --queue) queue=$2; shift 2 ;;
    --database) database=$2; shift 2 ;;
    --ha) ha=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'rebuild-trade.sh: unknown option %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ $database =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "rebuild-trade.sh: --database must be a plain lower-case name" >&2; exit 2; }
((management_given || !ha)) || management=http://127.0.18.2:55673
pgclient_defaults "$ha"

command -v jq >/dev/null 2>&1 || { echo "rebuild-trade.sh: needs jq (Debian: apt-get install jq)" >&2; exit 1; }
dropdb=$(pgclient_tool dropdb)

# 0. Nothing may consume while the queue is emptied, nor write to the database being dropped.
if ! info=$(api GET "queues/$(enc "$vhost")/$(enc "$queue")" 2>&1); then
    echo "rebuild-trade.sh: cannot read queue $queue in vhost $vhost at $management:" >&2
    printf '  %s\n' "$info" >&2
    echo "  Check --management, --user and --password. The queue exists once Trade has started once." >&2
    exit 1
fi
# The management API's figures are statistics refreshed every few seconds: a replica stopped a moment
# ago may still be listed, so give them time to catch up before refusing.
consumers=$(jq -r '.consumers // 0' <<<"$info")
deadline=$(($(_infra_now_ms) + 30000))
while ((consumers > 0 && $(_infra_now_ms) < deadline)); do
    sleep 1
    consumers=$(api GET "queues/$(enc "$vhost")/$(enc "$queue")" | jq -r '.consumers // 0')
done
if ((consumers > 0)); then
    echo "rebuild-trade.sh: $consumers consumer(s) on $queue: stop every Trade replica first (scripts/up.sh --down stops them all)." >&2
    exit 1
fi
if ! pgclient_sql postgres "SELECT 1" >/dev/null 2>&1; then
    echo "rebuild-trade.sh: cannot connect to Trade's PostgreSQL at $(pgclient_where); set PGHOST, PGPORT, PGUSER, PGPASSWORD." >&2
    exit 1
fi
# A replica cut off from RabbitMQ shows no consumer, but may still write: its sessions say so.
sessions=$(pgclient_sql postgres "SELECT count(*) FROM pg_stat_activity WHERE datname = '$database' AND pid <> pg_backend_pid()")
if ((sessions > 0)); then
    echo "rebuild-trade.sh: $sessions session(s) are open on $database: stop every Trade replica first (query-only ones too)." >&2
    exit 1
fi

# 1. The events of the old world. Message counts from the management API lag by a few seconds:
# these are for the report; the purge takes whatever the queue holds.
t0=$(_infra_now_ms)
for q in "$queue" "${queue}_error"; do
    status=$(curl -sS --noproxy '*' -o /dev/null -w '%{http_code}' -u "$user:$password" "$management/api/queues/$(enc "$vhost")/$(enc "$q")")
    if [[ $status == 404 ]]; then
        echo "$q: absent, nothing to empty"
        continue
    fi
    held=$(api GET "queues/$(enc "$vhost")/$(enc "$q")" | jq -r '.messages // 0')
    api DELETE "queues/$(enc "$vhost")/$(enc "$q")/contents" >/dev/null
    echo "$q: emptied (about $held messages)"
done

# 2. The derived database.
if [[ $(pgclient_sql postgres "SELECT count(*) FROM pg_database WHERE datname = '$database'") == 1 ]]; then
    applied=$(pgclient_sql "$database" "SELECT count(*) FROM applied_shipments" 2>/dev/null || echo unknown)
    "$dropdb" --force "$database"
    echo "$database: dropped (it held $applied shipments)"
else
    echo "$database: absent, nothing to drop"
fi
echo "Trade reset in $(_infra_elapsed "$t0"). Next: start Trade and Shipments (under compose, postgres-roles first:"
echo "it makes Trade's database for Trade's role, which may not create one), then"
echo "  energytrade shipments republish"
echo "  energytrade reconcile AZ BY"
