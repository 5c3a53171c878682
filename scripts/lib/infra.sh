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
#   infra_ensure_postgres                      apt-get install postgresql-15 if no server is found
#   infra_ensure_chromium                      apt-get install chromium (and a font) if missing: the page's tests
#   infra_ensure_npm                           apt-get install npm if missing: the build installs the page's chart library
#   infra_start_postgres DIR PORT              DIR/pg, log DIR/logs/postgres.log (installs it first)
#   infra_start_rabbitmq DIR PORT MGMT_PORT    DIR/rabbitmq, log DIR/logs/rabbitmq.log
#   infra_rabbitmqctl DIR ARGS...              rabbitmqctl against the node in DIR
#   infra_start_rabbitmq_cluster DIR IP1:PORT1:MGMT1 IP2:PORT2:MGMT2 IP3:PORT3:MGMT3
#                                              3-node cluster, node i in DIR/rabbit-i
#                                              (a node dir like DIR above), DIR/cluster.env
#   infra_start_rabbitmq_cluster_node DIR I    (re)start node I of that cluster in place
#   infra_rabbitmq_cluster_nodes DIR           print IP1:PORT1,IP2:PORT2,IP3:PORT3
#   infra_stop_rabbitmq_cluster DIR [fast]     stop all its nodes and their shared epmd
#   infra_ensure_pg_auto_failover              apt-get install postgresql-15-auto-failover if missing
#   infra_start_pg_formation DIR MON_PORT PORT1 PORT2
#                                              PostgreSQL with automatic failover (pg_auto_failover):
#                                              monitor DIR/pg-monitor, data nodes DIR/pg-node-1 (first
#                                              primary) and -2 (sync standby), DIR/pg-formation.env
#   infra_pg_formation_hosts DIR               print 127.0.0.1:PORT1,127.0.0.1:PORT2
#   infra_pg_formation_primary DIR             print the primary's node number (1 or 2)
#   infra_pg_formation_wait DIR                wait for a primary and a secondary, print the state
#   infra_pg_node_kill DIR N                   SIGKILL node N's whole process tree (N = 1, 2, monitor)
#   infra_pg_node_start DIR N                  restart node N in place, wait until it has rejoined
#   infra_pg_switchover DIR                    planned switchover: the standby becomes primary
#   infra_pg_node_restart DIR N                planned restart of node N (maintenance, stop, start)
#   infra_stop_pg_formation DIR [fast]         stop the monitor and both data nodes
#   infra_start_grpc_balancer DIR NAME PORT GRPC/HTTP...
#                                              HAProxy for NAME's replicas (scripts/lib/haproxy.sh)
#   infra_stop_grpc_balancers DIR              stop the balancers started in DIR
#   infra_partition_rabbitmq_node DIR I        cut cluster node I off (nftables); infra_heal_rabbitmq_node
#                                              DIR I, infra_heal_partitions DIR undo it (scripts/lib/partition.sh)
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
    d=$(find "${INFRA_PG_SEARCH_ROOT:-/usr/lib/postgresql}" -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
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

# infra_ensure_postgres : install Debian's PostgreSQL 15 server when no server binaries are found
# (INFRA_PG_BIN, /usr/lib/postgresql/N/bin or pg_ctl on PATH). Its package also makes a system cluster
# 15/main on port 5432 and may start it; nothing here uses it: every instance has its own directory and port.
infra_ensure_postgres() {
    _infra_apt_install postgresql-15 _infra_pg_installed
}

_infra_pg_installed() { _infra_pg_bindir >/dev/null 2>&1; }

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
    infra_ensure_postgres || return 1
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

# _infra_apt_install PACKAGE CHECK... : when CHECK (a command, true once PACKAGE's program is in
# place) fails, install PACKAGE from Debian's archive and run CHECK again. Waits for another apt run
# (a parallel test run installing the same package) rather than failing. A failing post-install step
# (rabbitmq-server trying to start a system-wide node without an init system) is only a warning when
# CHECK then passes.
_infra_apt_install() {
    local pkg=${1:?_infra_apt_install PACKAGE CHECK...} aptlog rc=0
    local cmd="apt-get update && apt-get install -y --no-install-recommends $pkg"
    shift
    "$@" && return 0
    if ((EUID != 0)) || ! command -v apt-get >/dev/null 2>&1; then
        _infra_err "$pkg is not installed; install it as root: $cmd"
        return 1
    fi
    _infra_say "$pkg not found: running $cmd"
    aptlog=$(mktemp "${TMPDIR:-/tmp}/energytrade-apt.XXXXXX") || return 1
    { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$pkg"; } >"$aptlog" 2>&1 || rc=$?
    if ! "$@"; then
        _infra_err "installing $pkg failed; run it by hand to see why: $cmd"
        _infra_tail "$aptlog"
        rm -f "$aptlog"
        return 1
    fi
    if ((rc != 0)); then
        _infra_say "warning: apt-get reported an error, but $pkg is installed; continuing"
        tail -n 5 "$aptlog"
    fi
    rm -f "$aptlog"
    _infra_say "installed $pkg"
}

# infra_ensure_npm : npm (and nodejs), which the build runs to install the page's pinned chart library and
# check-protos.sh to install buf.
infra_ensure_npm() {
    _infra_apt_install npm command -v npm
}

# infra_ensure_chromium : Debian's chromium for the analysts' page's browser tests, and a font for
# their screenshots (without recommends, chromium brings none).
infra_ensure_chromium() {
    _infra_apt_install chromium test -x /usr/bin/chromium &&
        _infra_apt_install fonts-liberation test -d /usr/share/fonts/truetype/liberation
}

# ---------------------------------------------------------------- RabbitMQ

# infra_ensure_rabbitmq : install Debian's rabbitmq-server when it is missing.
infra_ensure_rabbitmq() {
    _infra_apt_install rabbitmq-server _infra_rabbit_installed
}

_infra_rabbit_installed() { command -v rabbitmq-server >/dev/null 2>&1 || [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; }

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
    # Netfilter rules outlive the processes: a cut left by a run that never stopped (its DIR deleted,
    # or this one's nodes all gone) would cut these nodes off from the start on the same addresses.
    infra_sweep_partitions || true
    ((nrunning > 0)) || infra_heal_partitions "$dir" || true

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

# ---------------------------------------------------------------- PostgreSQL formation (pg_auto_failover)
#
# PostgreSQL with automatic failover on one machine: pg_auto_failover 2.0 (Debian's
# postgresql-15-auto-failover) with a monitor and two data nodes, each a private process
# tree ("machine") under DIR:
#   DIR/pg-formation.env   shared facts (ports, monitor URI, hosts, where the nodes live)
#   DIR/pg-monitor         the monitor, and the data nodes, each with data/ (PGDATA; postgres
#   DIR/pg-node-1, -2      logs in data/log/), sock/ (its unix socket) and xdg/ (pg_autoctl's
#                          config, state and pid files: XDG_CONFIG_HOME, XDG_DATA_HOME,
#                          XDG_RUNTIME_DIR)
#   DIR/logs/pg-monitor.log, pg-node-1.log, pg-node-2.log   pg_autoctl's output
# Every pg_autoctl runs as the PostgreSQL OS user with that node's private environment;
# `pg_autoctl run` is launched under setsid, so its process group holds the keeper and
# postgres (backends setsid() themselves: infra_pg_node_kill kills them too). When the
# PostgreSQL user cannot reach DIR, or DIR is too long for unix socket paths, the node
# directories live in a private temp dir with symlinks in DIR (infra_destroy removes both).
#
# All listen on 127.0.0.1 only; pg_autoctl's own users (monitor, replication) use trust on
# loopback, the application role energytrade/energytrade (LOGIN SUPERUSER) scram-sha-256.
# Synchronous replication: the monitor sets synchronous_standby_names on the primary while
# the standby is healthy (synchronous_commit = on), so an acknowledged commit survives the
# loss of the primary; losing the standby stalls commits until the monitor moves the
# primary to wait_primary (~6-7 s). Failover after a hard kill of the primary takes
# ~6 s (node_considered_unhealthy_timeout) + 8 s (primary_demote_timeout) + ~1 s; the data
# nodes' network_partition_timeout (5 s) stays below the demote timeout, so an isolated
# primary has demoted itself before the standby is promoted.

_INFRA_PGF_NODES='monitor 1 2'

# _infra_pg_autoctl : path of pg_autoctl ($INFRA_PG_AUTOCTL, else PATH, else wherever
# Debian's pg-auto-failover-cli put it).
_infra_pg_autoctl() {
    local p
    if [[ -n ${INFRA_PG_AUTOCTL:-} ]]; then
        p=$INFRA_PG_AUTOCTL
    else
        p=$(command -v pg_autoctl 2>/dev/null) ||
            p=$(dpkg -L pg-auto-failover-cli 2>/dev/null | grep -m 1 '/pg_autoctl$') || return 1
    fi
    [[ -x $p ]] || return 1
    printf '%s\n' "$p"
}

# _infra_pgf_package BINDIR : the Debian package with the monitor extension for that PostgreSQL.
_infra_pgf_package() {
    local v
    v=$(basename "$(dirname "$1")")
    [[ $v =~ ^[0-9]+$ ]] || v=15
    printf 'postgresql-%s-auto-failover\n' "$v"
}

# infra_ensure_pg_auto_failover : install Debian's postgresql-15-auto-failover (the
# monitor's extension; it pulls pg-auto-failover-cli, which provides pg_autoctl) when
# pg_autoctl or the extension is missing. pg_autoctl is looked up on PATH, then with
# `dpkg -L pg-auto-failover-cli` ($INFRA_PG_AUTOCTL overrides).
infra_ensure_pg_auto_failover() {
    local bindir
    infra_ensure_postgres || return 1
    bindir=$(_infra_pg_bindir) || return 1
    _infra_apt_install "$(_infra_pgf_package "$bindir")" _infra_pgf_installed "$bindir"
}

# _infra_pgf_installed BINDIR : pg_autoctl runs and the extension is there for the PostgreSQL in BINDIR.
_infra_pgf_installed() { _infra_pg_autoctl >/dev/null && [[ -f $1/../lib/pgautofailover.so ]]; }

# _infra_pgf_name N : the directory name of node N (monitor, 1, 2).
_infra_pgf_name() {
    case $1 in
    monitor) printf 'pg-monitor\n' ;;
    1 | 2) printf 'pg-node-%s\n' "$1" ;;
    *)
        _infra_err "node must be 1, 2 or monitor, not '$1'"
        return 1
        ;;
    esac
}

