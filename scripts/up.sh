#!/usr/bin/env bash
# Run the whole EnergyTrade system on this machine, without Docker:
# a private PostgreSQL and RabbitMQ, the development identity provider, then the Shipments and
# Trade services, which trust only tokens from that provider.
#
#   scripts/up.sh              start everything, run scripts/demo.sh, stay in the
#                              foreground; Ctrl-C stops it all
#   scripts/up.sh --no-demo    same, without the demo
#   scripts/up.sh --detach     leave everything running in the background and exit
#   scripts/up.sh --down       stop what a detached run left running
#   scripts/up.sh --ha         the highly available topology instead (docs/reliability.md):
#                              a three-node RabbitMQ cluster on 127.0.18.2, .3 and .4
#                              (AMQP 55672, management 55673 on each), two replicas of each
#                              service (gRPC 5111/5121 and 5211/5221) behind HAProxy on 5101
#                              and 5201, PostgreSQL with automatic failover (pg_auto_failover:
#                              primary 55432, synchronous standby 55442, monitor 55431);
#                              state in .run/up-ha/
#
# Fixed ports (the services' appsettings.json defaults): PostgreSQL 55432,
# RabbitMQ AMQP 55672 and management 55673, Shipments 5100 (HTTP) / 5101 (gRPC),
# Trade 5200 (HTTP) / 5201 (gRPC), identity provider 5300 (HTTP), the analysts' page 5400 (HTTP).
# State, logs and secrets live in .run/up/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
# shellcheck source=scripts/lib/infra.sh
source "$ROOT/scripts/lib/infra.sh"

RUN=$ROOT/.run/up
PG_PORT=55432
AMQP_PORT=55672
MGMT_PORT=55673
HEALTH_TIMEOUT=120
# The identity provider first: the services read its discovery document on their first call.
SERVICES=(identity shipments trade web)
declare -A PROJECT=([identity]=EnergyTrade.Identity [shipments]=EnergyTrade.Shipments [trade]=EnergyTrade.Trade [web]=EnergyTrade.Web)
declare -A HTTP_PORT=([identity]=5300 [shipments]=5100 [trade]=5200 [web]=5400)
declare -A GRPC_PORT=([shipments]=5101 [trade]=5201)
AUTHORITY=http://localhost:5300/

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() {
    sed -n '2,24s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

demo=1 detach=0 down=0 ha=0
for arg in "$@"; do
    case $arg in
    --no-demo) demo=0 ;;
    --ha) ha=1 ;;
    --detach | -d) detach=1 ;;
    --down) down=1 ;;
    -h | --help)
        usage
        exit 0
        ;;
    *)
        printf 'up.sh: unknown option %s\n\n' "$arg" >&2
        usage >&2
        exit 2
        ;;
    esac
done

# The highly available topology keeps its own state: a single-node install's data stays as it is.
((ha)) && RUN=$ROOT/.run/up-ha
# Three "machines" on loopback addresses of their own, so one can be killed or cut off alone.
HA_NODES=(127.0.18.2 127.0.18.3 127.0.18.4)
rabbit_dir() { if ((ha)); then printf '%s\n' "$RUN/rabbit-1"; else printf '%s\n' "$RUN"; fi; }
rabbit_host() { if ((ha)); then printf '%s\n' "${HA_NODES[0]}"; else printf '127.0.0.1\n'; fi; }
# Two replicas of each service, behind HAProxy on the ports clients know (scripts/lib/haproxy.sh).
if ((ha)); then
    SERVICES=(identity shipments-1 shipments-2 trade-1 trade-2 web)
    PROJECT+=([shipments-1]=EnergyTrade.Shipments [shipments-2]=EnergyTrade.Shipments [trade-1]=EnergyTrade.Trade [trade-2]=EnergyTrade.Trade)
    HTTP_PORT+=([shipments-1]=5110 [shipments-2]=5120 [trade-1]=5210 [trade-2]=5220)
    GRPC_PORT+=([shipments-1]=5111 [shipments-2]=5121 [trade-1]=5211 [trade-2]=5221)
fi
# The service a replica runs (shipments-2 → shipments).
service_of() { printf '%s\n' "${1%-[0-9]}"; }

dll_path() { printf '%s\n' "services/${PROJECT[$1]}/bin/Release/net10.0/${PROJECT[$1]}.dll"; }
pid_file() { printf '%s\n' "$RUN/pids/$1.pid"; }
log_file() { printf '%s\n' "$RUN/logs/$1.log"; }

