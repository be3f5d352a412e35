#!/usr/bin/env bash
# Cluster mode on one machine: ingest to a single node, to a cluster's leader and through a
# follower; fan-out with subscribers on one node against spread over three ("Cluster mode").
#
# Builds nothing: needs call-server/target/call-server.jar and benchmarks/target/benchmarks.jar
# (./mvnw -pl call-server,benchmarks -am package -DskipTests), psql/createdb/dropdb, wrk, node
# (web-dashboard/node_modules for socket.io-client) and PostgreSQL at 127.0.0.1:5432 (trust auth).
# Only ever talks to 127.0.0.1; every step is bounded (about 3 minutes).
#
#   benchmarks/cluster.sh
#   SECONDS_EACH=30 SUBSCRIBERS=90 benchmarks/cluster.sh
#
# Failover times come from the Maven profile (kill -9 of the leader five times in a row):
#   ./mvnw -pl reliability-tests verify -Pcluster-bench
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${SECONDS_EACH:-20}
SUBSCRIBERS=${SUBSCRIBERS:-90}
RATE=${RATE:-200}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=call-server/target/call-server.jar
LOADGEN=benchmarks/target/benchmarks.jar
KEY=bench-admin-key-0123456789
SECRET=bench-cluster-secret-0123
PG=(-h 127.0.0.1 -U postgres)
WORK=$(mktemp -d)
for f in "$JAR" "$LOADGEN"; do
  [ -f "$f" ] || { echo "build first: ./mvnw -pl call-server,benchmarks -am package -DskipTests" >&2; exit 1; }
done
export NODE_PATH=web-dashboard/node_modules

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done' EXIT

# start_node <name> <db> <http port> [cluster]: starts a node in the background, waits until ready
start_node() {
  local name=$1 db=$2 port=$3 cluster=${4:-off}
  SWITCHBOARD_HOST=127.0.0.1 SWITCHBOARD_HTTP_PORT=$port SWITCHBOARD_SOCKET_PORT=$((port + 1)) \
  SWITCHBOARD_DATA_DIR=$WORK/$name SWITCHBOARD_DB_URL=jdbc:postgresql://127.0.0.1:5432/$db SWITCHBOARD_DB_USER=postgres \
  SWITCHBOARD_API_KEYS=$KEY:admin SWITCHBOARD_RATE_LIMIT=0 SWITCHBOARD_LOG_LEVEL=WARNING \
  SWITCHBOARD_CLUSTER=$cluster SWITCHBOARD_CLUSTER_SECRET=$SECRET SWITCHBOARD_NODE_ID=$name \
    "$JAVA" -Xms512m -Xmx1g --sun-misc-unsafe-memory-access=allow -jar "$JAR" >>"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  echo "$!" > "$WORK/$name.pid"
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/observe/health/ready" && return 0
    sleep 0.1
  done
  echo "$name not ready; see $WORK/$name.log" >&2; exit 1
}
stop_all() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
fresh_db() { dropdb "${PG[@]}" --if-exists "$1"; createdb "${PG[@]}" "$1"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system, in clock ticks
pg_ticks() { local t=0; for p in $(pgrep -x postgres); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }

declare -A BEFORE
PG0=0
cpu_mark() { BEFORE=(); for n in "$WORK"/*.pid; do BEFORE[$n]=$(cpu_ticks "$(cat "$n")"); done; PG0=$(pg_ticks); }
cpu_report() {   # CPU seconds of each node and of PostgreSQL since cpu_mark
  local p
  printf '    CPU seconds in the run:'
  for n in "$WORK"/*.pid; do
    p=$(cat "$n"); printf ' %s %.1f' "$(basename "$n" .pid)" "$(echo "($(cpu_ticks "$p") - ${BEFORE[$n]}) / $(getconf CLK_TCK)" | bc -l)"
  done
  printf ' postgres %.1f\n' "$(echo "($(pg_ticks) - $PG0) / $(getconf CLK_TCK)" | bc -l)"
}

ingest() {   # ingest <label> <port>
  local out
  cpu_mark
  out=$(KEY=$KEY RUN="cl$RANDOM" wrk -t16 -c16 -d"${SECONDS_EACH}s" --latency -s benchmarks/wrk/lifecycles.lua \
    "http://127.0.0.1:$2" 2>&1)
  printf '  %-34s %s events/s, p50 %s, p99 %s%s\n' "$1:" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')" \
    "$(echo "$out" | awk '/Non-2xx/ {print ", non-2xx " $NF}')"
  cpu_report
}

# fanout <label> <socket ports...>: SUBSCRIBERS spread evenly over the ports, RATE events/s to the first node
fanout() {
  local label=$1; shift
  local ports=("$@") each=$((SUBSCRIBERS / $#)) i=0
  cpu_mark
  for port in "${ports[@]}"; do
    node benchmarks/node/push-latency.mjs "http://127.0.0.1:$port" "$KEY" "$each" 15 batch > "$WORK/fan-$i.out" 2>&1 &
    i=$((i + 1))
  done
  sleep 3
  "$JAVA" -cp "$LOADGEN" dev.switchboard.benchmarks.load.LoadGenerator --url "http://127.0.0.1:$((ports[0] - 1))" --key "$KEY" \
    --connections 16 --seconds 17 --rate "$RATE" > "$WORK/loadgen.out" 2>&1
  wait $(jobs -p | grep -v -F "$(printf '%s\n' "${PIDS[@]}")") 2>/dev/null || true
  echo "  $label: $SUBSCRIBERS subscribers ($each on each of ${#ports[@]} node(s)), ${RATE} events/s asked"
  for f in "$WORK"/fan-*.out; do sed -n 's/^/    /; /pushes\|latency/p' "$f"; done
  cpu_report
  rm -f "$WORK"/fan-*.out
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

echo "1. one node (SWITCHBOARD_CLUSTER=off), fresh database; wrk 16 connections, ${SECONDS_EACH} s, full lifecycles"
fresh_db sb_bench_one
start_node single sb_bench_one 18200
ingest "single node" 18200
fanout "fan-out, one node" 18201
stop_all
rm -f "$WORK"/*.pid

echo "2. three nodes (SWITCHBOARD_CLUSTER=postgres), fresh database"
fresh_db sb_bench_cluster
start_node n1 sb_bench_cluster 18210 postgres   # the first leads
start_node n2 sb_bench_cluster 18220 postgres
start_node n3 sb_bench_cluster 18230 postgres
curl -s -H "X-API-Key: $KEY" http://127.0.0.1:18220/api/cluster | head -c 160; echo
ingest "cluster, to the leader" 18210
ingest "cluster, through a follower" 18220
fanout "fan-out, three nodes" 18211 18221 18231
fanout "fan-out, three nodes, all on the leader" 18211
for p in 18210 18220 18230; do
  curl -s "http://127.0.0.1:$p/metrics" | grep -E '^switchboard_cluster_(forwarded_events_total|feed_lag|leader) ' | tr '\n' ' '
  echo
done
stop_all
dropdb "${PG[@]}" --if-exists sb_bench_one
dropdb "${PG[@]}" --if-exists sb_bench_cluster
echo "logs in $WORK"
