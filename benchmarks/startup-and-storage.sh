#!/usr/bin/env bash
# Start-up time with a long history, and PostgreSQL bytes per stored event ("State that lasts").
#
# Builds nothing: needs call-server/target/call-server.jar (./mvnw -pl call-server -am package
# -DskipTests), psql/createdb/dropdb and wrk, and PostgreSQL at 127.0.0.1:5432 (trust auth).
# Only ever talks to 127.0.0.1; every step is bounded.
#
#   benchmarks/startup-and-storage.sh                 # 5,000,000 stored events (about 5 minutes)
#   CALLS=100000 benchmarks/startup-and-storage.sh    # smaller history, for a quick look
#
# 1. empty: a start on an empty (migrated) database, three times;
# 2. history: CALLS ended calls of 5 entries each (call_initiated, call_routed, call_answered,
#    call_ended, survey_requested) plus 1,000 live calls, written straight into the schema; the
#    first start has no snapshot and replays the whole log (what every start did before), the
#    next starts read the snapshot the first one left;
# 3. storage: a fresh database filled through the server (wrk, full lifecycles), then
#    pg_database_size / stored events, and per table.
set -euo pipefail
cd "$(dirname "$0")/.."

CALLS=${CALLS:-1000000}
LIVE=${LIVE:-1000}
WRK_SECONDS=${WRK_SECONDS:-60}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=call-server/target/call-server.jar
HTTP=18180
SOCK=18181
KEY=bench-admin-key-0123456789
DB=sb_bench_start
DATA=$(mktemp -d)
LOG=$DATA/server.log
PG=(-h 127.0.0.1 -U postgres)
[ -f "$JAR" ] || { echo "build first: ./mvnw -pl call-server -am package -DskipTests" >&2; exit 1; }

sql() { psql "${PG[@]}" -qAt -d "$DB" -v ON_ERROR_STOP=1 -c "$1"; }
fresh_db() { dropdb "${PG[@]}" --if-exists "$DB"; createdb "${PG[@]}" "$DB"; }

PID=
start_server() {   # prints the milliseconds from launch to readiness UP
  local t0 t1
  t0=$(date +%s%N)
  SWITCHBOARD_HOST=127.0.0.1 SWITCHBOARD_HTTP_PORT=$HTTP SWITCHBOARD_SOCKET_PORT=$SOCK \
  SWITCHBOARD_DATA_DIR=$DATA SWITCHBOARD_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SWITCHBOARD_DB_USER=postgres \
  SWITCHBOARD_API_KEYS=$KEY:admin SWITCHBOARD_RETENTION=${RETENTION:-} SWITCHBOARD_RATE_LIMIT=0 SWITCHBOARD_LOG_LEVEL=${LOG_LEVEL:-INFO} \
    "$JAVA" -Xms1g -Xmx2g --sun-misc-unsafe-memory-access=allow -jar "$JAR" >>"$LOG" 2>&1 &
  PID=$!
  for _ in $(seq 1 6000); do   # at most 10 minutes
    if curl -fs -o /dev/null "http://127.0.0.1:$HTTP/observe/health/ready"; then
      t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); return 0
    fi
    kill -0 "$PID" 2>/dev/null || { echo "server died; see $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
    sleep 0.1
  done
  echo "server not ready in 10 minutes" >&2; exit 1
}
stop_server() { kill -TERM "$PID"; wait "$PID" || true; }
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true' EXIT

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

