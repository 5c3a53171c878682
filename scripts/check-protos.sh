#!/usr/bin/env bash
# Check the API contract with buf (npm package @bufbuild/buf):
#   buf lint      STANDARD, less the three rules that clash with AIP's resource-returning methods
#                 (a Get/Create/Update returns the resource; a watch or a long-running start takes
#                 another method's request)
#   buf breaking  WIRE_JSON against the protos of the previous main (the commit in
#                 protos/BASELINE), so v1 stays wire- and JSON-compatible: add, never renumber or retype
#
#   scripts/check-protos.sh                 both checks
#   scripts/check-protos.sh --against REF   breaking check against another commit
#
# The protos import google/api, google/type and google/rpc from the Google.Api.CommonProtos NuGet
# package (restored with the solution); buf builds both into a workspace under .run/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
BUF_VERSION=1.75.0
against=$(tr -d ' \n' <protos/BASELINE)
while (($#)); do
    case $1 in
    --against) against=$2; shift 2 ;;
    -h | --help) sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "check-protos.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

tools=$ROOT/.run/tools/buf-$BUF_VERSION
buf=$tools/node_modules/.bin/buf
if [[ ! -x $buf ]]; then
    command -v npm >/dev/null || { echo "check-protos.sh: npm is needed to install buf (apt-get install npm)" >&2; exit 1; }
    mkdir -p "$tools"
    printf 'installing @bufbuild/buf %s …' "$BUF_VERSION"
    npm install --prefix "$tools" --no-audit --no-fund --silent "@bufbuild/buf@$BUF_VERSION" >/dev/null
    printf ' done\n'
fi

common=$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/google.api.commonprotos/*/content/protos 2>/dev/null | sort -V | tail -n 1)
if [[ -z $common ]]; then
    dotnet restore EnergyTrade.sln --nologo -v quiet >/dev/null
    common=$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/google.api.commonprotos/*/content/protos | sort -V | tail -n 1)
fi

work=$ROOT/.run/buf
rm -rf "$work"
# One workspace: our protos (checked) and the Google protos they import (not ours to lint).
workspace() {
    local dir=$1
    mkdir -p "$dir/third_party"
    cp -r "$common/google" "$dir/third_party/"
    cat >"$dir/buf.yaml" <<'EOF'
version: v2
modules:
  - path: protos
    lint:
      use: [STANDARD]
      except: [RPC_REQUEST_RESPONSE_UNIQUE, RPC_REQUEST_STANDARD_NAME, RPC_RESPONSE_STANDARD_NAME]
      # google/longrunning is Google's interface declared for wire compatibility, not our design.
      ignore: [protos/google]
  - path: third_party
    lint:
      ignore: [third_party]
breaking:
  use: [WIRE_JSON]
EOF
}

mkdir -p "$work/current"
cp -r protos "$work/current/protos"
workspace "$work/current"
(cd "$work/current" && "$buf" lint)
echo "buf lint: ok"

mkdir -p "$work/previous"
if ! git cat-file -e "$against^{commit}" 2>/dev/null; then
    echo "check-protos.sh: commit $against (protos/BASELINE) is not in this clone; fetch the full history." >&2
    exit 1
fi
git archive "$against" protos | tar -x -C "$work/previous"
workspace "$work/previous"
(cd "$work/previous" && "$buf" build -o "$work/previous.binpb")
(cd "$work/current" && "$buf" breaking --against "$work/previous.binpb")
echo "buf breaking: ok against $against"
