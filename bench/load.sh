#!/usr/bin/env bash
# Load test, one command: builds Release, runs wrk against a no-op Kestrel endpoint, against `wabahooks serve` on
# SQLite (fresh temp data dir, WAL synchronous=FULL) and, when Debian's postgresql is installed, against `serve` on a
# throwaway PostgreSQL cluster; prints req/s, p50, p99, peak RSS and each ratio to the no-op endpoint.
# Options pass through: --duration SECONDS (20) --connections N (64) --threads N (2) --payloads DIR --postgres CS
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; else echo "Install wrk: sudo apt-get install wrk"; exit 1; fi
fi
dotnet build -c Release src/WabaHooks.Cli -v q -nologo
dotnet build -c Release bench/WabaHooks.LoadHarness -v q -nologo

extra=()
initdb=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ " $* " != *" --postgres "* && -n "$initdb" ]]; then
  pgdir=$(mktemp -d /tmp/wabahooks-bench-pg.XXXXXX)
  as=(); if [ "$(id -u)" = 0 ]; then chown postgres "$pgdir"; as=(runuser -u postgres --); fi
  port=$(( 20000 + RANDOM % 20000 ))
  "${as[@]}" "$initdb/initdb" -D "$pgdir/data" -U wabahooks -A trust -E UTF8 >/dev/null
  "${as[@]}" "$initdb/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1" start >/dev/null
  trap '"${as[@]}" "$initdb/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null; rm -rf "$pgdir"' EXIT
  extra=(--postgres "Host=127.0.0.1;Port=$port;Username=wabahooks;Database=postgres")
fi
dotnet bench/WabaHooks.LoadHarness/bin/Release/net10.0/WabaHooks.LoadHarness.dll "$@" "${extra[@]}"
