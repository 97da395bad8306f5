#!/usr/bin/env bash
# Forwarding throughput, one command (issue #4): builds Release and, for each destination format (meta, event) and
# MaxConcurrency (8, 32), runs `WabaHooks.LoadHarness forward`: a no-op receiver on 127.0.0.1 in its own process
# (Kestrel, 204 at once, counts requests and events), the gateway in-process (AddWabaHooks + UseSqlite on a fresh temp
# folder, one destination pointing at the receiver), a backlog of 20,000 unique deliveries mixing the example payloads
# (appended through the store and split before the gateway starts), then the time until the receiver has every event.
# Prints one line per run with events/s, requests/s, the gateway's CPU time and the load average at the end.
# Options pass through to every run, e.g.:
#   --deliveries N (20000) --warmup N (2000) --inbox (preload only the inbox; the processor splits while it drains)
#   --instrument (store call timings, CPU by thread, write-ahead log size)
#   --mode baseline (the same requests from the same DestinationClient with no store: the HTTP ceiling)
#   --mode store-only --batch N (claim, load + rebuild, record in a loop, no HTTP: what each store transaction costs)
#   --data-root DIR (where the temp database goes; /dev/shm makes fsync free, to see what durability costs)
#   --ordered N (the destination takes events in order per conversation; the backlog's customers are one of N)
#   --keep (leave the temp database for a look with sqlite3; its folder is printed)
#   --in-time-order (Meta's timestamps rise with the backlog, as live; otherwise each copy keeps its example's timestamp)
# FORMATS and CONCURRENCY override the matrix: FORMATS="event" CONCURRENCY="8" bash bench/forward.sh
# Broker destinations (RabbitMQ, NATS JetStream) have their own: bench/forward-brokers.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/WabaHooks.LoadHarness -v q -nologo
harness=bench/WabaHooks.LoadHarness/bin/Release/net10.0/WabaHooks.LoadHarness.dll
echo "# $(nproc) cores, $(uname -sr), $(dotnet --version); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for format in ${FORMATS:-meta event}; do
  for concurrency in ${CONCURRENCY:-8 32}; do
    dotnet "$harness" forward --format "$format" --concurrency "$concurrency" "$@" || status=1
  done
done
exit $status
