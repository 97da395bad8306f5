#!/usr/bin/env bash
# Hostile traffic, one command: builds Release, starts `wabahooks serve` with its default limits, and holds 8,000 idle
# connections, 500 senders at 1 byte/s and a bad-signature flood against it while valid signed deliveries arrive open
# loop; prints what the server closed and when, the flood's answers, the log lines it cost, and the valid p50/p99/max.
# Options pass through: --idle N (8000) --slow N (500) --duration SECONDS (30) --rate VALID_PER_SECOND (50)
set -euo pipefail
cd "$(dirname "$0")/.."
# Each idle connection is a descriptor on both sides.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
dotnet build -c Release src/WabaHooks.Cli -v q -nologo
dotnet build -c Release bench/WabaHooks.LoadHarness -v q -nologo
dotnet bench/WabaHooks.LoadHarness/bin/Release/net10.0/WabaHooks.LoadHarness.dll hostile "$@"
