#!/usr/bin/env bash
# Writes .env (git-ignored) with fresh secrets for docker compose: one RabbitMQ password per
# service, one PostgreSQL password per service role (energytrade_shipments, energytrade_trade) and
# for the monitoring role (energytrade_monitor; deploy/postgres/roles.sql), the PostgreSQL and
# RabbitMQ admin passwords, Grafana's admin password (the observability profile), and for Keycloak
# (the development identity provider) its admin password, the secrets of the service clients
# energytrade-reader, -importer and -admin and the passwords of the development users analyst,
# trader and admin (deploy/keycloak/energytrade-realm.json, docs/identity.md), and the Erlang cookie
# the RabbitMQ nodes of the highly available topology share (docker-compose.ha.yml). Keeps the
# values an existing .env has and adds the ones it lacks; --force makes every secret new.
# A new PostgreSQL role password takes effect at the next `docker compose up` (the postgres-roles
# job sets it); the admin password POSTGRES_PASSWORD only when the server's volume is first made.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rand() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# NAME=bytes of randomness (written as hex, twice as many characters). Hex only: the values are
# pasted into connection strings, an amqp:// URI and, by Keycloak, into the realm file's JSON.
secrets=(
    SHIPMENTS_AMQP_PASSWORD=18
    TRADE_AMQP_PASSWORD=18
    POSTGRES_PASSWORD=18
    SHIPMENTS_DB_PASSWORD=18
    TRADE_DB_PASSWORD=18
    MONITOR_DB_PASSWORD=18
    RABBITMQ_PASSWORD=18
    GRAFANA_ADMIN_PASSWORD=18
    KEYCLOAK_ADMIN_PASSWORD=18
    ENERGYTRADE_READER_CLIENT_SECRET=32
    ENERGYTRADE_WEB_CLIENT_SECRET=32
    ENERGYTRADE_IMPORTER_CLIENT_SECRET=32
    ENERGYTRADE_ADMIN_CLIENT_SECRET=32
    ENERGYTRADE_ANALYST_PASSWORD=12
    ENERGYTRADE_TRADER_PASSWORD=12
    ENERGYTRADE_ADMIN_PASSWORD=12
    RABBITMQ_CLUSTER_COOKIE=24
)
umask 077
existed=0
if [[ -f .env && ${1:-} != --force ]]; then
    existed=1
    # Before any secret is added to it, and a line added after one without a newline stands alone.
    chmod 600 .env
    [[ ! -s .env || $(tail -c 1 .env | od -An -tx1 | tr -d ' ') == 0a ]] || printf '\n' >>.env
else
    : >.env
fi
added=()
for secret in "${secrets[@]}"; do
    name=${secret%=*}
    if ! grep -q "^$name=" .env; then
        printf '%s=%s\n' "$name" "$(rand "${secret#*=}")" >>.env
        added+=("$name")
    fi
done
chmod 600 .env
if ((existed == 0)); then
    echo "wrote .env (mode 600): passwords and client secrets for docker compose"
elif ((${#added[@]} > 0)); then
    echo "kept the secrets .env had and added ${added[*]} (scripts/compose-secrets.sh --force makes every secret new)"
else
    echo ".env has every secret; keeping it (scripts/compose-secrets.sh --force makes new secrets)"
fi
if grep -q '^ENERGYTRADE_SIGNING_KEY=' .env; then
    echo "note: compose no longer uses ENERGYTRADE_SIGNING_KEY in .env; the services trust Keycloak (docs/identity.md)"
fi