# _infra_pgf_nd DIR N : node N's real directory.
_infra_pgf_nd() {
    local name root
    name=$(_infra_pgf_name "$2") || return 1
    root=$(_infra_kv "$1/pg-formation.env" ROOT)
    [[ -n $root ]] || {
        _infra_err "no PostgreSQL formation was set up in $1 (infra_start_pg_formation)"
        return 1
    }
    printf '%s/%s\n' "$root" "$name"
}

# _infra_pgf_port DIR N
_infra_pgf_port() {
    case $2 in
    monitor) _infra_kv "$1/pg-formation.env" MONITOR_PORT ;;
    *) _infra_kv "$1/pg-formation.env" "NODE_$2_PORT" ;;
    esac
}

# _infra_pgf_exec_env DIR N : the environment (env -i arguments) of node N's pg_autoctl.
_infra_pgf_exec_env() {
    local nd bindir
    nd=$(_infra_pgf_nd "$1" "$2") || return 1
    bindir=$(_infra_kv "$1/pg-formation.env" PG_BIN)
    printf '%s\n' HOME="$nd" PATH="$bindir:/usr/local/bin:/usr/bin:/bin" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
        XDG_CONFIG_HOME="$nd/xdg/config" XDG_DATA_HOME="$nd/xdg/share" XDG_RUNTIME_DIR="$nd/xdg/run" \
        PG_REGRESS_SOCK_DIR="$nd/sock" PGHOST="$nd/sock"
}

