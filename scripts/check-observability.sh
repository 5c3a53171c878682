#!/usr/bin/env bash
# Check the Prometheus assets in docs/observability with promtool (Debian's prometheus package,
# installed on first use by infra_ensure_promtool):
#   promtool check config  prometheus.yml and prometheus-ha.yml (static: targets are not contacted)
#   promtool check rules   alerts.yml and alerts-ha.yml
#   promtool test rules    tests/*.test.yml: each alert fires, stays silent and resolves as its
#                          tests say
#
#   scripts/check-observability.sh
#
# The configurations name their rule files relative to themselves, so the checks run from
# docs/observability, as Prometheus does from /etc/prometheus in compose.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
while (($#)); do
    case $1 in
    -h | --help) sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "check-observability.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
# shellcheck source=scripts/lib/infra.sh
source "$ROOT/scripts/lib/infra.sh"

T0=$(_infra_now_ms)
infra_ensure_promtool || {
    echo "check-observability.sh: promtool is missing and could not be installed (see above)" >&2
    exit 1
}
promtool=$(infra_promtool)
version=$("$promtool" --version 2>&1 | head -n 1)
echo "$version ($promtool)"

cd "$ROOT/docs/observability"
shopt -s nullglob
configs=(prometheus*.yml)
rules=(alerts*.yml)
tests=(tests/*.test.yml)
if ((${#configs[@]} == 0 || ${#rules[@]} == 0 || ${#tests[@]} == 0)); then
    echo "check-observability.sh: docs/observability needs prometheus*.yml, alerts*.yml and tests/*.test.yml" >&2
    exit 1
fi

failed=()
timings=()
# join ITEM... : the items separated by ", ".
join() {
    local out=$1 item
    shift
    for item; do out+=", $item"; done
    printf '%s' "$out"
}
# step NAME FIX COMMAND... : run one promtool check, print its output only when it fails.
step() {
    local name=$1 fix=$2 t out
    shift 2
    t=$(_infra_now_ms)
    if out=$("$@" 2>&1); then
        timings+=("$name $(_infra_elapsed "$t")")
        echo "promtool $name: ok"
    else
        timings+=("$name $(_infra_elapsed "$t")")
        printf '%s\n' "$out" >&2
        echo "promtool $name: FAILED: $fix" >&2
        failed+=("$name")
    fi
}

step "check config" "fix the configuration, or the rule file it loads, named above (docs/observability)" \
    "$promtool" check config "${configs[@]}"
step "check rules" "fix the rule named above: YAML, PromQL or template (docs/observability)" \
    "$promtool" check rules "${rules[@]}"
step "test rules" "an alert did not fire, stay silent or resolve as its test expects: fix the rule, or the test if the change is intended (docs/observability/tests)" \
    "$promtool" test rules "${tests[@]}"

summary="${#configs[@]} configs, ${#rules[@]} rule files, ${#tests[@]} test files; $(join "${timings[@]}"); total $(_infra_elapsed "$T0")"
if ((${#failed[@]})); then
    echo "check-observability.sh: FAILED ($(join "${failed[@]}")): $summary" >&2
    exit 1
fi
echo "check-observability.sh: ok: $summary"
