#!/usr/bin/env bash
# Benchmark the pipeline against its own ceilings; appends the run to docs/benchmarks.md.
#
#   scripts/bench.sh [options]     without --shipments-url/--trade-url: starts the stack like
#                                  `scripts/up.sh --detach --no-demo` plus a read-only Trade replica
#                                  without the answer cache (phase 5) and a second Shipments on a
#                                  database of its own (phase 9), runs the benchmark (Release) and
#                                  stops what it started; with them: uses those endpoints, and runs
#                                  phases 5 and 9 only if --uncached-trade-url and
#                                  --empty-shipments-url are given too
#   scripts/bench.sh --label NAME  names the run in docs/benchmarks.md (e.g. baseline)
#   scripts/bench.sh --no-write    prints the table only
#   scripts/bench.sh --help        every option of the benchmark
#
# When it starts the stack it lifts the per-caller write rate limit
# (RateLimiting__WritesPerSecond/WriteBurst, unless set), since the benchmark is one caller
# standing in for many, and logs gRPC's own categories from Warning up
# (Logging__LogLevel__Grpc), so that the empty-call ceiling does not write a log line per call.
# The replica runs the DLL scripts/up.sh runs for Trade, with Messaging__ConsumeEvents=false and
# TotalsCache__Enabled=false, gRPC on :5203 and HTTP on :5202, log .run/up/logs/trade-uncached.log.
# The second Shipments runs the DLL up.sh runs for Shipments on database energytrade_shipments_empty,
# gRPC on :5105 and HTTP on :5104, log .run/up/logs/shipments-empty.log; phase 9 empties its tables.
# Phase 9 also tops the stack's own Shipments database (the one up.sh uses) up to --scale-rows
# (10,000,000) shipments: the first run adds ~9 M rows, ~20 GB and ~25 minutes; later runs find them
# there. --scale-rows 0 skips the phase; deleting .run/up/pg (stack stopped) starts afresh.
# The benchmark takes its bearer tokens from the identity provider scripts/up.sh starts, as its admin
# client (the secret is in .run/up/secrets.env), or takes ENERGYTRADE_TOKEN / --token.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
# shellcheck source=scripts/lib/infra.sh
source "$ROOT/scripts/lib/infra.sh"

PROJECT=tests/EnergyTrade.Benchmarks/EnergyTrade.Benchmarks.csproj
CLI_PROJECT=tools/EnergyTrade.Cli/EnergyTrade.Cli.csproj
DLL=tests/EnergyTrade.Benchmarks/bin/Release/net10.0/EnergyTrade.Benchmarks.dll
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

endpoints=0 help=0
for arg in "$@"; do
    case $arg in
    --shipments-url | --shipments-url=* | --trade-url | --trade-url=*) endpoints=1 ;;
    -h | --help) help=1 ;;
    esac
done

build_benchmark() {
    local project out
    # The CLI too: phase 7 imports and exports with it, as a user would.
    for project in "$PROJECT" "$CLI_PROJECT"; do
        printf 'building %s (Release) …' "$project"
        if ! out=$(dotnet build "$project" -c Release --nologo -v quiet 2>&1); then
            printf ' failed\n'
            printf '%s\n' "$out" >&2
            exit 1
        fi
        printf ' done\n'
    done
}

if ((help)); then
    build_benchmark >&2
    exec dotnet "$DLL" --help
fi

RUN=.run/up
AMQP_PORT=55672
UNCACHED_HTTP_PORT=5202
UNCACHED_GRPC_PORT=5203
UNCACHED_LOG=$RUN/logs/trade-uncached.log
TRADE_DLL=services/EnergyTrade.Trade/bin/Release/net10.0/EnergyTrade.Trade.dll
SHIPMENTS_DLL=services/EnergyTrade.Shipments/bin/Release/net10.0/EnergyTrade.Shipments.dll
PG_PORT=55432
# The identity provider scripts/up.sh starts (its Identity__Issuer).
AUTHORITY=http://localhost:5300/
EMPTY_HTTP_PORT=5104
EMPTY_GRPC_PORT=5105
EMPTY_LOG=$RUN/logs/shipments-empty.log
EMPTY_DATABASE=energytrade_shipments_empty
HEALTH_TIMEOUT=120

started=0
declare -A EXTRA_PID=() EXTRA_DLL=()
# PID of an extra process we started, if it still runs it (checks the PID was not recycled).
extra_running() {
    local pid=${EXTRA_PID[$1]:-}
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "${EXTRA_DLL[$1]}"
}

