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
#   infra_start_rabbitmq_cluster DIR IP1:PORT1:MGMT1 IP2:PORT2:MGMT2 IP3:PORT3:MGMT3
#                                              3-node cluster, node i in DIR/rabbit-i
#                                              (a node dir like DIR above), DIR/cluster.env
#   infra_start_rabbitmq_cluster_node DIR I    (re)start node I of that cluster in place
#   infra_rabbitmq_cluster_nodes DIR           print IP1:PORT1,IP2:PORT2,IP3:PORT3
#   infra_stop_rabbitmq_cluster DIR [fast]     stop all its nodes and their shared epmd
#   infra_stop DIR [fast]                      stop everything started in DIR (tolerates
#                                              "not running"); "fast" kills instead
#                                              (throw-away data)
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

# _infra_port_open PORT [HOST] : true if something accepts TCP connections on
# HOST:PORT (HOST defaults to 127.0.0.1).
_infra_port_open() {
    (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

# _infra_port_in_use PORT [HOST] : true if PORT cannot be bound on HOST (default
# 127.0.0.1), or something listens on it.
_infra_port_in_use() {
    local port=$1 host=${2:-127.0.0.1}
    _infra_port_open "$port" "$host" && return 0
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$port" "$host" <<'PY' >/dev/null 2>&1 && return 1 || return 0
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# Servers set SO_REUSEADDR, so TIME_WAIT leftovers must not count as "in use".
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[2], int(sys.argv[1])))
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

# Marks the env.sh of a node that belongs to a cluster (infra_start_rabbitmq_cluster).
_INFRA_CLUSTER_MARK='# Member of the RabbitMQ cluster in'

# _infra_rabbit_prepare DIR NODENAME IP PORT MGMT_PORT DIST_PORT EPMD_PORT [CLUSTER_DIR]
# Writes everything a node in DIR needs (DIR/rabbitmq/{rabbitmq.conf,enabled_plugins,
# env.sh,bin/*}, DIR/logs) without starting it. With CLUSTER_DIR the node is member I
# of the cluster described by CLUSTER_DIR/cluster.env (long name, shared epmd and cookie,
# classic-config peer discovery); without, a stand-alone node on 127.0.0.1.
_infra_rabbit_prepare() {
    local dir=$1 name=$2 ip=$3 port=$4 mgmt=$5 dist=$6 epmd=$7 cdir=${8:-}
    local sbin rdir log tool eip srv_args ctl_args cenv cookie i n
    local longname=false epmd_addr=127.0.0.1
    sbin=$(_infra_rabbit_sbin) || return 1
    rdir=$dir/rabbitmq
    log=$dir/logs/rabbitmq.log
    mkdir -p "$dir/logs" "$rdir/home" "$rdir/mnesia" "$rdir/log" "$rdir/conf.d" "$rdir/bin" || return 1
    chmod 700 "$rdir/home"
    # The distribution listener (and the CLI's) only on this node's own address.
    eip="{${ip//./,}}"
    srv_args="-kernel inet_dist_use_interface $eip"
    ctl_args="-kernel inet_dist_use_interface $eip"
    if [[ -n $cdir ]]; then
        cenv=$cdir/cluster.env
        longname=true
        epmd_addr=$(_infra_kv "$cenv" EPMD_ADDRESSES)
        # Outgoing distribution connections leave from this node's address too, so a
        # per-address firewall rule can cut exactly this node off its peers.
        srv_args+=" -kernel inet_dist_connect_options [{ip,$eip}]"
        cookie=$(_infra_kv "$cenv" COOKIE)
        [[ -n $cookie && -n $epmd_addr ]] || {
            _infra_err "$cenv is incomplete"
            return 1
        }
        # One cookie for the cluster, in each node's private HOME.
        [[ ! -f $rdir/home/.erlang.cookie ]] || chmod 600 "$rdir/home/.erlang.cookie"
        printf '%s' "$cookie" >"$rdir/home/.erlang.cookie" || return 1
        chmod 400 "$rdir/home/.erlang.cookie"
    fi

    {
        cat <<EOF
# Written by scripts/lib/infra.sh
listeners.tcp.1 = $ip:$port
management.tcp.ip = $ip
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
        if [[ -n $cdir ]]; then
            n=$(_infra_kv "$cenv" CLUSTER_SIZE)
            printf 'cluster_formation.peer_discovery_backend = classic_config\n'
            for ((i = 1; i <= n; i++)); do
                printf 'cluster_formation.classic_config.nodes.%d = %s\n' "$i" "$(_infra_kv "$cenv" "NAME_$i")"
            done
            # The side that lost the majority stops serving rather than diverging.
            printf 'cluster_partition_handling = pause_minority\n'
            # A silent (firewalled) peer is declared down after ~15 s rather than 60.
            printf 'net_ticktime = 15\n'
            # Quorum queues' write-ahead log: 64 MB instead of 512 MB of memory per node.
            printf 'raft.wal_max_size_bytes = 64000000\n'
        fi
    } >"$rdir/rabbitmq.conf"
    # The shovel plugins serve scripts/redrive-errors.sh (move _error back to its queue).
    printf '[rabbitmq_management,rabbitmq_shovel,rabbitmq_shovel_management].\n' >"$rdir/enabled_plugins"
    : >"$rdir/rabbitmq-env.conf"

    # Environment shared by the server and every CLI call. HOME keeps the Erlang
    # cookie private; ERL_EPMD_PORT gives this node (or cluster) its own epmd.
    {
        printf '# Written by scripts/lib/infra.sh: environment of the RabbitMQ node in this directory.\n'
        [[ -z $cdir ]] || printf '%s %s (see cluster.env there).\n' "$_INFRA_CLUSTER_MARK" "$cdir"
        printf 'export HOME=%q\n' "$rdir/home"
        printf 'export RABBITMQ_NODENAME=%q\n' "$name"
        printf 'export RABBITMQ_USE_LONGNAME=%s\n' "$longname"
        printf 'export RABBITMQ_NODE_IP_ADDRESS=%s\n' "$ip"
        printf 'export RABBITMQ_NODE_PORT=%s\n' "$port"
        printf 'export RABBITMQ_DIST_PORT=%s\n' "$dist"
        printf 'export ERL_EPMD_PORT=%s\n' "$epmd"
        printf 'export ERL_EPMD_ADDRESS=%s\n' "$epmd_addr"
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
        printf 'export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=%q\n' "$srv_args"
        printf 'export RABBITMQ_CTL_ERL_ARGS=%q\n' "$ctl_args"
        # Three VMs share a few cores: schedulers must not be pinned to the same ones.
        [[ -z $cdir ]] || printf 'export RABBITMQ_SCHEDULER_BIND_TYPE=u\n'
        printf 'unset RABBITMQ_ENABLED_PLUGINS RABBITMQ_ERLANG_COOKIE RABBITMQ_BASE RABBITMQ_MNESIA_DIR RABBITMQ_ENV_LOADED\n'
    } >"$rdir/env.sh"

    for tool in rabbitmq-server rabbitmqctl rabbitmq-diagnostics rabbitmq-plugins rabbitmq-queues; do
        {
            printf '#!/usr/bin/env bash\n'
            printf '# Runs %s against the private node in %q (written by scripts/lib/infra.sh).\n' "$tool" "$rdir"
            printf '. %q\n' "$rdir/env.sh"
            printf 'exec %q "$@"\n' "$sbin/$tool"
        } >"$rdir/bin/$tool"
        chmod +x "$rdir/bin/$tool"
    done
}

# _infra_rabbit_launch DIR : start the node prepared in DIR in the background.
_infra_rabbit_launch() {
    local rdir=$1/rabbitmq console=$1/logs/rabbitmq-console.log
    rm -f "$rdir/rabbitmq.pid"
    # Own session: a Ctrl-C at the terminal must not reach the node; we stop it ourselves.
    (cd "$rdir" && exec setsid -w "$rdir/bin/rabbitmq-server" >>"$console" 2>&1 </dev/null) &
    printf '%s\n' "$!" >"$rdir/launcher.pid"
}

# _infra_rabbit_await DIR IP PORT MGMT_PORT : wait until the node launched in DIR serves
# AMQP and the management API and has finished booting. On failure prints " failed",
# the reason and the logs' last lines, and returns 1.
_infra_rabbit_await() {
    local dir=$1 ip=$2 port=$3 mgmt=$4 rdir=$1/rabbitmq log console launcher deadline
    log=$dir/logs/rabbitmq.log
    console=$dir/logs/rabbitmq-console.log
    launcher=$(tr -dc '0-9' <"$rdir/launcher.pid" 2>/dev/null) || launcher=
    deadline=$(($(_infra_now_ms) + INFRA_START_TIMEOUT * 1000))
    while :; do
        if curl -fsS -o /dev/null --max-time 2 --noproxy '*' -u "$INFRA_USER:$INFRA_PASSWORD" \
            "http://$ip:$mgmt/api/overview" 2>/dev/null && _infra_port_open "$port" "$ip"; then
            break
        fi
        if [[ -z $launcher ]] || ! kill -0 "$launcher" 2>/dev/null; then
            printf ' failed\n'
            _infra_err "RabbitMQ in $dir exited during startup (logs: $log, $console)"
            _infra_tail "$console" "$log"
            return 1
        fi
        if (($(_infra_now_ms) > deadline)); then
            printf ' failed\n'
            _infra_err "RabbitMQ in $dir not ready after ${INFRA_START_TIMEOUT}s (logs: $log, $console)"
            _infra_tail "$console" "$log"
            infra_stop_rabbitmq "$dir" >/dev/null 2>&1 || true
            return 1
        fi
        sleep 0.2
    done
    # Confirms boot completed and that the CLI reaches the node (cookie, epmd).
    if ! "$rdir/bin/rabbitmqctl" -q await_startup --timeout 60 >>"$console" 2>&1; then
        printf ' failed\n'
        _infra_err "rabbitmqctl await_startup failed for $dir (logs: $log, $console)"
        _infra_tail "$console" "$log"
        return 1
    fi
}

# infra_start_rabbitmq DIR PORT MGMT_PORT
# Private node energytrade-PORT@localhost: AMQP on 127.0.0.1:PORT, management
# API/UI on 127.0.0.1:MGMT_PORT, user energytrade/energytrade, vhost "/".
# Everything, including HOME (Erlang cookie) and a private epmd, is under DIR/rabbitmq.
# Writes wrappers DIR/rabbitmq/bin/{rabbitmqctl,rabbitmq-diagnostics,rabbitmq-plugins,
# rabbitmq-queues} that talk to this node. Idempotent when already running in DIR.
infra_start_rabbitmq() {
    local dir=${1:?infra_start_rabbitmq DIR PORT MGMT_PORT} port=${2:?infra_start_rabbitmq DIR PORT MGMT_PORT}
    local mgmt=${3:?infra_start_rabbitmq DIR PORT MGMT_PORT}
    local rdir dist epmd t0 pid
    _infra_rabbit_sbin >/dev/null || return 1
    mkdir -p "$dir/logs" || return 1
    dir=$(cd "$dir" && pwd -P) || return 1
    rdir=$dir/rabbitmq

    if grep -q "^$_INFRA_CLUSTER_MARK" "$rdir/env.sh" 2>/dev/null; then
        _infra_err "$dir holds a node of a RabbitMQ cluster; use infra_start_rabbitmq_cluster_node"
        return 1
    fi
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
    dist=$(infra_free_port "$port" "$mgmt") || return 1
    epmd=$(infra_free_port "$port" "$mgmt" "$dist") || return 1
    _infra_rabbit_prepare "$dir" "energytrade-$port@localhost" 127.0.0.1 "$port" "$mgmt" "$dist" "$epmd" || return 1

    printf 'starting RabbitMQ on 127.0.0.1:%s (management 127.0.0.1:%s) …' "$port" "$mgmt"
    if _infra_port_in_use "$port" || _infra_port_in_use "$mgmt"; then
        printf ' failed\n'
        _infra_err "port $port or $mgmt is already in use"
        return 1
    fi
    t0=$(_infra_now_ms)
    _infra_rabbit_launch "$dir"
    _infra_rabbit_await "$dir" 127.0.0.1 "$port" "$mgmt" || return 1
    printf 'ready in %s\n' "$(_infra_elapsed "$t0")"
}

# infra_rabbitmqctl DIR ARGS... : rabbitmqctl against the node started in DIR (for a
# cluster: DIR/rabbit-I for node I).
infra_rabbitmqctl() {
    local dir=${1:?infra_rabbitmqctl DIR ARGS...}
    shift
    [[ -x $dir/rabbitmq/bin/rabbitmqctl ]] || {
        _infra_err "no RabbitMQ node was set up in $dir"
        return 1
    }
    "$dir/rabbitmq/bin/rabbitmqctl" "$@"
}

# ---------------------------------------------------------------- RabbitMQ cluster
#
# Three nodes on one machine, each on its own loopback address (127.a.b.x: any 127/8
# address works on lo), so that a firewall rule per address can later cut one off.
# Node I is et-I@IP_I (long names need an address literal: the host name has no
# domain), with AMQP, management and distribution on IP_I only, outgoing distribution
# connections from IP_I, and the cluster's only epmd listening on 127.0.0.1 and all
# three addresses: a node registers with the epmd on 127.0.0.1:EPMD_PORT and looks a
# peer up at IP_J:EPMD_PORT. DIR/cluster.env holds what the nodes share.

# _infra_kv FILE KEY : the value of KEY=value in FILE.
_infra_kv() {
    sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n 1
}

# _infra_cluster_epmd DIR : make sure the cluster's epmd runs on all its addresses.
_infra_cluster_epmd() {
    local cenv=$1/cluster.env port addrs a n=50 missing
    port=$(_infra_kv "$cenv" EPMD_PORT)
    addrs=$(_infra_kv "$cenv" EPMD_ADDRESSES)
    command -v epmd >/dev/null 2>&1 || {
        _infra_err "epmd not found (it comes with Erlang, a dependency of rabbitmq-server)"
        return 1
    }
    missing=
    for a in ${addrs//,/ }; do
        _infra_port_open "$port" "$a" || missing+=" $a"
    done
    [[ -n $missing ]] || return 0
    if _infra_port_open "$port"; then
        # An epmd of an earlier layout (other addresses): replace it if it is idle.
        if [[ -n $(_infra_epmd_names "$port") ]]; then
            _infra_err "epmd on port $port does not listen on$missing and still has nodes registered; run infra_stop $1 first"
            return 1
        fi
        _infra_kill_epmd "$port"
    fi
    ERL_EPMD_PORT=$port epmd -daemon -port "$port" -address "$addrs" </dev/null >/dev/null 2>&1 || true
    while ((n > 0)); do
        missing=
        for a in ${addrs//,/ }; do
            _infra_port_open "$port" "$a" || missing+=" $a"
        done
        [[ -n $missing ]] || return 0
        sleep 0.1
        n=$((n - 1))
    done
    _infra_err "epmd on port $port did not come up on$missing"
    return 1
}

# _infra_cluster_prepare_node DIR I : write node I's directory DIR/rabbit-I from DIR/cluster.env.
_infra_cluster_prepare_node() {
    local dir=$1 i=$2 cenv=$1/cluster.env spec
    spec=$(_infra_kv "$cenv" "NODE_$i")
    [[ $spec =~ ^([0-9.]+):([0-9]+):([0-9]+)$ ]] || {
        _infra_err "$cenv has no node $i"
        return 1
    }
    _infra_rabbit_prepare "$dir/rabbit-$i" "$(_infra_kv "$cenv" "NAME_$i")" "${BASH_REMATCH[1]}" \
        "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" "$(_infra_kv "$cenv" "DIST_$i")" \
        "$(_infra_kv "$cenv" EPMD_PORT)" "$dir"
}

# _infra_cluster_launch DIR I : check node I's ports, then launch it (no waiting).
_infra_cluster_launch() {
    local dir=$1 i=$2 spec ip port mgmt dist
    spec=$(_infra_kv "$dir/cluster.env" "NODE_$i")
    ip=${spec%%:*} port=${spec#*:} mgmt=${spec##*:}
    port=${port%%:*}
    dist=$(_infra_kv "$dir/cluster.env" "DIST_$i")
    if _infra_port_in_use "$port" "$ip" || _infra_port_in_use "$mgmt" "$ip" || _infra_port_in_use "$dist" "$ip"; then
        printf ' failed\n'
        _infra_err "node $i: port $port, $mgmt or $dist on $ip is already in use"
        return 1
    fi
    _infra_rabbit_launch "$dir/rabbit-$i"
}

# _infra_cluster_await DIR I : _infra_rabbit_await for node I.
_infra_cluster_await() {
    local dir=$1 i=$2 spec port
    spec=$(_infra_kv "$dir/cluster.env" "NODE_$i")
    port=${spec#*:}
    _infra_rabbit_await "$dir/rabbit-$i" "${spec%%:*}" "${port%%:*}" "${spec##*:}"
}

# _infra_cluster_await_online DIR I : wait (through node I) until all nodes run RabbitMQ.
_infra_cluster_await_online() {
    local dir=$1 i=$2 n console=$1/rabbit-$2/logs/rabbitmq-console.log
    n=$(_infra_kv "$dir/cluster.env" CLUSTER_SIZE)
    if ! "$dir/rabbit-$i/rabbitmq/bin/rabbitmqctl" -q await_online_nodes "$n" --timeout "$INFRA_START_TIMEOUT" >>"$console" 2>&1; then
        printf ' failed\n'
        _infra_err "not all $n nodes of the cluster in $dir came online within ${INFRA_START_TIMEOUT}s (node $i's view)"
        "$dir/rabbit-$i/rabbitmq/bin/rabbitmqctl" cluster_status >&2 2>&1 || true
        return 1
    fi
}

# infra_start_rabbitmq_cluster DIR IP1:PORT1:MGMT1 IP2:PORT2:MGMT2 IP3:PORT3:MGMT3
# A 3-node RabbitMQ cluster (user energytrade/energytrade, vhost "/"): node I is
# et-I@IP_I with AMQP on IP_I:PORT_I and management API/UI on IP_I:MGMT_I, and lives in
# DIR/rabbit-I, laid out like a stand-alone node's DIR (DIR/rabbit-I/rabbitmq/{env.sh,
# bin/rabbitmqctl,…,rabbitmq.pid}, DIR/rabbit-I/logs). DIR/cluster.env holds what they
# share (epmd port, cookie, node names, the IP:PORT:MGMT triples, distribution ports).
# Use distinct addresses in 127.0.0.0/8 (e.g. 127.R1.R2.2/3/4) and free ports.
# Node 1 starts first; 2 and 3 join it in parallel (classic-config peer discovery);
# returns only once all three run RabbitMQ (quorum queues declared earlier would keep
# fewer replicas). Partition handling pause_minority, net_ticktime 15 s.
# Idempotent when already running with the same layout; starts the nodes not running.
infra_start_rabbitmq_cluster() {
    local usage='infra_start_rabbitmq_cluster DIR IP1:PORT1:MGMT1 IP2:PORT2:MGMT2 IP3:PORT3:MGMT3'
    local dir=${1:?$usage} cenv i j n=3 same=1 nrunning=0 spec epmd= cookie= t0 addrs ip taken
    local -a specs ips ports mgmts names dists running launch
    shift
    if (($# != n)); then
        _infra_err "usage: $usage"
        return 1
    fi
    for ((i = 1; i <= n; i++)); do
        spec=${!i}
        if [[ ! $spec =~ ^([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}):([0-9]+):([0-9]+)$ ]]; then
            _infra_err "node $i: '$spec' is not IPv4:PORT:MGMT_PORT (usage: $usage)"
            return 1
        fi
        specs[i]=$spec ips[i]=${BASH_REMATCH[1]} ports[i]=${BASH_REMATCH[2]} mgmts[i]=${BASH_REMATCH[3]}
        names[i]=et-$i@${ips[i]}
    done
    _infra_rabbit_sbin >/dev/null || return 1
    mkdir -p "$dir" || return 1
    dir=$(cd "$dir" && pwd -P) || return 1
    cenv=$dir/cluster.env

    # Reuse cookie, epmd port and distribution ports of an earlier start in DIR.
    if [[ -f $cenv ]]; then
        epmd=$(_infra_kv "$cenv" EPMD_PORT)
        cookie=$(_infra_kv "$cenv" COOKIE)
        for ((i = 1; i <= n; i++)); do
            [[ $(_infra_kv "$cenv" "NODE_$i") == "${specs[i]}" ]] || same=0
            dists[i]=$(_infra_kv "$cenv" "DIST_$i")
        done
    else
        same=0
    fi
    for ((i = 1; i <= n; i++)); do
        running[i]=0
        if _infra_rabbit_beam_pid "$dir/rabbit-$i" >/dev/null; then
            running[i]=1
            nrunning=$((nrunning + 1))
        fi
    done
    if ((nrunning > 0 && !same)); then
        _infra_err "RabbitMQ nodes with a different layout are running in $dir; run infra_stop $dir first"
        return 1
    fi

    taken="${ports[*]} ${mgmts[*]}"
    if [[ -z $epmd ]]; then
        # shellcheck disable=SC2086
        epmd=$(infra_free_port $taken) || return 1
    fi
    taken+=" $epmd"
    for ((i = 1; i <= n; i++)); do
        if [[ -z ${dists[i]:-} ]] || { ((!running[i])) && _infra_port_in_use "${dists[i]}" "${ips[i]}"; }; then
            # shellcheck disable=SC2086
            dists[i]=$(infra_free_port $taken) || return 1
        fi
        taken+=" ${dists[i]}"
    done
    [[ -n $cookie ]] || cookie=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n' | tr a-f A-F)
    addrs=127.0.0.1
    for ip in "${ips[@]}"; do
        [[ ,$addrs, == *,$ip,* ]] || addrs+=,$ip
    done

    : >"$cenv.tmp" && chmod 600 "$cenv.tmp" || return 1
    {
        printf '# Written by scripts/lib/infra.sh: the RabbitMQ cluster in this directory (node I in rabbit-I).\n'
        printf 'CLUSTER_SIZE=%s\n' "$n"
        printf 'EPMD_PORT=%s\n' "$epmd"
        printf 'EPMD_ADDRESSES=%s\n' "$addrs"
        printf 'COOKIE=%s\n' "$cookie"
        for ((i = 1; i <= n; i++)); do
            printf 'NODE_%s=%s\n' "$i" "${specs[i]}"
            printf 'NAME_%s=%s\n' "$i" "${names[i]}"
            printf 'DIST_%s=%s\n' "$i" "${dists[i]}"
        done
        printf 'NODES=%s\n' "$(IFS=,; printf '%s' "${names[*]}")"
        j=
        for ((i = 1; i <= n; i++)); do j+=${j:+,}${ips[i]}:${ports[i]}; done
        printf 'AMQP_NODES=%s\n' "$j"
    } >>"$cenv.tmp" && mv -f "$cenv.tmp" "$cenv" || return 1

    for ((i = 1; i <= n; i++)); do
        _infra_cluster_prepare_node "$dir" "$i" || return 1
    done
    _infra_cluster_epmd "$dir" || return 1

    t0=$(_infra_now_ms)
    if ((nrunning == n)); then
        printf 'RabbitMQ cluster already running in %s; waiting for all %s nodes …' "$dir" "$n"
        _infra_cluster_await_online "$dir" 1 || return 1
        printf ' online\n'
        return 0
    fi
    printf 'starting RabbitMQ cluster in %s (%s; management on' "$dir" "$(_infra_kv "$cenv" AMQP_NODES)"
    for ((i = 1; i <= n; i++)); do printf ' %s' "${mgmts[i]}"; done
    printf ') …'
    launch=()
    for ((i = 1; i <= n; i++)); do ((running[i])) || launch+=("$i"); done
    # A fresh cluster: node 1 must be up before the others look for it. A cluster with
    # data (restarted): all together, as each node waits for the peers it knew.
    if ((!running[1])) && [[ -z $(ls -A "$dir/rabbit-1/rabbitmq/mnesia/${names[1]}" 2>/dev/null) ]]; then
        _infra_cluster_launch "$dir" 1 || return 1
        _infra_cluster_await "$dir" 1 || return 1
        printf ' node 1 up after %s,' "$(_infra_elapsed "$t0")"
        launch=("${launch[@]:1}")
    fi
    for i in "${launch[@]}"; do
        _infra_cluster_launch "$dir" "$i" || return 1
    done
    for i in "${launch[@]}"; do
        _infra_cluster_await "$dir" "$i" || return 1
    done
    _infra_cluster_await_online "$dir" 1 || return 1
    printf ' %s nodes online, ready in %s\n' "$n" "$(_infra_elapsed "$t0")"
}

# infra_start_rabbitmq_cluster_node DIR I
# (Re)starts node I of the cluster in DIR in place (same name, ports, data) after it
# was killed or stopped; returns once it runs RabbitMQ and sees all nodes online.
# Needs the other nodes' majority running (else it waits for its peers and times out).
infra_start_rabbitmq_cluster_node() {
    local usage='infra_start_rabbitmq_cluster_node DIR I'
    local dir=${1:?$usage} i=${2:?$usage} cenv n pid spec t0
    dir=$(cd "$dir" 2>/dev/null && pwd -P) || {
        _infra_err "no such directory: $1"
        return 1
    }
    cenv=$dir/cluster.env
    [[ -f $cenv ]] || {
        _infra_err "no RabbitMQ cluster was set up in $dir (infra_start_rabbitmq_cluster)"
        return 1
    }
    n=$(_infra_kv "$cenv" CLUSTER_SIZE)
    if [[ ! $i =~ ^[0-9]+$ ]] || ((i < 1 || i > n)); then
        _infra_err "node number must be 1..$n (usage: $usage)"
        return 1
    fi
    spec=$(_infra_kv "$cenv" "NODE_$i")
    t0=$(_infra_now_ms)
    if pid=$(_infra_rabbit_beam_pid "$dir/rabbit-$i"); then
        printf 'RabbitMQ cluster node %s already running (pid %s); waiting for all %s nodes …' "$i" "$pid" "$n"
    else
        _infra_cluster_prepare_node "$dir" "$i" || return 1
        _infra_cluster_epmd "$dir" || return 1
        printf 'starting RabbitMQ cluster node %s (%s, AMQP %s, management %s) …' \
            "$i" "$(_infra_kv "$cenv" "NAME_$i")" "${spec%:*}" "${spec##*:}"
        _infra_cluster_launch "$dir" "$i" || return 1
        _infra_cluster_await "$dir" "$i" || return 1
        printf ' up after %s,' "$(_infra_elapsed "$t0")"
    fi
    _infra_cluster_await_online "$dir" "$i" || return 1
    printf ' %s nodes online, ready in %s\n' "$n" "$(_infra_elapsed "$t0")"
}

# infra_rabbitmq_cluster_nodes DIR : print the cluster's AMQP endpoints as
# IP1:PORT1,IP2:PORT2,IP3:PORT3 (the services' Messaging:ClusterNodes).
infra_rabbitmq_cluster_nodes() {
    local dir=${1:?infra_rabbitmq_cluster_nodes DIR} nodes
    nodes=$(_infra_kv "$dir/cluster.env" AMQP_NODES)
    [[ -n $nodes ]] || {
        _infra_err "no RabbitMQ cluster was set up in $dir"
        return 1
    }
    printf '%s\n' "$nodes"
}

# infra_stop_rabbitmq_cluster DIR [fast] : stop all nodes of the cluster in DIR at once
# (graceful unless "fast"), then its epmd. Tolerates nodes already stopped. To stop a
# single node: infra_stop_rabbitmq DIR/rabbit-I [fast].
infra_stop_rabbitmq_cluster() {
    local dir=${1:?infra_stop_rabbitmq_cluster DIR [fast]} cenv n i d rc=0 t0 pid name live=0
    local -a pids=() own=()
    cenv=$dir/cluster.env
    [[ -f $cenv ]] || return 0
    n=$(_infra_kv "$cenv" CLUSTER_SIZE)
    t0=$(_infra_now_ms)
    for ((i = 1; i <= n; i++)); do
        ! _infra_rabbit_beam_pid "$dir/rabbit-$i" >/dev/null || live=$((live + 1))
    done
    ((live == 0)) || printf 'stopping RabbitMQ cluster in %s (%s of %s nodes running) …' "$dir" "$live" "$n"
    for ((i = 1; i <= n; i++)); do
        d=$dir/rabbit-$i
        name=$(_infra_kv "$cenv" "NAME_$i")
        own+=("${name%%@*}")
        [[ -f $d/rabbitmq/env.sh ]] || continue
        # In parallel: each graceful stop takes ~6 s.
        (infra_stop_rabbitmq "$d" "${2:-}" >/dev/null) &
        pids+=("$!")
    done
    for pid in "${pids[@]}"; do
        wait "$pid" || rc=1
    done
    _infra_kill_epmd "$(_infra_kv "$cenv" EPMD_PORT)" "${own[@]}"
    ((live == 0)) || printf 'stopped in %s\n' "$(_infra_elapsed "$t0")"
    return "$rc"
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
# stop takes ~6 s, 5 of them in the management plugin's shutdown. For a cluster node
# (DIR/rabbit-I) this stops that node only; the cluster's epmd stays while other nodes use it.
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

# _infra_epmd_names PORT : names registered with the epmd on PORT (none if it is not running).
_infra_epmd_names() {
    ERL_EPMD_PORT=$1 epmd -port "$1" -names 2>/dev/null | sed -n 's/^name \(.*\) at port [0-9]*$/\1/p'
}

# _infra_kill_epmd PORT [OWN_NAME...] : stop the epmd on PORT, unless a node other than
# OWN_NAME... (or a CLI call, which is brief) is registered with it: a cluster's epmd
# stays while other nodes use it. epmd refuses -kill while a node is registered, which
# lasts a moment after the VM exits.
_infra_kill_epmd() {
    local port=$1 n=50 name own other
    shift
    [[ -n $port ]] || return 0
    command -v epmd >/dev/null 2>&1 || return 0
    while ((n > 0)) && _infra_port_open "$port"; do
        other=
        while read -r name; do
            [[ -n $name && $name != rabbitmqcli-* ]] || continue
            for own in "$@"; do
                [[ $name == "$own" ]] && continue 2
            done
            other=$name
        done < <(_infra_epmd_names "$port")
        [[ -z $other ]] || return 0
        ERL_EPMD_PORT=$port epmd -port "$port" -kill >/dev/null 2>&1 || true
        _infra_port_open "$port" || break
        sleep 0.1
        n=$((n - 1))
    done
    if _infra_port_open "$port"; then
        _infra_err "epmd on port $port is still running (nodes still registered?)"
    fi
    return 0
}

# The node's epmd outlives the VM unless told to go (a cluster's shared epmd only
# goes with the last of its nodes).
_infra_stop_epmd() {
    local rdir=$1 epmd_port name
    [[ -f $rdir/env.sh ]] || return 0
    epmd_port=$(sed -n 's/^export ERL_EPMD_PORT=\([0-9]*\)$/\1/p' "$rdir/env.sh")
    name=$(sed -n 's/^export RABBITMQ_NODENAME=\(.*\)$/\1/p' "$rdir/env.sh")
    _infra_kill_epmd "$epmd_port" "${name%%@*}"
}

# ---------------------------------------------------------------- both

# infra_stop DIR [fast] : stop whatever infra_start_* started in DIR (including a
# RabbitMQ cluster's nodes in DIR/rabbit-*); graceful unless "fast" (kill; only for
# data about to be deleted). Never fails on "already stopped".
infra_stop() {
    local dir=${1:?infra_stop DIR [fast]} rc=0
    [[ -d $dir ]] || return 0
    infra_stop_rabbitmq_cluster "$dir" "${2:-}" || rc=1
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
