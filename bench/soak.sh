#!/usr/bin/env bash
# Retention soak, real time: `wabahooks serve` on SQLite with retention set to minutes, under a steady closed-loop load
# from wrk (unique, correctly signed text messages), sampling the database file, its write-ahead log and the process's
# RSS every interval. With retention working both plateau once the oldest data leaves as fast as new data arrives.
# Ends with issue #19's memory verdict: peak RSS (VmHWM) <= 150 MiB, and no growth — the mean RSS of the last quarter
# of the run against that of the second quarter (the first is warm-up: JIT, caches, the first retention rounds).
# Usage: bench/soak.sh [DURATION_SECONDS=600] [RETENTION=00:02:00] [CONNECTIONS=2] [SAMPLE_SECONDS=15]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-600}; retention=${2:-00:02:00}; connections=${3:-2}; sample=${4:-15}
command -v wrk >/dev/null || { echo "Install wrk: apt-get install wrk"; exit 1; }
dotnet build -c Release src/WabaHooks.Cli -v q -nologo >/dev/null
cli=src/WabaHooks.Cli/bin/Release/net10.0/WabaHooks.Cli.dll
work=$(mktemp -d /tmp/wabahooks-soak.XXXXXX)
secret=0123456789abcdef0123456789abcdef
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port); admin=$(free_port)
trap 'kill "$serve" 2>/dev/null || true; wait "$serve" 2>/dev/null || true; rm -rf "$work"' EXIT

# 5000 distinct pre-signed deliveries, so events are new (not deduplicated) until the retention has let them go.
python3 - "$work/post.lua" "$secret" <<'PY'
import hashlib, hmac, json, sys
out, secret = sys.argv[1], sys.argv[2].encode()
lines = ["local bodies, sigs = {}, {}"]
for i in range(5000):
    body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Soak"}, "wa_id": "16505551234"}],
        "messages": [{"from": "16505551234", "id": f"wamid.SOAK{i:08d}", "timestamp": "1767261601", "type": "text",
                      "text": {"body": "soak " + "x" * 1500}}]}}]}]}, separators=(",", ":"))
    sig = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
    lines.append(f"bodies[{i + 1}] = {json.dumps(body)}; sigs[{i + 1}] = \"sha256={sig}\"")
lines.append("""local n = 0
request = function()
  n = n % #bodies + 1
  return wrk.format("POST", "/webhook", { ["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = sigs[n] }, bodies[n])
end""")
open(out, "w").write("\n".join(lines))
PY

WabaHooks__Retention__Deliveries=$retention WabaHooks__Retention__Events=$retention WabaHooks__Retention__Attempts=$retention \
WabaHooks__Retention__DeadLetters=$retention WabaHooks__Retention__DedupeHorizon=$retention WabaHooks__Retention__Interval=00:00:10 \
  dotnet "$cli" serve --urls "http://127.0.0.1:$port" --admin-urls "http://127.0.0.1:$admin" --data-dir "$work/data" --verify-token soak --app-secret "$secret" >"$work/serve.log" 2>&1 &
serve=$!
for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; kill -0 "$serve" 2>/dev/null || break; sleep 0.2; done
curl -s -o /dev/null "http://127.0.0.1:$port/healthz" || { echo "serve did not start:"; cat "$work/serve.log"; exit 1; }

wrk -t 1 -c "$connections" -d "${duration}s" -s "$work/post.lua" "http://127.0.0.1:$port" >"$work/wrk.txt" &
load=$!
echo "# soak $(date -u '+%Y-%m-%d %H:%M') UTC: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short=12 HEAD)"
echo "# ${duration}s, retention $retention, $connections wrk connections, a sample every ${sample}s"
echo "| elapsed | wabahooks.db | -wal | RSS | deliveries kept |"
echo "|---:|---:|---:|---:|---:|"
start=$(date +%s)
while kill -0 "$load" 2>/dev/null; do
  sleep "$sample"
  db=$(stat -c %s "$work/data/wabahooks.db" 2>/dev/null || echo 0)
  wal=$(stat -c %s "$work/data/wabahooks.db-wal" 2>/dev/null || echo 0)
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$serve/status")
  kept=$(python3 -c "import sqlite3,sys; print(sqlite3.connect('file:$work/data/wabahooks.db?mode=ro', uri=True, timeout=5).execute('select count(*) from deliveries').fetchone()[0])" 2>/dev/null || echo "?")
  elapsed=$(( $(date +%s) - start ))
  echo "$elapsed $rss" >>"$work/rss.txt"
  printf "| %ss | %.1f MiB | %.1f MiB | %.0f MiB | %s |\n" "$elapsed" "$(echo "$db/1048576" | bc -l)" "$(echo "$wal/1048576" | bc -l)" "$(echo "$rss/1024" | bc -l)" "$kept"
done
peak=$(awk '/VmHWM/ {print $2}' "/proc/$serve/status")
wait "$load" || true
grep -E "Requests/sec|Non-2xx|Latency" "$work/wrk.txt" || true
grep -c "Retention removed" "$work/serve.log" | sed 's/^/retention rounds that removed rows: /' || true
awk -v duration="$duration" -v peak="$peak" '
  { t[NR] = $1; r[NR] = $2 / 1024 }
  END {
    for (i = 1; i <= NR; i++) {
      if (t[i] > duration / 4 && t[i] <= duration / 2) { a += r[i]; na++ }
      if (t[i] > duration * 3 / 4) { b += r[i]; nb++ }
    }
    peakMiB = peak / 1024
    printf "peak RSS (VmHWM): %.0f MiB (goal <= 150 MiB): %s\n", peakMiB, peakMiB <= 150 ? "MET" : "NOT MET"
    if (na == 0 || nb == 0) { print "too few samples for a growth verdict: run longer or sample more often"; exit }
    growth = b / nb - a / na
    printf "RSS growth, mean of the last quarter against the second: %+.1f MiB (%.0f -> %.0f MiB; goal: none beyond 10 MiB of noise): %s\n", growth, a / na, b / nb, growth <= 10 ? "MET" : "NOT MET"
  }' "$work/rss.txt"
