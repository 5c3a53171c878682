# shellcheck shell=bash disable=SC2034 # the settings are read by the scripts that source this
# RabbitMQ's management HTTP API for the operator scripts (redrive-errors.sh, migrate-trade-queue.sh,
# rebuild-trade.sh): where it is, who signs in, and one way to call it. The defaults are the broker of
# scripts/up.sh; each setting also comes from the environment:
#
#   --management URL   RabbitMQ management API          (RABBITMQ_MANAGEMENT, default http://127.0.0.1:55673)
#   --user NAME        a user with the policymaker tag  (RABBITMQ_USER, default energytrade)
#   --password SECRET                                   (RABBITMQ_PASSWORD, default energytrade)
#   --vhost NAME                                        (RABBITMQ_VHOST, default /)

management=${RABBITMQ_MANAGEMENT:-http://127.0.0.1:55673}
user=${RABBITMQ_USER:-energytrade}
password=${RABBITMQ_PASSWORD:-energytrade}
vhost=${RABBITMQ_VHOST:-/}
# Whether --management (or RABBITMQ_MANAGEMENT) named the API, rather than the default.
management_given=0
[[ -z ${RABBITMQ_MANAGEMENT:-} ]] || management_given=1

# rabbitapi_option OPTION VALUE... : takes one of the four options above, with its value (the caller shifts 2).
rabbitapi_option() {
    [[ $# -ge 2 ]] || {
        printf '%s needs a value\n' "$1" >&2
        exit 2
    }
    case $1 in
    --management) management=$2; management_given=1 ;;
    --user) user=$2 ;;
    --password) password=$2 ;;
    --vhost) vhost=$2 ;;
    *) return 1 ;;
    esac
}

# enc TEXT : TEXT as one path segment of a URL (a vhost, a queue name).
enc() { jq -rn --arg v "$1" '$v|@uri'; }

# api METHOD PATH [CURL ARGS...] : the answer's body; fails on anything but 2xx. Proxies are bypassed:
# the API is on loopback or on the broker's own network.
api() {
    local method=$1 path=$2
    shift 2
    curl -fsS --noproxy '*' -u "$user:$password" -H 'content-type: application/json' -X "$method" "$management/api/$path" "$@"
}
