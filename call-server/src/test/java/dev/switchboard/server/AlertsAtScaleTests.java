package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.switchboard.server.Await.waitFor;
import static dev.switchboard.server.LifecycleTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alerts at scale over the real routes: acknowledging many at once (by ids, queue, kind, all, with a
 * note), alerts that resolve themselves when their call moves on, and the Call JSON's last event
 * type; every acknowledgement and resolution an entry of the ordered log, pushed, and the same
 * after a restart (from a snapshot and from the whole log).
 */
abstract class AlertsAtScaleTests {

    abstract TestServer.Backend backend();

    /** Breaches and holds within a second; rings never time out during a test. */
    private static final Map<String, String> SHORT_TIMERS = Map.of("SWITCHBOARD_SLA_MAX_WAIT", "PT1S",
        "SWITCHBOARD_MAX_HOLD", "PT1S", "SWITCHBOARD_RING_TIMEOUT", "PT60S");

    private static void created(HttpResponse<String> r) {
        assertEquals(201, r.statusCode(), r.body());
    }

    private static Set<String> openIds(TestServer s) {
        Set<String> ids = new TreeSet<>();
        json(s.get("/api/alerts?open=true")).forEach(a -> ids.add(a.path("id").asText()));
        return ids;
    }

    private static JsonNode alert(TestServer s, String id) {
        for (JsonNode a : json(s.get("/api/alerts"))) {
            if (a.path("id").asText().equals(id)) {
                return a;
            }
        }
        throw new AssertionError("no alert " + id);
    }

    private static HttpResponse<String> bulk(TestServer s, String key, String body) {
        return s.post("/api/alerts/ack", key, "application/json", body);
    }

