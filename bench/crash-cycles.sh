#!/usr/bin/env bash
# Repeated kill -9 under load, one command (issue #10): builds Release and runs `WabaHooks.LoadHarness crash-cycles` —
# `wabahooks serve` (Release CLI, its own process) on a fresh data folder, N connections posting signed example
# payloads made unique (every "id" suffixed with the request's number, so each gives exactly one delivery and events of
# its own), SIGKILL every few seconds and a restart on the same folder, C times; then the last server catches up and
# the store is counted: acknowledged (200) vs deliveries stored vs processed vs events, lost (acknowledged but not
# stored: must be 0), duplicates, missing events. Prints a summary table; exit status 1 when anything was lost,
# duplicated, missing or left unprocessed.
# Options: --cycles C (6) --connections N (16) --min-up SECONDS (2) --max-up SECONDS (5) --seed N (1: the kill times)
#          --payloads DIR --cli PATH
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/WabaHooks.Cli -v q -nologo >&2
dotnet build -c Release bench/WabaHooks.LoadHarness -v q -nologo >&2
exec dotnet bench/WabaHooks.LoadHarness/bin/Release/net10.0/WabaHooks.LoadHarness.dll crash-cycles "$@"
