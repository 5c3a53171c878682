#!/usr/bin/env bash
# Loads the seed cargoes into a running EnergyTrade with the energytrade CLI and prints the AZ–BY
# totals for January–April 2020, which the seed article gives as 3.83 M bbl = 2.05 M bbl of
# Azerbaijani oil + 1.78 M bbl of other origins. Safe to run again: nothing is recorded twice.
#
#   scripts/demo.sh            against scripts/up.sh's services (up.sh runs it once they are healthy)
#
# Addresses: ENERGYTRADE_SHIPMENTS_URL / ENERGYTRADE_TRADE_URL (up.sh passes ENERGYTRADE_SHIPMENTS_GRPC /
# ENERGYTRADE_TRADE_GRPC), default http://localhost:5101 and :5201. Token: ENERGYTRADE_TOKEN, or
# client credentials from ENERGYTRADE_AUTHORITY with ENERGYTRADE_CLIENT_ID and _SECRET, else up.sh's
# identity provider as its admin client (the secret is in .run/up/secrets.env).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

SEED=seed/azerbaijan-belarus-2020.csv
CLI_PROJECT=tools/EnergyTrade.Cli
CLI_DLL=$CLI_PROJECT/bin/Release/net10.0/energytrade.dll
SECRETS=.run/up/secrets.env
# Trade learns of shipments from events, a moment after Shipments recorded them.
CATCH_UP_SECONDS=60

export ENERGYTRADE_SHIPMENTS_URL=${ENERGYTRADE_SHIPMENTS_URL:-${ENERGYTRADE_SHIPMENTS_GRPC:-http://localhost:5101}}
export ENERGYTRADE_TRADE_URL=${ENERGYTRADE_TRADE_URL:-${ENERGYTRADE_TRADE_GRPC:-http://localhost:5201}}
if [[ -z ${ENERGYTRADE_TOKEN:-} && -z ${ENERGYTRADE_AUTHORITY:-} && -r $SECRETS ]]; then
    export ENERGYTRADE_AUTHORITY=http://localhost:5300/ ENERGYTRADE_CLIENT_ID=energytrade-admin
    ENERGYTRADE_CLIENT_SECRET=$(sed -n 's/^ADMIN_CLIENT_SECRET=//p' "$SECRETS")
    export ENERGYTRADE_CLIENT_SECRET
fi

# up.sh has built the whole solution already; build the CLI only when run on its own after a change.
if [[ ! -f $CLI_DLL ]] || [[ -n $(find "$CLI_PROJECT" tools/EnergyTrade.Client protos -newer "$CLI_DLL" \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' \) -not -path '*/obj/*' -not -path '*/bin/*' -print -quit) ]]; then
    printf 'building %s (Release) …\n' "$CLI_PROJECT"
    dotnet build "$CLI_PROJECT" -c Release -v q --nologo >/dev/null
fi

energytrade() { dotnet "$CLI_DLL" "$@"; }

if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s$ energytrade %s%s\n' "$bold" "$*" "$plain"; }

step shipments import "$SEED"
energytrade shipments import "$SEED"

step trade totals AZ BY --from 2020-01 --to 2020-04 --wait "$CATCH_UP_SECONDS"
energytrade trade totals AZ BY --from 2020-01 --to 2020-04 --wait "$CATCH_UP_SECONDS"

# The article's headline is a company's figure: SOCAR's cargoes, split by grade.
step trade totals AZ BY --from 2020-01 --to 2020-04 --shipper socar --group-by grade
energytrade trade totals AZ BY --from 2020-01 --to 2020-04 --shipper socar --group-by grade

cat <<EOF2

Try next (from $ROOT):
  alias energytrade='dotnet $CLI_DLL'
  energytrade config set authority http://localhost:5300/
  energytrade login    # open the address it prints; sign in as trader (password: TRADER_PASSWORD in $SECRETS)
  energytrade whoami

  energytrade shipments list --exporter AZ --importer BY --from 2020-01 --to 2020-04
  energytrade shipments get <an id from the list>
  energytrade trade totals AZ BY --from 2020-01 --to 2020-04 --basis origin   # only the Azerbaijani oil counts as AZ's
  energytrade trade totals BY RU --from 2020-01 --to 2020-04 --basis origin   # the Urals cargo, as Belarus's customs book it
  energytrade shipments create --exporter AZ --importer BY --origin AZ --grade "Azeri Light" --quantity 85000 --unit t \\
      --barrels-per-tonne 7.45 --value-usd 25000000.00 --load-date 2020-03-28 --load-port Supsa --shipper SOCAR
  energytrade trade watch AZ BY --from 2020-01 --to 2020-04   # in a second terminal: a line per change; Ctrl-C stops
  energytrade shipments amend <the id create printed> --quantity 80000 --value-usd 23600000.00   # before/after, new version
  energytrade reconcile AZ BY --from 2020-01 --to 2020-04 --wait 60   # Trade agrees with Shipments?
  energytrade shipments cancel <the id create printed> --reason "entered twice"   # on record, counted nowhere
  energytrade trade totals AZ BY --from 2020-01 --to 2020-04 --compare   # against January–April 2019
  energytrade trade series AZ BY --from 2020-01 --to 2020-06
  energytrade trade series AZ BY --from 2020-01 --to 2020-12 --granularity quarter --group-by shipper
  energytrade trade totals BY WORLD --from 2020-01 --to 2020-12   # Belarus against every partner
  energytrade trade totals AZ BY --from 2020-04 --to 2020-04 --period delivery   # April's arrivals, and what was at sea
  energytrade grades list
  energytrade trade partners AZ --order-by barrels
  energytrade shipments republish --exporter AZ --importer BY   # as admin (shipments:admin): re-sends the snapshots; Trade counts nothing twice
  energytrade shipments import $SEED   # again: every row is already present
  energytrade trade totals AZ BY --output json
  energytrade --help
EOF2