write_history() {   # $1 ended calls of 5 entries, 30 days ago; $2 live calls
  local CALLS=$1 LIVE=$2
  sql "
DO \$\$
DECLARE t0 timestamptz := now() - interval '30 days';
BEGIN
  INSERT INTO call_events (seq, id, call_id, type, ts, source, metadata, head)
  SELECT (g - 1) * 5 + k, CASE WHEN k = 5 THEN 'sys:survey' ELSE 'e' || k END, 'h' || g,
         (ARRAY['call_initiated','call_routed','call_answered','call_ended','survey_requested'])[k],
         t0 + g * interval '100 ms' + (ARRAY[0, 1, 5, 65, 65])[k] * interval '1 s',
         CASE WHEN k = 5 THEN 'system' ELSE 'external' END,
         CASE k WHEN 1 THEN '{\"type\":\"voice\",\"queue_id\":\"medical_spanish\",\"source\":\"external\"}'
                WHEN 2 THEN '{\"agent_id\":\"' || (ARRAY['ana_garcia','luis_martinez','sofia_lopez','agent_55'])[g % 4 + 1] || '\",\"source\":\"external\"}'
                WHEN 3 THEN '{\"source\":\"external\"}'
                WHEN 4 THEN '{\"end_reason\":\"completed\",\"source\":\"external\"}'
                ELSE '{\"source\":\"system\",\"queue_id\":\"medical_spanish\",\"agent_id\":\"' || (ARRAY['ana_garcia','luis_martinez','sofia_lopez','agent_55'])[g % 4 + 1] || '\"}' END,
         k <> 5
  FROM generate_series(1, $CALLS) g, generate_series(1, 5) k;
  INSERT INTO calls (id, type, status, phase, queue_id, agent_id, start_time, answer_time, end_time, wait_ms,
                     duration_ms, hold_ms, end_reason, flags, version, last_seq, wait_start_time, last_event_time)
  SELECT 'h' || g, 'voice', 'ended', 'ended', 'medical_spanish',
         (ARRAY['ana_garcia','luis_martinez','sofia_lopez','agent_55'])[g % 4 + 1],
         t0 + g * interval '100 ms', t0 + g * interval '100 ms' + interval '5 s', t0 + g * interval '100 ms' + interval '65 s',
         5000, 60000, 0, 'completed', 128, 4, g * 5, t0 + g * interval '100 ms', t0 + g * interval '100 ms' + interval '65 s'
  FROM generate_series(1, $CALLS) g;
  -- live calls (talking now): initiated, routed, answered
  INSERT INTO call_events (seq, id, call_id, type, ts, source, metadata, head)
  SELECT $CALLS * 5 + (g - 1) * 3 + k, 'e' || k, 'live' || g,
         (ARRAY['call_initiated','call_routed','call_answered'])[k],
         now() - interval '10 minutes' + (ARRAY[0, 1, 5])[k] * interval '1 s', 'external',
         CASE k WHEN 1 THEN '{\"type\":\"video\",\"queue_id\":\"medical_english\",\"source\":\"external\"}'
                WHEN 2 THEN '{\"agent_id\":\"agent_' || g || '\",\"source\":\"external\"}'
                ELSE '{\"source\":\"external\"}' END, true
  FROM generate_series(1, $LIVE) g, generate_series(1, 3) k;
  INSERT INTO calls (id, type, status, phase, queue_id, agent_id, start_time, answer_time, end_time, wait_ms,
                     duration_ms, hold_ms, end_reason, flags, version, last_seq, wait_start_time, last_event_time)
  SELECT 'live' || g, 'video', 'active', 'active', 'medical_english', 'agent_' || g,
         now() - interval '10 minutes', now() - interval '10 minutes' + interval '5 s', NULL, 5000, NULL, 0, NULL, 0, 3,
         $CALLS * 5 + g * 3, now() - interval '10 minutes', now() - interval '10 minutes' + interval '5 s'
  FROM generate_series(1, $LIVE) g;
END \$\$;"
  sql "VACUUM ANALYZE"
}

# ---- 1. empty ------------------------------------------------------------------------------
fresh_db
start_server >/dev/null; stop_server       # the schema is created once
empty=()
for i in 1 2 3; do start_server >"$DATA/ms"; empty+=("$(cat "$DATA/ms")"); stop_server; done
echo "empty database: start ${empty[*]} ms"

