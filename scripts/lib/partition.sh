# shellcheck shell=bash
# Network partitions of a RabbitMQ cluster on one machine (infra_start_rabbitmq_cluster): cut one
# node off from its peers with netfilter rules (nftables, from Debian's package) and heal it again.
# Sourced by scripts/lib/infra.sh; uses its helpers (_infra_kv, _infra_err, _infra_now_ms, …).
#
#   infra_ensure_netfilter                     apt-get install nftables if nft is missing
#   infra_partition_rabbitmq_node DIR I        drop all traffic between node I's address and
#                                              the other nodes' addresses, both ways (silently:
#                                              Erlang notices after net_ticktime, ~15-19 s)
#   infra_heal_rabbitmq_node DIR I             undo that for node I (other cut nodes stay cut)
#   infra_await_rabbitmq_node DIR I [TIMEOUT_S]
#                                              wait until node I runs RabbitMQ again and sees
#                                              its peers (after a heal)
#   infra_heal_partitions DIR                  undo every cut of the cluster in DIR; a no-op
#                                              when nothing is cut or nft is not installed
#   infra_list_partitions                      print "TABLE DIR CUT_NODES" for every cut on
#                                              this machine (any DIR)
#   infra_sweep_partitions                     remove the rules of clusters whose DIR (or its
#                                              DIR/partition.env) no longer exists
#
# Needs root (CAP_NET_ADMIN). Each cluster DIR gets one nftables table of its own,
# `ip et_part_<12 hex of sha256(DIR)>`, holding one base chain `output` (hook output, priority
# filter), whose comment is DIR; DIR/partition.env records the table and the cut nodes. Every
# change rewrites the whole table in one atomic nft transaction, so parallel runs never touch each
# other's rules and a heal removes exactly what the cuts added. For cut node X and its peers Y, Z:
#     ip saddr X ip daddr { Y, Z } counter drop
#     ip saddr { Y, Z } ip daddr X counter drop
# Loopback traffic passes the output hook once per packet, in either direction, so DROP there cuts
# both ways (no REJECT: the peers learn it only from missing ticks). Only the node addresses are
# matched: clients, curl and the rabbitmqctl wrappers connect from 127.0.0.1 (the kernel's source
# for any 127/8 destination; the CLI binds no source address) and keep reaching every node,
# including the cut-off one. Epmd lookups also leave from 127.0.0.1 and are not cut; the
# distribution connections between nodes leave from the node's own address
# (inet_dist_connect_options) and are.
#
# To look by hand: nft list table ip "$(_infra_kv DIR/partition.env TABLE)"  (counters show drops)
#
# What a cut looks like (3.10.8, net_ticktime 15, pause_minority; measured here on 2 cores):
#   +0 s       publishes to a quorum queue whose leader was cut stall (confirms wait);
#              the management API of every node hangs (it calls into the cut node) until nodedown
#   +5-10 s    the queue has a new leader on the majority (Ra's own failure detector), confirms resume
#   +15-18 s   the majority sees nodedown (GET /api/nodes: running=false, cluster_status without it)
#   +16-19 s   the cut node pauses: AMQP and management listeners close (connection refused);
#              its Erlang VM, distribution port and rabbitmqctl keep working ("rabbit app not running")
# After a heal the paused node restarts RabbitMQ by itself: 1-3 s, or ~5-7 s when the heal comes
# while it is still pausing (shutdown takes ~5 s). Wait with infra_await_rabbitmq_node.

_INFRA_PART_PREFIX=et_part_
_INFRA_PART_STATE=partition.env
# Where DIRs too long (or odd) for an nftables comment (128 bytes) are recorded for the sweep.
INFRA_PARTITION_REGISTRY=${INFRA_PARTITION_REGISTRY:-/run/energytrade-partitions}

# _infra_nft : path of nft (root's PATH has /usr/sbin; others' may not), or fail.
_infra_nft_installed() { _infra_nft >/dev/null; }

_infra_nft() {
    command -v nft 2>/dev/null && return 0
    [[ -x /usr/sbin/nft ]] && printf '/usr/sbin/nft\n' && return 0
    return 1
}

