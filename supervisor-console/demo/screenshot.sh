#!/usr/bin/env bash
# Takes docs/console.png: a real call-server (java -jar, fresh data in a temp dir, loopback only),
# the demo morning from seed-demo.sh, the console signed in under Xvfb, a call selected and an
# alert arriving. Needs: xvfb, xdotool, imagemagick (apt-get install -y xvfb xdotool imagemagick),
# and both jars built (./mvnw -pl supervisor-console -am package -DskipTests).
#
# Run it as: xvfb-run -a -s '-screen 0 1280x800x24' supervisor-console/demo/screenshot.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
WORK=$(mktemp -d)
HTTP=${HTTP_PORT:-28080}
SOCK=${SOCKET_PORT:-28081}
ADMIN=demo-admin-key-0123456789
BASE=http://127.0.0.1:$HTTP
OUT=${1:-$ROOT/docs/console.png}

cleanup() { kill "${CONSOLE:-}" "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

if curl -s -o /dev/null "http://127.0.0.1:$HTTP/"; then
  echo "port $HTTP is taken; set HTTP_PORT and SOCKET_PORT to free ones" >&2; exit 1
fi
(cd "$WORK" && SWITCHBOARD_HOST=127.0.0.1 SWITCHBOARD_HTTP_PORT=$HTTP SWITCHBOARD_SOCKET_PORT=$SOCK \
  SWITCHBOARD_API_KEYS="$ADMIN:admin" SWITCHBOARD_SLA_MAX_WAIT=PT20S \
  exec "$JAVA" -jar "$ROOT/call-server/target/call-server.jar" > server.log 2>&1) &
SERVER=$!
for _ in $(seq 240); do curl -sf -H "X-API-Key: $ADMIN" "$BASE/api/info" > /dev/null && break; sleep 0.5; done

"$ROOT/supervisor-console/demo/seed-demo.sh" "$BASE" "$ADMIN" > /dev/null

SWITCHBOARD_CONSOLE_KEY=$ADMIN "$JAVA" --enable-native-access=ALL-UNNAMED -Dswitchboard.home="$WORK/home" \
  -jar "$ROOT/supervisor-console/target/supervisor-console.jar" --server="$BASE" > "$WORK/console.log" 2>&1 &
CONSOLE=$!

post() { curl -sS -o /dev/null -X POST "$BASE/api/events" -H "X-API-Key: $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"type\":\"$2\",\"call_id\":\"$1\",\"data\":$3}"; }

# a minute of the center moving, so the chart has a history
sleep 8
post c-1030 call_initiated '{"type":"voice","queue_id":"medical_english"}'; sleep 6
post c-1031 call_initiated '{"type":"video","queue_id":"medical_spanish"}'; sleep 6
post c-1020 call_routed '{"agent_id":"ana_garcia"}'; sleep 4
post c-1020 call_answered '{"wait_time":38}'; sleep 6
post c-1032 call_initiated '{"type":"voice","queue_id":"legal_french"}'; sleep 6
post c-1023 call_routed '{"agent_id":"emma_smith"}'; post c-1023 call_answered '{}'; sleep 6
post c-1033 call_initiated '{"type":"voice","queue_id":"medical_spanish"}'; sleep 8

# show a call's history: the first row of the table
xdotool mousemove 120 236 click 1
sleep 2
# and an alert arriving as the picture is taken: a hold reported past the maximum
post c-1014 call_hold '{"hold_duration":75}'
sleep 1.5
mkdir -p "$(dirname "$OUT")"
import -window root "$OUT"
echo "wrote $OUT"