# ---- 2. a long history -----------------------------------------------------------------------
echo "writing $CALLS ended calls ($((CALLS * 5)) entries) and $LIVE live calls ..."
t0=$(date +%s)
write_history "$CALLS" "$LIVE"
entries=$(sql "SELECT COUNT(*) FROM call_events")
echo "  written in $(( $(date +%s) - t0 )) s: $entries entries"
start_server >"$DATA/ms"; full=$(cat "$DATA/ms")
grep -o "[0-9]* history entries replayed" "$LOG" | tail -1 | sed 's/^/  first start: /'
stop_server
snap=()
for i in 1 2 3; do start_server >"$DATA/ms"; snap+=("$(cat "$DATA/ms")"); stop_server; done
grep -o "snapshot at seq [0-9]* and [0-9]* history entries replayed" "$LOG" | tail -1 | sed 's/^/  later starts: /'
bytes=$(sql "SELECT pg_database_size('$DB')")
echo "history of $entries entries: first start (no snapshot, whole log) $full ms; from the snapshot ${snap[*]} ms"
echo "  database $((bytes / 1024 / 1024)) MB = $((bytes / entries)) B per stored event (generated rows)"

# ---- 3. storage through the server ----------------------------------------------------------
fresh_db
start_server >/dev/null
before=$(sql "SELECT pg_database_size('$DB')")
KEY=$KEY RUN="st$(date +%s)" wrk -t16 -c16 -d"${WRK_SECONDS}s" -s benchmarks/wrk/lifecycles.lua "http://127.0.0.1:$HTTP" \
  | grep -E "Requests/sec|requests in|Non-2xx" | sed 's/^/  wrk: /'
stop_server
entries=$(sql "SELECT COUNT(*) FROM call_events")
calls=$(sql "SELECT COUNT(*) FROM calls")
after=$(sql "SELECT pg_database_size('$DB')")
echo "through the server: $entries entries of $calls calls; database grew $(((after - before) / 1024 / 1024)) MB:" \
  "$(((after - before) / entries)) B per stored event"
sql "SELECT relname || ': ' || pg_size_pretty(pg_total_relation_size(c.oid)) || ' (' ||
            (pg_total_relation_size(c.oid) / $entries) || ' B/event)'
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6" | sed 's/^/  /'
# ---- 4. retention under load ---------------------------------------------------------------
if [ "${RETENTION_CHECK:-1}" = 1 ]; then
  OLD=${OLD_CALLS:-300000}
  fresh_db
  start_server >/dev/null; stop_server
  write_history "$OLD" 0
  echo "retention: $OLD ended calls 30 days old, SWITCHBOARD_RETENTION=P7D; wrk -t16 -c16 before and while it deletes"
  RETENTION=P7D start_server >/dev/null
  KEY=$KEY RUN="rb$(date +%s)" wrk -t16 -c16 -d25s --latency -s benchmarks/wrk/lifecycles.lua "http://127.0.0.1:$HTTP" \
    | grep -E "Requests/sec|  50%|  99%" | tr -s ' ' | paste -sd' ' | sed 's/^/  before (0-25 s): /'
  sleep 6   # the first run starts 30 s after the start
  KEY=$KEY RUN="rd$(date +%s)" wrk -t16 -c16 -d60s --latency -s benchmarks/wrk/lifecycles.lua "http://127.0.0.1:$HTTP" \
    | grep -E "Requests/sec|  50%|  99%" | tr -s ' ' | paste -sd' ' | sed 's/^/  while deleting (31-91 s): /'
  for _ in $(seq 1 120); do grep -q "retention P7D: deleted" "$LOG" && break; sleep 1; done
  grep -o "retention P7D: deleted.*" "$LOG" | tail -1 | sed 's/^/  /'
  echo "  left: $(sql "SELECT COUNT(*) FROM calls WHERE start_time < now() - interval '7 days'") old calls"
  RETENTION= stop_server
fi

[ -n "${KEEP_DB:-}" ] || dropdb "${PG[@]}" --if-exists "$DB"
rm -rf "$DATA"
