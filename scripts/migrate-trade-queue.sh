#!/usr/bin/env bash
# Move Trade from the classic queue of earlier releases to the quorum queue of this one: the third and
# last step of the upgrade (docs/reliability.md, "Moving from the classic queue to the quorum queue").
# Run it once Shipments and Trade both run the new release and no process of the old one is left. It
# unbinds the old queue, moves what is left in it (and in its _error queue) to the new ones, then
# deletes the old queues. Run again, it says the move is done and exits 0.
#
#   scripts/migrate-trade-queue.sh             the broker of scripts/up.sh (.run/up)
#   scripts/migrate-trade-queue.sh --dry-run   check, and say what it would do; changes nothing
#   scripts/migrate-trade-queue.sh --management http://rabbit:15672 --user admin --vhost /
#
# Options (or environment):
#   --management URL, --user NAME, --password SECRET, --vhost NAME
#                      the RabbitMQ management API (scripts/lib/rabbitmq-api.sh; default: scripts/up.sh's)
#   --old-queue NAME   the classic queue                (default energytrade.trade.shipment-changed)
#   --new-queue NAME   the quorum queue                 (default energytrade.trade.shipment-events)
#   --timeout SECONDS  how long to wait for the moves   (default 600)
#   --dry-run          check and print what it would do, change nothing
#
# It moves messages with dynamic shovels (plugins rabbitmq_shovel and rabbitmq_shovel_management,
# enabled by scripts/up.sh and docker-compose.yml), as scripts/redrive-errors.sh does: each takes the
# messages that are in the old queue when it starts, publishes each to the new queue with publisher
# confirms, removes it from the old queue only once confirmed, and deletes itself when done.
#
# Nothing is lost if it is interrupted at any point (Ctrl-C, a lost connection, a broker restart):
# - It changes nothing before every check has passed, and the checks ask that the new queue be bound
#   to both event exchanges: from then on every event reaches the new queue whatever happens to the
#   old one, so unbinding the old queue (one binding at a time, each atomic) only stops duplicates.
# - A shovel runs inside the broker, not in this script: stopped mid-way, it goes on to the end and
#   deletes itself. It acknowledges a message on the old queue only after the new queue confirmed it
#   (a quorum queue confirms once a majority of its replicas has it on disk), so at every instant a
#   message is in the old queue (ready, or unacknowledged by the shovel and handed back if the
#   shovel's channel dies), in the new queue, or in both. Both is a duplicate, which Trade ignores:
#   it does not count a version twice (docs/reliability.md, G6). The shovel's name is fixed, so a
#   re-run waits for a shovel still at work instead of starting a second one.
# - An old queue is deleted only by the broker's own test, atomic with the delete: empty and without
#   consumers (if-empty, if-unused). The management API's message counts are statistics, refreshed
#   every few seconds: this script prints them as progress and never decides on them. What decides is
#   the shovel's own count (the queue's length at its start, taken from the queue itself), the
#   shovel's end (it deletes itself), and that delete. A message that came in after the shovel
#   counted makes the delete fail; then another shovel moves it, until the --timeout.
set -euo pipefail

# shellcheck source=scripts/lib/rabbitmq-api.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/rabbitmq-api.sh"
old_queue=energytrade.trade.shipment-changed
new_queue=energytrade.trade.shipment-events
timeout=600
dry_run=0
# Shipments' event exchanges (EnergyTrade.Contracts: ShipmentChanged.ExchangeName, ShipmentChanges.ExchangeName).
exchanges=(energytrade.shipments.shipment-changed energytrade.shipments.shipment-changes)

usage() { sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($#)); do
    case $1 in
    --management | --user | --password | --vhost) rabbitapi_option "$@"; shift 2 ;;
    --old-queue) old_queue=$2; shift 2 ;;
    --new-queue) new_queue=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'migrate-trade-queue.sh: unknown option %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ ! $timeout =~ ^[0-9]+$ ]] || [[ $old_queue == "$new_queue" ]]; then
    printf 'migrate-trade-queue.sh: --timeout takes whole seconds, and --old-queue and --new-queue must differ\n\n' >&2
    usage >&2
    exit 2
fi

