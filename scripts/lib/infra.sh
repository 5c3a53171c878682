# shellcheck shell=bash
# Private, throw-away PostgreSQL and RabbitMQ instances for development and tests.
#
# Source this file from bash; it only defines functions and changes no shell options,
# so it is safe under `set -euo pipefail`. Everything an instance needs (data, config,
# sockets, logs, Erlang cookie, epmd) lives under the DIR you pass, so several
# instances (scripts/up.sh, parallel scripts/test.sh runs) can coexist with each other
# and with any system-wide PostgreSQL/RabbitMQ on the machine.
#
#   infra_free_port [EXCLUDE_PORT...]          print a free TCP port on 127.0.0.1
#   infra_ensure_rabbitmq                      apt-get install rabbitmq-server if missing
#   infra_start_postgres DIR PORT              DIR/pg, log DIR/logs/postgres.log
#   infra_start_rabbitmq DIR PORT MGMT_PORT    DIR/rabbitmq, log DIR/logs/rabbitmq.log
#   infra_rabbitmqctl DIR ARGS...              rabbitmqctl against the node in DIR
#   infra_stop DIR [fast]                      stop both (tolerates "not running");
#                                              "fast" kills instead (throw-away data)
#   infra_destroy DIR                          infra_stop DIR fast, then delete DIR
#
# Credentials for both: energytrade / energytrade.

INFRA_USER=energytrade
INFRA_PASSWORD=energytrade
# Seconds to wait for a server to become ready.
INFRA_START_TIMEOUT=${INFRA_START_TIMEOUT:-90}

# ---------------------------------------------------------------- helpers

_infra_say() { printf '%s\n' "$*"; }
_infra_err() { printf 'infra: error: %s\n' "$*" >&2; }

# Monotonic-enough wall clock in milliseconds (bash 5 EPOCHREALTIME).
_infra_now_ms() {
    local t=${EPOCHREALTIME:-}
    if [[ -n $t ]]; then
        t=${t/[.,]/}
        printf '%s\n' "$((t / 1000))"
    else
        printf '%s\n' "$(($(date +%s) * 1000))"
    fi
}

# _infra_elapsed START_MS -> "3.1s"
_infra_elapsed() {
    local d=$(($(_infra_now_ms) - $1))
    printf '%d.%ds' "$((d / 1000))" "$(((d % 1000) / 100))"
}

# _infra_tail FILE... : print the last lines of each existing log to stderr.
_infra_tail() {
    local f
    for f in "$@"; do
        [[ -f $f ]] || continue
        printf -- '----- last lines of %s -----\n' "$f" >&2
        tail -n 40 "$f" >&2 || true
        printf -- '-----\n' >&2
    done
}

# True if something accepts TCP connections on 127.0.0.1:PORT.
_infra_port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True if PORT cannot be bound on 127.0.0.1 (or something listens on it).
_infra_port_in_use() {
    local port=$1
    _infra_port_open "$port" && return 0
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$port" <<'PY' >/dev/null 2>&1 && return 1 || return 0
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# Servers set SO_REUSEADDR, so TIME_WAIT leftovers must not count as "in use".
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.close()
PY
    fi
    return 1
}

# infra_free_port [EXCLUDE...]
# Prints a TCP port that is currently free on 127.0.0.1. Ports are drawn at random
# below the kernel's ephemeral range, so that outgoing connections made later cannot
# grab them. Pass ports already handed out (not yet bound) as arguments to exclude them.
infra_free_port() {
    local lo=20000 hi=32767 eph_lo port tries ex taken
    if [[ -r /proc/sys/net/ipv4/ip_local_port_range ]]; then
        read -r eph_lo _ </proc/sys/net/ipv4/ip_local_port_range || true
        if [[ ${eph_lo:-0} =~ ^[0-9]+$ ]] && ((eph_lo > 12000)); then
            hi=$((eph_lo - 1))
            ((lo < hi - 2000)) || lo=$((hi - 2000))
        fi
    fi
    for ((tries = 0; tries < 200; tries++)); do
        port=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo + 1)))
        taken=0
        for ex in "$@"; do
            [[ $ex == "$port" ]] && taken=1
        done
        ((taken)) && continue
        _infra_port_in_use "$port" && continue
        printf '%s\n' "$port"
        return 0
    done
    _infra_err "could not find a free TCP port in $lo-$hi"
    return 1
}

