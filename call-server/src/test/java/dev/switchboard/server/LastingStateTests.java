package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.EngineState;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.rules.TimerKind;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.switchboard.server.Await.waitFor;
import static dev.switchboard.server.LifecycleTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State that lasts: a start from a snapshot equals a full replay; supervisor actions are ordered
 * log entries that survive a restart; idle calls expire; retention deletes old ended calls; the
 * narrow log gives back on the wire exactly what was sent live.
 */
abstract class LastingStateTests {

    abstract TestServer.Backend backend();

    private static final Map<String, String> SHORT_TIMERS = Map.of("SWITCHBOARD_SLA_MAX_WAIT", "PT1S",
        "SWITCHBOARD_RING_TIMEOUT", "PT1S", "SWITCHBOARD_MAX_HOLD", "PT1S");

    private static final Map<String, List<String>> AGENTS = Map.of(
        "medical_spanish", List.of("ana_garcia", "luis_martinez", "sofia_lopez", "agent_55"),
        "medical_english", List.of("emma_smith", "james_brown", "olivia_jones"),
        "legal_french", List.of("chloe_martin", "lucas_bernard"));
    private static final List<String> QUEUES = List.of("medical_spanish", "medical_english", "legal_french");

    private static void created(HttpResponse<String> r) {
        assertTrue(r.statusCode() == 201 || r.statusCode() == 409, r.statusCode() + " " + r.body());
    }

    /**
     * Calls in every shape, routed to every agent: left queued (SLA breach), left ringing (ring
     * timeouts, re-routes, auto-breaks), answered, on hold (hold exceeded), ended, abandoned.
     */
    private static void traffic(TestServer s, String prefix, int calls) {
        Map<String, Integer> routed = new java.util.HashMap<>();
        for (int i = 0; i < calls; i++) {
            String id = prefix + i;
            String queue = QUEUES.get(i % 3);
            List<String> agents = AGENTS.get(queue);

            created(s.postEvent(Events.initiated(id + "-1", id, queue)));
            int shape = i % 6;
            if (shape == 5) {
                created(s.postEvent(Events.ended(id + "-9", id, "caller_hangup")));
                continue;
            }
            if (shape >= 1) {   // every agent of the queue in turn
                String agent = agents.get(routed.merge(queue, 1, Integer::sum) % agents.size());
                created(s.postEvent(Events.routed(id + "-2", id, agent)));
            }
            if (shape >= 2) {
                created(s.postEvent(Events.simple(id + "-3", "call_answered", id)));
            }
            if (shape == 3) {
                created(s.postEvent(Events.simple(id + "-4", "call_hold", id)));
            }
            if (shape == 4) {
                created(s.postEvent(Events.ended(id + "-9", id, "completed")));
            }
        }
    }

    /** Waits until nothing has been committed for 2.5 s (the short timers have all fired). */
    private static void quiesce(TestServer s) throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        long seq = -1;
        long since = System.currentTimeMillis();
        while (System.currentTimeMillis() < end) {
            long now = s.app().ingestor().appliedSeq();
            if (now != seq) {
                seq = now;
                since = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - since > 2_500) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server never went quiet");
    }

    /** Everything the engine knows that a start must rebuild: live calls, timers, agents, queues. */
    private static Map<String, Object> picture(TestServer s) {
        return s.app().ingestor().withEngine(e -> {
            EngineState state = e.state();
            Map<String, Object> p = new TreeMap<>();
            for (Call c : state.liveCalls()) {
                p.put("call " + c.id(), c);
                for (TimerKind k : TimerKind.values()) {
                    p.put("timer " + c.id() + " " + k, e.timerDeadline(c.id(), k).orElse(-1L));
                }
            }
            p.put("agents", state.agents());
            p.put("queues", state.queues());
            p.put("timers", e.pendingTimers());
            return p;
        });
    }

