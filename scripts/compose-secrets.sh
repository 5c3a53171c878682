#!/usr/bin/env bash
# Writes .env (git-ignored) with fresh secrets for docker compose: the token signing key and one
# RabbitMQ password per service. Keeps an existing .env unless --force is given.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -f .env && ${1:-} != --force ]]; then
    echo ".env exists; keeping it (scripts/compose-secrets.sh --force makes new secrets)"
    exit 0
fi
rand() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
umask 077
cat >.env <<ENV
ENERGYTRADE_SIGNING_KEY=$(rand 32)
ENERGYTRADE_ISSUER=energytrade-local
SHIPMENTS_AMQP_PASSWORD=$(rand 18)
TRADE_AMQP_PASSWORD=$(rand 18)
POSTGRES_PASSWORD=$(rand 18)
RABBITMQ_PASSWORD=$(rand 18)
ENV
echo "wrote .env (mode 600): signing key and passwords for docker compose"
