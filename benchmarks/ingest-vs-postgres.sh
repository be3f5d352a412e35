#!/usr/bin/env bash
# Durable ingest next to PostgreSQL's own commit rate, in one run ("Ingest at the machine's limit").
#
# Builds nothing: needs call-server/target/call-server.jar (./mvnw -pl call-server -am package
# -DskipTests), psql/createdb/dropdb, pgbench and wrk, and PostgreSQL at 127.0.0.1:5432 (trust
# auth). Only ever talks to 127.0.0.1; every step is bounded (about 5 minutes at the default 30 s).
#
#   benchmarks/ingest-vs-postgres.sh
#   SECONDS_EACH=60 ACCESS_LOG=off benchmarks/ingest-vs-postgres.sh
#
# The server (a fresh database, SWITCHBOARD_ACCESS_LOG as given, default on) takes full call
# lifecycles from wrk (benchmarks/wrk/lifecycles.lua): single events at 64, 16 and
# 32 connections, then arrays of 17 lifecycles (102 events) at 8 connections. pgbench writes rows shaped like an
# audit entry (benchmarks/pgbench/schema.sql) into a database of its own on the same PostgreSQL:
# one row per transaction at 64 and 16 clients, 100 rows per INSERT at 8 clients. Then the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${SECONDS_EACH:-30}
# wrk's threads, as pgbench's (-j 2): each drives its share of the connections (lifecycles.lua
# keeps a call's events in order across them); WRK_THREADS=64 gives one thread per connection
WRK_THREADS=${WRK_THREADS:-2}
ACCESS_LOG=${ACCESS_LOG:-on}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=${JAR:-call-server/target/call-server.jar}
HTTP=18300
KEY=bench-admin-key-0123456789
DB=sb_bench_ingest
PGB_DB=sb_bench_pgbench
PG=(-h 127.0.0.1 -U postgres)
DATA=$(mktemp -d)
[ -f "$JAR" ] || { echo "build first: ./mvnw -pl call-server -am package -DskipTests" >&2; exit 1; }
for tool in wrk pgbench psql; do command -v $tool >/dev/null || { echo "$tool is needed" >&2; exit 1; }; done

PID=
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true' EXIT

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ); access log $ACCESS_LOG; wrk threads $WRK_THREADS"
dropdb "${PG[@]}" --if-exists "$DB"; createdb "${PG[@]}" "$DB"
SWITCHBOARD_HOST=127.0.0.1 SWITCHBOARD_HTTP_PORT=$HTTP SWITCHBOARD_SOCKET_PORT=$((HTTP + 1)) SWITCHBOARD_DATA_DIR=$DATA \
SWITCHBOARD_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SWITCHBOARD_DB_USER=postgres SWITCHBOARD_API_KEYS=$KEY:admin \
SWITCHBOARD_RATE_LIMIT=0 SWITCHBOARD_ACCESS_LOG=$ACCESS_LOG \
  "$JAVA" -Xms1g -Xmx2g --sun-misc-unsafe-memory-access=allow -jar "$JAR" > "$DATA/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "http://127.0.0.1:$HTTP/observe/health/ready" && break
  sleep 0.1
done

# commit_buckets: the server's histogram of group commit times, "le count" per line
commit_buckets() {
  curl -fs "http://127.0.0.1:$HTTP/metrics" | awk -F'[{}" ]+' '/^switchboard_commit_duration_seconds_bucket/ {print $3, $NF}'
}
# commit_quantiles <before> <after>: p50 and p99 of the commits between two commit_buckets, in ms
commit_quantiles() {
  join <(echo "$1" | sort) <(echo "$2" | sort) | awk '{le = ($1 == "+Inf") ? 1e9 : $1; print le, $3 - $2}' | sort -g |
    awk '{le[NR] = $1; c[NR] = $2} END {n = c[NR]; for (i = 1; i <= NR; i++) {
      if (!p50 && c[i] >= n * 0.5) p50 = le[i]; if (!p99 && c[i] >= n * 0.99) p99 = le[i] }
      printf "%.1fms %.1fms %d\n", p50 * 1000, p99 * 1000, n}'
}
# wrk_run <connections> <batch>: prints "events/s p50 p99 non-2xx commit-p50 commit-p99 commits"
# (a commit quantile is the upper bound of its histogram bucket)
wrk_run() {
  local out per before
  before=$(commit_buckets)
  out=$(CONNS=$(( $1 / WRK_THREADS )) KEY=$KEY RUN="iv$RANDOM" BATCH=$2 wrk -t"$WRK_THREADS" -c"$1" -d"${SECONDS_EACH}s" --latency \
    -s benchmarks/wrk/lifecycles.lua "http://127.0.0.1:$HTTP" 2>&1)
  per=$(( $2 > 0 ? $2 * 6 : 1 ))
  echo "$out" | awk -v per="$per" '/Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} /Non-2xx/ {bad=$NF}
    END {printf "%.0f %s %s %s ", rps*per, p50, p99, bad+0}'
  commit_quantiles "$before" "$(commit_buckets)"
}
# pgb_run <clients> <script>: prints "transactions/s p99"
pgb_run() {
  local out
  out=$(pgbench "${PG[@]}" -n -c "$1" -j 2 -T "$SECONDS_EACH" -r -f "benchmarks/pgbench/$2" \
    --log --log-prefix="$DATA/pgb" "$PGB_DB" 2>&1)
  local tps; tps=$(echo "$out" | awk '/^tps/ {print $3; exit}')
  local p99; p99=$(cat "$DATA"/pgb* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "%.1fms", a[int(NR*0.99)]/1000}')
  rm -f "$DATA"/pgb*
  echo "$tps $p99"
}