# _infra_pgf_autoctl DIR N ARGS... : pg_autoctl ARGS as the PostgreSQL OS user in node N's
# private environment (its own XDG dirs and socket dir; nothing from ours, e.g. PGPORT).
_infra_pgf_autoctl() {
    local dir=$1 n=$2 env=$1/pg-formation.env
    local -a e
    shift 2
    mapfile -t e < <(_infra_pgf_exec_env "$dir" "$n") || return 1
    ((${#e[@]})) || return 1
    (cd / && _infra_as "$(_infra_kv "$env" OS_USER)" env -i "${e[@]}" "$(_infra_kv "$env" PG_AUTOCTL)" "$@")
}

# _infra_pgf_sql DIR N SQL : run SQL on node N through its unix socket (trust), print rows
# unaligned (fields separated by |).
_infra_pgf_sql() {
    local dir=$1 n=$2 nd db=postgres
    nd=$(_infra_pgf_nd "$dir" "$n") || return 1
    [[ $n != monitor ]] || db=pg_auto_failover
    PGCONNECT_TIMEOUT=3 "$(_infra_kv "$dir/pg-formation.env" PG_BIN)/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
        -d "host=$nd/sock port=$(_infra_pgf_port "$dir" "$n") user=$(_infra_kv "$dir/pg-formation.env" SUPERUSER) dbname=$db" \
        -c "$3" 2>/dev/null
}

# _infra_pgf_pid DIR N : the pid of node N's `pg_autoctl run`, when it runs.
_infra_pgf_pid() {
    local nd pid
    nd=$(_infra_pgf_nd "$1" "$2" 2>/dev/null) || return 1
    pid=$(head -n 1 "$nd/xdg/run/pg_autoctl$nd/data/pg_autoctl.pid" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] && _infra_pid_alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'pg_autoctl' || return 1
    printf '%s\n' "$pid"
}

# _infra_pgf_postmaster DIR N : the pid of node N's postmaster, when it runs.
_infra_pgf_postmaster() {
    local nd pid
    nd=$(_infra_pgf_nd "$1" "$2" 2>/dev/null) || return 1
    pid=$(head -n 1 "$nd/data/postmaster.pid" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] && _infra_pid_alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$nd/data" || return 1
    printf '%s\n' "$pid"
}

# _infra_pid_alive PID... : true if any PID exists and is not a zombie.
_infra_pid_alive() {
    local pid st
    for pid in "$@"; do
        st=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$pid/stat" 2>/dev/null) || continue
        [[ -n $st && $st != Z && $st != X ]] && return 0
    done
    return 1
}

# _infra_pgf_ipc_cleanup DIR N : after node N's postgres was killed, remove the small System V
# shared memory segment it leaves (PostgreSQL reclaims it on its next start in the same
# data dir, but not once the data dir is deleted).
_infra_pgf_ipc_cleanup() {
    local nd key shmid row
    nd=$(_infra_pgf_nd "$1" "$2" 2>/dev/null) || return 0
    [[ -f $nd/data/postmaster.pid ]] || return 0
    _infra_pgf_postmaster "$1" "$2" >/dev/null && return 0
    read -r key shmid < <(sed -n 7p "$nd/data/postmaster.pid") || return 0
    [[ $shmid =~ ^[0-9]+$ ]] || return 0
    command -v ipcs >/dev/null 2>&1 || return 0
    # Only that segment (key and id), and only if nothing is attached to it.
    row=$(ipcs -m 2>/dev/null | awk -v id="$shmid" '$2 == id { print $1, $6 }')
    [[ -n $row && ${row##* } == 0 ]] || return 0
    (( $(printf '%d' "${row%% *}" 2>/dev/null || echo -1) == key )) || return 0
    ipcrm -m "$shmid" 2>/dev/null || true
}

# _infra_pgf_launch DIR N : start node N's `pg_autoctl run` in the background, in a session
# (and process group) of its own, output appended to DIR/logs/<node>.log.
_infra_pgf_launch() {
    local dir=$1 n=$2 env=$1/pg-formation.env nd user log
    local -a e as=()
    nd=$(_infra_pgf_nd "$dir" "$n") || return 1
    user=$(_infra_kv "$env" OS_USER)
    log=$dir/logs/$(_infra_pgf_name "$n").log
    mapfile -t e < <(_infra_pgf_exec_env "$dir" "$n")
    if [[ -n $user ]]; then
        command -v runuser >/dev/null 2>&1 || {
            _infra_err "runuser (util-linux) is needed to run pg_autoctl as $user"
            return 1
        }
        as=(runuser -u "$user" --)
    fi
    # setsid (an external command) cannot run a shell function, hence runuser directly.
    (cd / && exec setsid "${as[@]}" env -i "${e[@]}" "$(_infra_kv "$env" PG_AUTOCTL)" run --pgdata "$nd/data") \
        >>"$log" 2>&1 </dev/null &
    # Not a job of the caller's shell: no "Killed" notice when infra_pg_node_kill hits it.
    disown "$!" 2>/dev/null || true
}

# _infra_pgf_logs DIR N... : the log files worth showing for nodes N...
_infra_pgf_logs() {
    local dir=$1 n nd f
    shift
    for n in "$@"; do
        printf '%s\n' "$dir/logs/$(_infra_pgf_name "$n").log"
        nd=$(_infra_pgf_nd "$dir" "$n" 2>/dev/null) || continue
        f=$(find "$nd/data/log" -name '*.log' -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1)
        [[ -z $f ]] || printf '%s\n' "${f#* }"
    done
}

# _infra_pgf_fail DIR MESSAGE N... : " failed", the error, the state and the nodes' logs.
_infra_pgf_fail() {
    local dir=$1 msg=$2 f
    local -a logs
    shift 2
    printf ' failed\n'
    _infra_err "$msg"
    _infra_pgf_autoctl "$dir" monitor show state --pgdata "$(_infra_pgf_nd "$dir" monitor)/data" >&2 2>/dev/null || true
    mapfile -t logs < <(_infra_pgf_logs "$dir" "$@")
    for f in "${logs[@]}"; do _infra_tail "$f"; done
    return 1
}

# _infra_pgf_states DIR : "N reportedstate goalstate" per data node, from the monitor.
_infra_pgf_states() {
    _infra_pgf_sql "$1" monitor "SELECT substr(nodename, 5), reportedstate, goalstate FROM pgautofailover.node
        WHERE formationid = 'default' AND nodename IN ('node1', 'node2') ORDER BY nodename" | tr '|' ' '
}

# _infra_pgf_pair DIR : print "PRIMARY SECONDARY" (node numbers) when the monitor has one
# node primary and the other secondary, both as reported = as assigned.
_infra_pgf_pair() {
    local n rep goal p='' s=''
    while read -r n rep goal; do
        [[ $rep == "$goal" ]] || continue
        case $rep in
        primary) p=$n ;;
        secondary) s=$n ;;
        esac
    done < <(_infra_pgf_states "$1")
    [[ -n $p && -n $s ]] || return 1
    printf '%s %s\n' "$p" "$s"
}

# _infra_pgf_monitor_ready DIR : the monitor answers and its extension is there.
_infra_pgf_monitor_ready() {
    [[ $(_infra_pgf_sql "$1" monitor "SELECT 1 FROM pg_extension WHERE extname = 'pgautofailover'") == 1 ]]
}

# _infra_pgf_app_check DIR N : the application role reaches node N over TCP with its
# password; print "synchronous_standby_names|synchronous_commit|in_recovery|S", S = the
# number of standbys streaming to it as synchronous ones.
_infra_pgf_app_check() {
    PGPASSWORD=$INFRA_PASSWORD PGCONNECT_TIMEOUT=3 "$(_infra_kv "$1/pg-formation.env" PG_BIN)/psql" -X -q -A -t \
        -d "host=127.0.0.1 port=$(_infra_pgf_port "$1" "$2") user=$INFRA_USER dbname=postgres sslmode=disable" \
        -c "SELECT current_setting('synchronous_standby_names'), current_setting('synchronous_commit'), pg_is_in_recovery(),
                   (SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND sync_state IN ('sync', 'quorum'))" 2>/dev/null
}

# _infra_pgf_ensure_role DIR N : create the application role on node N (a primary) if missing.
_infra_pgf_ensure_role() {
    _infra_pgf_sql "$1" "$2" "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$INFRA_USER') THEN
            CREATE ROLE $INFRA_USER LOGIN SUPERUSER PASSWORD '$INFRA_PASSWORD';
        END IF; END \$\$" >/dev/null
}

# _infra_pgf_await_pair DIR T0 NODE... : wait until the monitor has a primary and a secondary,
# the primary streams to the secondary as a synchronous standby, and energytrade can log in
# to the primary over TCP; print "P S". (The monitor's view alone may be stale: a node killed
# moments ago is still "primary" there.) NODE... (those we started) must keep running meanwhile.
_infra_pgf_await_pair() {
    local dir=$1 t0=$2 deadline pair p check n role_tried=0 misses=0 gone
    shift 2
    deadline=$((t0 + INFRA_START_TIMEOUT * 1000))
    while :; do
        if pair=$(_infra_pgf_pair "$dir"); then
            p=${pair%% *}
            check=$(_infra_pgf_app_check "$dir" "$p") || check=
            if [[ -z $check ]] && ((!role_tried)); then
                role_tried=1
                _infra_pgf_ensure_role "$dir" "$p" || true
                check=$(_infra_pgf_app_check "$dir" "$p") || check=
            fi
            if [[ $check == ?*'|on|f|'[1-9]* && $(_infra_pgf_sql "$dir" "${pair##* }" "SELECT pg_is_in_recovery()") == t ]]; then
                printf '%s\n' "$pair"
                return 0
            fi
        fi
        # (Its pid file appears a moment after the launch.)
        gone=
        for n in "$@"; do
            _infra_pgf_pid "$dir" "$n" >/dev/null || gone=$n
        done
        if [[ -z $gone ]]; then
            misses=0
        elif ((++misses > 8)); then
            _infra_pgf_fail "$dir" "pg_autoctl of node $gone in $dir exited" "$gone" >&2
            return 1
        fi
        if (($(_infra_now_ms) > deadline)); then
            _infra_pgf_fail "$dir" "no primary with a synchronous secondary in $dir after ${INFRA_START_TIMEOUT}s${check:+ (primary reports $check)}" "$@" >&2
            return 1
        fi
        sleep 0.5
    done
}

# _infra_pgf_configure DIR N : settings of ours for node N, applied before each start.
_infra_pgf_configure() {
    local dir=$1 n=$2 nd user data hba line
    nd=$(_infra_pgf_nd "$dir" "$n") || return 1
    user=$(_infra_kv "$dir/pg-formation.env" OS_USER)
    data=$nd/data
    # Loaded after pg_autoctl's postgresql-auto-failover.conf (included at the top), so these
    # win over its sizing for a dedicated machine (shared_buffers = 25% of RAM, …). Nothing
    # about ports or addresses: pg_autoctl passes those on postgres' command line.
    {
        printf '# Written by scripts/lib/infra.sh on every start.\n'
        printf 'shared_buffers = 128MB\neffective_cache_size = 1GB\nmaintenance_work_mem = 64MB\nwork_mem = 4MB\n'
        printf "log_line_prefix = '%%m [%%p] %%q%%u@%%d '\nlog_timezone = 'UTC'\ntimezone = 'UTC'\n"
        if [[ $n == monitor ]]; then
            # Failover in ~15 s rather than ~55 s (see the section's comment).
            printf 'pgautofailover.health_check_period = 1000\n'
            printf 'pgautofailover.health_check_timeout = 1000\n'
            printf 'pgautofailover.health_check_max_retries = 1\n'
            printf 'pgautofailover.health_check_retry_delay = 500\n'
            printf 'pgautofailover.node_considered_unhealthy_timeout = 6000\n'
            printf 'pgautofailover.primary_demote_timeout = 8000\n'
        else
            printf 'max_connections = 300\nfsync = on\npassword_encryption = scram-sha-256\n'
        fi
    } >"$data/energytrade.conf" || return 1
    [[ -z $user ]] || chown "$user:" "$data/energytrade.conf"
    grep -qx "include_if_exists = 'energytrade.conf'" "$data/postgresql.conf" ||
        printf "include_if_exists = 'energytrade.conf'\n" >>"$data/postgresql.conf" || return 1
    if [[ $n != monitor ]]; then
        # First match wins: ahead of initdb's "host all all 127.0.0.1/32 trust".
        hba=$data/pg_hba.conf
        line="host all $INFRA_USER 127.0.0.1/32 scram-sha-256 # written by scripts/lib/infra.sh"
        if [[ $(head -n 1 "$hba") != "$line" ]]; then
            { printf '%s\n' "$line" && grep -vxF -- "$line" "$hba"; } >"$hba.tmp" && mv -f "$hba.tmp" "$hba" || return 1
            [[ -z $user ]] || chown "$user:" "$hba"
            chmod 600 "$hba"
        fi
        # Below primary_demote_timeout: an isolated primary demotes itself first.
        _infra_pgf_autoctl "$dir" "$n" config set --pgdata "$data" timeout.network_partition_timeout 5 \
            >>"$dir/logs/$(_infra_pgf_name "$n").log" 2>&1 || {
            _infra_err "pg_autoctl config set failed for node $n (log: $dir/logs/$(_infra_pgf_name "$n").log)"
            return 1
        }
    fi
}

# _infra_pgf_create DIR N : `pg_autoctl create` node N (the monitor, or a data node that
# registers with it: node 1 first becomes the primary, node 2 then clones it).
_infra_pgf_create() {
    local dir=$1 n=$2 env=$1/pg-formation.env nd port log rc=0
    nd=$(_infra_pgf_nd "$dir" "$n") || return 1
    port=$(_infra_pgf_port "$dir" "$n")
    log=$dir/logs/$(_infra_pgf_name "$n").log
    if _infra_port_in_use "$port"; then
        printf ' failed\n'
        _infra_err "port $port ($(_infra_pgf_name "$n")) is already in use"
        return 1
    fi
    if [[ $n == monitor ]]; then
        _infra_pgf_autoctl "$dir" monitor create monitor --pgdata "$nd/data" --pgport "$port" \
            --pgctl "$(_infra_kv "$env" PG_BIN)/pg_ctl" --hostname 127.0.0.1 --auth trust --no-ssl >>"$log" 2>&1 &&
            _infra_pgf_autoctl "$dir" monitor config set --pgdata "$nd/data" postgresql.listen_addresses 127.0.0.1 >>"$log" 2>&1 || rc=1
    else
        _infra_pgf_autoctl "$dir" "$n" create postgres --pgdata "$nd/data" --pgport "$port" \
            --pgctl "$(_infra_kv "$env" PG_BIN)/pg_ctl" --pghost "$nd/sock" --listen 127.0.0.1 \
            --hostname 127.0.0.1 --name "node$n" --monitor "$(_infra_kv "$env" MONITOR_URI)" \
            --auth trust --no-ssl --replication-quorum true --candidate-priority 50 >>"$log" 2>&1 || rc=1
    fi
    ((rc == 0)) || _infra_pgf_fail "$dir" "pg_autoctl create for $(_infra_pgf_name "$n") failed (infra_destroy $dir, then start again)" "$n" >&2
}

# _infra_pgf_created DIR N : node N's `pg_autoctl create` has completed.
_infra_pgf_created() {
    local nd
    nd=$(_infra_pgf_nd "$1" "$2") || return 1
    [[ -f $nd/xdg/config/pg_autoctl$nd/data/pg_autoctl.cfg && -f $nd/data/PG_VERSION ]] || return 1
    # A data node whose initialisation did not finish keeps this file.
    [[ ! -f $nd/xdg/share/pg_autoctl$nd/data/pg_autoctl.init ]]
}

# _infra_pgf_await_reaped DIR N : wait (up to 10 s) until the pids in node N's pid files are
# no zombies. Killed, they linger until init reaps them (here ~2 s), and pg_autoctl and
# postgres take a zombie for a running instance: "An instance of pg_autoctl is already running".
_infra_pgf_await_reaped() {
    local nd f pid st n=100
    local -a pids=()
    nd=$(_infra_pgf_nd "$1" "$2") || return 1
    for f in "$nd/xdg/run/pg_autoctl$nd/data"/*.pid "$nd/data/postmaster.pid"; do
        [[ -f $f ]] || continue
        pid=$(head -n 1 "$f" 2>/dev/null)
        [[ $pid =~ ^[0-9]+$ ]] && pids+=("$pid")
    done
    for pid in "${pids[@]}"; do
        while ((n > 0)); do
            st=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$pid/stat" 2>/dev/null) || st=
            [[ $st == Z || $st == X ]] || break
            sleep 0.1
            n=$((n - 1))
        done
    done
    return 0
}

# _infra_pgf_start_node DIR N : configure and launch node N unless it runs (no waiting).
_infra_pgf_start_node() {
    local dir=$1 n=$2 port
    _infra_pgf_pid "$dir" "$n" >/dev/null && return 0
    _infra_pgf_await_reaped "$dir" "$n"
    port=$(_infra_pgf_port "$dir" "$n")
    # A postgres left from a killed pg_autoctl would hold the port: pg_autoctl adopts it.
    if ! _infra_pgf_postmaster "$dir" "$n" >/dev/null && _infra_port_in_use "$port"; then
        printf ' failed\n'
        _infra_err "port $port ($(_infra_pgf_name "$n")) is already in use"
        return 1
    fi
    _infra_pgf_configure "$dir" "$n" || return 1
    _infra_pgf_launch "$dir" "$n"
}

# _infra_pgf_await_monitor DIR T0
_infra_pgf_await_monitor() {
    local dir=$1 deadline=$(($2 + INFRA_START_TIMEOUT * 1000)) n=0
    until _infra_pgf_monitor_ready "$dir"; do
        # The pid file appears a moment after the launch.
        if ! _infra_pgf_pid "$dir" monitor >/dev/null && ((++n > 20)); then
            _infra_pgf_fail "$dir" "the pg_auto_failover monitor in $dir exited" monitor >&2
            return 1
        fi
        if (($(_infra_now_ms) > deadline)); then
            _infra_pgf_fail "$dir" "the pg_auto_failover monitor in $dir is not ready after ${INFRA_START_TIMEOUT}s" monitor >&2
            return 1
        fi
        sleep 0.2
    done
}

# _infra_pgf_await_state DIR N T0 STATE... : wait until node N reports one of STATE... (primary
# states) as assigned, and its postgres answers as a primary (not in recovery).
_infra_pgf_await_state() {
    local dir=$1 n=$2 deadline=$(($3 + INFRA_START_TIMEOUT * 1000)) k rep goal st tries=0
    shift 3
    while :; do
        while read -r k rep goal; do
            [[ $k == "$n" && $rep == "$goal" ]] || continue
            for st in "$@"; do
                [[ $rep == "$st" && $(_infra_pgf_sql "$dir" "$n" "SELECT pg_is_in_recovery()") == f ]] && return 0
            done
        done < <(_infra_pgf_states "$dir")
        if ! _infra_pgf_pid "$dir" "$n" >/dev/null && ((++tries > 20)); then
            _infra_pgf_fail "$dir" "pg_autoctl of node $n in $dir exited" "$n" >&2
            return 1
        fi
        if (($(_infra_now_ms) > deadline)); then
            _infra_pgf_fail "$dir" "node $n in $dir is not $* after ${INFRA_START_TIMEOUT}s" "$n" >&2
            return 1
        fi
        sleep 0.3
    done
}

# infra_start_pg_formation DIR MON_PORT PORT1 PORT2
# PostgreSQL 15 with automatic failover (pg_auto_failover): a monitor on 127.0.0.1:MON_PORT
# (DIR/pg-monitor) and data nodes node1 on 127.0.0.1:PORT1 (DIR/pg-node-1, the primary when
# first created) and node2 on 127.0.0.1:PORT2 (DIR/pg-node-2, a synchronous standby); shared
# facts in DIR/pg-formation.env. Returns once one node is primary and the other secondary,
# synchronous replication is on and energytrade/energytrade logs in to the primary over TCP.
# Clients list both nodes (infra_pg_formation_hosts) and ask for the read-write one.
# Idempotent: on an existing formation (e.g. after infra_stop DIR) starts what is not
# running and waits for a primary and a secondary again. The ports cannot change.
infra_start_pg_formation() {
    local usage='infra_start_pg_formation DIR MON_PORT PORT1 PORT2'
    local dir=${1:?$usage} mp=${2:?$usage} p1=${3:?$usage} p2=${4:?$usage}
    local bindir user autoctl env root base name n t0 pair fresh=0 uri p
    local -a todo=()
    for p in "$mp" "$p1" "$p2"; do
        [[ $p =~ ^[0-9]+$ ]] || {
            _infra_err "'$p' is not a port (usage: $usage)"
            return 1
        }
    done
    if [[ $mp == "$p1" || $mp == "$p2" || $p1 == "$p2" ]]; then
        _infra_err "the three ports must differ (usage: $usage)"
        return 1
    fi
    infra_ensure_pg_auto_failover || return 1
    bindir=$(_infra_pg_bindir) || return 1
    user=$(_infra_pg_os_user) || return 1
    autoctl=$(_infra_pg_autoctl) || return 1
    mkdir -p "$dir/logs" || return 1
    dir=$(cd "$dir" && pwd -P) || return 1
    env=$dir/pg-formation.env

    if [[ -f $env ]]; then
        for n in $_INFRA_PGF_NODES; do
            case $n in monitor) p=$mp ;; 1) p=$p1 ;; 2) p=$p2 ;; esac
            if [[ $(_infra_pgf_port "$dir" "$n") != "$p" ]]; then
                _infra_err "the PostgreSQL formation in $dir uses ports $(_infra_kv "$env" MONITOR_PORT) $(_infra_kv "$env" NODE_1_PORT) $(_infra_kv "$env" NODE_2_PORT); pass those, or infra_destroy $dir first"
                return 1
            fi
        done
        root=$(_infra_kv "$env" ROOT)
        if [[ ! -d $root/pg-monitor ]]; then
            _infra_err "the PostgreSQL formation in $dir lost its node directories ($root); infra_destroy $dir first"
            return 1
        fi
    else
        # The nodes run as $user, which must reach their directories, and a unix socket
        # path (ROOT/pg-node-N/sock/.s.PGSQL.PORT) must fit in 107 bytes.
        root=$dir
        chmod go+x "$dir" 2>/dev/null || true
        if { [[ -n $user ]] && ! _infra_as "$user" test -x "$dir"; } || ((${#dir} > 75)); then
            base=$(mktemp -d "${TMPDIR:-/tmp}/energytrade-pg.XXXXXX") || return 1
            chmod 755 "$base"
            root=$base
            _infra_say "note: PostgreSQL formation data for $dir lives in $base"
        fi
        for n in $_INFRA_PGF_NODES; do
            name=$(_infra_pgf_name "$n")
            if [[ $root != "$dir" ]]; then
                rm -rf "${dir:?}/$name"
                ln -sfn "$root/$name" "$dir/$name" || return 1
            fi
        done
        : >"$env.tmp" || return 1
        {
            printf '# Written by scripts/lib/infra.sh: the PostgreSQL formation (pg_auto_failover) in this directory.\n'
            printf 'MONITOR_PORT=%s\nNODE_1_PORT=%s\nNODE_2_PORT=%s\n' "$mp" "$p1" "$p2"
            printf 'HOSTS=127.0.0.1:%s,127.0.0.1:%s\n' "$p1" "$p2"
            printf 'PSQL_CONNINFO=host=127.0.0.1,127.0.0.1 port=%s,%s target_session_attrs=read-write user=%s dbname=postgres\n' "$p1" "$p2" "$INFRA_USER"
            printf 'ROOT=%s\nOS_USER=%s\nSUPERUSER=%s\n' "$root" "$user" "${user:-$(id -un)}"
            printf 'PG_BIN=%s\nPG_AUTOCTL=%s\n' "$bindir" "$autoctl"
        } >>"$env.tmp" && mv -f "$env.tmp" "$env" || return 1
    fi
    for n in $_INFRA_PGF_NODES; do
        name=$(_infra_pgf_name "$n")
        mkdir -p "$root/$name/sock" "$root/$name/xdg/config" "$root/$name/xdg/share" "$root/$name/xdg/run" || return 1
        chmod 755 "$root/$name" "$root/$name/sock"
        chmod 700 "$root/$name/xdg" "$root/$name/xdg/run"
        [[ -z $user ]] || chown -R "$user:" "$root/$name/sock" "$root/$name/xdg" || return 1
        [[ -z $user ]] || chown "$user:" "$root/$name" || return 1
        _infra_pgf_created "$dir" "$n" || fresh=1
    done

    t0=$(_infra_now_ms)
    if ((!fresh)); then
        for n in $_INFRA_PGF_NODES; do
            _infra_pgf_pid "$dir" "$n" >/dev/null || todo+=("$n")
        done
        if ((${#todo[@]} == 0)); then
            printf 'PostgreSQL formation already running in %s; waiting for a primary and a secondary …' "$dir"
        else
            printf 'starting PostgreSQL formation in %s (%s; monitor 127.0.0.1:%s; starting %s) …' \
                "$dir" "$(_infra_kv "$env" HOSTS)" "$mp" "${todo[*]}"
        fi
        # The monitor first: the keepers report to it.
        if [[ ${todo[0]:-} == monitor ]]; then
            _infra_pgf_start_node "$dir" monitor || return 1
            _infra_pgf_await_monitor "$dir" "$t0" || return 1
            todo=("${todo[@]:1}")
        fi
        for n in "${todo[@]}"; do
            _infra_pgf_start_node "$dir" "$n" || return 1
        done
        pair=$(_infra_pgf_await_pair "$dir" "$t0" "${todo[@]}") || return 1
        printf ' primary node%s, secondary node%s, ready in %s\n' "${pair%% *}" "${pair##* }" "$(_infra_elapsed "$t0")"
        return 0
    fi

    printf 'starting PostgreSQL formation in %s (%s; monitor 127.0.0.1:%s) …' "$dir" "$(_infra_kv "$env" HOSTS)" "$mp"
    # Sequential: monitor, node 1 (registers first: primary), node 2 (clones node 1).
    if ! _infra_pgf_created "$dir" monitor; then
        _infra_pgf_create "$dir" monitor || return 1
    fi
    _infra_pgf_start_node "$dir" monitor || return 1
    _infra_pgf_await_monitor "$dir" "$t0" || return 1
    uri=$(_infra_pgf_autoctl "$dir" monitor show uri --pgdata "$(_infra_pgf_nd "$dir" monitor)/data" --formation monitor 2>/dev/null)
    [[ $uri == postgres://* ]] || {
        _infra_pgf_fail "$dir" "could not read the monitor's URI" monitor >&2
        return 1
    }
    sed -i '/^MONITOR_URI=/d' "$env" && printf 'MONITOR_URI=%s\n' "$uri" >>"$env" || return 1
    printf ' monitor up after %s,' "$(_infra_elapsed "$t0")"
    for n in 1 2; do
        if ! _infra_pgf_created "$dir" "$n"; then
            _infra_pgf_create "$dir" "$n" || return 1
        fi
        _infra_pgf_start_node "$dir" "$n" || return 1
        if [[ $n == 1 ]]; then
            _infra_pgf_await_state "$dir" 1 "$t0" single wait_primary primary || return 1
            # The state is the one its creation reported: postgres may still be starting.
            until _infra_pgf_ensure_role "$dir" 1; do
                if (($(_infra_now_ms) > t0 + INFRA_START_TIMEOUT * 1000)); then
                    _infra_pgf_fail "$dir" "could not create the role $INFRA_USER on node 1" 1 >&2
                    return 1
                fi
                sleep 0.2
            done
            printf ' node1 up after %s,' "$(_infra_elapsed "$t0")"
        fi
    done
    pair=$(_infra_pgf_await_pair "$dir" "$t0" 1 2) || return 1
    printf ' primary node%s, secondary node%s, ready in %s\n' "${pair%% *}" "${pair##* }" "$(_infra_elapsed "$t0")"
}

# infra_pg_formation_hosts DIR : print 127.0.0.1:PORT1,127.0.0.1:PORT2 (an Npgsql
# multi-host Host value; add Target Session Attributes=read-write).
infra_pg_formation_hosts() {
    local dir=${1:?infra_pg_formation_hosts DIR} hosts
    hosts=$(_infra_kv "$dir/pg-formation.env" HOSTS)
    [[ -n $hosts ]] || {
        _infra_err "no PostgreSQL formation was set up in $dir"
        return 1
    }
    printf '%s\n' "$hosts"
}

# infra_pg_formation_primary DIR : print the number (1 or 2) of the node that the monitor
# currently has as primary (reported and assigned a writable state: single, wait_primary,
# primary, …); fails when there is none (e.g. in the middle of a failover) or the monitor is down.
infra_pg_formation_primary() {
    local dir=${1:?infra_pg_formation_primary DIR} n
    [[ -f $dir/pg-formation.env ]] || {
        _infra_err "no PostgreSQL formation was set up in $dir"
        return 1
    }
    n=$(_infra_pgf_sql "$dir" monitor "SELECT substr(nodename, 5) FROM pgautofailover.node
        WHERE formationid = 'default' AND nodename IN ('node1', 'node2')
          AND reportedstate = goalstate
          AND goalstate IN ('single', 'wait_primary', 'primary', 'join_primary', 'apply_settings')
        ORDER BY nodeid LIMIT 1") || {
        _infra_err "the pg_auto_failover monitor in $dir does not answer"
        return 1
    }
    [[ -n $n ]] || {
        _infra_err "the formation in $dir has no primary right now"
        return 1
    }
    printf '%s\n' "$n"
}

# infra_pg_formation_wait DIR : wait until there is a primary and a secondary (as reported
# to the monitor) with sync replication on, then print the monitor's view (pg_autoctl show state).
infra_pg_formation_wait() {
    local dir=${1:?infra_pg_formation_wait DIR} t0 pair
    [[ -f $dir/pg-formation.env ]] || {
        _infra_err "no PostgreSQL formation was set up in $dir"
        return 1
    }
    dir=$(cd "$dir" && pwd -P) || return 1
    t0=$(_infra_now_ms)
    printf 'waiting for a primary and a secondary in %s …' "$dir"
    pair=$(_infra_pgf_await_pair "$dir" "$t0") || return 1
    printf ' primary node%s, secondary node%s after %s\n' "${pair%% *}" "${pair##* }" "$(_infra_elapsed "$t0")"
    _infra_pgf_autoctl "$dir" monitor show state --pgdata "$(_infra_pgf_nd "$dir" monitor)/data" 2>/dev/null || true
}

# _infra_pgf_kill DIR N : SIGKILL node N's process tree; true once all of it is gone.
_infra_pgf_kill() {
    local dir=$1 n=$2 pid pm pgid own left tries=100
    local -a pids=() kids=() mine=()
    pid=$(_infra_pgf_pid "$dir" "$n") || pid=
    pm=$(_infra_pgf_postmaster "$dir" "$n") || pm=
    [[ -n $pid || -n $pm ]] || return 0
    [[ -z $pid ]] || mine+=("$pid")
    [[ -z $pm ]] || mine+=("$pm")
    own=$(ps -o pgid= -p "$$" | tr -d ' ')
    pgid=
    [[ -z $pid ]] || pgid=$(ps -o pgid= -p "$pid" | tr -d ' ')
    [[ $pgid != "$own" ]] || pgid=
    # Freeze first, so that nothing forks or writes between listing and killing.
    [[ -z $pgid ]] || kill -STOP -- "-$pgid" 2>/dev/null || true
    [[ -z $pid ]] || kill -STOP "$pid" 2>/dev/null || true
    if [[ -n $pm ]]; then
        kill -STOP "$pm" 2>/dev/null || true
        # Backends and auxiliary processes setsid() themselves: not in the group.
        mapfile -t kids < <(pgrep -P "$pm")
        ((${#kids[@]} == 0)) || kill -STOP "${kids[@]}" 2>/dev/null || true
    fi
    [[ -z $pgid ]] || mapfile -t pids < <(pgrep -g "$pgid")
    [[ -z $pgid ]] || kill -KILL -- "-$pgid" 2>/dev/null || true
    kill -KILL "${mine[@]}" "${kids[@]}" 2>/dev/null || true
    while ((tries-- > 0)); do
        left=0
        _infra_pid_alive "${mine[@]}" "${kids[@]}" "${pids[@]}" && left=1
        [[ -z $pgid ]] || ! _infra_pid_alive $(pgrep -g "$pgid") || left=1
        ((left)) || return 0
        sleep 0.1
    done
    _infra_err "node $n of the formation in $dir: processes still alive after SIGKILL"
    return 1
}

# infra_pg_node_kill DIR N : SIGKILL node N's whole tree at once (pg_autoctl run, keeper,
# postgres and its backends), as a power cut of its machine (N = 1, 2 or monitor). Returns
# when all of them are gone. The monitor fails over after ~15 s if N was the primary.
infra_pg_node_kill() {
    local usage='infra_pg_node_kill DIR N'
    local dir=${1:?$usage} n=${2:?$usage} t0
    dir=$(cd "$dir" 2>/dev/null && pwd -P) || {
        _infra_err "no such directory: $1"
        return 1
    }
    _infra_pgf_nd "$dir" "$n" >/dev/null || return 1
    t0=$(_infra_now_ms)
    if ! _infra_pgf_pid "$dir" "$n" >/dev/null && ! _infra_pgf_postmaster "$dir" "$n" >/dev/null; then
        _infra_say "PostgreSQL formation node $n in $dir is not running"
        return 0
    fi
    printf 'killing PostgreSQL formation node %s (SIGKILL to its whole tree) …' "$n"
    _infra_pgf_kill "$dir" "$n" || return 1
    printf ' gone after %s\n' "$(_infra_elapsed "$t0")"
}

# infra_pg_node_start DIR N : restart node N (1, 2 or monitor) in place after it was killed
# or stopped (also starts the monitor if it is down). Returns when node N is secondary again
# and the other primary (a killed primary comes back demoted and catches up through
# pg_rewind), or, when the other node is not running, when N is primary on its own.
infra_pg_node_start() {
    local usage='infra_pg_node_start DIR N'
    local dir=${1:?$usage} n=${2:?$usage} t0 other pair
    dir=$(cd "$dir" 2>/dev/null && pwd -P) || {
        _infra_err "no such directory: $1"
        return 1
    }
    _infra_pgf_nd "$dir" "$n" >/dev/null || return 1
    t0=$(_infra_now_ms)
    if [[ $n == monitor ]] || ! _infra_pgf_pid "$dir" monitor >/dev/null; then
        if ! _infra_pgf_pid "$dir" monitor >/dev/null; then
            printf 'starting the PostgreSQL formation monitor (127.0.0.1:%s) …' "$(_infra_pgf_port "$dir" monitor)"
            _infra_pgf_start_node "$dir" monitor || return 1
            _infra_pgf_await_monitor "$dir" "$t0" || return 1
            printf ' up after %s\n' "$(_infra_elapsed "$t0")"
        fi
        [[ $n != monitor ]] || return 0
    fi
    other=$((3 - n))
    if _infra_pgf_pid "$dir" "$n" >/dev/null; then
        printf 'PostgreSQL formation node %s already running; waiting …' "$n"
    else
        printf 'starting PostgreSQL formation node %s (127.0.0.1:%s) …' "$n" "$(_infra_pgf_port "$dir" "$n")"
        _infra_pgf_start_node "$dir" "$n" || return 1
    fi
    if _infra_pgf_pid "$dir" "$other" >/dev/null; then
        pair=$(_infra_pgf_await_pair "$dir" "$t0" "$n") || return 1
        printf ' node%s is %s (node%s primary) after %s\n' "$n" \
            "$([[ ${pair%% *} == "$n" ]] && echo primary || echo secondary)" "${pair%% *}" "$(_infra_elapsed "$t0")"
    else
        _infra_pgf_await_state "$dir" "$n" "$t0" single wait_primary primary || return 1
        printf ' node%s is primary (node%s down) after %s\n' "$n" "$other" "$(_infra_elapsed "$t0")"
    fi
}

# infra_pg_switchover DIR : a planned switchover (pg_autoctl perform switchover): the primary
# drains and becomes the standby, the standby is promoted. Returns once the roles are swapped and
# synchronous replication runs again. Writes stall for the seconds the switch takes.
infra_pg_switchover() {
    local dir=${1:?infra_pg_switchover DIR} t0 before pair
    dir=$(cd "$dir" 2>/dev/null && pwd -P) || {
        _infra_err "no such directory: $1"
        return 1
    }
    t0=$(_infra_now_ms)
    before=$(_infra_pgf_pair "$dir") || {
        _infra_err "no primary with a secondary in $dir to switch over"
        return 1
    }
    printf 'switching the PostgreSQL primary over from node%s to node%s …' "${before%% *}" "${before##* }"
    # It waits for the monitor to finish (up to 60 s); the wait below checks postgres itself.
    _infra_pgf_autoctl "$dir" "${before%% *}" perform switchover --pgdata "$(_infra_pgf_nd "$dir" "${before%% *}")/data" >/dev/null 2>&1 || true
    while :; do
        pair=$(_infra_pgf_await_pair "$dir" "$t0" 1 2) || return 1
        [[ $pair == "${before##* } ${before%% *}" ]] && break
        if (($(_infra_now_ms) > t0 + INFRA_START_TIMEOUT * 1000)); then
            _infra_err "the switchover in $dir did not happen (still primary node${pair%% *})"
            return 1
        fi
        sleep 0.5
    done
    printf ' node%s primary after %s\n' "${pair%% *}" "$(_infra_elapsed "$t0")"
}

# infra_pg_node_restart DIR N : a planned restart of data node N (or the monitor), one step of a
# rolling upgrade.
# A primary is switched over first (infra_pg_switchover). The standby is put in maintenance, so
# the primary stops waiting for it before it goes (no write stall), stopped gracefully
# (pg_autoctl stop), started, and released from maintenance; returns once it is the synchronous
# secondary again.
infra_pg_node_restart() {
    local usage='infra_pg_node_restart DIR N'
    local dir=${1:?$usage} n=${2:?$usage} t0 pair pid pgdata
    dir=$(cd "$dir" 2>/dev/null && pwd -P) || {
        _infra_err "no such directory: $1"
        return 1
    }
    if [[ $n == monitor ]]; then
        # Nothing waits on the monitor: the data nodes keep serving and replicating meanwhile.
        if pid=$(_infra_pgf_pid "$dir" monitor); then
            printf 'stopping the PostgreSQL formation monitor …'
            _infra_pgf_autoctl "$dir" monitor stop --pgdata "$(_infra_pgf_nd "$dir" monitor)/data" >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
            _infra_wait_gone "$pid" 60 || _infra_pgf_kill "$dir" monitor || return 1
            printf ' stopped\n'
        fi
        infra_pg_node_start "$dir" monitor || return 1
        infra_pg_formation_wait "$dir" >/dev/null
        return
    fi
    [[ $n == 1 || $n == 2 ]] || {
        _infra_err "node must be 1, 2 or monitor (usage: $usage)"
        return 1
    }
    pair=$(_infra_pgf_pair "$dir") || {
        _infra_err "no primary with a secondary in $dir: restart node $n with infra_pg_node_start instead"
        return 1
    }
    [[ ${pair%% *} != "$n" ]] || infra_pg_switchover "$dir" || return 1
    t0=$(_infra_now_ms)
    pgdata=$(_infra_pgf_nd "$dir" "$n")/data
    printf 'restarting PostgreSQL formation node %s (maintenance, stop, start) …' "$n"
    _infra_pgf_autoctl "$dir" "$n" enable maintenance --pgdata "$pgdata" >/dev/null 2>&1 || {
        printf ' failed\n'
        _infra_err "pg_autoctl enable maintenance on node $n in $dir failed"
        return 1
    }
    if pid=$(_infra_pgf_pid "$dir" "$n"); then
        _infra_pgf_autoctl "$dir" "$n" stop --pgdata "$pgdata" >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
        _infra_wait_gone "$pid" 60 || _infra_pgf_kill "$dir" "$n" || return 1
    fi
    _infra_pgf_start_node "$dir" "$n" || return 1
    # Maintenance is left through the monitor once the keeper reports in again.
    until _infra_pgf_autoctl "$dir" "$n" disable maintenance --pgdata "$pgdata" >/dev/null 2>&1; do
        if (($(_infra_now_ms) > t0 + INFRA_START_TIMEOUT * 1000)); then
            printf ' failed\n'
            _infra_err "pg_autoctl disable maintenance on node $n in $dir kept failing"
            return 1
        fi
        sleep 0.5
    done
    pair=$(_infra_pgf_await_pair "$dir" "$t0" "$n") || return 1
    printf ' secondary again after %s\n' "$(_infra_elapsed "$t0")"
}

# infra_stop_pg_formation DIR [fast] : stop the formation in DIR: the data nodes together,
# then the monitor (pg_autoctl stop; "fast" = SIGKILL their trees, for throw-away data).
# Tolerates nodes already stopped.
infra_stop_pg_formation() {
    local dir=${1:?infra_stop_pg_formation DIR [fast]} n pid t0 live=0 rc=0 group
    local -a pids
    [[ -f $dir/pg-formation.env ]] || return 0
    dir=$(cd "$dir" && pwd -P) || return 0
    t0=$(_infra_now_ms)
    for n in $_INFRA_PGF_NODES; do
        if _infra_pgf_pid "$dir" "$n" >/dev/null || _infra_pgf_postmaster "$dir" "$n" >/dev/null; then
            live=$((live + 1))
        fi
    done
    ((live == 0)) || printf 'stopping PostgreSQL formation in %s (%s of 3 nodes running) …' "$dir" "$live"
    for group in '1 2' monitor; do
        pids=()
        for n in $group; do
            pid=$(_infra_pgf_pid "$dir" "$n") || continue
            if [[ ${2:-} == fast ]]; then
                _infra_pgf_kill "$dir" "$n" || rc=1
            else
                _infra_pgf_autoctl "$dir" "$n" stop --pgdata "$(_infra_pgf_nd "$dir" "$n")/data" >/dev/null 2>&1 ||
                    kill -TERM "$pid" 2>/dev/null || true
                pids+=("$n:$pid")
            fi
        done
        for pid in "${pids[@]}"; do
            n=${pid%%:*}
            if ! _infra_wait_gone "${pid#*:}" 60; then
                _infra_say "pg_autoctl of node $n still running after 60s; killing it"
                _infra_pgf_kill "$dir" "$n" || rc=1
            fi
        done
        # A postgres whose pg_autoctl was killed alone.
        for n in $group; do
            if _infra_pgf_postmaster "$dir" "$n" >/dev/null; then
                _infra_pgf_kill "$dir" "$n" || rc=1
            fi
            _infra_pgf_ipc_cleanup "$dir" "$n"
        done
    done
    ((live == 0)) || printf ' stopped in %s\n' "$(_infra_elapsed "$t0")"
    return "$rc"
}

# ---------------------------------------------------------------- both

# infra_stop DIR [fast] : stop whatever infra_start_* started in DIR (including a
# RabbitMQ cluster's nodes in DIR/rabbit-* and a PostgreSQL formation's in DIR/pg-*);
# graceful unless "fast" (kill; only for data about to be deleted). Never fails on
# "already stopped".
infra_stop() {
    local dir=${1:?infra_stop DIR [fast]} rc=0
    [[ -d $dir ]] || return 0
    # Balancers first: clients see "no replica" at once rather than calls hanging on stopping ones.
    infra_stop_grpc_balancers "$dir" || rc=1
    # Netfilter rules are the machine's, not DIR's: they must not outlive the cluster they cut.
    infra_heal_partitions "$dir" || rc=1
    infra_stop_pg_formation "$dir" "${2:-}" || rc=1
    infra_stop_rabbitmq_cluster "$dir" "${2:-}" || rc=1
    infra_stop_rabbitmq "$dir" "${2:-}" || rc=1
    infra_stop_postgres "$dir" "${2:-}" || rc=1
    return "$rc"
}

# infra_destroy DIR : stop (fast) everything in DIR, then delete DIR (and a
# relocated PostgreSQL dir or formation).
infra_destroy() {
    local dir=${1:?infra_destroy DIR} target l
    [[ -d $dir ]] || return 0
    infra_stop "$dir" fast || true
    for l in "$dir/pg" "$dir/pg-socket" "$dir/pg-monitor" "$dir/pg-node-1" "$dir/pg-node-2"; do
        if [[ -L $l ]]; then
            target=$(readlink "$l") || continue
            case $target in
            "${TMPDIR:-/tmp}"/energytrade-pg.*/*) rm -rf "${target%/*}" ;;
            esac
        fi
    done
    rm -rf "$dir"
}

# gRPC balancers in front of service replicas (HAProxy): infra_start_grpc_balancer and friends.
# shellcheck source=scripts/lib/haproxy.sh
source "$(dirname "${BASH_SOURCE[0]}")/haproxy.sh"
# shellcheck source=scripts/lib/prometheus.sh
source "$(dirname "${BASH_SOURCE[0]}")/prometheus.sh"

# Network partitions of a RabbitMQ cluster (nftables): infra_partition_rabbitmq_node and friends.
# shellcheck source=scripts/lib/partition.sh
source "$(dirname "${BASH_SOURCE[0]}")/partition.sh"