stop_extras() {
    local name
    local -a pids=()
    for name in "${!EXTRA_PID[@]}"; do
        extra_running "$name" || continue
        echo "bench.sh: stopping the $name (pid ${EXTRA_PID[$name]})"
        pids+=("${EXTRA_PID[$name]}")
    done
    ((${#pids[@]} == 0)) || infra_stop_processes "${pids[@]}"
}

# start_extra NAME DLL HTTP_PORT GRPC_PORT LOG ENV… — one more service process beside the stack,
# with the DLL, identity provider and working directory up.sh uses, and the given settings on top. The
# caller has sourced $RUN/secrets.env (its settings name the service's RabbitMQ password).
start_extra() {
    local name=$1 dll=$2 http=$3 grpc=$4 log=$5 deadline
    shift 5
    [[ -f $dll ]] || {
        echo "bench.sh: $dll not found (scripts/up.sh builds it)" >&2
        exit 1
    }
    mkdir -p "$RUN/logs"
    : >"$log"
    (
        cd "$(dirname "$dll")" &&
            ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production} \
                Auth__Authority=$AUTHORITY Auth__RequireHttpsMetadata=false Auth__SigningKey= \
                Kestrel__Endpoints__Grpc__Url=http://localhost:$grpc Kestrel__Endpoints__Http__Url=http://localhost:$http \
                exec env "$@" setsid dotnet "$(basename "$dll")" >>"$ROOT/$log" 2>&1 </dev/null
    ) &
    EXTRA_PID[$name]=$!
    EXTRA_DLL[$name]=$(basename "$dll")
    echo "bench.sh: started the $name (pid ${EXTRA_PID[$name]}), log $log"
    printf 'waiting for http://localhost:%s/health/ready …' "$http"
    deadline=$((SECONDS + HEALTH_TIMEOUT))
    until curl -fsS -o /dev/null --max-time 2 "http://localhost:$http/health/ready" 2>/dev/null; do
        if ! kill -0 "${EXTRA_PID[$name]}" 2>/dev/null || ((SECONDS > deadline)); then
            printf ' failed\n'
            echo "bench.sh: the $name did not become ready; last lines of $log:" >&2
            tail -n 40 "$log" >&2 || true
            exit 1
        fi
        sleep 0.5
    done
    printf ' ready\n'
}

# A second Trade on the same database: read-only (consumes nothing) and without the answer cache,
# so that every call of phase 5 reads PostgreSQL.
start_uncached() {
    # shellcheck source=/dev/null
    source "$RUN/secrets.env"
    start_extra "uncached Trade replica" "$TRADE_DLL" "$UNCACHED_HTTP_PORT" "$UNCACHED_GRPC_PORT" "$UNCACHED_LOG" \
        Messaging__ConsumeEvents=false TotalsCache__Enabled=false \
        "ConnectionStrings__RabbitMq=amqp://trade:$TRADE_AMQP_PASSWORD@localhost:$AMQP_PORT/"
}

# A second Shipments on a database of its own, which phase 9 empties: creates there are timed next to
# creates on the first one's full database. Its events reach Trade like the first one's.
start_empty_shipments() {
    # shellcheck source=/dev/null
    source "$RUN/secrets.env"
    start_extra "second Shipments (empty database)" "$SHIPMENTS_DLL" "$EMPTY_HTTP_PORT" "$EMPTY_GRPC_PORT" "$EMPTY_LOG" \
        "ConnectionStrings__Shipments=Host=localhost;Port=$PG_PORT;Database=$EMPTY_DATABASE;Username=energytrade;Password=energytrade" \
        "ConnectionStrings__RabbitMq=amqp://shipments:$SHIPMENTS_AMQP_PASSWORD@localhost:$AMQP_PORT/"
}

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_extras
    if ((started)); then
        echo
        echo "bench.sh: stopping the stack it started"
        scripts/up.sh --down || true
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ((!endpoints)); then
    # Never adopt (and later stop) a stack someone else started.
    for port in 5101 5201 "$UNCACHED_HTTP_PORT" "$UNCACHED_GRPC_PORT" "$EMPTY_HTTP_PORT" "$EMPTY_GRPC_PORT" "$PG_PORT" "$AMQP_PORT"; do
        if port_open "$port"; then
            echo "bench.sh: something already listens on 127.0.0.1:$port (a stack from 'scripts/up.sh --detach'?)." >&2
            echo "          Stop it with 'scripts/up.sh --down', or benchmark it as it is with" >&2
            echo "          --shipments-url http://localhost:5101 --trade-url http://localhost:5201 [--token JWT]" >&2
            exit 1
        fi
    done
    export RateLimiting__WritesPerSecond=${RateLimiting__WritesPerSecond:-1000000}
    export RateLimiting__WriteBurst=${RateLimiting__WriteBurst:-1000000}
    # gRPC logs every non-OK status at Information, a JSON line each: that would make the
    # empty-call ceiling (Health/Check of an unknown service, NOT_FOUND) a logging benchmark.
    # Only error statuses are affected; the runs' own calls return OK.
    export Logging__LogLevel__Grpc=${Logging__LogLevel__Grpc:-Warning}
    echo "bench.sh: starting the stack (scripts/up.sh --detach --no-demo)"
    # up.sh tears down whatever it started itself if starting fails.
    started=1
    scripts/up.sh --detach --no-demo
    echo
    start_uncached
    echo
    start_empty_shipments
    echo
fi

# The identity provider of a stack started by scripts/up.sh and its admin client, whose secret
# up.sh keeps in .run/up/secrets.env; the benchmark and the CLI it runs take tokens from it.
if [[ -z ${ENERGYTRADE_TOKEN:-} && -z ${ENERGYTRADE_AUTHORITY:-} && -r .run/up/secrets.env ]]; then
    ENERGYTRADE_CLIENT_SECRET=$(
        # shellcheck source=/dev/null
        source .run/up/secrets.env && printf '%s' "${ADMIN_CLIENT_SECRET:-}"
    )
    if [[ -z $ENERGYTRADE_CLIENT_SECRET ]]; then
        echo "bench.sh: .run/up/secrets.env has no ADMIN_CLIENT_SECRET (a stack from before the identity provider):" >&2
        echo "          run scripts/up.sh once to add it, or give ENERGYTRADE_TOKEN" >&2
        exit 1
    fi
    export ENERGYTRADE_AUTHORITY=$AUTHORITY ENERGYTRADE_CLIENT_ID=energytrade-admin ENERGYTRADE_CLIENT_SECRET
fi

build_benchmark
# The stack's own extra processes for phases 5 and 9; URLs given on the command line come later and win.
extras=()
if ((!endpoints)); then
    extras=(--uncached-trade-url "http://localhost:$UNCACHED_GRPC_PORT" --empty-shipments-url "http://localhost:$EMPTY_GRPC_PORT"
        --empty-shipments-database "$EMPTY_DATABASE")
fi
rc=0
dotnet "$DLL" "${extras[@]}" "$@" || rc=$?
exit "$rc"
