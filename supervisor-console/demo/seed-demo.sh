#!/usr/bin/env bash
# Posts a small, realistic morning to a running call-server so the console has something to show:
# calls waiting, ringing, talking and on hold in the three default queues, a few ended ones, and
# (after the SLA) alerts. Usage: seed-demo.sh [base-url] [ingest-or-admin-key]
set -euo pipefail
BASE=${1:-http://127.0.0.1:8080}
KEY=${2:?an ingest or admin key}

post() {   # post <call> <type> <data-json>
  curl -sS -o /dev/null -w '%{http_code} ' -X POST "$BASE/api/events" \
    -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
    -d "{\"type\":\"$2\",\"call_id\":\"$1\",\"data\":$3}"
}
start() { post "$1" call_initiated "{\"type\":\"$3\",\"queue_id\":\"$2\"}"; }
route() { post "$1" call_routed "{\"agent_id\":\"$2\"}"; }
answer() { post "$1" call_answered "{\"wait_time\":${2:-8}}"; }   # the wait the platform measured
hold() { post "$1" call_hold '{}'; }
end_call() { post "$1" call_ended "{\"end_reason\":\"${2:-completed}\"}"; }

# finished earlier
start c-1001 medical_spanish video; route c-1001 ana_garcia; answer c-1001 14; end_call c-1001
start c-1002 medical_english voice; route c-1002 emma_smith; answer c-1002 41; end_call c-1002
start c-1003 legal_french voice; end_call c-1003 caller_hung_up

# talking
start c-1010 medical_spanish video; route c-1010 luis_martinez; answer c-1010 9
start c-1011 medical_english voice; route c-1011 james_brown; answer c-1011 22
start c-1012 legal_french video; route c-1012 chloe_martin; answer c-1012 17
sleep 2
start c-1013 medical_spanish voice; route c-1013 sofia_lopez; answer c-1013 12; hold c-1013
start c-1014 medical_english video; route c-1014 olivia_jones; answer c-1014 6

# waiting and ringing
start c-1020 medical_spanish video
sleep 1
start c-1021 medical_spanish voice
start c-1022 legal_french voice; route c-1022 lucas_bernard
sleep 1
start c-1023 medical_english video
start c-1024 medical_spanish voice; route c-1024 agent_55
echo
