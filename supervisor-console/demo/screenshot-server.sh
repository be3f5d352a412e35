# Sourced by the screenshot scripts (after they set ROOT; $1 of the script, if any, is where the
# pictures go): the settings they share, and start_server KEYS, which starts a real call-server
# (call-server/target/call-server.jar) on the loopback with its own ports and data directory, the
# API keys KEYS (SWITCHBOARD_API_KEYS) and a 20 s SLA, sets SERVER to its pid and waits until it answers.
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
HTTP=${SWITCHBOARD_HTTP_PORT:-18480}
SOCK=${SWITCHBOARD_SOCKET_PORT:-18481}
DATA=${SWITCHBOARD_DATA_DIR:-$(mktemp -d)}
ADMIN=demo-admin-key-0123456789
BASE=http://127.0.0.1:$HTTP
OUT=${1:-$ROOT/docs/screenshots}

start_server() {
  if curl -s -o /dev/null "$BASE/"; then
    echo "port $HTTP is taken; set SWITCHBOARD_HTTP_PORT and SWITCHBOARD_SOCKET_PORT to free ones" >&2; exit 1
  fi
  mkdir -p "$DATA" "$OUT"
  (cd "$DATA" && SWITCHBOARD_HOST=127.0.0.1 SWITCHBOARD_HTTP_PORT=$HTTP SWITCHBOARD_SOCKET_PORT=$SOCK \
    SWITCHBOARD_DATA_DIR="$DATA" SWITCHBOARD_API_KEYS="$1" SWITCHBOARD_SLA_MAX_WAIT=PT20S \
    exec "$JAVA" -jar "$ROOT/call-server/target/call-server.jar" > "$DATA/server.log" 2>&1) &
  SERVER=$!
  for _ in $(seq 240); do curl -sf -H "X-API-Key: $ADMIN" "$BASE/api/info" > /dev/null && break; sleep 0.5; done
}
