#!/usr/bin/env bash
# Broker forwarding throughput, one command (issue #18): builds Release, starts nats-server (JetStream) and a RabbitMQ
# node from Debian's packages on free loopback ports in a temp folder, and for each kind and MaxConcurrency runs
# `WabaHooks.LoadHarness forward-broker`: the gateway in-process (AddWabaHooks + UseSqlite on a fresh temp folder, one
# broker destination), a backlog of 20,000 unique deliveries mixing the example payloads (appended and split before the
# gateway starts), then the time until the store has every event delivered, i.e. confirmed by the broker.
# KINDS, CONCURRENCY and FORMAT override the matrix: KINDS="nats" CONCURRENCY="64" bash bench/forward-brokers.sh
# Other options pass through, e.g. --deliveries 5000.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/WabaHooks.LoadHarness -v q -nologo
harness=bench/WabaHooks.LoadHarness/bin/Release/net10.0/WabaHooks.LoadHarness.dll
dir=$(mktemp -d /tmp/wabahooks-brokers.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "nothing listens on $1" >&2; return 1; }
pids=(); epmd_port=""
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  if [ -f "$dir/rabbitmq.pid" ]; then kill -9 "$(cat "$dir/rabbitmq.pid")" 2>/dev/null || true; fi
  # epmd refuses to stop while it still lists the node it has not yet seen die.
  if [ -n "$epmd_port" ]; then for _ in $(seq 1 50); do epmd -port "$epmd_port" -kill 2>&1 | grep -q '^Killed' && break; sleep 0.1; done; fi
  rm -rf "$dir"
}
trap cleanup EXIT
kinds=${KINDS:-nats rabbitmq}
declare -A url
if [[ " $kinds " == *" nats "* ]]; then
  port=$(free_port)
  nats-server -a 127.0.0.1 -p "$port" -js -sd "$dir/jetstream" >"$dir/nats.log" 2>&1 & pids+=($!); disown $!
  wait_port "$port"; url[nats]="nats://127.0.0.1:$port"
fi
if [[ " $kinds " == *" rabbitmq "* ]]; then
  port=$(free_port); epmd_port=$(free_port); dist=$(free_port)
  mkdir -p "$dir/home"; echo "listeners.tcp.default = 127.0.0.1:$port" >"$dir/rabbitmq.conf"; echo "[]." >"$dir/enabled_plugins"
  HOME="$dir/home" RABBITMQ_NODENAME="bench$port@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
    RABBITMQ_DIST_PORT="$dist" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_PID_FILE="$dir/rabbitmq.pid" ERL_EPMD_PORT="$epmd_port" ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    /usr/lib/rabbitmq/bin/rabbitmq-server >"$dir/rabbitmq.out" 2>&1 & pids+=($!); disown $!
  wait_port "$port"; url[rabbitmq]="amqp://guest:guest@127.0.0.1:$port/"
fi
echo "# $(nproc) cores, $(uname -sr), $(dotnet --version); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for kind in $kinds; do
  for concurrency in ${CONCURRENCY:-8 64 256}; do
    dotnet "$harness" forward-broker --kind "$kind" --url "${url[$kind]}" --format "${FORMAT:-event}" --concurrency "$concurrency" "$@" || status=1
  done
done
exit $status