# infra_ensure_netfilter : install Debian's nftables (nft) when it is missing, then check that nft
# can read the ruleset (root with CAP_NET_ADMIN, kernel with nf_tables).
# Why nftables rather than iptables: a table per cluster is created and deleted whole, in one atomic
# transaction, and carries DIR as its comment, so parallel runs never edit a shared chain (iptables
# would insert and delete jump rules in the one filter OUTPUT chain) and a sweep can tell whose rules
# are whose. Debian 12's iptables is iptables-nft anyway (the same kernel tables underneath), and
# nftables' package neither enables nor starts its ruleset service on install.
infra_ensure_netfilter() {
    local nft
    _infra_apt_install nftables _infra_nft_installed || return 1
    nft=$(_infra_nft) || return 1
    if ! "$nft" list tables >/dev/null 2>&1; then
        _infra_err "'$nft list tables' fails: netfilter rules need root with CAP_NET_ADMIN and a kernel with nf_tables ($("$nft" list tables 2>&1 | head -n 1))"
        return 1
    fi
}

# _infra_part_table DIR : the table name for the cluster in (canonical) DIR.
_infra_part_table() {
    local h
    h=$(printf '%s' "$1" | sha256sum) || return 1
    printf '%s%s\n' "$_INFRA_PART_PREFIX" "${h:0:12}"
}

# _infra_part_dir DIR : canonical DIR of a cluster (must hold cluster.env).
_infra_part_dir() {
    local dir
    dir=$(cd "$1" 2>/dev/null && pwd -P) || {
        _infra_err "no such directory: $1"
        return 1
    }
    [[ -f $dir/cluster.env ]] || {
        _infra_err "no RabbitMQ cluster was set up in $dir (infra_start_rabbitmq_cluster)"
        return 1
    }
    printf '%s\n' "$dir"
}

# _infra_part_node_check DIR I USAGE : I is a node number of the cluster in DIR.
_infra_part_node_check() {
    local n
    n=$(_infra_kv "$1/cluster.env" CLUSTER_SIZE)
    if [[ ! $2 =~ ^[0-9]+$ ]] || ((${n:-0} < 2 || $2 < 1 || $2 > n)); then
        _infra_err "node number must be 1..${n:-?} (usage: $3)"
        return 1
    fi
}

