#!/usr/bin/env bash
# Benchmark the pipeline against its own ceilings; appends the run to docs/benchmarks.md.
#
#   scripts/bench.sh [options]     without --shipments-url/--trade-url: starts the stack like
#                                  `scripts/up.sh --detach --no-demo`, runs the benchmark (Release)
#                                  and stops what it started; with them: uses those endpoints
#   scripts/bench.sh --label NAME  names the run in docs/benchmarks.md (e.g. baseline)
#   scripts/bench.sh --no-write    prints the table only
#   scripts/bench.sh --help        every option of the benchmark
#
# When it starts the stack it lifts the per-caller write rate limit
# (RateLimiting__WritesPerSecond/WriteBurst, unless set), since the benchmark is one caller
# standing in for many, and logs gRPC's own categories from Warning up
# (Logging__LogLevel__Grpc), so that the empty-call ceiling does not write a log line per call.
# The benchmark mints its bearer token with the local signing key that scripts/up.sh keeps in
# .run/up/secrets.env (or takes ENERGYTRADE_SIGNING_KEY, or --token).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

PROJECT=tests/EnergyTrade.Benchmarks/EnergyTrade.Benchmarks.csproj
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
    printf 'building %s (Release) …' "$PROJECT"
    local out
    if ! out=$(dotnet build "$PROJECT" -c Release --nologo -v quiet 2>&1); then
        printf ' failed\n'
        printf '%s\n' "$out" >&2
        exit 1
    fi
    printf ' done\n'
}

if ((help)); then
    build_benchmark >&2
    exec dotnet "$DLL" --help
fi

started=0
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
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
    for port in 5101 5201 55432 55672; do
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
rc=0
dotnet "$DLL" "$@" || rc=$?
exit "$rc"
