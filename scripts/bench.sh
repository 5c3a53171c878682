#!/usr/bin/env bash
# Benchmark the pipeline against its own ceilings; appends the run to docs/benchmarks.md.
#
#   scripts/bench.sh [options]     without --shipments-url/--trade-url: starts the stack like
#                                  `scripts/up.sh --detach --no-demo` plus a read-only Trade replica
#                                  without the answer cache (phase 5), runs the benchmark (Release)
#                                  and stops what it started; with them: uses those endpoints, and
#                                  runs phase 5 only if --uncached-trade-url is given too
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
# The benchmark mints its bearer token with the local signing key that scripts/up.sh keeps in
# .run/up/secrets.env (or takes ENERGYTRADE_SIGNING_KEY, or --token).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

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
HEALTH_TIMEOUT=120

started=0 uncached_pid=
# PID of the uncached replica we started, if it still runs it (checks the PID was not recycled).
uncached_running() {
    [[ -n $uncached_pid ]] && kill -0 "$uncached_pid" 2>/dev/null &&
        tr '\0' ' ' <"/proc/$uncached_pid/cmdline" 2>/dev/null | grep -q EnergyTrade.Trade.dll
}

stop_uncached() {
    local n=300
    uncached_running || return 0
    echo "bench.sh: stopping the uncached Trade replica (pid $uncached_pid)"
    kill -TERM "$uncached_pid" 2>/dev/null || true
    while ((n > 0)) && kill -0 "$uncached_pid" 2>/dev/null; do
        sleep 0.1
        n=$((n - 1))
    done
    if uncached_running; then
        echo "pid $uncached_pid still running after 30s; killing it"
        kill -KILL "$uncached_pid" 2>/dev/null || true
    fi
}

# A second Trade on the same database: read-only (consumes nothing) and without the answer cache,
# so that every call of phase 5 reads PostgreSQL. Same DLL, secrets and working directory as up.sh.
start_uncached() {
    local secrets=$RUN/secrets.env deadline
    [[ -f $TRADE_DLL ]] || {
        echo "bench.sh: $TRADE_DLL not found (scripts/up.sh builds it)" >&2
        exit 1
    }
    mkdir -p "$RUN/logs"
    : >"$UNCACHED_LOG"
    (
        # shellcheck source=/dev/null
        source "$secrets"
        cd "$(dirname "$TRADE_DLL")" &&
            ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production} Auth__SigningKey=$SIGNING_KEY Auth__Issuer=energytrade-local \
                Messaging__ConsumeEvents=false TotalsCache__Enabled=false \
                Kestrel__Endpoints__Grpc__Url=http://localhost:$UNCACHED_GRPC_PORT Kestrel__Endpoints__Http__Url=http://localhost:$UNCACHED_HTTP_PORT \
                exec env "ConnectionStrings__RabbitMq=amqp://trade:$TRADE_AMQP_PASSWORD@localhost:$AMQP_PORT/" setsid dotnet "$(basename "$TRADE_DLL")" \
                >>"$ROOT/$UNCACHED_LOG" 2>&1 </dev/null
    ) &
    uncached_pid=$!
    echo "bench.sh: started the uncached Trade replica (pid $uncached_pid), log $UNCACHED_LOG"
    printf 'waiting for http://localhost:%s/health/ready …' "$UNCACHED_HTTP_PORT"
    deadline=$((SECONDS + HEALTH_TIMEOUT))
    until curl -fsS -o /dev/null --max-time 2 "http://localhost:$UNCACHED_HTTP_PORT/health/ready" 2>/dev/null; do
        if ! kill -0 "$uncached_pid" 2>/dev/null || ((SECONDS > deadline)); then
            printf ' failed\n'
            echo "bench.sh: the uncached Trade replica did not become ready; last lines of $UNCACHED_LOG:" >&2
            tail -n 40 "$UNCACHED_LOG" >&2 || true
            exit 1
        fi
        sleep 0.5
    done
    printf ' ready\n'
}

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_uncached
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
    for port in 5101 5201 "$UNCACHED_HTTP_PORT" "$UNCACHED_GRPC_PORT" 55432 55672; do
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
fi

# The token signing key of a stack started by scripts/up.sh (kept in .run/up/secrets.env);
# the benchmark mints its bearer token with it.
if [[ -z ${ENERGYTRADE_SIGNING_KEY:-} && -r .run/up/secrets.env ]]; then
    ENERGYTRADE_SIGNING_KEY=$(
        # shellcheck source=/dev/null
        source .run/up/secrets.env && printf '%s' "${SIGNING_KEY:-}"
    )
    export ENERGYTRADE_SIGNING_KEY
fi

build_benchmark
# The stack's own replica for phase 5; an --uncached-trade-url given on the command line comes later and wins.
uncached=()
if ((!endpoints)); then uncached=(--uncached-trade-url "http://localhost:$UNCACHED_GRPC_PORT"); fi
rc=0
dotnet "$DLL" "${uncached[@]}" "$@" || rc=$?
exit "$rc"