# _infra_part_ip DIR I : node I's address.
_infra_part_ip() {
    local spec
    spec=$(_infra_kv "$1/cluster.env" "NODE_$2")
    [[ $spec =~ ^([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+): ]] || {
        _infra_err "$1/cluster.env has no address for node $2"
        return 1
    }
    printf '%s\n' "${BASH_REMATCH[1]}"
}

# _infra_part_comment_ok DIR : DIR fits in an nftables comment as it is.
_infra_part_comment_ok() {
    ((${#1} <= 120)) && [[ $1 =~ ^[A-Za-z0-9_./+=:,@~-]+$ ]]
}

# _infra_part_apply DIR CUT... : make the cluster's table exactly the rules for the cut nodes CUT
# (none: no table), recording them in DIR/partition.env first (the sweep keeps a table only while
# that file names it).
_infra_part_apply() {
    local dir=$1 nft table state n i j x peers comment rules tries=5 out
    shift
    nft=$(_infra_nft) || return 1
    table=$(_infra_part_table "$dir") || return 1
    state=$dir/$_INFRA_PART_STATE
    if (($# == 0)); then
        # "add" then "delete": idempotent, one transaction; then forget it.
        if ! out=$(printf 'add table ip %s\ndelete table ip %s\n' "$table" "$table" | "$nft" -f - 2>&1); then
            _infra_err "could not delete nftables table ip $table: $out"
            return 1
        fi
        rm -f "$state" "$INFRA_PARTITION_REGISTRY/$table"
        rmdir "$INFRA_PARTITION_REGISTRY" 2>/dev/null || true
        return 0
    fi
    n=$(_infra_kv "$dir/cluster.env" CLUSTER_SIZE)
    rules=
    for i in "$@"; do
        x=$(_infra_part_ip "$dir" "$i") || return 1
        peers=
        for ((j = 1; j <= n; j++)); do
            ((j == i)) && continue
            peers+=${peers:+, }$(_infra_part_ip "$dir" "$j") || return 1
        done
        rules+="        ip saddr $x ip daddr { $peers } counter drop comment \"node $i out\""$'\n'
        rules+="        ip saddr { $peers } ip daddr $x counter drop comment \"node $i in\""$'\n'
    done
    if _infra_part_comment_ok "$dir"; then
        comment=$dir
    else
        mkdir -p "$INFRA_PARTITION_REGISTRY" && printf '%s\n' "$dir" >"$INFRA_PARTITION_REGISTRY/$table" || return 1
        comment="see $INFRA_PARTITION_REGISTRY/$table"
    fi
    # What the table holds now, to be put back if the new rules cannot be written: a record naming cuts
    # that are not there would make a retry think the work done.
    rm -f "$state.prev"
    [[ ! -f $state ]] || cp -p "$state" "$state.prev" || return 1
    {
        printf '# Written by scripts/lib/partition.sh: the RabbitMQ cluster in this directory has cut nodes.\n'
        printf 'TABLE=%s\nCUT=%s\n' "$table" "$*"
    } >"$state.tmp" && mv -f "$state.tmp" "$state" || return 1
    # Replace the whole table atomically (the add makes the delete valid when it does not exist).
    while :; do
        if out=$("$nft" -f - 2>&1 <<EOF
add table ip $table
delete table ip $table
table ip $table {
    comment "$comment"
    chain output {
        type filter hook output priority filter; policy accept;
$rules    }
}
EOF
        ); then
            rm -f "$state.prev"
            return 0
        fi
        # A concurrent change by another run can make the transaction fail; try again.
        if ((--tries <= 0)); then
            _infra_err "nft failed to write table ip $table: $out"
            if [[ -f $state.prev ]]; then mv -f "$state.prev" "$state"; else rm -f "$state"; fi
            return 1
        fi
        sleep 0.2
    done
}

# _infra_part_cut DIR : the cut node numbers recorded in DIR/partition.env (empty if none).
_infra_part_cut() {
    [[ -f $1/$_INFRA_PART_STATE ]] || return 0
    _infra_kv "$1/$_INFRA_PART_STATE" CUT
}

# infra_partition_rabbitmq_node DIR I
# Cuts node I of the cluster in DIR off from the other nodes: every packet between node I's address
# and theirs is dropped, both ways (Erlang distribution: every packet sent from one node address to
# another); connections from 127.0.0.1 (clients, management API, rabbitmqctl, epmd lookups) still
# reach every node. With pause_minority and net_ticktime 15 s the majority marks node I down, and
# node I pauses itself (closes its AMQP and management listeners), ~15-19 s later; a quorum queue
# led by node I gets a new leader after ~5-10 s. Idempotent; several nodes may be cut.
# Installs nftables if needed (infra_ensure_netfilter).
infra_partition_rabbitmq_node() {
    local usage='infra_partition_rabbitmq_node DIR I'
    local dir i=${2:?$usage} cut c t0 peers j n
    dir=$(_infra_part_dir "${1:?$usage}") || return 1
    _infra_part_node_check "$dir" "$i" "$usage" || return 1
    infra_ensure_netfilter || return 1
    cut=$(_infra_part_cut "$dir")
    for c in $cut; do
        if [[ $c == "$i" ]]; then
            _infra_say "RabbitMQ cluster node $i in $dir is already cut off"
            return 0
        fi
    done
    n=$(_infra_kv "$dir/cluster.env" CLUSTER_SIZE)
    peers=
    for ((j = 1; j <= n; j++)); do
        ((j == i)) || peers+=${peers:+, }$(_infra_kv "$dir/cluster.env" "NAME_$j")
    done
    t0=$(_infra_now_ms)
    printf 'cutting RabbitMQ cluster node %s (%s) off from %s …' "$i" "$(_infra_kv "$dir/cluster.env" "NAME_$i")" "$peers"
    # shellcheck disable=SC2046,SC2086
    if ! _infra_part_apply "$dir" $(printf '%s\n' $cut "$i" | sort -n); then
        printf ' failed\n'
        return 1
    fi
    printf ' done in %s (nftables table ip %s)\n' "$(_infra_elapsed "$t0")" "$(_infra_part_table "$dir")"
}

# infra_heal_rabbitmq_node DIR I
# Removes node I's cut (other cut nodes stay cut). The node reconnects to its peers and, when it
# had paused (pause_minority), restarts RabbitMQ and rejoins on its own; this returns at once (wait
# with infra_await_rabbitmq_node DIR I).
infra_heal_rabbitmq_node() {
    local usage='infra_heal_rabbitmq_node DIR I'
    local dir i=${2:?$usage} cut c left=() found=0 t0
    dir=$(_infra_part_dir "${1:?$usage}") || return 1
    _infra_part_node_check "$dir" "$i" "$usage" || return 1
    cut=$(_infra_part_cut "$dir")
    for c in $cut; do
        if [[ $c == "$i" ]]; then
            found=1
        else
            left+=("$c")
        fi
    done
    if ((!found)); then
        _infra_say "RabbitMQ cluster node $i in $dir is not cut off"
        return 0
    fi
    t0=$(_infra_now_ms)
    printf 'healing the cut of RabbitMQ cluster node %s (%s) …' "$i" "$(_infra_kv "$dir/cluster.env" "NAME_$i")"
    if ! _infra_part_apply "$dir" "${left[@]}"; then
        printf ' failed\n'
        return 1
    fi
    printf ' done in %s\n' "$(_infra_elapsed "$t0")"
}

# infra_await_rabbitmq_node DIR I [TIMEOUT_S]
# Waits (default 90 s) until node I runs RabbitMQ (rabbit app booted) and sees RabbitMQ running on
# every other node: what "back in the cluster" means after a heal. Neither `rabbitmqctl
# await_online_nodes` nor the management API's `running` can tell: they count Mnesia's nodes, which
# include a node still booting. RabbitMQ 3.10 on Erlang 25 sometimes (1 heal in 14 here) leaves the
# healed node's boot hanging in global:sync (rabbit_node_monitor:global_sync, "database" boot step)
# with a `pre_connect` to a peer pending for ever in global_name_server; when node I still does not
# run RabbitMQ 15 s after this started and such a peer is pending, this says so and disconnects
# node I from that peer once (it reconnects at once and the boot completes within a second).
infra_await_rabbitmq_node() {
    local usage='infra_await_rabbitmq_node DIR I [TIMEOUT_S]'
    local dir i=${2:?$usage} timeout=${3:-90} n j peers='' ctl t0 now out kicked=0
    dir=$(_infra_part_dir "${1:?$usage}") || return 1
    _infra_part_node_check "$dir" "$i" "$usage" || return 1
    n=$(_infra_kv "$dir/cluster.env" CLUSTER_SIZE)
    for ((j = 1; j <= n; j++)); do
        ((j == i)) || peers+=${peers:+,}"'$(_infra_kv "$dir/cluster.env" "NAME_$j")'"
    done
    ctl=$dir/rabbit-$i/rabbitmq/bin/rabbitmqctl
    t0=$(_infra_now_ms)
    printf 'waiting for RabbitMQ cluster node %s (%s) to run and see its peers …' "$i" "$(_infra_kv "$dir/cluster.env" "NAME_$i")"
    while :; do
        # {RabbitRunningHere, PeersRunningRabbit, PeersWithAGlobalConnectPending}
        out=$(timeout 15 "$ctl" -q eval "Peers = [$peers],
            Up = [P || P <- Peers, true =:= (catch rpc:call(P, rabbit, is_running, [], 3000))],
            Pending = [P || {{pre_connect, P}, _} <- element(2, process_info(whereis(global_name_server), dictionary))],
            {rabbit:is_running(), length(Up), Pending}." 2>/dev/null | tr -d ' \n') || out=
        if [[ $out == "{true,$((n - 1)),"* ]]; then
            printf ' done in %s\n' "$(_infra_elapsed "$t0")"
            return 0
        fi
        now=$(_infra_now_ms)
        if ((!kicked && now - t0 > 15000)) && [[ $out =~ ^\{false,[0-9]+,\[(.+)\]\}$ ]]; then
            kicked=1
            printf ' still booting after %s, its global_name_server waiting on [%s]: disconnecting it from them (RabbitMQ 3.10/Erlang 25 global:sync hang) …' \
                "$(_infra_elapsed "$t0")" "${BASH_REMATCH[1]}"
            timeout 15 "$ctl" -q eval "[erlang:disconnect_node(P) || P <- [${BASH_REMATCH[1]}]]." >/dev/null 2>&1 || true
        fi
        if ((now - t0 > timeout * 1000)); then
            printf ' failed\n'
            _infra_err "node $i of the cluster in $dir is not back after ${timeout}s ({rabbit running, peers running rabbit, global pending}: ${out:-no answer}; log: $dir/rabbit-$i/logs/rabbitmq.log)"
            return 1
        fi
        sleep 1
    done
}

# infra_heal_partitions DIR
# Removes every cut of the cluster in DIR (its whole nftables table). Safe to call at any time:
# does nothing when nothing is cut, when DIR has no cluster or no longer exists, or when nft is not
# installed (then nothing can have been cut). For teardown (infra_stop, infra_destroy).
infra_heal_partitions() {
    local dir=${1:?infra_heal_partitions DIR} nft table out
    nft=$(_infra_nft) || return 0
    # The table's name comes from the canonical DIR; DIR itself may already be gone.
    if [[ -d $dir ]]; then
        dir=$(cd "$dir" && pwd -P) || return 1
    fi
    if ! "$nft" list tables >/dev/null 2>&1; then
        # Not allowed to look (not root): nothing we could have added, unless a state file says so.
        [[ ! -f $dir/$_INFRA_PART_STATE ]] || {
            _infra_err "cannot remove the network partition recorded in $dir/$_INFRA_PART_STATE: 'nft list tables' fails (not root?)"
            return 1
        }
        return 0
    fi
    table=$(_infra_part_table "$dir") || return 1
    if [[ -f $dir/$_INFRA_PART_STATE ]]; then
        table=$(_infra_kv "$dir/$_INFRA_PART_STATE" TABLE)
        [[ $table == "$_INFRA_PART_PREFIX"* ]] || table=$(_infra_part_table "$dir")
    fi
    if "$nft" list table ip "$table" >/dev/null 2>&1; then
        if ! out=$(printf 'add table ip %s\ndelete table ip %s\n' "$table" "$table" | "$nft" -f - 2>&1); then
            _infra_err "could not delete nftables table ip $table: $out"
            return 1
        fi
        _infra_say "healed the network partition of the RabbitMQ cluster in $dir (removed nftables table ip $table)"
    fi
    rm -f "$dir/$_INFRA_PART_STATE" "$INFRA_PARTITION_REGISTRY/$table" 2>/dev/null
    rmdir "$INFRA_PARTITION_REGISTRY" 2>/dev/null || true
    return 0
}

# _infra_part_tables : names of all our tables on this machine.
_infra_part_tables() {
    local nft
    nft=$(_infra_nft) || return 0
    "$nft" list tables ip 2>/dev/null | sed -n "s/^table ip \(${_INFRA_PART_PREFIX}[0-9a-f]*\)$/\1/p"
}

# _infra_part_owner TABLE : the cluster DIR a table belongs to (from its comment or the registry).
_infra_part_owner() {
    local nft c
    nft=$(_infra_nft) || return 0
    c=$("$nft" list table ip "$1" 2>/dev/null | sed -n 's/^[[:space:]]*comment "\(.*\)"$/\1/p' | head -n 1)
    if [[ $c == /* ]]; then
        printf '%s\n' "$c"
    elif [[ -f $INFRA_PARTITION_REGISTRY/$1 ]]; then
        head -n 1 "$INFRA_PARTITION_REGISTRY/$1"
    fi
    return 0
}

# infra_list_partitions : print "TABLE DIR CUT_NODES" for every cut cluster on this machine.
infra_list_partitions() {
    local t d
    for t in $(_infra_part_tables); do
        d=$(_infra_part_owner "$t")
        printf '%s %s %s\n' "$t" "${d:-?}" "$(_infra_part_cut "${d:-/nonexistent}" | tr ' ' ,)"
    done
}

# infra_sweep_partitions
# Removes the tables of cuts whose cluster is gone: its DIR no longer exists, or DIR/partition.env
# no longer names the table (a test process killed mid-case, its directory deleted). Netfilter rules
# are machine-wide and outlive processes: call this before starting a cluster. A no-op without nft.
infra_sweep_partitions() {
    local nft t d rc=0 out f
    nft=$(_infra_nft) || return 0
    "$nft" list tables >/dev/null 2>&1 || return 0
    for t in $(_infra_part_tables); do
        d=$(_infra_part_owner "$t")
        if [[ -n $d && -f $d/$_INFRA_PART_STATE && $(_infra_kv "$d/$_INFRA_PART_STATE" TABLE) == "$t" ]]; then
            continue
        fi
        if out=$(printf 'add table ip %s\ndelete table ip %s\n' "$t" "$t" | "$nft" -f - 2>&1); then
            _infra_say "removed nftables table ip $t: a network partition of ${d:-an unknown cluster}, which no longer records it"
            rm -f "$INFRA_PARTITION_REGISTRY/$t"
        else
            _infra_err "could not delete nftables table ip $t: $out"
            rc=1
        fi
    done
    # Registry entries whose table is gone (e.g. after a reboot).
    for f in "$INFRA_PARTITION_REGISTRY"/"$_INFRA_PART_PREFIX"*; do
        [[ -f $f ]] || continue
        "$nft" list table ip "${f##*/}" >/dev/null 2>&1 || rm -f "$f"
    done
    rmdir "$INFRA_PARTITION_REGISTRY" 2>/dev/null || true
    return "$rc"
}
