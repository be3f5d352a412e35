#!/usr/bin/env bash
# Side-by-side runs for "Ingest at the machine's limit" (BENCHMARKS.md, "The third pass"): one
# server on a fresh database, warmed up for 20 s, then wrk runs one after the other, each printing
# events/s, p50, p99, non-2xx and the CPU time per event of the server, PostgreSQL and wrk.
#
#   benchmarks/ab-ingest.sh <seconds> "<wrk threads> <connections> [batch]" ...
#   benchmarks/ab-ingest.sh 20 "64 64" "2 64" "16 16" "2 16"          # one wrk thread per connection, or two
#   JOPTS=-XX:+UseSerialGC benchmarks/ab-ingest.sh 20 "2 16" "2 64"     # JVM options of the server
#   JAR=/tmp/other.jar ACCESS_LOG=off benchmarks/ab-ingest.sh 20 "2 16"
#   DBSETUP="ALTER DATABASE sb_ab SET ..." benchmarks/ab-ingest.sh 5 "2 16"   # e.g. auto_explain
#
# Builds nothing (call-server/target/call-server.jar). Only talks to 127.0.0.1; bounded by the
# runs' seconds plus a 20 s warm-up.
set -u
cd "$(dirname "$0")/.."
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=${JAR:-call-server/target/call-server.jar}
S=$1; shift
KEY=bench-admin-key-0123456789; HTTP=18300; DB=sb_ab
PG=(-h 127.0.0.1 -U postgres)
DATA=$(mktemp -d)
dropdb "${PG[@]}" --if-exists $DB 2>/dev/null; createdb "${PG[@]}" $DB
[ -n "${DBSETUP:-}" ] && psql "${PG[@]}" -d $DB -qc "$DBSETUP"
SWITCHBOARD_HOST=127.0.0.1 SWITCHBOARD_HTTP_PORT=$HTTP SWITCHBOARD_SOCKET_PORT=$((HTTP+1)) SWITCHBOARD_DATA_DIR=$DATA \
SWITCHBOARD_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SWITCHBOARD_DB_USER=postgres SWITCHBOARD_API_KEYS=$KEY:admin \
SWITCHBOARD_RATE_LIMIT=0 SWITCHBOARD_ACCESS_LOG=${ACCESS_LOG:-on} \
  "$JAVA" -Xms1g -Xmx2g ${JOPTS:-} --sun-misc-unsafe-memory-access=allow -jar "$JAR" > "$DATA/server.log" 2>&1 &
PID=$!
trap 'kill -9 $PID 2>/dev/null' EXIT
for _ in $(seq 1 600); do curl -fs -o /dev/null http://127.0.0.1:$HTTP/observe/health/ready && break; sleep 0.1; done
KEY=$KEY RUN=warm wrk -t16 -c16 -d20s -s benchmarks/wrk/lifecycles.lua http://127.0.0.1:$HTTP >/dev/null 2>&1
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
pgcpu() { local t=0; for p in $(pgrep -u postgres); do v=$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null); t=$((t+${v:-0})); done; echo $t; }
for cfg in "$@"; do
  set -- $cfg; T=$1; C=$2; B=${3:-0}
  s0=$(cpu $PID); p0=$(pgcpu)
  TIMEFORMAT="%U %S"
  { time CONNS=$((C / T)) KEY=$KEY RUN=a$RANDOM BATCH=$B wrk -t$T -c$C -d${S}s --latency \
      -s benchmarks/wrk/lifecycles.lua http://127.0.0.1:$HTTP > "$DATA/wrk.txt" 2>&1 ; } 2> "$DATA/wrk-cpu.txt"
  s1=$(cpu $PID); p1=$(pgcpu)
  rps=$(awk '/Requests\/sec/ {print $2}' "$DATA/wrk.txt"); per=$(( B > 0 ? B * 6 : 1 ))
  ev=$(echo "$rps * $per" | bc -l); n=$(echo "$ev * $S" | bc -l)
  printf "wrk -t%-3s -c%-3s batch %-3s events/s %7.0f  p50 %8s  p99 %8s  non-2xx %s  CPU per event: server %5.1f us, postgres %5.1f us, wrk %5.1f us\n" \
    "$T" "$C" "$B" "$ev" "$(awk '$1=="50%" {print $2}' "$DATA/wrk.txt")" "$(awk '$1=="99%" {print $2}' "$DATA/wrk.txt")" \
    "$(awk '/non-2xx/ {print $2}' "$DATA/wrk.txt" | tr -d ,)" \
    "$(echo "($s1 - $s0) * 10000 / $n" | bc -l)" "$(echo "($p1 - $p0) * 10000 / $n" | bc -l)" \
    "$(awk -v n="$n" '{print ($1 + $2) * 1e6 / n}' "$DATA/wrk-cpu.txt")"
done
kill -TERM $PID; wait $PID
dropdb "${PG[@]}" --if-exists $DB