# infra_require_port_free PORT WHAT : clear error if something already listens there.
infra_require_port_free() {
    if _infra_port_in_use "$1"; then
        _infra_err "port $1 ($2) on 127.0.0.1 is already in use; stop whatever holds it (e.g. 'ss -ltnp | grep :$1')"
        return 1
    fi
}

# ---------------------------------------------------------------- PostgreSQL

# Directory holding pg_ctl/initdb/postgres: $INFRA_PG_BIN, else the newest
# /usr/lib/postgresql/N/bin (Debian layout), else wherever pg_ctl is on PATH.
_infra_pg_bindir() {
    local d
    if [[ -n ${INFRA_PG_BIN:-} ]]; then
        printf '%s\n' "$INFRA_PG_BIN"
        return 0
    fi
    d=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
    if [[ -n $d && -x $d/pg_ctl ]]; then
        printf '%s\n' "$d"
        return 0
    fi
    d=$(command -v pg_ctl 2>/dev/null) || {
        _infra_err "PostgreSQL server binaries not found (install e.g. the Debian package postgresql-15, or set INFRA_PG_BIN)"
        return 1
    }
    dirname "$d"
}

# PostgreSQL refuses to run as root: when we are root, run it as the `postgres`
# system user (created by Debian's postgresql packages), or a dedicated one.
_infra_pg_os_user() {
    if ((EUID != 0)); then
        printf '\n'
        return 0
    fi
    if id -u postgres >/dev/null 2>&1; then
        printf 'postgres\n'
        return 0
    fi
    if ! id -u energytrade-pg >/dev/null 2>&1; then
        _infra_say "creating system user energytrade-pg to run PostgreSQL (it refuses to run as root)" >&2
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin energytrade-pg >&2 || {
            _infra_err "could not create a system user for PostgreSQL"
            return 1
        }
    fi
    printf 'energytrade-pg\n'
}

# _infra_as USER CMD... : run CMD as USER (or as ourselves when USER is empty).
_infra_as() {
    local user=$1
    shift
    if [[ -z $user ]]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u "$user" -- "$@"
    else
        su -s /bin/bash "$user" -c "$(printf '%q ' "$@")"
    fi
}