    private static List<String> differences(Map<String, Object> expected, Map<String, Object> actual) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            if (!java.util.Objects.equals(expected.get(k), actual.get(k))) {
                out.add(k + ": " + expected.get(k) + " <> " + actual.get(k));
            }
        }
        return out;
    }

    private static void sql(TestServer s, String statement) throws Exception {
        try (Connection c = s.jdbc(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static HttpResponse<String> available(TestServer s, String agent) {
        return s.post("/api/agents/" + agent + "/available", TestServer.SUPERVISOR_KEY, "application/json", "{}");
    }

    @Test
    void aStartFromASnapshotAndTheEntriesAfterItEqualsAFullReplay() throws Exception {
        try (TestServer s = TestServer.start(backend(), SHORT_TIMERS)) {
            traffic(s, "a", 36);
            quiesce(s);
            s.app().ingestor().snapshotNow();
            long mid = s.app().ingestor().snapshotSeq();
            assertEquals(s.app().ingestor().appliedSeq(), mid);
            for (List<String> agents : AGENTS.values()) {
                for (String agent : agents) {
                    assertEquals(200, available(s, agent).statusCode());   // releases from auto-break
                }
            }
            JsonNode open = json(s.get("/api/alerts?open=true"));
            assertTrue(open.size() > 2, "alerts to acknowledge: " + open);
            for (int i = 0; i < 2; i++) {
                String alert = open.get(i).path("id").asText();
                assertEquals(200, s.post("/api/alerts/" + alert + "/ack", TestServer.SUPERVISOR_KEY, "application/json", "")
                    .statusCode());
            }
            traffic(s, "b", 36);
            quiesce(s);
            long last = s.app().ingestor().appliedSeq();
            Map<String, Object> live = picture(s);
            assertTrue(live.keySet().stream().filter(k -> k.startsWith("call ")).count() > 20, "live calls left");

            s.stop();                                            // a clean stop: a snapshot at the last seq
            sql(s, "DELETE FROM snapshots WHERE seq > " + mid);   // start from the one in the middle instead
            s.startAgain();
            assertEquals(mid, s.app().ingestor().startSnapshotSeq());
            assertEquals(last - mid, s.app().replayed(), "only the entries after the snapshot are replayed");
            Map<String, Object> fromSnapshot = picture(s);

            s.stop();
            sql(s, "DELETE FROM snapshots");
            s.startAgain();
            assertEquals(0, s.app().ingestor().startSnapshotSeq());
            assertEquals(last, s.app().replayed(), "the whole log");
            Map<String, Object> fullReplay = picture(s);

            assertEquals(List.of(), differences(fullReplay, fromSnapshot));
            assertEquals(List.of(), differences(fullReplay, live), "and both equal the engine that lived it");
        }
    }

    @Test
    void supervisorActionsAreEntriesOfTheLogInSeqOrderAndSurviveARestart() throws Exception {
        try (TestServer s = TestServer.start(backend(), SHORT_TIMERS)) {
            List<String> liveCallEvents = new ArrayList<>();
            List<String> liveAcks = new ArrayList<>();
            List<String> liveAgentEvents = new ArrayList<>();
            String alertId;
            String stateSince;
            try (SocketClient c = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
                assertTrue(c.await("connect", 5_000));
                c.subscribe(null);
                // chloe_martin misses three rings in a row: on break
                for (int i = 0; i < 3; i++) {
                    created(s.postEvent(Events.initiated("i", "sup-" + i, "legal_french")));
                    created(s.postEvent(Events.routed("r", "sup-" + i, "chloe_martin")));
                    Thread.sleep(1_300);
                }
                waitFor(() -> stateOf(s, "chloe_martin").equals("on_break"), 5_000, "chloe on break");
                alertId = json(s.get("/api/alerts?open=true")).get(0).path("id").asText();
                HttpResponse<String> ack = s.post("/api/alerts/" + alertId + "/ack", TestServer.SUPERVISOR_KEY,
                    "application/json", "");
                assertEquals(200, ack.statusCode(), ack.body());
                String by = json(ack).path("acked_by").asText();
                assertTrue(by.matches("key:[0-9a-f]{8}"), "a fingerprint: " + by);
                assertFalse(ack.body().contains(TestServer.SUPERVISOR_KEY), "never the key");
                HttpResponse<String> again = s.post("/api/alerts/" + alertId + "/ack", TestServer.SUPERVISOR_KEY,
                    "application/json", "");
                assertEquals(json(ack).path("acked_at"), json(again).path("acked_at"), "a second ack changes nothing");

                HttpResponse<String> released = available(s, "chloe_martin");
                assertEquals(200, released.statusCode());
                assertEquals("available", json(released).path("state").asText());
                stateSince = json(released).path("state_since").asText();
                quiesce(s);
                waitFor(() -> c.acks.size() == 1 && c.agentEvents.size() == 1, 5_000, "the pushes of both actions");
                Thread.sleep(300);
                assertEquals(1, c.acks.size(), "one alert_acked: " + c.acks);

                JSONObject ackPush = c.acks.get(0);
                long ackSeq = ackPush.getLong("ack_seq");
                assertEquals(alertId, ackPush.getString("id"));
                assertEquals(by, ackPush.getString("acked_by"));
                JSONObject agentPush = c.agentEvents.get(0);
                assertEquals("agent_available", agentPush.getJSONObject("event").getString("type"));
                assertEquals("chloe_martin", agentPush.getJSONObject("event").getJSONObject("metadata").getString("agent_id"));
                assertEquals(by, agentPush.getJSONObject("event").getJSONObject("metadata").getString("by"));
                assertTrue(agentPush.getLong("seq") > ackSeq);
                // in seq order with everything else: the ack's call_event, then its alert_acked
                int at = c.arrivals.indexOf("call_event:" + ackSeq);
                assertTrue(at >= 0, c.arrivals.toString());
                assertEquals("alert_acked:" + ackSeq, c.arrivals.get(at + 1));
                long previous = -1;
                for (String arrival : c.arrivals) {
                    long seq = Long.parseLong(arrival.substring(arrival.indexOf(':') + 1));
                    assertTrue(seq >= previous, "in seq order: " + c.arrivals);
                    previous = seq;
                }
                c.callEvents.forEach(e -> liveCallEvents.add(e.toString()));
                c.acks.forEach(e -> liveAcks.add(e.toString()));
                c.agentEvents.forEach(e -> liveAgentEvents.add(e.toString()));
            }
            JsonNode history = json(s.get("/api/calls/" + json(s.get("/api/alerts")).get(0).path("call_id").asText()
                + "/events"));
            assertTrue(history.toString().contains("\"alert_acked\""), "the ack is in the call's history");

            s.stop();
            s.startAgain();
            assertEquals("available", stateOf(s, "chloe_martin"), "the release lasts");
            assertEquals(stateSince, agent(s, "chloe_martin").path("state_since").asText());
            JsonNode stored = json(s.get("/api/alerts")).findValues("id").stream().anyMatch(n -> n.asText().equals(alertId))
                ? findAlert(s, alertId) : null;
            assertTrue(stored != null && stored.path("acked_by").asText().startsWith("key:"), String.valueOf(stored));

            // the narrow log gives back exactly what was pushed live
            try (SocketClient r = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
                assertTrue(r.await("connect", 5_000));
                r.subscribe(null);
                r.resume(0);
                List<String> resumed = new ArrayList<>();
                r.callEvents.forEach(e -> resumed.add(e.toString()));
                assertEquals(liveCallEvents, resumed);
                assertEquals(liveAcks, r.acks.stream().map(JSONObject::toString).toList());
                assertEquals(liveAgentEvents, r.agentEvents.stream().map(JSONObject::toString).toList());
            }
        }
    }

    private static JsonNode agent(TestServer s, String id) {
        for (JsonNode a : json(s.get("/api/agents"))) {
            if (a.path("id").asText().equals(id)) {
                return a;
            }
        }
        throw new AssertionError("no agent " + id);
    }

    private static String stateOf(TestServer s, String id) {
        return agent(s, id).path("state").asText();
    }

    private static JsonNode findAlert(TestServer s, String id) {
        for (JsonNode a : json(s.get("/api/alerts"))) {
            if (a.path("id").asText().equals(id)) {
                return a;
            }
        }
        return null;
    }

    @Test
    void aResendAfterARestartGetsTheOriginalReply() {
        try (TestServer s = TestServer.start(backend())) {
            String id = "resend-" + backend();
            created(s.postEvent(Events.initiated("r1", id, "medical_spanish")));
            created(s.postEvent(Events.routed("r2", id, "ana_garcia")));
            created(s.postEvent(Events.simple("r3", "call_answered", id)));
            HttpResponse<String> end = s.postEvent(Events.ended("r4", id, "completed"));   // short call: alert, flags
            assertEquals(201, end.statusCode());
            s.stop();
            s.startAgain();
            HttpResponse<String> resent = s.postEvent(Events.ended("r4", id, "completed"));
            assertEquals(200, resent.statusCode());
            JsonNode first = json(end);
            JsonNode again = json(resent);
            assertTrue(again.path("duplicate").asBoolean());
            ((com.fasterxml.jackson.databind.node.ObjectNode) again).put("duplicate", false);
            assertEquals(first, again, "the original reply, derived from the history");
            assertEquals(1, first.path("alerts").size(), "the short-call alert of that decision");
        }
    }

    @Test
    void aCallWithNoEventForTheMaximumIdleTimeIsEndedAsExpiredAlsoAcrossARestart() throws Exception {
        try (TestServer s = TestServer.start(backend(), Map.of("SWITCHBOARD_CALL_MAX_IDLE", "PT1S"))) {
            try (SocketClient c = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
                assertTrue(c.await("connect", 5_000));
                c.subscribe(null);
                created(s.postEvent(Events.initiated("x1", "idle-1", "medical_spanish")));
                waitFor(() -> c.callEvents.stream().anyMatch(e -> e.optJSONObject("event").optString("type").equals("call_ended")),
                    5_000, "the system's call_ended");
                JSONObject ended = c.callEvents.stream()
                    .filter(e -> e.optJSONObject("event").optString("type").equals("call_ended")).findFirst().orElseThrow();
                assertEquals("system", ended.getJSONObject("event").getJSONObject("metadata").getString("source"));
                assertEquals("expired", ended.getJSONObject("call").getString("end_reason"));
            }
            JsonNode call = json(s.get("/api/calls/idle-1"));
            assertEquals("ended", call.path("status").asText());
            assertEquals("expired", call.path("end_reason").asText());
            assertFalse(call.path("flags").toString().contains("abandoned"), "not counted as abandoned");
            assertEquals(0, json(s.get("/api/queues")).get(0).path("metrics").path("waiting_now").asInt());

            created(s.postEvent(Events.initiated("x1", "idle-2", "medical_spanish")));
            s.stop();
            Thread.sleep(1_500);                                   // its deadline passes while down
            s.startAgain();
            waitFor(() -> json(s.get("/api/calls/idle-2")).path("status").asText().equals("ended"), 5_000, "expiry at start");
            Thread.sleep(300);
            long ends = 0;
            for (JsonNode e : json(s.get("/api/calls/idle-2/events"))) {
                ends += e.path("type").asText().equals("call_ended") ? 1 : 0;
            }
            assertEquals(1, ends, "expired once");
        }
    }

    @Test
    void retentionDeletesEndedCallsOlderThanItAndNothingElse() throws Exception {
        try (TestServer s = TestServer.start(backend(), Map.of("SWITCHBOARD_RETENTION", "PT2S"))) {
            created(s.postEvent(Events.initiated("o1", "old", "medical_spanish")));
            created(s.postEvent(Events.routed("o2", "old", "ana_garcia")));
            created(s.postEvent(Events.simple("o3", "call_answered", "old")));
            created(s.postEvent(Events.ended("o4", "old", "completed")));       // short call: an alert
            created(s.postEvent(Events.initiated("l1", "still-live", "medical_spanish")));
            assertTrue(findAlertOf(s, "old"));
            Thread.sleep(2_300);
            created(s.postEvent(Events.initiated("n1", "recent", "medical_english")));
            created(s.postEvent(Events.ended("n2", "recent", "caller_hangup")));

            var deleted = s.app().retention().run(Instant.now());
            assertEquals(1, deleted.calls(), String.valueOf(deleted));
            assertEquals(404, s.get("/api/calls/old").statusCode());
            assertEquals(404, s.get("/api/calls/old/events").statusCode());
            assertFalse(findAlertOf(s, "old"), "its alerts go with it");
            assertEquals(200, s.get("/api/calls/still-live").statusCode(), "live calls are never deleted");
            assertEquals(200, s.get("/api/calls/recent").statusCode(), "ended within the retention: kept");
            created(s.postEvent(Events.routed("l2", "still-live", "luis_martinez")));
            assertEquals(0, s.app().retention().run(Instant.now()).calls(), "nothing more to delete");
            assertNotEquals(0, s.app().retention().deletedCalls());
        }
    }

    private static boolean findAlertOf(TestServer s, String callId) {
        for (JsonNode a : json(s.get("/api/alerts"))) {
            if (a.path("call_id").asText().equals(callId)) {
                return true;
            }
        }
        return false;
    }
}
