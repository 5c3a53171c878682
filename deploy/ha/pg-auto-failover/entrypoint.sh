#!/usr/bin/env bash
# Entrypoint of the pg_auto_failover image (deploy/ha/pg-auto-failover/Dockerfile) used by
# docker-compose.ha.yml:
#
#   pgaf-entrypoint.sh run      create this node on its first start, then exec `pg_autoctl run`
#   pgaf-entrypoint.sh health   the container health check
#
# Environment:
#   PGAF_ROLE        monitor | postgres
#   PGAF_HOSTNAME    the name the other nodes reach this one by (the compose service name)
#   PGAF_NODE_NAME   postgres only: the node's name on the monitor
#   PGAF_MONITOR     postgres only: the monitor's URI (postgres://autoctl_node@<monitor>:5432/pg_auto_failover)
#   APP_DB_USER, APP_DB_PASSWORD
#                    postgres only: the formation's administrator, a role that may create roles and
#                    databases but is not a superuser, created by the node that is the primary when
#                    the formation is first made (it reaches the standby by replication). The
#                    postgres-roles job of docker-compose.ha.yml logs in as it to make the services'
#                    least-privilege roles and databases (deploy/postgres/roles.sql); the services
#                    never use it. A formation made by an earlier release has it as a superuser:
#                    postgres-roles takes that away (roles.sql's demote_runner).
#   PGAF_NETWORK_PARTITION_TIMEOUT
#                    postgres only: seconds without the monitor and the standby after which a primary
#                    demotes itself (default 5; must stay below pgautofailover.primary_demote_timeout)
#
# Authentication: pg_auto_failover's own users (autoctl_node on the monitor, pgautofailover_monitor
# and pgautofailover_replicator on the data nodes) are trusted from the compose network ("samenet"),
# every other role needs its password (scram-sha-256): the administrator, the services' roles and the
# monitoring role (roles.sql); postgres has none. pg_autoctl runs with --skip-pg-hba and
# these lines are written here, by network rather than by address: pg_autoctl would write each
# peer's current IP address (a hostname rule needs reverse DNS to give back that very name, which a
# compose network's DNS does not promise), and a recreated container need not keep its address.
set -Eeuo pipefail

DATA_ROOT=$(dirname "$PGDATA")
MARKER=$DATA_ROOT/.energytrade-node-created
READY=$XDG_RUNTIME_DIR/energytrade-ready
PGCTL=/usr/lib/postgresql/$PG_MAJOR/bin/pg_ctl
PORT=5432

say() { printf 'pgaf-entrypoint: %s\n' "$*" >&2; }
die() {
    say "error: $*"
    exit 1
}

# The container health check (runs as root through docker exec; 127.0.0.1 is trusted by the HBA
# file pg_autoctl's initdb writes). Healthy = this start's setup is done and the server answers:
# the monitor on its database, a data node (primary or standby) to the administrator, which
# proves the role exists there.
health() {
    [[ -f $READY ]] || return 1
    # Docker reads exit status 1 as unhealthy (2 is reserved): psql and pg_isready use others too.
    case ${PGAF_ROLE:-} in
    monitor) pg_isready -q -h 127.0.0.1 -p "$PORT" -d pg_auto_failover || return 1 ;;
    postgres) psql -h 127.0.0.1 -p "$PORT" -U "$APP_DB_USER" -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1 || return 1 ;;
    *) return 1 ;;
    esac
}

# ensure_line FILE LINE : append LINE to FILE unless it is there already.
ensure_line() {
    grep -qxF -- "$2" "$1" || printf '%s\n' "$2" >>"$1"
}

# Our settings, in a file of our own included at the end of postgresql.conf, so they come after
# pg_autoctl's (its include goes at the top) and win. Rewritten on every start.
write_settings() {
    local file=$PGDATA/energytrade-ha.conf
    {
        printf '# Written by pgaf-entrypoint.sh on every start; included at the end of postgresql.conf.\n'
        # pg_autoctl sizes memory for a dedicated machine (shared_buffers a quarter of the host's
        # RAM); three servers share one Docker host here. Same values as scripts/lib/infra.sh.
        printf 'shared_buffers = 128MB\neffective_cache_size = 1GB\nmaintenance_work_mem = 64MB\nwork_mem = 4MB\n'
        # pg_autoctl's default is md5, which the scram-sha-256 HBA line below would then refuse.
        printf "password_encryption = 'scram-sha-256'\n"
        if [[ $PGAF_ROLE == postgres ]]; then
            # Four service replicas' connection pools on the primary (a standby needs at least the
            # primary's value: both nodes get the same).
            printf 'max_connections = 300\n'
        fi
        if [[ $PGAF_ROLE == monitor ]]; then
            # Failover in ~15 s instead of ~55 s after the primary is lost (notes: issue 18 plan,
            # §3.4): unhealthy after 6 s without a report and a failed health check, then up to 8 s
            # for the old primary to demote itself (it does after PGAF_NETWORK_PARTITION_TIMEOUT).
            printf 'pgautofailover.health_check_period = 1000\n'
            printf 'pgautofailover.health_check_timeout = 1000\n'
            printf 'pgautofailover.health_check_max_retries = 1\n'
            printf 'pgautofailover.health_check_retry_delay = 500\n'
            printf 'pgautofailover.node_considered_unhealthy_timeout = 6000\n'
            printf 'pgautofailover.primary_demote_timeout = 8000\n'
        fi
    } >"$file.new"
    mv "$file.new" "$file"
    ensure_line "$PGDATA/postgresql.conf" "include 'energytrade-ha.conf'"
}

