#!/usr/bin/env bash
# Takes docs/screenshots/console-presence.png (and console-reports.png): a real call-server
# (java -jar, its own ports and data directory, loopback only), the demo morning from seed-demo.sh,
# agents set not ready, logged out and back over POST /api/agents/{id}/presence, the console
# signed in under Xvfb with the Agents tab open; then the Reports tab for today.
# Needs: xvfb, xdotool, imagemagick, and both jars built (./mvnw -pl supervisor-console -am package -DskipTests).
#
# Run it as: xvfb-run -a -s '-screen 0 1280x800x24' supervisor-console/demo/screenshot-presence.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/supervisor-console/demo/screenshot-server.sh"   # JAVA, HTTP, SOCK, DATA, ADMIN, BASE, OUT, start_server
AGENT_DESK=demo-ingest-key-0123456789

cleanup() { kill "${CONSOLE:-}" "${SERVER:-}" 2>/dev/null || true; }
trap cleanup EXIT

start_server "$ADMIN:admin,$AGENT_DESK:ingest"

presence() {   # presence <agent> <key> <json>
  curl -sS -o /dev/null -w '%{http_code} ' -X POST "$BASE/api/agents/$1/presence" -H "X-API-Key: $2" \
    -H 'Content-Type: application/json' -d "$3"
}
post() { curl -sS -o /dev/null -X POST "$BASE/api/events" -H "X-API-Key: $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"type\":\"$2\",\"call_id\":\"$1\",\"data\":$3}"; }

"$ROOT/supervisor-console/demo/seed-demo.sh" "$BASE" "$ADMIN" > /dev/null
# the agents' desktops: one to lunch, one in training, one not signed in yet
presence emma_smith "$AGENT_DESK" '{"state":"not_ready","reason":"lunch"}'
presence ana_garcia "$AGENT_DESK" '{"state":"not_ready","reason":"training"}'
presence lucas_bernard "$AGENT_DESK" '{"state":"logged_out"}'

SWITCHBOARD_CONSOLE_KEY=$ADMIN "$JAVA" --enable-native-access=ALL-UNNAMED -Dswitchboard.home="$DATA/home" \
  -jar "$ROOT/supervisor-console/target/supervisor-console.jar" --server="$BASE" > "$DATA/console.log" 2>&1 &
CONSOLE=$!
sleep 10

# the center moves: a call answered late, one abandoned after a long wait, a supervisor's change
post c-1040 call_initiated '{"type":"voice","queue_id":"medical_english"}'; sleep 4
post c-1023 call_routed '{"agent_id":"olivia_jones"}'; post c-1023 call_answered '{"wait_time":44}'; sleep 3
post c-1021 call_ended '{"end_reason":"caller_hung_up"}'; sleep 3
presence james_brown "$ADMIN" '{"state":"not_ready","reason":"coaching"}'; sleep 3
presence ana_garcia "$AGENT_DESK" '{"state":"available"}'; sleep 3

# the Agents tab of the metrics panel, and an agent selected
xdotool mousemove "${AGENTS_TAB_X:-142}" "${AGENTS_TAB_Y:-527}" click 1
sleep 1
xdotool mousemove 300 690 click 5 click 5 click 5   # scroll to the agents not ready
sleep 1
xdotool mousemove "${AGENT_ROW_X:-80}" "${AGENT_ROW_Y:-668}" click 1
sleep 2
import -window root "$OUT/console-presence.png"
echo "wrote $OUT/console-presence.png"

# the Reports tab (today, by hour)
xdotool mousemove "${REPORTS_TAB_X:-104}" "${REPORTS_TAB_Y:-93}" click 1
sleep 4
import -window root "$OUT/console-reports.png"
echo "wrote $OUT/console-reports.png"