    private static long count(TestServer s, String sql) throws Exception {
        try (Connection c = s.jdbc(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void call(TestServer s, String id, String queue, String agent, String... then) {
        created(s.postEvent(Events.initiated(id + "-i", id, queue)));
        if (agent != null) {
            created(s.postEvent(Events.routed(id + "-r", id, agent)));
        }
        for (String type : then) {
            created(s.postEvent(Events.simple(id + "-" + type, type, id)));
        }
    }

    @Test
    void alertsResolveThemselvesWhenTheirCallMovesOnAndStayResolvedAcrossRestarts() throws Exception {
        try (TestServer s = TestServer.start(backend(), SHORT_TIMERS)) {
            try (SocketClient c = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
                assertTrue(c.await("connect", 5_000));
                c.subscribe(null);
                call(s, "w1", "medical_spanish", null);                        // waits: sla_breach
                call(s, "h1", "medical_spanish", "ana_garcia", "call_answered", "call_hold");   // hold_exceeded
                call(s, "w2", "medical_english", null);                        // waits on
                waitFor(() -> openIds(s).containsAll(List.of("w1:sla_breach", "h1:hold_exceeded", "w2:sla_breach")),
                    10_000, "three alerts");
                created(s.postEvent(Events.routed("w1-r", "w1", "luis_martinez")));
                assertTrue(openIds(s).contains("w1:sla_breach"), "ringing is still waiting");
                created(s.postEvent(Events.simple("w1-a", "call_answered", "w1")));
                created(s.postEvent(Events.simple("h1-res", "call_resumed", "h1")));

                Set<String> open = openIds(s);
                assertFalse(open.contains("w1:sla_breach"), open.toString());
                assertFalse(open.contains("h1:hold_exceeded"), open.toString());
                assertTrue(open.contains("w2:sla_breach"), open.toString());
                assertTrue(open.contains("w1:long_wait"), "a review alert stays: " + open);
                JsonNode w1 = alert(s, "w1:sla_breach");
                assertEquals("answered", w1.path("resolution").asText());
                assertFalse(w1.path("resolved_at").isNull());
                assertTrue(w1.path("acked_at").isNull(), "resolved, not acknowledged");
                assertEquals("resumed", alert(s, "h1:hold_exceeded").path("resolution").asText());

                waitFor(() -> c.resolutions.size() == 2, 5_000, "two alert_resolved pushes");
                JSONObject first = c.resolutions.get(0);
                assertEquals("w1:sla_breach", first.getString("id"));
                assertEquals("sla_breach", first.getString("kind"));
                assertEquals("w1", first.getString("call_id"));
                assertEquals("medical_spanish", first.getString("queue_id"));
                assertEquals("answered", first.getString("resolution"));
                assertEquals(w1.path("resolved_at").asText(), first.getString("resolved_at"));
                long seq = first.getLong("seq");
                int at = c.arrivals.indexOf("alert_resolved:" + seq);
                assertEquals("call_event:" + seq, c.arrivals.get(at - 1), "its entry's call_event first: " + c.arrivals);
                assertEquals("h1:hold_exceeded", c.resolutions.get(1).getString("id"));
            }
            JsonNode history = json(s.get("/api/calls/w1/events"));
            assertTrue(history.toString().contains("\"alert_resolved\""), "the resolution is in the call's history");

            // the Call JSON says what last happened, also when read back from the database
            assertEquals("call_resumed", json(s.get("/api/calls/h1")).path("last_event_type").asText());
            boolean listed = false;
            for (JsonNode item : json(s.get("/api/calls")).path("items")) {
                if (item.path("id").asText().equals("w1")) {
                    assertEquals("call_answered", item.path("last_event_type").asText());
                    listed = true;
                }
            }
            assertTrue(listed);

            s.stop();                                          // a clean stop: a snapshot
            s.startAgain();
            assertTrue(s.app().ingestor().startSnapshotSeq() > 0, "started from a snapshot");
            assertEquals("resumed", alert(s, "h1:hold_exceeded").path("resolution").asText());
            assertFalse(openIds(s).contains("w1:sla_breach"));
            assertEquals("call_answered", json(s.get("/api/calls/w1")).path("last_event_type").asText(),
                "from the snapshot");
            created(s.postEvent(Events.ended("w2-e", "w2", "caller_hangup")));
            assertEquals("ended", alert(s, "w2:sla_breach").path("resolution").asText(), "the restored engine resolves");
            created(s.postEvent(Events.ended("w1-e", "w1", "completed")));

            s.stop();
            try (Connection c = s.jdbc(); Statement st = c.createStatement()) {
                st.execute("DELETE FROM snapshots");
            }
            s.startAgain();                                    // the whole log replayed
            assertEquals(0, s.app().ingestor().startSnapshotSeq());
            created(s.postEvent(Events.simple("h1-h2", "call_hold", "h1")));
            Thread.sleep(1_500);                               // past the hold maximum again: raised once per call
            created(s.postEvent(Events.ended("h1-e", "h1", "completed")));
            assertEquals(1, count(s, "SELECT COUNT(*) FROM call_events WHERE call_id = 'h1' AND type = 'alert_resolved'"),
                "resolved once, though the call left hold again after a replay");
            assertEquals(1, count(s, "SELECT COUNT(*) FROM call_events WHERE call_id = 'w1' AND type = 'alert_resolved'"));
            assertEquals("call_ended", json(s.get("/api/calls/h1")).path("last_event_type").asText());
            assertFalse(json(s.get("/api/calls/h1")).path("flags").toString().contains("resolved"),
                "the resolved marks are internal: " + json(s.get("/api/calls/h1")).path("flags"));
        }
    }

    @Test
    void manyAlertsAreAcknowledgedAtOnceByIdsQueueKindOrAllWithANoteAndSurviveARestart() throws Exception {
        try (TestServer s = TestServer.start(backend(), SHORT_TIMERS)) {
            for (int i = 0; i < 3; i++) {
                call(s, "s" + i, "medical_spanish", null);
            }
            call(s, "e0", "medical_english", null);
            call(s, "e1", "medical_english", null);
            call(s, "h0", "medical_english", "emma_smith", "call_answered", "call_hold");
            Set<String> all = Set.of("s0:sla_breach", "s1:sla_breach", "s2:sla_breach", "e0:sla_breach", "e1:sla_breach",
                "h0:hold_exceeded");
            waitFor(() -> openIds(s).equals(new TreeSet<>(all)), 10_000, "six alerts: " + all);

            // a bad body: a clear 400 that names the field, and nothing changed
            for (String bad : List.of("{}", "[]", "{\"ids\":[]}", "{\"ids\":\"s0:sla_breach\"}", "{\"ids\":[\"s0:sla_breach\",\"nope\"]}",
                "{\"kind\":\"bogus\"}", "{\"all\":false}", "{\"all\":true,\"ids\":[\"s0:sla_breach\"]}",
                "{\"all\":true,\"colour\":\"red\"}", "{\"all\":true,\"note\":\"" + "n".repeat(501) + "\"}",
                "{\"queue_id\":\"no such queue!\"}", "{\"all\":true,\"note\":7}")) {
                HttpResponse<String> r = bulk(s, TestServer.SUPERVISOR_KEY, bad);
                assertEquals(400, r.statusCode(), bad + " -> " + r.body());
                assertTrue(r.body().contains("errors"), r.body());
            }
            assertTrue(bulk(s, TestServer.SUPERVISOR_KEY, "{\"ids\":[\"s0:sla_breach\",\"nope\"]}").body().contains("nope"));
            assertEquals(403, bulk(s, TestServer.INGEST_KEY, "{\"all\":true}").statusCode());
            assertEquals(401, bulk(s, null, "{\"all\":true}").statusCode());
            assertEquals(new TreeSet<>(all), openIds(s), "nothing acknowledged by a refused body");
            assertEquals(0, count(s, "SELECT COUNT(*) FROM call_events WHERE type = 'alert_acked'"));

            try (SocketClient c = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
                assertTrue(c.await("connect", 5_000));
                c.subscribe(null);
                HttpResponse<String> byId = bulk(s, TestServer.SUPERVISOR_KEY,
                    "{\"ids\":[\"s0:sla_breach\"],\"note\":\"called the patient back\"}");
                assertEquals(200, byId.statusCode(), byId.body());
                assertEquals(1, json(byId).path("acknowledged").asInt());
                JsonNode acked = json(byId).path("alerts").get(0);
                assertEquals("s0:sla_breach", acked.path("id").asText());
                assertEquals("called the patient back", acked.path("note").asText());
                assertTrue(acked.path("acked_by").asText().matches("key:[0-9a-f]{8}"), acked.toString());

                HttpResponse<String> byQueue = bulk(s, TestServer.SUPERVISOR_KEY,
                    "{\"queue_id\":\"medical_spanish\",\"kind\":\"sla_breach\"}");
                assertEquals(200, byQueue.statusCode(), byQueue.body());
                assertEquals(2, json(byQueue).path("acknowledged").asInt(), byQueue.body());
                assertEquals(0, json(byQueue).path("remaining").asInt());

                HttpResponse<String> byKind = bulk(s, TestServer.ADMIN_KEY, "{\"kind\":\"sla_breach\",\"queue_id\":\"medical_english\"}");
                assertEquals(2, json(byKind).path("acknowledged").asInt(), byKind.body());

                HttpResponse<String> rest = bulk(s, TestServer.SUPERVISOR_KEY, "{\"all\":true,\"note\":\"end of shift\"}");
                assertEquals(1, json(rest).path("acknowledged").asInt(), rest.body());
                assertEquals("h0:hold_exceeded", json(rest).path("alerts").get(0).path("id").asText());
                assertEquals(0, json(bulk(s, TestServer.SUPERVISOR_KEY, "{\"all\":true}")).path("acknowledged").asInt(),
                    "nothing left");
                HttpResponse<String> again = bulk(s, TestServer.SUPERVISOR_KEY, "{\"ids\":[\"s0:sla_breach\"],\"note\":\"x\"}");
                assertEquals(0, json(again).path("acknowledged").asInt(), "an acknowledged alert stays as it was");
                assertTrue(openIds(s).isEmpty(), openIds(s).toString());

                waitFor(() -> c.acks.size() == 6, 5_000, "six alert_acked pushes");
                Thread.sleep(200);
                assertEquals(6, c.acks.size());
                long previous = 0;
                for (JSONObject ack : c.acks) {
                    assertTrue(ack.getLong("ack_seq") > previous, "in seq order");
                    previous = ack.getLong("ack_seq");
                    int at = c.arrivals.indexOf("alert_acked:" + previous);
                    assertEquals("call_event:" + previous, c.arrivals.get(at - 1), c.arrivals.toString());
                }
                assertEquals("called the patient back", c.acks.get(0).getString("note"));
                assertEquals("end of shift", c.acks.get(5).getString("note"));
                assertTrue(c.acks.get(1).isNull("note"));
            }
            assertEquals(6, count(s, "SELECT COUNT(*) FROM call_events WHERE type = 'alert_acked'"),
                "one entry per alert, each in its call's history");
            assertTrue(json(s.get("/api/calls/e1/events")).toString().contains("\"alert_acked\""));

            // the single ack takes a note too, and refuses a bad one
            call(s, "late", "medical_spanish", null);
            waitFor(() -> openIds(s).contains("late:sla_breach"), 10_000, "a new breach");
            assertEquals(400, s.post("/api/alerts/late:sla_breach/ack", TestServer.SUPERVISOR_KEY, "application/json",
                "{\"note\":\"" + "n".repeat(501) + "\"}").statusCode());
            assertEquals(400, s.post("/api/alerts/late:sla_breach/ack", TestServer.SUPERVISOR_KEY, "application/json",
                "{\"remark\":\"x\"}").statusCode());
            assertTrue(openIds(s).contains("late:sla_breach"));
            HttpResponse<String> single = s.post("/api/alerts/late:sla_breach/ack", TestServer.SUPERVISOR_KEY,
                "application/json", "{\"note\":\"seen\"}");
            assertEquals(200, single.statusCode(), single.body());
            assertEquals("seen", json(single).path("note").asText());

            s.stop();
            s.startAgain();
            assertTrue(openIds(s).isEmpty(), "the acknowledgements last");
            assertEquals("called the patient back", alert(s, "s0:sla_breach").path("note").asText());
            assertEquals("end of shift", alert(s, "h0:hold_exceeded").path("note").asText());
            assertEquals("seen", alert(s, "late:sla_breach").path("note").asText());
            assertTrue(alert(s, "e0:sla_breach").path("acked_by").asText().startsWith("key:"));
            // the log replayed on a new connection gives the acknowledgements back, notes included
            try (SocketClient r = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
                assertTrue(r.await("connect", 5_000));
                r.subscribe(null);
                r.resume(0);
                waitFor(() -> r.acks.size() == 7, 5_000, "seven acknowledgements resumed");
                assertEquals("called the patient back", r.acks.get(0).getString("note"));
            }
        }
    }
}