write_hba() {
    local hba=$PGDATA/pg_hba.conf
    ensure_line "$hba" '# EnergyTrade (pgaf-entrypoint.sh): pg_auto_failover inside the compose network, applications by password'
    if [[ $PGAF_ROLE == monitor ]]; then
        ensure_line "$hba" 'host  pg_auto_failover  autoctl_node  samenet  trust'
    else
        ensure_line "$hba" 'host  replication  pgautofailover_replicator  samenet  trust'
        ensure_line "$hba" 'host  all  pgautofailover_replicator  samenet  trust'
        ensure_line "$hba" 'host  all  pgautofailover_monitor  samenet  trust'
        ensure_line "$hba" "host  all  \"$APP_DB_USER\"  samenet  scram-sha-256"
        # The services' and the monitoring role (deploy/postgres/roles.sql), and any other, by password.
        # Last: the first matching line wins, so pg_auto_failover's users above stay trusted.
        ensure_line "$hba" 'host  all  all  samenet  scram-sha-256'
    fi
}

# The formation's administrator (CREATEROLE and CREATEDB, not a superuser), on the node that is the
# primary right after its creation. The server is started on the unix socket only (no client can
# reach it), without waiting for a standby, and stopped again before pg_autoctl runs it.
create_app_role() {
    local started=0
    if ! "$PGCTL" -D "$PGDATA" status >/dev/null 2>&1; then
        "$PGCTL" -D "$PGDATA" -w -t 120 \
            -o "-c listen_addresses='' -p $PORT -c synchronous_standby_names=''" start
        started=1
    fi
    psql -v ON_ERROR_STOP=1 -h /var/run/postgresql -p "$PORT" -d postgres -q \
        --set=app_user="$APP_DB_USER" --set=app_password="$APP_DB_PASSWORD" <<'SQL'
SET password_encryption = 'scram-sha-256';
SELECT format('CREATE ROLE %I', :'app_user')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \gexec
ALTER ROLE :"app_user" WITH LOGIN NOSUPERUSER CREATEROLE CREATEDB PASSWORD :'app_password';
SQL
    say "role $APP_DB_USER is ready"
    ((started)) || say "note: postgres was left running by pg_autoctl create; stopping it"
    "$PGCTL" -D "$PGDATA" -w -t 120 -m fast stop
}

create_node() {
    local -a common=(--pgdata "$PGDATA" --pgctl "$PGCTL" --pgport "$PORT" --hostname "$PGAF_HOSTNAME"
        --skip-pg-hba --no-ssl)
    case $PGAF_ROLE in
    monitor)
        say "creating the pg_auto_failover monitor $PGAF_HOSTNAME"
        pg_autoctl create monitor "${common[@]}"
        ;;
    postgres)
        # The first data node to register becomes the primary (state single, then primary); the
        # second waits until the primary runs, then is made its synchronous standby (replication
        # quorum) with pg_basebackup. Whichever node comes first, the code below is the same.
        say "creating the pg_auto_failover data node $PGAF_NODE_NAME ($PGAF_HOSTNAME)"
        pg_autoctl create postgres "${common[@]}" --name "$PGAF_NODE_NAME" --monitor "$PGAF_MONITOR" \
            --candidate-priority 50 --replication-quorum true
        ;;
    esac
    # The primary's own HBA file and settings are what pg_basebackup gives the standby.
    write_hba
    write_settings
    if [[ $PGAF_ROLE == postgres && ! -f $PGDATA/standby.signal ]]; then
        create_app_role
    fi
    touch "$MARKER"
}

run() {
    case ${PGAF_ROLE:-} in
    monitor) ;;
    postgres)
        [[ -n ${PGAF_NODE_NAME:-} && -n ${PGAF_MONITOR:-} ]] || die "PGAF_NODE_NAME and PGAF_MONITOR are required"
        [[ -n ${APP_DB_USER:-} && -n ${APP_DB_PASSWORD:-} ]] || die "APP_DB_USER and APP_DB_PASSWORD are required"
        ;;
    *) die "PGAF_ROLE must be monitor or postgres, not '${PGAF_ROLE:-}'" ;;
    esac
    [[ -n ${PGAF_HOSTNAME:-} ]] || die "PGAF_HOSTNAME is required"

    # As root: own the volume, then continue as postgres (initdb and postgres refuse root).
    if [[ $(id -u) == 0 ]]; then
        mkdir -p "$DATA_ROOT"
        chmod 700 "$DATA_ROOT"
        find "$DATA_ROOT" \! -user postgres -exec chown postgres:postgres '{}' +
        # The pid file of a previous start of this container is stale: nothing of this node runs
        # yet, and its pid may now be another process's here (pg_autoctl would signal that one).
        rm -rf "$XDG_RUNTIME_DIR"
        install -d -o postgres -g postgres -m 700 "$XDG_RUNTIME_DIR"
        exec gosu postgres "${BASH_SOURCE[0]}" run
    fi
    mkdir -p -m 700 "$XDG_RUNTIME_DIR"
    find "$XDG_RUNTIME_DIR" -mindepth 1 -delete

    # Creation is re-run until it has finished once: pg_autoctl create resumes an interrupted one.
    [[ -f $MARKER ]] || create_node
    write_hba
    write_settings
    if [[ $PGAF_ROLE == postgres ]]; then
        pg_autoctl config set --pgdata "$PGDATA" timeout.network_partition_timeout \
            "${PGAF_NETWORK_PARTITION_TIMEOUT:-5}" >/dev/null
    fi
    touch "$READY"
    say "starting pg_autoctl run ($PGAF_ROLE $PGAF_HOSTNAME)"
    exec pg_autoctl run --pgdata "$PGDATA"
}

case ${1:-run} in
run) run ;;
health) health ;;
*) die "usage: pgaf-entrypoint.sh run|health" ;;
esac