# infra_start_postgres DIR PORT
# Cluster in DIR/pg (superuser energytrade/energytrade; trust on the unix socket,
# scram-sha-256 on 127.0.0.1), socket dir DIR/pg-socket, log DIR/logs/postgres.log.
# Listens on 127.0.0.1:PORT only. Idempotent when already running in DIR.
infra_start_postgres() {
    local dir=${1:?infra_start_postgres DIR PORT} port=${2:?infra_start_postgres DIR PORT}
    local bindir user data sock log base pw t0 sockdirs deadline rc
    bindir=$(_infra_pg_bindir) || return 1
    user=$(_infra_pg_os_user) || return 1
    mkdir -p "$dir/logs" || return 1
    dir=$(cd "$dir" && pwd -P) || return 1
    log=$dir/logs/postgres.log

    # The server runs as $user, which must be able to reach its data directory. If
    # DIR is somewhere it cannot traverse (e.g. under /root), keep the cluster in a
    # private temp dir and leave symlinks in DIR (infra_destroy removes both).
    if [[ -L $dir/pg && ! -e $dir/pg ]]; then
        rm -f "$dir/pg" "$dir/pg-socket" # relocated cluster that was deleted
    fi
    if [[ ! -e $dir/pg ]]; then
        chmod go+x "$dir" 2>/dev/null || true
        if [[ -n $user ]] && ! _infra_as "$user" test -x "$dir"; then
            base=$(mktemp -d "${TMPDIR:-/tmp}/energytrade-pg.XXXXXX") || return 1
            chmod 755 "$base"
            mkdir -p "$base/pg" "$base/pg-socket"
            if ! { ln -sfn "$base/pg" "$dir/pg" && ln -sfn "$base/pg-socket" "$dir/pg-socket"; }; then
                rm -rf "$base"
                return 1
            fi
            _infra_say "note: user $user cannot reach $dir; PostgreSQL data lives in $base"
        fi
    fi
    mkdir -p "$dir/pg" "$dir/pg-socket" || return 1
    data=$(cd "$dir/pg" && pwd -P) || return 1
    sock=$(cd "$dir/pg-socket" && pwd -P) || return 1
    if [[ -n $user ]]; then
        chown "$user:" "$data" "$sock" || return 1
    fi
    chmod 700 "$data" || return 1
    chmod 755 "$sock" || return 1
    touch "$log"

    if [[ -f $data/PG_VERSION ]] && _infra_as "$user" "$bindir/pg_ctl" status -D "$data" >/dev/null 2>&1; then
        _infra_say "PostgreSQL already running in $data"
        return 0
    fi

    t0=$(_infra_now_ms)
    if [[ ! -f $data/PG_VERSION ]]; then
        printf 'initialising PostgreSQL cluster in %s …' "$data"
        pw=$sock/.initdb-pw
        printf '%s\n' "$INFRA_PASSWORD" >"$pw"
        [[ -z $user ]] || chown "$user:" "$pw"
        chmod 600 "$pw"
        # cd: the server user may not be able to read our working directory.
        if ! (cd "$sock" && _infra_as "$user" "$bindir/initdb" -D "$data" -U "$INFRA_USER" \
            --pwfile="$pw" --auth-local=trust --auth-host=scram-sha-256 \
            --encoding=UTF8 --locale=C >>"$log" 2>&1); then
            rm -f "$pw"
            printf ' failed\n'
            _infra_err "initdb failed"
            _infra_tail "$log"
            return 1
        fi
        rm -f "$pw"
        printf "include_if_exists = 'energytrade.conf'\n" >>"$data/postgresql.conf"
        printf ' done in %s\n' "$(_infra_elapsed "$t0")"
        t0=$(_infra_now_ms)
    fi

    # A unix socket path must fit in sun_path (107 bytes); skip the socket if not.
    sockdirs=$sock
    if ((${#sock} + 20 > 107)); then
        sockdirs=''
    fi
    # Rewritten on every start so the port can change between runs.
    cat >"$data/energytrade.conf" <<EOF
# Written by scripts/lib/infra.sh on every start.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockdirs'
max_connections = 300
shared_buffers = 128MB
fsync = on
password_encryption = scram-sha-256
log_line_prefix = '%m [%p] %q%u@%d '
log_timezone = 'UTC'
timezone = 'UTC'
EOF
    [[ -z $user ]] || chown "$user:" "$data/energytrade.conf"

    printf 'starting PostgreSQL on 127.0.0.1:%s …' "$port"
    if _infra_port_in_use "$port"; then
        printf ' failed\n'
        _infra_err "port $port is already in use"
        return 1
    fi
    # pg_ctl detaches the server into its own session; its output goes to $log
    # (opened here, so the server user needs no access to DIR/logs).
    if ! (cd "$sock" && _infra_as "$user" "$bindir/pg_ctl" start -D "$data" -w -t "$INFRA_START_TIMEOUT" \
        >>"$log" 2>&1 </dev/null); then
        printf ' failed\n'
        _infra_err "PostgreSQL did not start (log: $log)"
        _infra_tail "$log"
        return 1
    fi
    deadline=$(($(_infra_now_ms) + INFRA_START_TIMEOUT * 1000))
    while :; do
        rc=0
        "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$INFRA_USER" -d postgres -t 2 || rc=$?
        ((rc == 0)) && break
        if (($(_infra_now_ms) > deadline)); then
            printf ' failed\n'
            _infra_err "PostgreSQL on 127.0.0.1:$port not ready after ${INFRA_START_TIMEOUT}s (log: $log)"
            _infra_tail "$log"
            return 1
        fi
        sleep 0.2
    done
    printf 'ready in %s\n' "$(_infra_elapsed "$t0")"
}

# infra_stop_postgres DIR [fast] : "fast" = immediate shutdown (for throw-away data).
infra_stop_postgres() {
    local dir=${1:?infra_stop_postgres DIR} mode=fast bindir user data
    [[ -f $dir/pg/PG_VERSION ]] || return 0
    bindir=$(_infra_pg_bindir) || return 1
    user=$(_infra_pg_os_user) || return 1
    data=$(cd "$dir/pg" && pwd -P) || return 0
    [[ ${2:-} == fast ]] && mode=immediate
    if _infra_as "$user" "$bindir/pg_ctl" status -D "$data" >/dev/null 2>&1; then
        printf 'stopping PostgreSQL …'
        if (cd / && _infra_as "$user" "$bindir/pg_ctl" stop -D "$data" -m "$mode" -w -t 60 >/dev/null 2>&1); then
            printf 'stopped\n'
        else
            printf 'failed (fast); trying immediate\n'
            (cd / && _infra_as "$user" "$bindir/pg_ctl" stop -D "$data" -m immediate -w -t 30 >/dev/null 2>&1) || {
                _infra_err "could not stop PostgreSQL in $data"
                return 1
            }
        fi
    fi
}

# ---------------------------------------------------------------- RabbitMQ

# infra_ensure_rabbitmq : install Debian's rabbitmq-server when it is missing.
infra_ensure_rabbitmq() {
    command -v rabbitmq-server >/dev/null 2>&1 && return 0
    [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] && return 0
    if ((EUID != 0)); then
        _infra_err "rabbitmq-server is not installed; run as root: apt-get update && apt-get install -y rabbitmq-server"
        return 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        _infra_err "rabbitmq-server is not installed and apt-get is unavailable; install RabbitMQ 3.10+ and put rabbitmq-server on PATH"
        return 1
    fi
    _infra_say "rabbitmq-server not found: running apt-get update && apt-get install -y rabbitmq-server"
    local aptlog
    aptlog=$(mktemp "${TMPDIR:-/tmp}/energytrade-apt.XXXXXX") || return 1
    # Wait for another apt run (a parallel test run installing the same package) rather than fail.
    if ! { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends rabbitmq-server; } >"$aptlog" 2>&1; then
        if [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then
            # Typically the package's post-install step failing to start the
            # system-wide node (no init system); our private nodes don't need it.
            _infra_say "warning: apt-get reported an error, but rabbitmq-server is installed; continuing"
            tail -n 5 "$aptlog"
        else
            _infra_err "apt-get install rabbitmq-server failed"
            _infra_tail "$aptlog"
            rm -f "$aptlog"
            return 1
        fi
    fi
    rm -f "$aptlog"
    _infra_say "installed rabbitmq-server"
}

# Directory of the real RabbitMQ scripts. Debian's /usr/sbin/rabbitmq-* wrappers
# re-run everything as the `rabbitmq` user through su, which resets HOME and would
# drive the system node; /usr/lib/rabbitmq/bin holds the unwrapped scripts.
_infra_rabbit_sbin() {
    local p
    if [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then
        printf '/usr/lib/rabbitmq/bin\n'
        return 0
    fi
    p=$(command -v rabbitmq-server 2>/dev/null) || {
        _infra_err "rabbitmq-server not found (see infra_ensure_rabbitmq)"
        return 1
    }
    dirname "$(readlink -f "$p")"
}

_infra_rabbit_beam_pid() {
    local pidfile=$1/rabbitmq/rabbitmq.pid pid
    [[ -f $pidfile ]] || return 1
    pid=$(tr -dc '0-9' <"$pidfile") || return 1
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    printf '%s\n' "$pid"
}

# infra_start_rabbitmq DIR PORT MGMT_PORT
# Private node energytrade-PORT@localhost: AMQP on 127.0.0.1:PORT, management
# API/UI on 127.0.0.1:MGMT_PORT, user energytrade/energytrade, vhost "/".
# Everything, including HOME (Erlang cookie) and a private epmd, is under DIR/rabbitmq.
# Writes wrappers DIR/rabbitmq/bin/{rabbitmqctl,rabbitmq-diagnostics,rabbitmq-plugins}
# that talk to this node. Idempotent when already running in DIR.
infra_start_rabbitmq() {
    local dir=${1:?infra_start_rabbitmq DIR PORT MGMT_PORT} port=${2:?infra_start_rabbitmq DIR PORT MGMT_PORT}
    local mgmt=${3:?infra_start_rabbitmq DIR PORT MGMT_PORT}
    local sbin rdir log console dist epmd t0 pid launcher deadline tool
    sbin=$(_infra_rabbit_sbin) || return 1
    mkdir -p "$dir/logs" || return 1
    dir=$(cd "$dir" && pwd -P) || return 1
    rdir=$dir/rabbitmq
    log=$dir/logs/rabbitmq.log
    console=$dir/logs/rabbitmq-console.log

    if pid=$(_infra_rabbit_beam_pid "$dir"); then
        if grep -qx "export RABBITMQ_NODE_PORT=$port" "$rdir/env.sh" 2>/dev/null; then
            _infra_say "RabbitMQ already running in $rdir (pid $pid)"
            return 0
        fi
        _infra_err "a RabbitMQ node with a different port is already running in $rdir; run infra_stop first"
        return 1
    fi

    # A previous run in DIR may have left its epmd behind (e.g. the VM was killed).
    _infra_stop_epmd "$rdir"
    mkdir -p "$rdir/home" "$rdir/mnesia" "$rdir/log" "$rdir/conf.d" "$rdir/bin" || return 1
    chmod 700 "$rdir/home"
    dist=$(infra_free_port "$port" "$mgmt") || return 1
    epmd=$(infra_free_port "$port" "$mgmt" "$dist") || return 1

    cat >"$rdir/rabbitmq.conf" <<EOF
# Written by scripts/lib/infra.sh
listeners.tcp.1 = 127.0.0.1:$port
management.tcp.ip = 127.0.0.1
management.tcp.port = $mgmt
default_user = $INFRA_USER
default_pass = $INFRA_PASSWORD
default_vhost = /
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
loopback_users = none
disk_free_limit.absolute = 50MB
EOF
    # The shovel plugins serve scripts/redrive-errors.sh (move _error back to its queue).
    printf '[rabbitmq_management,rabbitmq_shovel,rabbitmq_shovel_management].\n' >"$rdir/enabled_plugins"
    : >"$rdir/rabbitmq-env.conf"

    # Environment shared by the server and every CLI call. HOME keeps the Erlang
    # cookie private; ERL_EPMD_PORT gives this node its own epmd, stopped with it.
    {
        printf '# Written by scripts/lib/infra.sh: environment of the RabbitMQ node in this directory.\n'
        printf 'export HOME=%q\n' "$rdir/home"
        printf 'export RABBITMQ_NODENAME=%q\n' "energytrade-$port@localhost"
        printf 'export RABBITMQ_USE_LONGNAME=false\n'
        printf 'export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1\n'
        printf 'export RABBITMQ_NODE_PORT=%s\n' "$port"
        printf 'export RABBITMQ_DIST_PORT=%s\n' "$dist"
        printf 'export ERL_EPMD_PORT=%s\n' "$epmd"
        printf 'export ERL_EPMD_ADDRESS=127.0.0.1\n'
        printf 'export RABBITMQ_MNESIA_BASE=%q\n' "$rdir/mnesia"
        printf 'export RABBITMQ_LOG_BASE=%q\n' "$rdir/log"
        printf 'export RABBITMQ_LOGS=%q\n' "$log"
        printf 'export RABBITMQ_CONFIG_FILE=%q\n' "$rdir/rabbitmq.conf"
        printf 'export RABBITMQ_CONFIG_FILES=%q\n' "$rdir/conf.d"
        printf 'export RABBITMQ_ADVANCED_CONFIG_FILE=%q\n' "$rdir/advanced.config"
        printf 'export RABBITMQ_CONF_ENV_FILE=%q\n' "$rdir/rabbitmq-env.conf"
        printf 'export RABBITMQ_ENABLED_PLUGINS_FILE=%q\n' "$rdir/enabled_plugins"
        printf 'export RABBITMQ_PID_FILE=%q\n' "$rdir/rabbitmq.pid"
        printf 'export RABBITMQ_MOTD_FILE=%q\n' "$rdir/motd"
        printf 'export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=%q\n' '-kernel inet_dist_use_interface {127,0,0,1}'
        printf 'export RABBITMQ_CTL_ERL_ARGS=%q\n' '-kernel inet_dist_use_interface {127,0,0,1}'
        printf 'unset RABBITMQ_ENABLED_PLUGINS RABBITMQ_ERLANG_COOKIE RABBITMQ_BASE RABBITMQ_MNESIA_DIR RABBITMQ_ENV_LOADED\n'
    } >"$rdir/env.sh"

    for tool in rabbitmq-server rabbitmqctl rabbitmq-diagnostics rabbitmq-plugins; do
        {
            printf '#!/usr/bin/env bash\n'
            printf '# Runs %s against the private node in %q (written by scripts/lib/infra.sh).\n' "$tool" "$rdir"
            printf '. %q\n' "$rdir/env.sh"
            printf 'exec %q "$@"\n' "$sbin/$tool"
        } >"$rdir/bin/$tool"
        chmod +x "$rdir/bin/$tool"
    done

    printf 'starting RabbitMQ on 127.0.0.1:%s (management 127.0.0.1:%s) …' "$port" "$mgmt"
    if _infra_port_in_use "$port" || _infra_port_in_use "$mgmt"; then
        printf ' failed\n'
        _infra_err "port $port or $mgmt is already in use"
        return 1
    fi
    t0=$(_infra_now_ms)
    rm -f "$rdir/rabbitmq.pid"
    # Own session: a Ctrl-C at the terminal must not reach the node; we stop it ourselves.
    (cd "$rdir" && exec setsid -w "$rdir/bin/rabbitmq-server" >>"$console" 2>&1 </dev/null) &
    launcher=$!
    printf '%s\n' "$launcher" >"$rdir/launcher.pid"

    deadline=$(($(_infra_now_ms) + INFRA_START_TIMEOUT * 1000))
    while :; do
        if curl -fsS -o /dev/null --max-time 2 -u "$INFRA_USER:$INFRA_PASSWORD" \
            "http://127.0.0.1:$mgmt/api/overview" 2>/dev/null && _infra_port_open "$port"; then
            break
        fi
        if ! kill -0 "$launcher" 2>/dev/null; then
            printf ' failed\n'
            _infra_err "RabbitMQ exited during startup (logs: $log, $console)"
            _infra_tail "$console" "$log"
            return 1
        fi
        if (($(_infra_now_ms) > deadline)); then
            printf ' failed\n'
            _infra_err "RabbitMQ not ready after ${INFRA_START_TIMEOUT}s (logs: $log, $console)"
            _infra_tail "$console" "$log"
            infra_stop_rabbitmq "$dir" >/dev/null 2>&1 || true
            return 1
        fi
        sleep 0.2
    done
    # Confirms boot completed and that the CLI reaches the node (cookie, epmd).
    if ! "$rdir/bin/rabbitmqctl" -q await_startup --timeout 60 >>"$console" 2>&1; then
        printf ' failed\n'
        _infra_err "rabbitmqctl await_startup failed (logs: $log, $console)"
        _infra_tail "$console" "$log"
        return 1
    fi
    printf 'ready in %s\n' "$(_infra_elapsed "$t0")"
}

# infra_rabbitmqctl DIR ARGS... : rabbitmqctl against the node started in DIR.
infra_rabbitmqctl() {
    local dir=${1:?infra_rabbitmqctl DIR ARGS...}
    shift
    [[ -x $dir/rabbitmq/bin/rabbitmqctl ]] || {
        _infra_err "no RabbitMQ node was set up in $dir"
        return 1
    }
    "$dir/rabbitmq/bin/rabbitmqctl" "$@"
}

# _infra_wait_gone PID SECONDS : true once PID has exited.
_infra_wait_gone() {
    local pid=$1 n=$(($2 * 10))
    while ((n > 0)) && kill -0 "$pid" 2>/dev/null; do
        sleep 0.1
        n=$((n - 1))
    done
    ! kill -0 "$pid" 2>/dev/null
}

# infra_stop_processes PID… : SIGTERM to all at once (each shuts down gracefully, in parallel),
# then, one by one, SIGKILL to any still running after 30 s more of waiting for it.
infra_stop_processes() {
    local pid
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        if ! _infra_wait_gone "$pid" 30; then
            _infra_say "pid $pid still running after 30s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
}

# infra_stop_rabbitmq DIR [fast] : "fast" = SIGKILL (for throw-away data). A graceful
# stop takes ~6 s, 5 of them in the management plugin's shutdown.
infra_stop_rabbitmq() {
    local dir=${1:?infra_stop_rabbitmq DIR} sig=TERM rdir pid launcher
    rdir=$dir/rabbitmq
    [[ -f $rdir/env.sh ]] || return 0
    [[ ${2:-} == fast ]] && sig=KILL
    if pid=$(_infra_rabbit_beam_pid "$dir"); then
        printf 'stopping RabbitMQ …'
        # SIGTERM makes the Erlang VM shut down gracefully (init:stop/0).
        kill -"$sig" "$pid" 2>/dev/null || true
        if _infra_wait_gone "$pid" 30; then
            printf 'stopped\n'
        else
            printf 'still running after 30s; killing\n'
            kill -KILL "$pid" 2>/dev/null || true
            _infra_wait_gone "$pid" 5 || true
        fi
    fi
    # The launcher shell (and its session) normally exits with the VM.
    launcher=
    if [[ -f $rdir/launcher.pid ]]; then
        launcher=$(tr -dc '0-9' <"$rdir/launcher.pid")
    fi
    if [[ -n $launcher ]]; then
        if kill -0 "$launcher" 2>/dev/null; then
            kill -TERM -- "-$launcher" 2>/dev/null || kill -TERM "$launcher" 2>/dev/null || true
            _infra_wait_gone "$launcher" 10 || kill -KILL -- "-$launcher" 2>/dev/null || true
        fi
        rm -f "$rdir/launcher.pid"
    fi
    _infra_stop_epmd "$rdir"
    return 0
}

# The node's private epmd outlives the VM unless told to go. epmd refuses -kill
# while a node is still registered, which lasts a moment after the VM exits.
_infra_stop_epmd() {
    local rdir=$1 epmd_port n=50
    [[ -f $rdir/env.sh ]] || return 0
    epmd_port=$(sed -n 's/^export ERL_EPMD_PORT=\([0-9]*\)$/\1/p' "$rdir/env.sh")
    [[ -n $epmd_port ]] || return 0
    command -v epmd >/dev/null 2>&1 || return 0
    while ((n > 0)) && _infra_port_open "$epmd_port"; do
        ERL_EPMD_PORT=$epmd_port epmd -port "$epmd_port" -kill >/dev/null 2>&1 || true
        _infra_port_open "$epmd_port" || break
        sleep 0.1
        n=$((n - 1))
    done
    if _infra_port_open "$epmd_port"; then
        _infra_err "epmd on port $epmd_port is still running (nodes still registered?)"
    fi
    return 0
}

# ---------------------------------------------------------------- both

# infra_stop DIR [fast] : stop whatever infra_start_* started in DIR; graceful
# unless "fast" (kill; only for data about to be deleted). Never fails on
# "already stopped".
infra_stop() {
    local dir=${1:?infra_stop DIR [fast]} rc=0
    [[ -d $dir ]] || return 0
    infra_stop_rabbitmq "$dir" "${2:-}" || rc=1
    infra_stop_postgres "$dir" "${2:-}" || rc=1
    return "$rc"
}

# infra_destroy DIR : stop (fast) everything in DIR, then delete DIR (and a
# relocated PostgreSQL dir).
infra_destroy() {
    local dir=${1:?infra_destroy DIR} target l
    [[ -d $dir ]] || return 0
    infra_stop "$dir" fast || true
    for l in "$dir/pg" "$dir/pg-socket"; do
        if [[ -L $l ]]; then
            target=$(readlink "$l") || continue
            case $target in
            "${TMPDIR:-/tmp}"/energytrade-pg.*/*) rm -rf "${target%/*}" ;;
            esac
        fi
    done
    rm -rf "$dir"
}