old_error=${old_queue}_error
new_error=${new_queue}_error
command -v jq >/dev/null 2>&1 || {
    echo "migrate-trade-queue.sh: jq is not installed; install it (as root: apt-get install -y jq) and run this again." >&2
    exit 1
}
v=$(enc "$vhost")
# Like api, for the calls whose answer matters when it is not 2xx: prints the body (the broker's
# reason on a refusal) and returns 0 (2xx), 3 (404 Not Found), 4 (400, e.g. a refused delete) or 1.
call() {
    local method=$1 path=$2 out code
    shift 2
    out=$(curl -sS --noproxy '*' -u "$user:$password" -H 'content-type: application/json' -X "$method" -w '\n%{http_code}' \
        "$management/api/$path" "$@") || return 1
    code=${out##*$'\n'}
    printf '%s\n' "${out%$'\n'*}"
    case $code in 2??) return 0 ;; 404) return 3 ;; 400) return 4 ;; *) return 1 ;; esac
}
die() {
    printf 'migrate-trade-queue.sh: %s\n' "$1" >&2
    shift
    (($# == 0)) || printf '  %s\n' "$@" >&2
    exit 1
}
reason() { jq -r '.reason // .error // .' 2>/dev/null <<<"$1" || printf '%s\n' "$1"; }
# queue NAME: its JSON, or nothing when it does not exist; dies on any other answer.
queue() {
    local out rc=0
    out=$(call GET "queues/$v/$(enc "$1")") || rc=$?
    case $rc in
    0) printf '%s\n' "$out" ;;
    3) ;;
    *) die "cannot read queue $1 in vhost $vhost at $management: $(reason "$out")" ;;
    esac
}
depth() { api GET "queues/$v/$(enc "$1")" 2>/dev/null | jq -r '.messages // 0' || echo '?'; }
shovel_name() { printf 'migrate-trade-queue-%s\n' "$1"; }
shovel_exists() { api GET "parameters/shovel/$v/$(enc "$(shovel_name "$1")")" >/dev/null 2>&1; }
is_bound() { # EXCHANGE QUEUE
    local n
    n=$(api GET "bindings/$v/e/$(enc "$1")/q/$(enc "$2")" | jq length) || die "cannot read the bindings of exchange $1."
    ((n > 0))
}

if ! api GET "vhosts/$v" >/dev/null 2>&1; then
    die "cannot read vhost $vhost at $management." \
        "Check the address and credentials (--management, --user, --password) and the vhost (--vhost)."
fi

# ---------------------------------------------------------------- checks: nothing changes before they pass

need_quorum() { # QUEUE IF-MISSING IF-CLASSIC
    local json type
    json=$(queue "$1")
    [[ -n $json ]] || die "queue $1 does not exist in vhost $vhost; refusing to start." "$2"
    type=$(jq -r '.type // .arguments["x-queue-type"] // "classic"' <<<"$json")
    [[ $type == quorum ]] || die "queue $1 is a $type queue, not a quorum queue; refusing to start." \
        "Something declared it without x-queue-type=quorum (a service with Messaging:TradeQueueType=classic?)," \
        "and a queue's type cannot change. $3"
}
need_quorum "$new_queue" \
    "Roll out Shipments' new release first (step 1): it declares $new_queue and binds it; until then events reach only $old_queue." \
    "What it holds is also in $old_queue or already counted: stop Shipments and Trade, delete it (rabbitmqctl delete_queue $new_queue), start Shipments' new release, then Trade's, and run this again."
# MassTransit declares an _error queue when it first moves a message there, with its queue's arguments:
# missing is normal, and the shovel below then declares it so (quorum).
if [[ -n $(queue "$new_error") ]]; then
    need_quorum "$new_error" "" \
        "Its messages are refused events: stop Trade, move them into $old_error (management UI: Move messages), delete it (rabbitmqctl delete_queue $new_error), start Trade's new release and run this again."
fi
# EXCHANGE routes to the new queue: bound to it directly (Shipments declares that binding with its
# first publish), or through the exchange named after the queue that Trade's consumer binds (MassTransit).
routes_to_new() {
    local n
    is_bound "$1" "$new_queue" && return 0
    n=$(api GET "bindings/$v/e/$(enc "$1")/e/$(enc "$new_queue")" 2>/dev/null | jq length) || return 1
    ((n > 0)) && is_bound "$new_queue" "$new_queue"
}
for x in "${exchanges[@]}"; do
    routes_to_new "$x" || die "nothing routes exchange $x to queue $new_queue; refusing to start." \
        "Trade's new release binds it when its consumer starts (step 2), and Shipments' with its first publish (step 1):" \
        "start or restart them, then run this again. Unbinding $old_queue before that would drop the events published to $x."
done

# The old queues that are left; both gone is a finished migration.
todo=()
for q in "$old_queue" "$old_error"; do
    json=$(queue "$q")
    [[ -z $json ]] || todo+=("$q")
