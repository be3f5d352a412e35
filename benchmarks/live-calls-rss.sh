#!/usr/bin/env bash
# The memory bound of "Ingest at the machine's limit": 100,000 live calls held while full
# lifecycles keep coming for 10 minutes; prints the server's RSS and heap after.
#
# Builds nothing (needs call-server/target/call-server.jar, wrk, PostgreSQL at 127.0.0.1:5432).
#   benchmarks/live-calls-rss.sh                   # 100,000 live calls, 600 s
#   LIVE=20000 SECONDS_TOTAL=120 benchmarks/live-calls-rss.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LIVE=${LIVE:-100000}
SECONDS_TOTAL=${SECONDS_TOTAL:-600}
HEAP=${HEAP:--Xmx384m}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
HTTP=18320
KEY=bench-admin-key-0123456789
DB=sb_bench_live
PG=(-h 127.0.0.1 -U postgres)
DATA=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true' EXIT
dropdb "${PG[@]}" --if-exists "$DB"; createdb "${PG[@]}" "$DB"
SWITCHBOARD_HOST=127.0.0.1 SWITCHBOARD_HTTP_PORT=$HTTP SWITCHBOARD_SOCKET_PORT=$((HTTP + 1)) SWITCHBOARD_DATA_DIR=$DATA \
SWITCHBOARD_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SWITCHBOARD_DB_USER=postgres SWITCHBOARD_API_KEYS=$KEY:admin \
SWITCHBOARD_RATE_LIMIT=0 SWITCHBOARD_SLA_MAX_WAIT=PT10M SWITCHBOARD_RING_TIMEOUT=PT10M SWITCHBOARD_MAX_HOLD=PT10M \
  "$JAVA" $HEAP --sun-misc-unsafe-memory-access=allow -jar call-server/target/call-server.jar > "$DATA/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$HTTP/observe/health/ready" && break; sleep 0.1; done
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ); heap $HEAP; $LIVE live calls, ${SECONDS_TOTAL}s"
KEY=$KEY LIVE=$LIVE THREADS=8 RUN="live$RANDOM" wrk -t8 -c8 -d"${SECONDS_TOTAL}s" -s benchmarks/wrk/lifecycles.lua \
  "http://127.0.0.1:$HTTP" | grep -E "Requests/sec|p50="
live=$(curl -fs "http://127.0.0.1:$HTTP/metrics" | awk '/^switchboard_calls\{/ {s += $2} END {print s + 0}')
echo "live calls: $live; RSS $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$PID/status), peak $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$PID/status)"
"${JAVA%/java}/jcmd" "$PID" GC.heap_info | grep -E "garbage-first heap|used" | head -2
kill -TERM "$PID"; wait "$PID" || true; PID=
dropdb "${PG[@]}" --if-exists "$DB"
