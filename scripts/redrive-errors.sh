#!/usr/bin/env bash
# Move the messages in Trade's _error queue back to its queue, once the cause of their refusal is
# fixed (docs/reliability.md, "Refused events"). Trade applies each again: a version already
# counted changes nothing, and one refused again goes back to _error and stays listed by
# `energytrade trade refused`.
#
#   scripts/redrive-errors.sh                 the broker of scripts/up.sh (.run/up)
#   scripts/redrive-errors.sh --management http://rabbit:15672 --user admin --vhost /
#
# Options (or environment):
#   --management URL, --user NAME, --password SECRET, --vhost NAME
#                      the RabbitMQ management API (scripts/lib/rabbitmq-api.sh; default: scripts/up.sh's)
#   --queue NAME       Trade's queue                    (default energytrade.trade.shipment-events)
#   --timeout SECONDS  how long to wait for the move    (default 120)
#
# It uses a dynamic shovel (plugins rabbitmq_shovel and rabbitmq_shovel_management, enabled by
# scripts/up.sh and docker-compose.yml), exactly as the management UI's "Move messages" does: it
# takes the messages that are in _error when it starts, publishes each to the queue's exchange with
# publisher confirms, removes it from _error only once confirmed, and deletes itself when done.
set -euo pipefail

# shellcheck source=scripts/lib/rabbitmq-api.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/rabbitmq-api.sh"
queue=energytrade.trade.shipment-events
timeout=120

usage() { sed -n '2,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
while (($#)); do
    case $1 in
    --management | --user | --password | --vhost) rabbitapi_option "$@"; shift 2 ;;
    --queue) queue=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'redrive-errors.sh: unknown option %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
    esac
done

error_queue=${queue}_error
depth() { api GET "queues/$(enc "$vhost")/$(enc "$1")" | jq -r '.messages // 0'; }

# The management API's message counts are statistics, refreshed every few seconds: good for a
# report, not for deciding. The shovel itself takes the queue's real length when it starts.
if ! before=$(depth "$error_queue" 2>/dev/null); then
    echo "redrive-errors.sh: cannot read queue $error_queue in vhost $vhost at $management." >&2
    echo "  Check the address and credentials (--management, --user, --password) and that the queue exists." >&2
    exit 1
fi

name="redrive-$(date +%s)-$$"
uri="amqp:///$(enc "$vhost")"
echo "moving the messages in $error_queue (about $before by the broker's statistics) back to $queue …"
body=$(jq -n --arg uri "$uri" --arg src "$error_queue" --arg dest "$queue" '{value: {
    "src-protocol": "amqp091", "src-uri": $uri, "src-queue": $src, "src-delete-after": "queue-length",
    "dest-protocol": "amqp091", "dest-uri": $uri, "dest-exchange": $dest,
    "ack-mode": "on-confirm", "dest-add-forward-headers": false}}')
if ! api PUT "parameters/shovel/$(enc "$vhost")/$name" -d "$body" >/dev/null; then
    echo "redrive-errors.sh: the broker refused to create the shovel. Is the rabbitmq_shovel plugin enabled" >&2
    echo "  (rabbitmq-plugins enable rabbitmq_shovel rabbitmq_shovel_management), and has $user the policymaker tag?" >&2
    exit 1
fi

# The shovel deletes itself once it has moved the messages that were there when it started.
deadline=$((SECONDS + timeout))
while api GET "parameters/shovel/$(enc "$vhost")/$name" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
        echo "redrive-errors.sh: the move did not finish within ${timeout}s; shovel $name is left running." >&2
        echo "  Its state: curl -u USER:PASSWORD $management/api/shovels/$(enc "$vhost")" >&2
        exit 1
    fi
    sleep 0.5
done
echo "re-drove the messages that were in $error_queue when the move started."
echo "Trade applies them again; 'energytrade trade refused' lists any refused anew."
