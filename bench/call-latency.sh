#!/usr/bin/env bash
# Call latency, one command (issue #16): builds Release and runs `WabaHooks.LoadHarness call-latency`: the gateway
# in-process (AddWabaHooks + UseSqlite on a fresh temp folder, default options, an On<CallConnect> handler and a
# Meta-format destination for calls.* pointing at an in-process receiver), then the time from each POST's 200 to the
# handler's start and to the destination's request for a unique calls connect, p50/p99 — first at idle, then while
# unique text messages stream in open-loop at a fraction of the peak ingest measured just before.
# Options pass through, e.g. --samples N (300) --load-fraction F (0.5) --connections N (32) --peak-seconds S (10)
#   --gap-ms MS (20, between samples) --data-root DIR (where the temp database goes).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/WabaHooks.LoadHarness -v q -nologo
echo "# $(nproc) cores, $(uname -sr), $(dotnet --version)"
dotnet bench/WabaHooks.LoadHarness/bin/Release/net10.0/WabaHooks.LoadHarness.dll call-latency "$@"
