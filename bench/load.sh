#!/usr/bin/env bash
# Load test, one command: builds Release, runs wrk against a no-op Kestrel endpoint and against `wabahooks serve`
# (fresh temp data dir, SQLite WAL synchronous=FULL), and prints req/s, p50, p99, peak RSS and the ratio.
# Options pass through: --duration SECONDS (20) --connections N (64) --threads N (2) --payloads DIR
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; else echo "Install wrk: sudo apt-get install wrk"; exit 1; fi
fi
dotnet build -c Release src/WabaHooks.Cli -v q -nologo
dotnet build -c Release bench/WabaHooks.LoadHarness -v q -nologo
dotnet bench/WabaHooks.LoadHarness/bin/Release/net10.0/WabaHooks.LoadHarness.dll "$@"
