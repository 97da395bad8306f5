#!/usr/bin/env bash
# Fuzz the whole pipeline longer than CI does (issue #10), one command: builds Release and runs `WabaHooks.LoadHarness
# fuzz` — the gateway in-process on Kestrel 127.0.0.1 over SQLite on a fresh temp folder; mutated, correctly signed
# example payloads (the same generator as tests/WabaHooks.AspNetCore.Tests/Fuzzing) posted over a few connections;
# then every delivery's outcome, envelope narrowing over every stored delivery, and a good delivery afterwards.
# Prints answers by status, deliveries processed / failed / left, log lines at Error or above, durations, and each
# property that did not hold with its seed, case and body. Exit status 1 when any did not hold.
# Options: --count N (100000) --seed N (1) --connections N (8) --process-timeout SECONDS (120)
#          --data-root DIR (system temp; /dev/shm takes fsync out) --payloads DIR
#          --case N [--out FILE]: write case N of the seed (a failure's body) and exit
#          --narrow-only: no gateway; splitter and narrowing straight over the mutated bodies, on every core
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/WabaHooks.LoadHarness -v q -nologo >&2
exec dotnet bench/WabaHooks.LoadHarness/bin/Release/net10.0/WabaHooks.LoadHarness.dll fuzz "$@"
