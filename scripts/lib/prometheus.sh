# shellcheck shell=bash
# Prometheus' promtool (from Debian's prometheus package), which checks the Prometheus configurations
# and unit-tests the alert rules in docs/observability (scripts/check-observability.sh). Sourced by
# scripts/lib/infra.sh; uses its helpers.
#
#   infra_ensure_promtool   apt-get install prometheus if promtool is missing
#   infra_promtool          print promtool's path

# infra_ensure_promtool : install Debian's prometheus package (it ships /usr/bin/promtool) when
# promtool is missing.
#
# The package's post-install step starts a system-wide Prometheus (user prometheus, :9090) through
# invoke-rc.d. Containers usually forbid that (/usr/sbin/policy-rc.d exits 101) and machines with
# systemd start it as a unit; we start nothing and change no policy either way. Only promtool is
# used, and it needs no daemon. Should the install have started a daemon anyway, it is the
# machine's service from then on, not ours to stop: we name it, with the way to stop it.
infra_ensure_promtool() {
    local before after pid
    _infra_promtool_installed && return 0
    before=$(_infra_prometheus_daemons)
    _infra_apt_install prometheus _infra_promtool_installed || return 1
    after=$(_infra_prometheus_daemons)
    for pid in $after; do
        [[ " $before " == *" $pid "* ]] && continue
        _infra_say "note: installing prometheus started a system-wide Prometheus (pid $pid, user prometheus, :9090);" \
            "promtool does not need it. To stop it: invoke-rc.d prometheus stop (or kill $pid)," \
            "and to keep it from starting again: systemctl disable prometheus where systemd runs."
    done
}

_infra_promtool_installed() { command -v promtool >/dev/null 2>&1 || [[ -x /usr/bin/promtool ]]; }

infra_promtool() { command -v promtool 2>/dev/null || printf '/usr/bin/promtool\n'; }

# Process ids of Prometheus servers run by the package's user, space-separated (none: empty; before
# the install the user does not exist, and pgrep then fails).
_infra_prometheus_daemons() {
    local pids
    pids=$(pgrep -x -u prometheus prometheus 2>/dev/null) || true
    printf '%s\n' "${pids//$'\n'/ }"
}
