#!/usr/bin/env bash
# Run all the tests: builds the solution (Release), checks the protos (scripts/check-protos.sh),
# starts a private PostgreSQL and RabbitMQ on free ports under .run/test-<pid>/, runs
# `dotnet test`, and always tears the servers down again. Extra arguments go to `dotnet test`, e.g.
#
#   scripts/test.sh --filter Category=Integration
#   scripts/test.sh --fast      the unit tier only (rules, conversions, the CLI against fakes):
#                               no PostgreSQL or RabbitMQ is started
#
# If ENERGYTRADE_TEST_POSTGRES is already set, that server is used instead of
# starting one; likewise RabbitMQ when both ENERGYTRADE_TEST_RABBITMQ and
# ENERGYTRADE_TEST_RABBITMQ_MANAGEMENT are set.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
# shellcheck source=scripts/lib/infra.sh
source "$ROOT/scripts/lib/infra.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

RUN=$ROOT/.run/test-$$
T0=$(_infra_now_ms)
phase=starting
rc=0

TEST_LOG=$ROOT/.run/test-$$.log

# The test projects run one after another and a failure scrolls far up the log; repeat each
# failed test with its message and the first lines of its stack at the end, where CI's tail shows it.
# shellcheck disable=SC2317 # invoked by the EXIT trap
print_failures() {
    [[ -f $TEST_LOG ]] || return 0
    local failed
    failed=$(grep -cE '^[[:space:]]+Failed [A-Za-z]' "$TEST_LOG" || true)
    ((failed > 0)) || return 0
    echo
    echo "test.sh: $failed failed test(s), repeated from $TEST_LOG:"
    awk '/^[[:space:]]+Failed [A-Za-z]/ {n = 25} n > 0 {print; n--}' "$TEST_LOG"
    echo
}

# shellcheck disable=SC2317 # invoked by the EXIT trap
on_exit() {
    local code=$?
    trap - EXIT INT TERM
    ((rc != 0)) || rc=$code
    if [[ -d $RUN ]]; then
        infra_destroy "$RUN" >/dev/null 2>&1 || true
    fi
    case $phase in
    finished)
        if ((rc == 0)); then
            echo "test.sh: all tests passed ($(_infra_elapsed "$T0"))"
        else
            print_failures
            echo "test.sh: TESTS FAILED (dotnet test exit $rc, $(_infra_elapsed "$T0"))"
        fi
        ;;
    *) echo "test.sh: FAILED while $phase (exit $rc, $(_infra_elapsed "$T0"))" ;;
    esac
    exit "$rc"
}
trap on_exit EXIT
trap 'rc=130; exit 130' INT
trap 'rc=143; exit 143' TERM

fast=0
args=()
for arg in "$@"; do
    if [[ $arg == --fast ]]; then fast=1; else args+=("$arg"); fi
done
((fast)) && args+=(--filter Category=Unit)
set -- "${args[@]+"${args[@]}"}"

SLN=EnergyTrade.sln
[[ -f $SLN ]] || SLN=EnergyTrade.slnx

phase="installing npm"
# The build installs the page's chart library from npm (services/EnergyTrade.Web/client).
infra_ensure_npm || { rc=1; exit 1; }

phase=building
printf 'building %s (Release) …' "$SLN"
t=$(_infra_now_ms)
# No lingering MSBuild worker nodes once the script is done.
if ! build_out=$(dotnet build "$SLN" -c Release --nologo -v quiet -nodeReuse:false 2>&1); then
    printf ' failed\n'
    printf '%s\n' "$build_out" >&2
    rc=1
    exit 1
fi
printf ' done in %s\n' "$(_infra_elapsed "$t")"

phase="checking the protos"
# The API contract: buf lint, and buf breaking against the previous main (protos/BASELINE).
scripts/check-protos.sh || { rc=1; exit 1; }

phase="checking the alert rules"
# Prometheus configurations and alert rules: promtool check, and the rules' unit tests.
scripts/check-observability.sh || { rc=1; exit 1; }

phase="starting PostgreSQL/RabbitMQ"
if ((fast)); then
    : # the unit tier talks to no server
elif [[ -n ${ENERGYTRADE_TEST_POSTGRES:-} ]]; then
    echo "using PostgreSQL from ENERGYTRADE_TEST_POSTGRES"
else
    mkdir -p "$RUN"
    pg_port=$(infra_free_port)
    infra_start_postgres "$RUN" "$pg_port"
    export ENERGYTRADE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=$INFRA_USER;Password=$INFRA_PASSWORD;Database=postgres"
fi
if ((fast)); then
    :
elif [[ -n ${ENERGYTRADE_TEST_RABBITMQ:-} && -n ${ENERGYTRADE_TEST_RABBITMQ_MANAGEMENT:-} ]]; then
    echo "using RabbitMQ from ENERGYTRADE_TEST_RABBITMQ / ENERGYTRADE_TEST_RABBITMQ_MANAGEMENT"
else
    if [[ -n ${ENERGYTRADE_TEST_RABBITMQ:-} ]]; then
        echo "ENERGYTRADE_TEST_RABBITMQ is set without ENERGYTRADE_TEST_RABBITMQ_MANAGEMENT: starting a private RabbitMQ instead"
    fi
    infra_ensure_rabbitmq
    mkdir -p "$RUN"
    amqp_port=$(infra_free_port "${pg_port:-0}")
    mgmt_port=$(infra_free_port "${pg_port:-0}" "$amqp_port")
    infra_start_rabbitmq "$RUN" "$amqp_port" "$mgmt_port"
    export ENERGYTRADE_TEST_RABBITMQ="amqp://$INFRA_USER:$INFRA_PASSWORD@127.0.0.1:$amqp_port/"
    export ENERGYTRADE_TEST_RABBITMQ_MANAGEMENT="http://127.0.0.1:$mgmt_port"
    # A wrapper running rabbitmqctl against this node (private cookie, epmd and node
    # name), for tests that stop and start the broker application.
    export ENERGYTRADE_TEST_RABBITMQCTL="$RUN/rabbitmq/bin/rabbitmqctl"
fi

phase="installing chromium"
# The analysts' page is tested in a real headless browser (tests/EnergyTrade.EndToEnd.Tests/Page).
((fast)) || [[ -n ${ENERGYTRADE_TEST_CHROMIUM:-} ]] || infra_ensure_chromium || { rc=1; exit 1; }

phase=testing
# The fault suite's nodes start, fail over and rejoin through infra.sh: on a slow day a rejoining PostgreSQL
# standby took longer than the 90 s a developer's up.sh waits (a wait that ends as soon as the node is ready).
export INFRA_START_TIMEOUT=${INFRA_START_TIMEOUT:-180}
echo "dotnet test $SLN -c Release --no-build $*"
mkdir -p "$ROOT/.run"
dotnet test "$SLN" -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$TEST_LOG" || rc=${PIPESTATUS[0]}
phase=finished
exit "$rc"
