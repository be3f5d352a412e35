-- wrk script: every wrk thread drives full call lifecycles (initiated, routed, answered, hold,
-- resumed, ended), one event per request, in order.
--   KEY=<ingest key> wrk -t64 -c64 -d30s -s benchmarks/wrk/lifecycles.lua http://127.0.0.1:8080
-- With one connection per thread (-t N -c N) a thread's events of a call go out one after the other.
-- With several (CONNS=32 wrk -t2 -c64: a thread's connections share its request()), a thread
-- rotates over 8 x CONNS calls, so a call's next event goes out only after 8 x CONNS more requests
-- of that thread were sent, each once one before it was answered: for two of one call's events to
-- be reordered, the first would have to stay unanswered through eight answers on every other
-- connection. The server would refuse the second (a non-2xx, which the run prints), never
-- apply it out of order.
-- BATCH=20 sends each request as an array of 20 lifecycles (120 events).
-- LIVE=100000 THREADS=8 (single events only): each thread first opens LIVE/THREADS calls that stay
-- live (initiated, routed, answered), then full lifecycles (benchmarks/live-calls-rss.sh).

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local types = {"call_initiated", "call_routed", "call_answered", "call_hold", "call_resumed", "call_ended"}
local queues = {"medical_spanish", "medical_english", "legal_french"}

function init(args)
  key = os.getenv("KEY")
  batch = tonumber(os.getenv("BATCH") or "0")
  run = os.getenv("RUN") or tostring(os.time())
  live = math.floor(tonumber(os.getenv("LIVE") or "0") / tonumber(os.getenv("THREADS") or "1"))
  n = 0
  step = 6
  -- CONNS > 1: the calls this thread rotates over, each {id, step}
  local conns = tonumber(os.getenv("CONNS") or "1")
  slots = {}
  if conns > 1 and batch == 0 then
    for i = 1, 8 * conns do
      slots[i] = {nil, 6}
    end
  end
  slot = 0
  -- the request head is the same for every request but its length: made once (wrk.format builds
  -- a table of headers per request, which was a good part of wrk's own CPU per request)
  head = "POST /api/events HTTP/1.1\r\nHost: " .. wrk.headers["Host"] .. "\r\nContent-Type: application/json\r\n"
    .. "X-API-Key: " .. key .. "\r\nContent-Length: "
end

local function event(call, s)
  local data
  if s == 1 then
    data = '{"type":"voice","queue_id":"' .. queues[(n % 3) + 1] .. '"}'
  elseif s == 2 then
    data = '{"agent_id":"wrk-agent-' .. tid .. '"}'
  elseif s == 6 then
    data = '{"end_reason":"completed","duration":120}'
  else
    data = '{}'
  end
  return '{"event_id":"' .. call .. '-' .. s .. '","type":"' .. types[s] .. '","call_id":"' .. call .. '","data":' .. data .. '}'
end

function request()
  if not primed then
    -- wrk builds one request per thread before connecting and does not send it: keep state intact
    primed = true
    return wrk.format("GET", "/observe/health/live")
  end
  local body
  if batch > 0 then
    local parts = {}
    local calls = {}
    for c = 1, batch do
      n = n + 1
      calls[c] = "r" .. run .. "-t" .. tid .. "-" .. n
    end
    for s = 1, 6 do
      for c = 1, batch do
        parts[#parts + 1] = event(calls[c], s)
      end
    end
    body = "[" .. table.concat(parts, ",") .. "]"
  elseif #slots > 0 then
    slot = slot % #slots + 1
    local c = slots[slot]
    if c[2] >= 6 then
      n = n + 1
      c[1] = "r" .. run .. "-t" .. tid .. "-" .. n
      c[2] = 0
    end
    c[2] = c[2] + 1
    body = event(c[1], c[2])
  else
    -- a call that stays live takes steps 1..3 and is left answered; the others take 1..6
    if step >= ((n < live) and 3 or 6) then
      step = 0
      n = n + 1
    end
    step = step + 1
    body = event("r" .. run .. "-t" .. tid .. "-" .. n, step)
  end
  return head .. #body .. "\r\n\r\n" .. body
end

-- no response(): wrk counts statuses over 399 itself (summary.errors.status, printed by done), and
-- a response() makes it hand every response's headers and body to Lua

function done(summary, latency, requests)
  io.write(string.format("p50=%.2fms p90=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
  io.write(string.format("non-2xx/3xx: %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