# warm-up: the JIT and the pool
KEY=$KEY RUN=warm wrk -t16 -c16 -d20s -s benchmarks/wrk/lifecycles.lua "http://127.0.0.1:$HTTP" >/dev/null 2>&1

read -r s64 s64p50 s64p99 s64bad s64c50 s64c99 s64n <<<"$(wrk_run 64 0)"
read -r s16 s16p50 s16p99 s16bad s16c50 s16c99 s16n <<<"$(wrk_run 16 0)"
read -r s32 s32p50 s32p99 s32bad s32c50 s32c99 s32n <<<"$(wrk_run 32 0)"
read -r a8 a8p50 a8p99 a8bad a8c50 a8c99 a8n <<<"$(wrk_run 8 17)"
kill -TERM "$PID"; wait "$PID" || true; PID=

dropdb "${PG[@]}" --if-exists "$PGB_DB"; createdb "${PG[@]}" "$PGB_DB"
psql "${PG[@]}" -q -d "$PGB_DB" -f benchmarks/pgbench/schema.sql
read -r p64 p64p99 <<<"$(pgb_run 64 single.sql)"
read -r p16 p16p99 <<<"$(pgb_run 16 single.sql)"
read -r p8 p8p99 <<<"$(pgb_run 8 rows100.sql)"
rows8=$(echo "$p8 * 100" | bc -l)

printf '%-44s %12s %10s %10s %8s %12s %12s\n' "" "events/s" "p50" "p99" "non-2xx" "commit p50" "commit p99"
printf '%-44s %12s %10s %10s %8s %12s %12s\n' "switchboard, single events, 64 connections" "$s64" "$s64p50" "$s64p99" "$s64bad" "≤$s64c50" "≤$s64c99"
printf '%-44s %12s %10s %10s %8s %12s %12s\n' "switchboard, single events, 16 connections" "$s16" "$s16p50" "$s16p99" "$s16bad" "≤$s16c50" "≤$s16c99"
printf '%-44s %12s %10s %10s %8s %12s %12s\n' "switchboard, single events, 32 connections" "$s32" "$s32p50" "$s32p99" "$s32bad" "≤$s32c50" "≤$s32c99"
printf '%-44s %12s %10s %10s %8s %12s %12s\n' "switchboard, arrays of 102, 8 connections" "$a8" "$a8p50" "$a8p99" "$a8bad" "≤$a8c50" "≤$a8c99"
printf '%-44s %12s %10s %10s\n' "" "rows/s" "" "p99"
printf '%-44s %12.0f %10s %10s\n' "pgbench, 1 row per transaction, 64 clients" "$p64" "" "$p64p99"
printf '%-44s %12.0f %10s %10s\n' "pgbench, 1 row per transaction, 16 clients" "$p16" "" "$p16p99"
printf '%-44s %12.0f %10s %10s\n' "pgbench, 100-row INSERTs, 8 clients" "$rows8" "" "$p8p99"
printf 'ratios: single 64 %.2fx (target 1.5x, p99 target 25 ms), single 16 %.2fx (p99 target 15 ms), arrays %.2fx (target 0.25x)\n' \
  "$(echo "$s64 / $p64" | bc -l)" "$(echo "$s16 / $p16" | bc -l)" "$(echo "$a8 / $rows8" | bc -l)"
printf 'lifecycles at 32 connections: %s events/s (target 5,800: 2x the 2,900 of before)\n' "$s32"
dropdb "${PG[@]}" --if-exists "$DB"; dropdb "${PG[@]}" --if-exists "$PGB_DB"
