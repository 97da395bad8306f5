#!/usr/bin/env bash
# Load test, one command (issue #19's figures in one run, about 6 minutes on 2 cores; --quick about 1.5): builds
# Release; closed loop with wrk against a no-op Kestrel endpoint, the raw Node.js HMAC endpoint
# (bench/node-hmac-endpoint.mjs), `wabahooks serve` on SQLite (processor running, then parked: the receive path alone)
# and, when Debian's postgresql is installed, on a throwaway PostgreSQL cluster; then `serve` on SQLite in open loop at
# 50% of its peak with the processor's lag each second; then the processing CPU per delivery. Prints one summary with
# every target MET or NOT MET, also written as Markdown under bench/results/.
# Options pass through: --quick --duration S (15) --warmup S (5) --connections N (64) --threads N (2)
#   --open-loop-duration S (60) --open-loop-fraction F (0.5) --open-loop-connections N (128)
#   --processing-deliveries N (40000) --markdown FILE --payloads DIR --postgres CS [--postgres-data DIR] --node PATH
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; else echo "Install wrk: sudo apt-get install wrk"; exit 1; fi
fi
command -v node >/dev/null 2>&1 || [[ " $* " == *" --node "* ]] || { echo "Install Node.js (apt-get install nodejs): the harness compares with a raw Node.js endpoint"; exit 1; }
dotnet build -c Release src/WabaHooks.Cli -v q -nologo
dotnet build -c Release bench/WabaHooks.LoadHarness -v q -nologo

extra=()
initdb=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ " $* " != *" --postgres "* && -n "$initdb" ]]; then
  pgdir=$(mktemp -d /tmp/wabahooks-bench-pg.XXXXXX)
  as=(); if [ "$(id -u)" = 0 ]; then chown postgres "$pgdir"; as=(runuser -u postgres --); fi
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as[@]}" "$initdb/initdb" -D "$pgdir/data" -U wabahooks -A trust -E UTF8 >/dev/null
  "${as[@]}" "$initdb/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1" start >/dev/null
  trap '"${as[@]}" "$initdb/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null; rm -rf "$pgdir"' EXIT
  extra=(--postgres "Host=127.0.0.1;Port=$port;Username=wabahooks;Database=postgres" --postgres-data "$pgdir/data")
fi
dotnet bench/WabaHooks.LoadHarness/bin/Release/net10.0/WabaHooks.LoadHarness.dll "$@" "${extra[@]}"
