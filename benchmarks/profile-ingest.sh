#!/usr/bin/env bash
# Where the time of durable ingest goes ("Ingest at the machine's limit" in BENCHMARKS.md): one wrk
# run against a server on a fresh database, with the CPU time of the server, of PostgreSQL and of
# wrk per event (from /proc and the shell's time), WAL bytes per event, pg_stat_statements' top
# statements, and with `jfr` a JFR recording (/tmp/prof.jfr; benchmarks/jfr-breakdown.py sums it).
#
#   benchmarks/profile-ingest.sh <connections> <batch: 0 for single events> <seconds> [jfr]
#   benchmarks/profile-ingest.sh 64 0 20 jfr
#   benchmarks/profile-ingest.sh 8 17 20
#
# Builds nothing (call-server/target/call-server.jar). pg_stat_statements must be preloaded:
#   psql -h 127.0.0.1 -U postgres -c "ALTER SYSTEM SET shared_preload_libraries='pg_stat_statements'"
#   and restart PostgreSQL. Only talks to 127.0.0.1; bounded by <seconds> plus a 20 s warm-up.
set -u
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
C=$1; B=$2; S=$3; J=${4:-}
KEY=bench-admin-key-0123456789; HTTP=18300; DB=sb_prof
DATA=$(mktemp -d)
dropdb -h 127.0.0.1 -U postgres --if-exists $DB; createdb -h 127.0.0.1 -U postgres $DB
psql -h 127.0.0.1 -U postgres -d $DB -qc "create extension if not exists pg_stat_statements"
JFR=; [ -n "$J" ] && JFR="-XX:StartFlightRecording=filename=/tmp/prof.jfr,settings=profile,delay=25s,duration=${S}s"
SWITCHBOARD_HOST=127.0.0.1 SWITCHBOARD_HTTP_PORT=$HTTP SWITCHBOARD_SOCKET_PORT=$((HTTP+1)) SWITCHBOARD_DATA_DIR=$DATA \
SWITCHBOARD_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SWITCHBOARD_DB_USER=postgres SWITCHBOARD_API_KEYS=$KEY:admin \
SWITCHBOARD_RATE_LIMIT=0 SWITCHBOARD_ACCESS_LOG=${ACCESS_LOG:-on} \
  $JAVA_HOME/bin/java -Xms1g -Xmx2g $JFR --sun-misc-unsafe-memory-access=allow -jar call-server/target/call-server.jar > /tmp/prof-server.log 2>&1 &
PID=$!
for _ in $(seq 1 600); do curl -fs -o /dev/null http://127.0.0.1:$HTTP/observe/health/ready && break; sleep 0.1; done
KEY=$KEY RUN=warm wrk -t16 -c16 -d20s -s benchmarks/wrk/lifecycles.lua http://127.0.0.1:$HTTP >/dev/null 2>&1
psql -h 127.0.0.1 -U postgres -d $DB -qAtc "select pg_stat_statements_reset()" >/dev/null
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
pgcpu() { local t=0; for p in $(pgrep -u postgres); do v=$(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null); t=$((t+${v:-0})); done; echo $t; }
wal0=$(psql -h 127.0.0.1 -U postgres -Atc "select pg_current_wal_lsn()")
s0=$(cpu $PID); p0=$(pgcpu); t0=$(awk '{print $1+$2+$3+$4+$5+$6+$7}' /proc/stat | head -1); 
TIMEFORMAT="%U %S"; { time KEY=$KEY RUN=p$RANDOM BATCH=$B wrk -t$C -c$C -d${S}s --latency -s benchmarks/wrk/lifecycles.lua http://127.0.0.1:$HTTP > /tmp/prof-wrk.txt 2>&1 ; } 2> /tmp/prof-wrk-cpu.txt
s1=$(cpu $PID); p1=$(pgcpu)
wal1=$(psql -h 127.0.0.1 -U postgres -Atc "select pg_current_wal_lsn()")
rps=$(awk '/Requests\/sec/ {print $2}' /tmp/prof-wrk.txt)
per=$(( B > 0 ? B*6 : 1 ))
ev=$(echo "$rps*$per" | bc -l)
n=$(echo "$ev*$S" | bc -l)
echo "events/s $ev"
grep -E "^ +(50|99)%|Non-2xx|p99=" /tmp/prof-wrk.txt
echo "server cpu us/event: $(echo "($s1-$s0)*10000/$n" | bc -l | cut -c1-6)  postgres cpu us/event: $(echo "($p1-$p0)*10000/$n" | bc -l | cut -c1-6)"
echo "wrk cpu us/event: $(awk -v n=$n '{print ($1+$2)*1e6/n}' /tmp/prof-wrk-cpu.txt)"
echo "WAL bytes/event: $(psql -h 127.0.0.1 -U postgres -Atc "select pg_wal_lsn_diff('$wal1','$wal0')/$n")"
psql -h 127.0.0.1 -U postgres -d $DB -c "select calls, round(total_exec_time::numeric,0) ms, round((total_exec_time/calls)::numeric,3) mean_ms, rows, left(regexp_replace(query,'\s+',' ','g'),90) q from pg_stat_statements order by total_exec_time desc limit 12"
psql -h 127.0.0.1 -U postgres -d $DB -Atc "select count(*) from call_events"
[ -n "$J" ] && sleep 3
kill -TERM $PID; wait $PID
