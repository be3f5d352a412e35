#!/usr/bin/env bash
# Takes docs/screenshots/console-traffic.png: a real call-server (java -jar, its own ports and data
# directory, loopback only) with the demo morning from seed-demo.sh, its traffic generator started
# by an admin (POST /api/traffic) and playing calls; the console signed in under Xvfb with queue
# names in the table and the Traffic tab open. Then docs/screenshots/console-alerts.png: the
# generator stopped (its calls' SLA alerts resolve by themselves), a note typed and the alerts left
# acknowledged at once (Ack all).
# Needs: xvfb, xdotool, imagemagick, and both jars built (./mvnw -pl supervisor-console -am package -DskipTests).
#
# Run it as: xvfb-run -a -s '-screen 0 1280x800x24' supervisor-console/demo/screenshot-traffic.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/supervisor-console/demo/screenshot-server.sh"   # JAVA, HTTP, SOCK, DATA, ADMIN, BASE, OUT, start_server

cleanup() {
  curl -s -o /dev/null -X DELETE "$BASE/api/traffic" -H "X-API-Key: $ADMIN" || true
  kill "${CONSOLE:-}" "${SERVER:-}" 2>/dev/null || true
}
trap cleanup EXIT

start_server "$ADMIN:admin"

"$ROOT/supervisor-console/demo/seed-demo.sh" "$BASE" "$ADMIN" > /dev/null
curl -sS -o /dev/null -w 'traffic: %{http_code}\n' -X POST "$BASE/api/traffic" -H "X-API-Key: $ADMIN" \
  -H 'Content-Type: application/json' -d '{"calls_per_minute": 40, "duration": "PT15M"}'

SWITCHBOARD_CONSOLE_KEY=$ADMIN "$JAVA" --enable-native-access=ALL-UNNAMED -Dswitchboard.home="$DATA/home" \
  -jar "$ROOT/supervisor-console/target/supervisor-console.jar" --server="$BASE" > "$DATA/console.log" 2>&1 &
CONSOLE=$!
sleep 45   # a few dozen generated calls: waiting, talking, on hold, some past the SLA

# the Traffic tab of the metrics panel
xdotool mousemove "${TRAFFIC_TAB_X:-200}" "${TRAFFIC_TAB_Y:-527}" click 1
sleep 3
import -window root "$OUT/console-traffic.png"
echo "wrote $OUT/console-traffic.png"

# alerts: the generator stopped (its calls end, so their SLA alerts resolve by themselves and no new
# notification covers the list), then a note and Ack all (one request) for what is left open
curl -sS -o /dev/null -w 'traffic stopped: %{http_code}\n' -X DELETE "$BASE/api/traffic" -H "X-API-Key: $ADMIN"
sleep 8
xdotool mousemove "${NOTE_X:-1080}" "${NOTE_Y:-181}" click 1
xdotool type --delay 20 "busy hour, called back"
xdotool mousemove "${ACK_ALL_X:-1208}" "${ACK_ALL_Y:-145}" click 1
sleep 8
import -window root "$OUT/console-alerts.png"
echo "wrote $OUT/console-alerts.png"