# PID of the running service $1 that we started, if any (checks the PID was not recycled).
service_pid() {
    local f pid
    f=$(pid_file "$1")
    [[ -f $f ]] || return 1
    pid=$(tr -dc '0-9' <"$f")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "${PROJECT[$1]}.dll" || return 1
    printf '%s\n' "$pid"
}

stop_services() {
    local f svc pid
    local -a pids=()
    # Every process a run left a pid file for, whichever topology started it.
    for f in "$RUN"/pids/*.pid; do
        [[ -f $f ]] || continue
        svc=$(basename "$f" .pid)
        pid=$(tr -dc '0-9' <"$f")
        # Ours, not a recycled pid: a service of this checkout (its output directory is the working directory).
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$ROOT"/services/* ]]; then
            echo "stopping $svc (pid $pid)"
            pids+=("$pid")
        fi
        rm -f "$f"
    done
    ((${#pids[@]} == 0)) || infra_stop_processes "${pids[@]}"
}

stop_all() {
    # Balancers first: clients get "no replica" at once instead of calls to replicas shutting down.
    infra_stop_grpc_balancers "$RUN" || true
    stop_services
    infra_stop "$RUN" || true
}

if ((down)); then
    stopped=0
    # Whichever topology a detached run left: --down needs no --ha.
    for RUN in "$ROOT/.run/up" "$ROOT/.run/up-ha"; do
        [[ -d $RUN ]] || continue
        stop_all
        stopped=1
    done
    ((stopped)) || echo "nothing to stop (no .run/up or .run/up-ha)"
    ((!stopped)) || echo "EnergyTrade stopped."
    exit 0
fi

for svc in "${SERVICES[@]}"; do
    if pid=$(service_pid "$svc"); then
        echo "up.sh: $svc is already running (pid $pid), probably from 'scripts/up.sh --detach'." >&2
        echo "       Stop it first with: scripts/up.sh --down" >&2
        exit 1
    fi
done
for svc in "${SERVICES[@]}"; do
    infra_require_port_free "${HTTP_PORT[$svc]}" "$svc HTTP"
    [[ -z ${GRPC_PORT[$svc]:-} ]] || infra_require_port_free "${GRPC_PORT[$svc]}" "$svc gRPC"
done
if ((ha)); then
    for port in 5100 5101 5200 5201; do infra_require_port_free "$port" "a balancer"; done
fi

SLN=EnergyTrade.sln
[[ -f $SLN ]] || SLN=EnergyTrade.slnx

# The build installs the page's chart library from npm (services/EnergyTrade.Web/client).
infra_ensure_npm
printf 'building %s (Release) …' "$SLN"
t0=$(_infra_now_ms)
if ! build_out=$(dotnet build "$SLN" -c Release --nologo -v quiet 2>&1); then
    printf ' failed\n'
    printf '%s\n' "$build_out" >&2
    echo "up.sh: build failed" >&2
    exit 1
fi
printf ' done in %s\n' "$(_infra_elapsed "$t0")"

infra_ensure_rabbitmq
((!ha)) || infra_ensure_haproxy
mkdir -p "$RUN/logs" "$RUN/pids"

# From here on, anything that goes wrong (or Ctrl-C) tears everything down,
# unless --detach succeeded.
keep_running=0
# shellcheck disable=SC2317 # invoked by the EXIT trap
on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    if ((!keep_running)); then
        echo
        stop_all
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PG_HOSTS=
if ((ha)); then
    # A monitor on 55431, the first primary on 55432 and its synchronous standby on 55442.
    infra_ensure_pg_auto_failover
    infra_start_pg_formation "$RUN" 55431 "$PG_PORT" 55442
    PG_HOSTS=$(infra_pg_formation_hosts "$RUN")
else
    infra_start_postgres "$RUN" "$PG_PORT"
fi
RABBIT_NODES=
if ((ha)); then
    # The services start only once all three nodes run: a quorum queue gets its members when declared.
    infra_start_rabbitmq_cluster "$RUN" "${HA_NODES[0]}:$AMQP_PORT:$MGMT_PORT" \
        "${HA_NODES[1]}:$AMQP_PORT:$MGMT_PORT" "${HA_NODES[2]}:$AMQP_PORT:$MGMT_PORT"
    RABBIT_NODES=$(infra_rabbitmq_cluster_nodes "$RUN")
else
    infra_start_rabbitmq "$RUN" "$AMQP_PORT" "$MGMT_PORT"
fi
MGMT_URL=http://$(rabbit_host):$MGMT_PORT

# Secrets are made on first run and kept in .run/up/secrets.env (git-ignored, mode 600): one
# RabbitMQ password per service, the identity provider's client secrets and development users'
# passwords. A file from an earlier release gets the ones it lacks; its values are kept.
secrets=$RUN/secrets.env
random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
(
    umask 077
    touch "$secrets"
    for name in SHIPMENTS_AMQP_PASSWORD TRADE_AMQP_PASSWORD \
        READER_CLIENT_SECRET IMPORTER_CLIENT_SECRET ADMIN_CLIENT_SECRET WEB_CLIENT_SECRET \
        ANALYST_PASSWORD TRADER_PASSWORD ADMIN_PASSWORD; do
        grep -q "^$name=" "$secrets" || printf '%s=%s\n' "$name" "$(random_hex 18)" >>"$secrets"
    done
)
chmod 600 "$secrets"
# shellcheck source=/dev/null
source "$secrets"

# Least privilege on the broker: each service gets its own user, allowed only its own exchanges
# and queues. The permissions are stated once, in scripts/rabbitmq/*.permissions.json.
ensure_rabbit_user() {
    local user=$1 password=$2
    infra_rabbitmqctl "$(rabbit_dir)" add_user "$user" "$password" >/dev/null 2>&1 ||
        infra_rabbitmqctl "$(rabbit_dir)" change_password "$user" "$password" >/dev/null
    curl -fsS --noproxy '*' -u "$INFRA_USER:$INFRA_PASSWORD" -H 'content-type: application/json' -X PUT \
        "$MGMT_URL/api/permissions/%2F/$user" -d "@$ROOT/scripts/rabbitmq/$user.permissions.json"
}
ensure_rabbit_user shipments "$SHIPMENTS_AMQP_PASSWORD"
ensure_rabbit_user trade "$TRADE_AMQP_PASSWORD"
# The services trust the provider's tokens only; there is no shared signing key. One issuer URL
# (Identity__Issuer) whichever address a client uses, so every token names the issuer the services expect.
SERVICE_AUTH=(Auth__Authority=$AUTHORITY Auth__RequireHttpsMetadata=false Auth__SigningKey=)
# With a formation, every service connects to both data nodes; Npgsql finds the primary.
pg_connection() { printf 'ConnectionStrings__%s=Host=%s;Database=energytrade_%s;Username=energytrade;Password=energytrade\n' "$1" "$PG_HOSTS" "${1,,}"; }
SERVICE_PG=()
[[ -z $PG_HOSTS ]] || SERVICE_PG=("$(pg_connection Identity)" "$(pg_connection Shipments)" "$(pg_connection Trade)")
declare -A SERVICE_ENV=(
    [identity]="${SERVICE_PG[0]:-} Identity__Issuer=$AUTHORITY Identity__AllowHttp=true
        Identity__Clients__energytrade-reader__Secret=$READER_CLIENT_SECRET
        Identity__Clients__energytrade-importer__Secret=$IMPORTER_CLIENT_SECRET
        Identity__Clients__energytrade-admin__Secret=$ADMIN_CLIENT_SECRET
        Identity__Clients__energytrade-web__Secret=$WEB_CLIENT_SECRET
        Identity__Users__analyst__Password=$ANALYST_PASSWORD
        Identity__Users__trader__Password=$TRADER_PASSWORD
        Identity__Users__admin__Password=$ADMIN_PASSWORD"
    [shipments]="${SERVICE_PG[1]:-} ConnectionStrings__RabbitMq=amqp://shipments:$SHIPMENTS_AMQP_PASSWORD@$(rabbit_host):$AMQP_PORT/ Messaging__ClusterNodes=$RABBIT_NODES ${SERVICE_AUTH[*]}"
    [trade]="${SERVICE_PG[2]:-} ConnectionStrings__RabbitMq=amqp://trade:$TRADE_AMQP_PASSWORD@$(rabbit_host):$AMQP_PORT/ Messaging__ClusterNodes=$RABBIT_NODES ${SERVICE_AUTH[*]}"
    # People sign in to the page through its client, energytrade-web, which also reads the services as itself,
    # through the same gRPC ports clients use (HAProxy's with --ha).
    [web]="Web__ShipmentsUrl=http://localhost:5101 Web__TradeUrl=http://localhost:5201 Web__Authority=$AUTHORITY
        Web__ClientId=energytrade-web Web__ClientSecret=$WEB_CLIENT_SECRET"
)

declare -A PID=()
for svc in "${SERVICES[@]}"; do
    dll=$(dll_path "$svc")
    [[ -f $dll ]] || {
        echo "up.sh: $dll not found after the build" >&2
        exit 1
    }
    : >"$(log_file "$svc")"
    # Run from the output directory: it is the content root (appsettings*.json).
    # Own session, so a Ctrl-C reaches only this script, which stops them in order.
    # The keys folder of the identity provider is its content root's keys/; up.sh keeps it under .run/up.
    # shellcheck disable=SC2086 # SERVICE_ENV holds NAME=value words without spaces
    (cd "$(dirname "$dll")" &&
        ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production} Identity__KeysPath=$RUN/identity-keys \
            exec env ${SERVICE_ENV[$(service_of "$svc")]} ${GRPC_PORT[$svc]:+Kestrel__Endpoints__Grpc__Url=http://localhost:${GRPC_PORT[$svc]}} \
            Kestrel__Endpoints__Http__Url=http://localhost:${HTTP_PORT[$svc]} setsid dotnet "$(basename "$dll")" \
            >>"$(log_file "$svc")" 2>&1 </dev/null) &
    PID[$svc]=$!
    printf '%s\n' "${PID[$svc]}" >"$(pid_file "$svc")"
    echo "started $svc (pid ${PID[$svc]}), log ${RUN#"$ROOT"/}/logs/$svc.log"
done

printf 'waiting for /health/ready …'
t0=$(_infra_now_ms)
deadline=$(($(_infra_now_ms) + HEALTH_TIMEOUT * 1000))
declare -A READY=()
while ((${#READY[@]} < ${#SERVICES[@]})); do
    for svc in "${SERVICES[@]}"; do
        [[ -n ${READY[$svc]:-} ]] && continue
        if ! kill -0 "${PID[$svc]}" 2>/dev/null; then
            printf ' failed\n'
            echo "up.sh: $svc exited during startup" >&2
            _infra_tail "$(log_file "$svc")"
            exit 1
        fi
        if curl -fsS -o /dev/null --max-time 2 "http://localhost:${HTTP_PORT[$svc]}/health/ready" 2>/dev/null; then
            READY[$svc]=1
            printf ' %s' "$svc"
        fi
    done
    ((${#READY[@]} < ${#SERVICES[@]})) || break
    if (($(_infra_now_ms) > deadline)); then
        printf ' failed\n'
        for svc in "${SERVICES[@]}"; do
            if [[ -z ${READY[$svc]:-} ]]; then
                echo "up.sh: $svc not ready after ${HEALTH_TIMEOUT}s (http://localhost:${HTTP_PORT[$svc]}/health/ready)" >&2
                curl -sS --max-time 2 "http://localhost:${HTTP_PORT[$svc]}/health/ready" >&2 2>&1 || true
                echo >&2
                _infra_tail "$(log_file "$svc")"
            fi
        done
        exit 1
    fi
    sleep 0.5
done
printf ' ready in %s\n' "$(_infra_elapsed "$t0")"
if ((ha)); then
    infra_start_grpc_balancer "$RUN" shipments 5101/5100 5111/5110 5121/5120
    infra_start_grpc_balancer "$RUN" trade 5201/5200 5211/5210 5221/5220
fi

# An install from before quorum queues still has the classic queue, bound to the event exchanges:
# move what it holds to the quorum queue and delete it, once this release's services run.
MIGRATE=(scripts/migrate-trade-queue.sh --management "$MGMT_URL" --user "$INFRA_USER" --password "$INFRA_PASSWORD")
if curl -fsS --noproxy '*' -o /dev/null --max-time 5 -u "$INFRA_USER:$INFRA_PASSWORD" \
    "$MGMT_URL/api/queues/%2F/energytrade.trade.shipment-changed" 2>/dev/null; then
    echo "moving Trade's classic queue of an earlier release to the quorum queue (scripts/migrate-trade-queue.sh) …"
    # Trade declares its queue's bindings as it connects, a moment after it reports ready.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        "${MIGRATE[@]}" --dry-run >/dev/null 2>&1 && break
        sleep 1
    done
    "${MIGRATE[@]}" ||
        echo "up.sh: warning: the move did not finish; nothing is lost, run it again: scripts/migrate-trade-queue.sh --management $MGMT_URL" >&2
fi

demo_rc=0
if ((demo)) && [[ -x scripts/demo.sh ]]; then
    echo
    echo "running scripts/demo.sh …"
    ENERGYTRADE_SHIPMENTS_GRPC=http://localhost:5101 ENERGYTRADE_TRADE_GRPC=http://localhost:5201 \
        ENERGYTRADE_AUTHORITY=$AUTHORITY ENERGYTRADE_CLIENT_ID=energytrade-admin ENERGYTRADE_CLIENT_SECRET=$ADMIN_CLIENT_SECRET \
        scripts/demo.sh || demo_rc=$?
    if ((demo_rc != 0)); then
        echo "up.sh: warning: scripts/demo.sh failed (exit $demo_rc); the system keeps running" >&2
    fi
fi

cat <<EOF

EnergyTrade is up:
$(if ((ha)); then
    printf '  Shipments   gRPC http://localhost:5101   health http://localhost:5100/health/ready (HAProxy; replicas :5110, :5120)\n'
    printf '  Trade       gRPC http://localhost:5201   health http://localhost:5200/health/ready (HAProxy; replicas :5210, :5220)'
else
    printf '  Shipments   gRPC http://localhost:5101   health http://localhost:5100/health/ready\n'
    printf '  Trade       gRPC http://localhost:5201   health http://localhost:5200/health/ready'
fi)
  Page        http://localhost:5400/ (the analysts' page: sign in as analyst, trader or admin)
  Identity    $AUTHORITY (OpenID Connect; development provider)
              clients energytrade-reader, -importer, -admin (secrets in ${RUN#"$ROOT"/}/secrets.env),
              energytrade-cli for people: energytrade config set authority $AUTHORITY
              then energytrade login, as analyst, trader or admin (passwords in ${RUN#"$ROOT"/}/secrets.env)
  RabbitMQ    amqp://energytrade:energytrade@$(rabbit_host):$AMQP_PORT/${RABBIT_NODES:+ (a cluster: $RABBIT_NODES)}
              management UI $MGMT_URL/ (energytrade / energytrade)
  PostgreSQL  host=127.0.0.1 port=$PG_PORT user=energytrade password=energytrade${PG_HOSTS:+
              a pg_auto_failover formation: data nodes $PG_HOSTS (the primary moves), monitor port 55431}
              databases energytrade_shipments, energytrade_trade, energytrade_identity
  Logs        ${RUN#"$ROOT"/}/logs/
EOF

if ((detach)); then
    keep_running=1
    echo
    echo "Left running in the background. Stop it with: scripts/up.sh --down"
    exit "$demo_rc"
fi

echo
echo "Press Ctrl-C to stop."
# Everything runs until Ctrl-C/TERM (handled by the traps) or until a service is gone. With --ha a
# replica that dies is reported and the other keeps serving: HAProxy routes around the dead one.
declare -A REPORTED=()
rc=0
while :; do
    live=()
    for svc in "${SERVICES[@]}"; do
        if kill -0 "${PID[$svc]}" 2>/dev/null; then live+=("${PID[$svc]}"); fi
    done
    ((${#live[@]} > 0)) && wait -n "${live[@]}" || rc=$?
    for svc in "${SERVICES[@]}"; do
        if ! kill -0 "${PID[$svc]}" 2>/dev/null && [[ -z ${REPORTED[$svc]:-} ]]; then
            echo "up.sh: $svc exited unexpectedly (exit $rc)" >&2
            _infra_tail "$(log_file "$svc")"
            REPORTED[$svc]=1
        fi
    done
    for svc in "${SERVICES[@]}"; do
        left=0
        for other in "${SERVICES[@]}"; do
            if [[ $(service_of "$other") == "$(service_of "$svc")" ]] && kill -0 "${PID[$other]}" 2>/dev/null; then left=1; fi
        done
        if ((!left)); then
            echo "up.sh: no replica of $(service_of "$svc") is left; stopping everything" >&2
            exit 1
        fi
    done
    echo "up.sh: the other replica keeps serving; restart the dead one with scripts/up.sh --down && scripts/up.sh --ha, or Ctrl-C" >&2
done
