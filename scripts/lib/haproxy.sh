# shellcheck shell=bash
# gRPC load balancers in front of service replicas (HAProxy, from Debian's package), for the highly
# available topology: clients keep one address per service, HAProxy spreads calls over the replicas
# that answer their readiness check, and a replica that is killed or stopped leaves the rotation
# within two seconds. Sourced by scripts/lib/infra.sh; uses its helpers.

# infra_ensure_haproxy : install Debian's haproxy when it is missing.
infra_ensure_haproxy() {
    _infra_apt_install haproxy _infra_haproxy_installed
}

_infra_haproxy_installed() { command -v haproxy >/dev/null 2>&1 || [[ -x /usr/sbin/haproxy ]]; }

_infra_haproxy_bin() { command -v haproxy 2>/dev/null || printf '/usr/sbin/haproxy\n'; }

# infra_start_grpc_balancer DIR NAME PORT[/HTTP_PORT] GRPC_PORT/HTTP_PORT...
# HAProxy for service NAME in DIR/haproxy-NAME: HTTP/2 (h2c) on 127.0.0.1:PORT, round robin over the
# replicas 127.0.0.1:GRPC_PORT (and, given HTTP_PORT, HTTP/1.1 on 127.0.0.1:HTTP_PORT over the replicas'
# HTTP ports: the JSON API and health), each checked every second with GET /health/ready on its HTTP port
# (out after 2 failures, back after 1 success). A call that cannot connect to a replica is sent to
# another; a call in flight on a replica that dies fails, and the client retries it (the services'
# writes are idempotent by request_id). Long calls (watch streams) may stay open for an hour.
# Idempotent when already running with the same configuration.
infra_start_grpc_balancer() {
    local usage='infra_start_grpc_balancer DIR NAME PORT[/HTTP_PORT] GRPC_PORT/HTTP_PORT...'
    local dir=${1:?$usage} name=${2:?$usage} port=${3:?$usage} http= hdir cfg pid backend i=0 t0 deadline
    if [[ $port == */* ]]; then
        http=${port#*/}
        port=${port%/*}
    fi
    shift 3
    (($# > 0)) || {
        _infra_err "no replicas given (usage: $usage)"
        return 1
    }
    infra_ensure_haproxy || return 1
    mkdir -p "$dir/haproxy-$name" || return 1
    hdir=$(cd "$dir/haproxy-$name" && pwd -P) || return 1
    cfg=$hdir/haproxy.cfg
    {
        printf '# Written by scripts/lib/haproxy.sh: the gRPC balancer in front of the %s replicas.\n' "$name"
        printf 'global\n    maxconn 4096\n    log stderr format short local0 notice\n\n'
        printf 'defaults\n    mode http\n    log global\n    option httplog\n    timeout connect 2s\n'
        printf '    timeout client 1h\n    timeout server 1h\n    timeout check 2s\n'
        printf '    # Only a call that never reached a replica is sent to another; the client retries the rest.\n'
        printf '    retries 2\n    option redispatch 1\n    retry-on conn-failure\n\n'
        printf 'frontend %s\n    bind 127.0.0.1:%s proto h2\n    default_backend %s-replicas\n\n' "$name" "$port" "$name"
        printf 'backend %s-replicas\n    balance roundrobin\n    option httpchk GET /health/ready\n    http-check expect status 200\n' "$name"
        for backend in "$@"; do
            i=$((i + 1))
            printf '    server %s-%s 127.0.0.1:%s proto h2 check port %s check-proto h1 inter 1s fall 2 rise 1\n' \
                "$name" "$i" "${backend%/*}" "${backend#*/}"
        done
        if [[ -n $http ]]; then
            printf '\nfrontend %s-http\n    bind 127.0.0.1:%s\n    default_backend %s-http-replicas\n\n' "$name" "$http" "$name"
            printf 'backend %s-http-replicas\n    balance roundrobin\n    option httpchk GET /health/ready\n    http-check expect status 200\n' "$name"
            i=0
            for backend in "$@"; do
                i=$((i + 1))
                printf '    server %s-http-%s 127.0.0.1:%s check inter 1s fall 2 rise 1\n' "$name" "$i" "${backend#*/}"
            done
        fi
    } >"$cfg.new"
    if pid=$(_infra_balancer_pid "$hdir"); then
        if cmp -s "$cfg" "$cfg.new"; then
            rm -f "$cfg.new"
            _infra_say "$name balancer already running on 127.0.0.1:$port (pid $pid)"
            return 0
        fi
        _infra_err "a $name balancer with another configuration runs in $hdir (pid $pid); stop it first (infra_stop_grpc_balancer $dir $name)"
        rm -f "$cfg.new"
        return 1
    fi
    mv "$cfg.new" "$cfg"
    "$(_infra_haproxy_bin)" -c -q -f "$cfg" || {
        _infra_err "haproxy refused $cfg"
        return 1
    }
    printf 'starting the %s balancer on 127.0.0.1:%s%s over %s replica(s) …' "$name" "$port" "${http:+ (HTTP $http)}" "$#"
    t0=$(_infra_now_ms)
    # Own session, foreground mode (-db): its pid is the launcher's, and a Ctrl-C at the terminal does not reach it.
    (exec setsid "$(_infra_haproxy_bin)" -db -f "$cfg" >>"$hdir/haproxy.log" 2>&1 </dev/null) &
    pid=$!
    printf '%s\n' "$pid" >"$hdir/haproxy.pid"
    deadline=$(($(_infra_now_ms) + 10000))
    # Alive, not _infra_balancer_pid: until the subshell has exec'd, its command line is still bash's.
    until _infra_port_open "$port"; do
        if ! _infra_pid_alive "$pid" || (($(_infra_now_ms) > deadline)); then
            printf ' failed\n'
            kill -KILL "$pid" 2>/dev/null || true
            rm -f "$hdir/haproxy.pid"
            _infra_err "haproxy did not start (log: $hdir/haproxy.log)"
            _infra_tail "$hdir/haproxy.log"
            return 1
        fi
        sleep 0.1
    done
    printf ' ready in %s\n' "$(_infra_elapsed "$t0")"
}

_infra_balancer_pid() {
    local pid
    [[ -f $1/haproxy.pid ]] || return 1
    pid=$(tr -dc '0-9' <"$1/haproxy.pid")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
    # Ours, not a recycled pid: haproxy with this directory's configuration.
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-f $1/haproxy.cfg" || return 1
    printf '%s\n' "$pid"
}

# infra_stop_grpc_balancer DIR NAME : stop the balancer of service NAME started in DIR.
infra_stop_grpc_balancer() {
    local hdir=${1:?infra_stop_grpc_balancer DIR NAME}/haproxy-${2:?infra_stop_grpc_balancer DIR NAME} pid
    if pid=$(_infra_balancer_pid "$hdir"); then
        kill -TERM "$pid" 2>/dev/null || true
        _infra_wait_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$hdir/haproxy.pid"
}

# infra_stop_grpc_balancers DIR : stop every balancer started in DIR.
infra_stop_grpc_balancers() {
    local d
    for d in "${1:?infra_stop_grpc_balancers DIR}"/haproxy-*/; do
        [[ -d $d ]] || continue
        d=${d%/}
        infra_stop_grpc_balancer "${d%/haproxy-*}" "${d##*/haproxy-}"
    done
}