done
# MassTransit's exchanges named after the old queues, through which the old Trade bound the event
# exchanges to its queue (exchange to exchange): leftovers once the queues are gone.
leftover=()
for x in "$old_queue" "$old_error"; do
    if api GET "exchanges/$v/$(enc "$x")" >/dev/null 2>&1; then leftover+=("$x"); fi
done
if ((${#todo[@]} == 0 && ${#leftover[@]} == 0)); then
    echo "already migrated: neither $old_queue nor $old_error exists in vhost $vhost; Trade uses $new_queue."
    exit 0
fi

dest_of() { if [[ $1 == "$old_error" ]]; then echo "$new_error"; else echo "$new_queue"; fi; }
# Bindings to unbind, one "source<TAB>destination queue<TAB>properties key" a line. An old queue may
# be bound to the event exchanges (by Shipments) and to the exchange of its own name (by MassTransit,
# in Trade; the event exchanges are bound to that one too). A binding from anywhere else would route
# something the new queue does not get: refuse rather than cut it.
unbind=()
for q in "${todo[@]}"; do
    while IFS=$'\t' read -r src key; do
        [[ -n $src ]] || continue
        case " ${exchanges[*]} $old_queue $old_error " in
        *" $src "*) unbind+=("$src"$'\t'"$q"$'\t'"$key") ;;
        *) die "queue $q is also bound to exchange $src, to which $(dest_of "$q") is not bound; refusing to start." \
            "Bind $(dest_of "$q") to $src too (or remove that binding if nothing needs it), then run this again." ;;
        esac
    done < <(api GET "queues/$v/$(enc "$q")/bindings" | jq -r '.[] | select(.source != "") | [.source, .properties_key] | @tsv')
done

# A consumer of an old queue is a process of the old release (or a redrive shovel): this step is for
# when none is left. A shovel of an interrupted run of this script is awaited instead.
for q in "${todo[@]}"; do
    shovel_exists "$q" && continue
    n=$(queue "$q" | jq -r '.consumers // 0')
    ((n == 0)) || die "queue $q has $n consumer(s): a Trade of the old release still runs (or a shovel moves its messages)." \
        "Stop it first: this step is for once no process of the old release is left. (The count is a" \
        "statistic refreshed every few seconds: right after a stop, wait 10 s and run this again.)"
done

if ((dry_run)); then
    echo "dry run: checks passed ($new_queue is a quorum queue that ${exchanges[*]} route to, $new_error is quorum or not declared yet); would:"
    for b in "${unbind[@]}"; do
        IFS=$'\t' read -r src q _ <<<"$b"
        echo "  unbind $q from exchange $src"
    done
    for q in "${todo[@]}"; do
        if shovel_exists "$q"; then
            echo "  wait for shovel $(shovel_name "$q"), left by an earlier run, to move $q to $(dest_of "$q")"
        else
            echo "  move the messages in $q (about $(depth "$q") by the broker's statistics) to $(dest_of "$q") with shovel $(shovel_name "$q")"
        fi
        echo "  delete queue $q once it is empty"
    done
    for x in "${leftover[@]}"; do echo "  delete exchange $x (the old Trade's, bound to nothing by then)"; done
    echo "nothing changed."
    exit 0
fi

# ---------------------------------------------------------------- the move

for b in "${unbind[@]}"; do
    IFS=$'\t' read -r src q key <<<"$b"
    out=$(call DELETE "bindings/$v/e/$(enc "$src")/q/$(enc "$q")/$(enc "$key")") || [[ $? == 3 ]] ||
        die "could not unbind $q from exchange $src: $(reason "$out")" \
            "$user needs the write permission on $q and the read permission on $src."
    echo "unbound $q from exchange $src"
done

deadline=$((SECONDS + timeout))
late() {
    die "the move of $1 did not finish within ${timeout}s; shovel $2 is left running and finishes on its own." \
        "Its state: curl -u USER:PASSWORD $management/api/shovels/$v" \
        "Run this script again (with a longer --timeout): it waits for that shovel, then deletes $1."
}
# move SRC DEST: one shovel round; returns once its shovel has deleted itself.
move() {
    local src=$1 dest=$2 name uri body next=0 state src_args dest_args
    name=$(shovel_name "$src")
    if shovel_exists "$src"; then
        echo "a shovel of an earlier run ($name) is still moving $src to $dest; waiting for it …"
    else
        uri="amqp:///$v"
        # A shovel declares both queues before it starts. RabbitMQ 3.10 declares passively first (an
        # existing queue is taken as it is); later releases may declare outright, which fails unless the
        # arguments match. So it is given each queue's own arguments (x-queue-type=quorum for DEST):
        # both ways, it takes the queues as they are. Were DEST deleted meanwhile, the shovel would
        # declare it again, as a quorum queue, and keep the messages there rather than drop them as
        # unroutable (what a dest-exchange of "" with DEST as routing key would do).
        src_args=$(queue "$src" | jq -c '.arguments // {}')
        dest_args=$(queue "$dest" | jq -c '.arguments // {}')
        # A new _error that does not exist yet gets the new queue's arguments, as MassTransit would give it.
        [[ -n $dest_args || $dest != "$new_error" ]] || dest_args=$(queue "$new_queue" | jq -c '.arguments // {}')
        [[ -n $src_args && -n $dest_args ]] || die "queue $src or $dest disappeared during the move; run this script again."
        echo "moving the messages in $src (about $(depth "$src") by the broker's statistics) to $dest …"
        body=$(jq -n --arg uri "$uri" --arg src "$src" --arg dest "$dest" --argjson sa "$src_args" --argjson da "$dest_args" '{value: {
            "src-protocol": "amqp091", "src-uri": $uri, "src-queue": $src, "src-queue-args": $sa,
            "src-delete-after": "queue-length",
            "dest-protocol": "amqp091", "dest-uri": $uri, "dest-queue": $dest, "dest-queue-args": $da,
            "ack-mode": "on-confirm", "dest-add-forward-headers": false}}')
        if ! api PUT "parameters/shovel/$v/$(enc "$name")" -d "$body" >/dev/null; then
            die "the broker refused to create the shovel. Is the rabbitmq_shovel plugin enabled" \
                "(rabbitmq-plugins enable rabbitmq_shovel rabbitmq_shovel_management), and has $user the policymaker tag?"
        fi
    fi
    # The shovel deletes itself once it has moved the messages that were there when it started.
    while shovel_exists "$src"; do
        ((SECONDS < deadline)) || late "$src" "$name"
        if ((SECONDS >= next)); then
            state=$(api GET "shovels/$v" 2>/dev/null | jq -r --arg n "$name" \
                '.[] | select(.name == $n) | .state + (if .reason then " (" + (.reason | tostring) + ")" else "" end)' || true)
            echo "  $src: about $(depth "$src") left (statistics), shovel ${state:-starting}"
            next=$((SECONDS + 2))
        fi
        sleep 0.5
    done
}
# drain SRC DEST: move, then delete SRC if the broker finds it empty and unused; again while it is not.
drain() {
    local src=$1 dest=$2 out rc unacked
    while :; do
        move "$src" "$dest"
        # if-empty counts ready messages only; if-unused refuses while a consumer holds some. A message
        # fetched with basic.get and not yet acknowledged is neither: wait until the statistics show none.
        while unacked=$(queue "$src" | jq -r '.messages_unacknowledged // 0') && ((unacked > 0)); do
            ((SECONDS < deadline)) || die "queue $src still has $unacked unacknowledged message(s) after ${timeout}s." \
                "Some client holds them (rabbitmqctl list_channels name messages_unacknowledged); close it, run this again."
            sleep 1
        done
        rc=0
        out=$(call DELETE "queues/$v/$(enc "$src")?if-empty=true&if-unused=true") || rc=$?
        case $rc in
        0) echo "deleted queue $src (empty)"; return 0 ;;
        3) echo "queue $src is gone already"; return 0 ;;
        4) if [[ $(reason "$out") == *"not empty"* ]] && ((SECONDS < deadline)); then
               echo "queue $src received messages after the shovel counted its length (is a process of the old release still running?); moving those too"
               continue
           fi ;;
        esac
        die "the broker refused to delete queue $src: $(reason "$out")" \
            "Nothing was lost: what is in it stays there. Stop whatever consumes or publishes to it" \
            "(a process of the old release) and run this script again."
    done
}

for q in "${todo[@]}"; do drain "$q" "$(dest_of "$q")"; done
# Exchanges hold no messages; if-unused keeps one that still routes to some queue.
for x in "${leftover[@]}"; do
    if out=$(call DELETE "exchanges/$v/$(enc "$x")?if-unused=true") || [[ $? == 3 ]]; then
        echo "deleted exchange $x"
    else
        echo "kept exchange $x: $(reason "$out")"
    fi
done
echo "migrated: Trade's events and refusals are all in $new_queue and $new_error."
echo "Check: rabbitmqctl list_queues name type messages consumers (no $old_queue left)."
