#!/usr/bin/env bash
# Makes a local certificate authority and certificates signed by it, for TLS and mutual TLS
# between EnergyTrade's services and their internal callers. Output (git-ignored): .run/tls/, or $TLS_OUT
#
#   scripts/make-local-ca.sh [HOSTNAME...]     server certificate for localhost, 127.0.0.1 and HOSTNAMEs
#
#   ca.crt / ca.key            the authority (keep ca.key private)
#   server.crt / server.key    for Kestrel:Endpoints:{Grpc,Http}:Certificate:Path / KeyPath
#   client.crt / client.key    for callers when Tls:ClientCaPath=ca.crt requires mutual TLS
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${TLS_OUT:-.run/tls}
mkdir -p "$out"
umask 077

if [[ ! -f $out/ca.key ]]; then
    openssl req -x509 -newkey rsa:3072 -nodes -days 825 -subj "/CN=EnergyTrade local CA" \
        -keyout "$out/ca.key" -out "$out/ca.crt" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    echo "made $out/ca.crt"
fi

sans="DNS:localhost,IP:127.0.0.1"
for host in "$@"; do sans+=",DNS:$host"; done

issue() { # NAME SUBJECT EXTENDED_KEY_USAGE [SAN]
    local name=$1 subject=$2 eku=$3 san=${4:-}
    openssl req -newkey rsa:2048 -nodes -subj "$subject" -keyout "$out/$name.key" -out "$out/$name.csr" 2>/dev/null
    {
        echo "basicConstraints=CA:FALSE"
        echo "keyUsage=critical,digitalSignature,keyEncipherment"
        echo "extendedKeyUsage=$eku"
        [[ -n $san ]] && echo "subjectAltName=$san"
    } >"$out/$name.ext"
    openssl x509 -req -in "$out/$name.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial \
        -days 397 -extfile "$out/$name.ext" -out "$out/$name.crt" 2>/dev/null
    rm -f "$out/$name.csr" "$out/$name.ext"
    echo "made $out/$name.crt"
}
issue server "/CN=energytrade-service" serverAuth "$sans"
issue client "/CN=energytrade-internal-client" clientAuth

cat <<MSG

Serve gRPC and HTTP over TLS (and require client certificates from this CA) with, for example:
  Kestrel__Endpoints__Grpc__Url=https://localhost:5101
  Kestrel__Endpoints__Grpc__Certificate__Path=$PWD/$out/server.crt
  Kestrel__Endpoints__Grpc__Certificate__KeyPath=$PWD/$out/server.key
  Kestrel__Endpoints__Http__Url=https://localhost:5100
  Kestrel__Endpoints__Http__Certificate__Path=$PWD/$out/server.crt
  Kestrel__Endpoints__Http__Certificate__KeyPath=$PWD/$out/server.key
  Tls__ClientCaPath=$PWD/$out/ca.crt          # optional: mutual TLS (then no endpoint may be http://)
Callers trust $out/ca.crt and present $out/client.crt / client.key.
MSG
