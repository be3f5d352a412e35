package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.switchboard.server.Await.waitFor;
import static dev.switchboard.server.LifecycleTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Agent presence, the honest "today" figures and queues at runtime, over the real routes: every
 * change is an entry of the ordered log, pushed, and the same after a restart.
 */
abstract class PresenceAndQueuesTests {

    abstract TestServer.Backend backend();

    private static final Map<String, String> SHORT_TIMERS = Map.of("SWITCHBOARD_RING_TIMEOUT", "PT1S");

    private static HttpResponse<String> presence(TestServer s, String key, String agent, String body) {
        return s.post("/api/agents/" + agent + "/presence", key, "application/json", body);
    }

    private static JsonNode agent(TestServer s, String id) {
        for (JsonNode a : json(s.get("/api/agents"))) {
            if (a.path("id").asText().equals(id)) {
                return a;
            }
        }
        throw new AssertionError("no agent " + id);
    }

    private static JsonNode queue(TestServer s, String id) {
        for (JsonNode q : json(s.get("/api/queues"))) {
            if (q.path("id").asText().equals(id)) {
                return q;
            }
        }
        return null;
    }

    private static void created(HttpResponse<String> r) {
        assertEquals(201, r.statusCode(), r.body());
    }

    private static List<String> logTypes(TestServer s, String type) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = s.jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT metadata FROM call_events WHERE type = '" + type + "' ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void presenceIsSetByAgentsAndSupervisorsPushedAndKeptAcrossARestart() throws Exception {
        try (TestServer s = TestServer.start(backend(), SHORT_TIMERS)) {
            JsonNode before = agent(s, "ana_garcia");
            assertEquals("available", before.path("presence").asText());
            assertTrue(before.path("reason").isNull());
            String since;
            try (SocketClient c = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
                assertTrue(c.await("connect", 5_000));
                c.subscribe(null);
                HttpResponse<String> lunch = presence(s, TestServer.INGEST_KEY, "ana_garcia",
                    "{\"state\":\"not_ready\",\"reason\":\"lunch\"}");
                assertEquals(200, lunch.statusCode(), lunch.body());
                JsonNode a = json(lunch);
                assertEquals("not_ready", a.path("presence").asText());
                assertEquals("lunch", a.path("reason").asText());
                assertEquals("on_break", a.path("state").asText(), "v1 clients see a not-ready agent as on break");
                since = a.path("since").asText();
                assertFalse(since.isEmpty());

                HttpResponse<String> same = presence(s, TestServer.INGEST_KEY, "ana_garcia",
                    "{\"state\":\"not_ready\",\"reason\":\"lunch\"}");
                assertEquals(since, json(same).path("since").asText(), "the same presence again changes nothing");

                HttpResponse<String> forced = presence(s, TestServer.SUPERVISOR_KEY, "luis_martinez",
                    "{\"state\":\"logged_out\"}");
                assertEquals(200, forced.statusCode(), forced.body());
                assertEquals("logged_out", json(forced).path("state").asText());

                waitFor(() -> c.agentEvents.size() >= 2, 5_000, "two agent_presence pushes");
                JSONObject first = c.agentEvents.get(0).getJSONObject("event");
                assertEquals("agent_presence", first.getString("type"));
                assertTrue(first.isNull("call_id"));
                JSONObject m = first.getJSONObject("metadata");
                assertEquals("agent", m.getString("source"));
                assertEquals("ana_garcia", m.getString("agent_id"));
                assertEquals("not_ready", m.getString("presence"));
                assertEquals("lunch", m.getString("reason"));
                assertEquals("ingest", m.getString("role"));
                JSONObject second = c.agentEvents.get(1).getJSONObject("event").getJSONObject("metadata");
                assertEquals("supervisor", second.getString("source"));
                assertEquals("logged_out", second.getString("presence"));
                assertTrue(c.agentEvents.get(1).getLong("seq") > c.agentEvents.get(0).getLong("seq"));
            }
            assertEquals(2, logTypes(s, "agent_presence").size(), "one entry per change, none for the repeat");

            // bad input: a clear 400, nothing changed
            assertEquals(400, presence(s, TestServer.INGEST_KEY, "ana_garcia", "{\"state\":\"wrap_up\"}").statusCode());
            assertEquals(400, presence(s, TestServer.INGEST_KEY, "ana_garcia", "{\"state\":\"away\"}").statusCode());
            assertEquals(400, presence(s, TestServer.INGEST_KEY, "ana_garcia",
                "{\"state\":\"available\",\"reason\":\"lunch\"}").statusCode());
            assertEquals(400, presence(s, TestServer.INGEST_KEY, "ana_garcia",
                "{\"state\":\"not_ready\",\"reason\":\"<script>\"}").statusCode());
            HttpResponse<String> unknown = presence(s, TestServer.INGEST_KEY, "ana_garcia",
                "{\"state\":\"not_ready\",\"colour\":\"red\"}");
            assertEquals(400, unknown.statusCode());
            assertTrue(unknown.body().contains("colour"), unknown.body());
            assertEquals(401, presence(s, null, "ana_garcia", "{\"state\":\"available\"}").statusCode());
            assertEquals("lunch", agent(s, "ana_garcia").path("reason").asText());

            // an agent not known yet is registered
            HttpResponse<String> fresh = presence(s, TestServer.INGEST_KEY, "new_interpreter", "{\"state\":\"available\"}");
            assertEquals(200, fresh.statusCode(), fresh.body());
            assertEquals("new_interpreter", json(fresh).path("id").asText());

            s.stop();
            s.startAgain();
            JsonNode after = agent(s, "ana_garcia");
            assertEquals("not_ready", after.path("presence").asText());
            assertEquals("lunch", after.path("reason").asText());
            assertEquals(since, after.path("since").asText());
            assertEquals("logged_out", agent(s, "luis_martinez").path("presence").asText());
            assertEquals("available", agent(s, "new_interpreter").path("presence").asText());
        }
    }

    @Test
    void aReroutedCallWaitsForTheNextFreeAgentAndIsOfferedToThem() throws Exception {
        try (TestServer s = TestServer.start(backend(), SHORT_TIMERS)) {
            assertEquals(200, presence(s, TestServer.INGEST_KEY, "lucas_bernard",
                "{\"state\":\"not_ready\",\"reason\":\"training\"}").statusCode());
            created(s.postEvent(Events.initiated("i", "fr-1", "legal_french")));
            created(s.postEvent(Events.routed("r", "fr-1", "chloe_martin")));
            // chloe lets it ring (1 s): the re-route finds nobody available, so the call waits queued
            waitFor(() -> json(s.get("/api/calls/fr-1")).path("phase").asText().equals("queued"), 5_000, "queued again");
            Thread.sleep(300);
            assertTrue(json(s.get("/api/calls/fr-1")).path("agent_id").isNull(), "offered to nobody not ready");

            assertEquals(200, presence(s, TestServer.INGEST_KEY, "lucas_bernard", "{\"state\":\"available\"}").statusCode());
            waitFor(() -> "lucas_bernard".equals(json(s.get("/api/calls/fr-1")).path("agent_id").asText(null)), 5_000,
                "the waiting call offered to lucas");
            JsonNode history = json(s.get("/api/calls/fr-1/events"));
            JsonNode last = null;
            for (JsonNode e : history) {
                if (e.path("type").asText().equals("call_routed")) {
                    last = e;
                }
            }
            assertEquals("system", last.path("metadata").path("source").asText());
            assertEquals("lucas_bernard", last.path("metadata").path("agent_id").asText());
        }
    }

    @Test
    void wrapUpFollowsACallForTheQueuesTimeThenTheAgentIsAvailable() throws Exception {
        try (TestServer s = TestServer.start(backend())) {
            HttpResponse<String> put = s.put("/api/queues/legal_french", TestServer.ADMIN_KEY,
                "{\"name\":\"Legal French\",\"agents\":[\"chloe_martin\",\"lucas_bernard\"],"
                    + "\"thresholds\":{\"sla_max_wait\":45,\"wrap_up\":1.5}}");
            assertEquals(200, put.statusCode(), put.body());
            assertEquals(1.5, json(put).path("thresholds").path("wrap_up").asDouble());
            created(s.postEvent(Events.initiated("i", "w-1", "legal_french")));
            created(s.postEvent(Events.routed("r", "w-1", "lucas_bernard")));
            created(s.postEvent(Events.simple("a", "call_answered", "w-1")));
            created(s.postEvent(Events.ended("e", "w-1", "completed")));
            JsonNode lucas = agent(s, "lucas_bernard");
            assertEquals("wrap_up", lucas.path("presence").asText());
            assertEquals("wrap_up", lucas.path("state").asText());
            JsonNode entry = null;
            for (JsonNode e : json(s.get("/api/calls/w-1/events"))) {
                if (e.path("type").asText().equals("agent_presence")) {
                    entry = e;
                }
            }
            assertEquals("system", entry.path("metadata").path("source").asText());
            assertEquals("wrap_up", entry.path("metadata").path("presence").asText());
            long until = Instant.parse(entry.path("metadata").path("until").asText()).toEpochMilli();
            assertEquals(1_500, until - Instant.parse(entry.path("timestamp").asText()).toEpochMilli());
            waitFor(() -> agent(s, "lucas_bernard").path("presence").asText().equals("available"), 5_000, "wrap-up over");
            assertTrue(agent(s, "lucas_bernard").path("wrap_up_time").asDouble() >= 1.5);
        }
    }

    @Test
    void queuesAreCreatedChangedAndDeletedAtRuntimeAndLastAcrossARestart() throws Exception {
        try (TestServer s = TestServer.start(backend())) {
            String german = "{\"name\":\"Medical German\",\"agents\":[\"hans\",\"greta\"],"
                + "\"thresholds\":{\"sla_max_wait\":20,\"sl_target\":0.9,\"short_abandon\":3}}";
            assertEquals(403, s.put("/api/queues/medical_german", TestServer.SUPERVISOR_KEY, german).statusCode());
            HttpResponse<String> bad = s.put("/api/queues/medical_german", TestServer.ADMIN_KEY,
                "{\"agents\":[\"hans\"],\"thresholds\":{\"sla_max_wait\":-1,\"sl_target\":2}}");
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("thresholds.sla_max_wait") && bad.body().contains("thresholds.sl_target"),
                bad.body());
            assertEquals(null, queue(s, "medical_german"), "a refused queue is not created");

            HttpResponse<String> created = s.put("/api/queues/medical_german", TestServer.ADMIN_KEY, german);
            assertEquals(201, created.statusCode(), created.body());
            JsonNode q = queue(s, "medical_german");
            assertEquals("Medical German", q.path("name").asText());
            assertEquals(20.0, q.path("thresholds").path("sla_max_wait").asDouble());
            assertEquals(0.9, q.path("thresholds").path("sl_target").asDouble());
            assertEquals(0.9, q.path("metrics").path("sl_target").asDouble());
            assertEquals(15.0, q.path("thresholds").path("ring_timeout").asDouble(), "left out: the default");
            assertTrue(agent(s, "hans").path("queues").toString().contains("medical_german"));

            created(s.postEvent(Events.initiated("i", "de-1", "medical_german")));
            HttpResponse<String> busy = s.delete("/api/queues/medical_german", TestServer.ADMIN_KEY);
            assertEquals(409, busy.statusCode(), busy.body());
            created(s.postEvent(Events.ended("e", "de-1", "caller_hangup")));
            assertEquals(204, s.delete("/api/queues/medical_german", TestServer.ADMIN_KEY).statusCode());
            assertEquals(404, s.delete("/api/queues/medical_german", TestServer.ADMIN_KEY).statusCode());
            assertEquals(null, queue(s, "medical_german"));
            assertEquals(422, s.postEvent(Events.initiated("i", "de-2", "medical_german")).statusCode(),
                "no calls into a deleted queue");

            // a configured queue changed, another deleted: the configuration does not bring them back
            HttpResponse<String> changed = s.put("/api/queues/medical_spanish", TestServer.ADMIN_KEY,
                "{\"name\":\"Medical Spanish\",\"agents\":[\"ana_garcia\",\"nuevo\"],\"thresholds\":{\"wrap_up\":10}}");
            assertEquals(200, changed.statusCode(), changed.body());
            assertEquals(204, s.delete("/api/queues/legal_french", TestServer.ADMIN_KEY).statusCode());
            List<String> changes = logTypes(s, "queue_changed");
            assertEquals(2, changes.size());
            assertTrue(changes.get(0).contains("\"by\":\"key:") && changes.get(0).contains("\"role\":\"admin\""), changes.get(0));
            assertEquals(2, logTypes(s, "queue_deleted").size());

            s.stop();
            s.startAgain();
            assertEquals(null, queue(s, "legal_french"), "deleted stays deleted");
            assertEquals(null, queue(s, "medical_german"));
            JsonNode spanish = queue(s, "medical_spanish");
            assertEquals("[\"ana_garcia\",\"nuevo\"]", spanish.path("agents").toString());
            assertEquals(10.0, spanish.path("thresholds").path("wrap_up").asDouble());
            assertTrue(queue(s, "medical_english") != null);

            s.stop();
            try (Connection c = s.jdbc(); Statement st = c.createStatement()) {
                st.execute("DELETE FROM snapshots");   // the same from the whole log
            }
            s.startAgain();
            assertEquals(null, queue(s, "legal_french"));
            assertEquals("[\"ana_garcia\",\"nuevo\"]", queue(s, "medical_spanish").path("agents").toString());
        }
    }

    @Test
    void theCentersFiguresCountAbandonsAgainstTheServiceLevel() throws Exception {
        try (TestServer s = TestServer.start(backend())) {
            // the sources' times are in the past (a timer due before an event would move the call's clock on)
            Instant t1 = Instant.now().minusSeconds(12);
            // answered after 10 s (within the 30 s SLA)
            created(s.postEvent(Events.at(Events.initiated("i", "k-1", "medical_spanish"), t1)));
            created(s.postEvent(Events.at(Events.routed("r", "k-1", "ana_garcia"), t1.plusSeconds(5))));
            created(s.postEvent(Events.at(Events.simple("a", "call_answered", "k-1"), t1.plusSeconds(10))));
            Instant t0 = Instant.now().minusSeconds(60);
            // abandoned after 40 s: counts against the queue
            created(s.postEvent(Events.at(Events.initiated("i", "k-2", "medical_spanish"), t0)));
            created(s.postEvent(Events.at(Events.ended("e", "k-2", "caller_hangup"), t0.plusSeconds(40))));
            // abandoned after 2 s: a short abandon, counted against nobody
            created(s.postEvent(Events.at(Events.initiated("i", "k-3", "medical_english"), t0)));
            created(s.postEvent(Events.at(Events.ended("e", "k-3", "caller_hangup"), t0.plusSeconds(2))));

            JsonNode spanish = queue(s, "medical_spanish").path("metrics");
            assertEquals(2, spanish.path("offered").asInt());
            assertEquals(0.5, spanish.path("service_level").asDouble());
            assertEquals(0.5, spanish.path("abandon_rate").asDouble());
            assertEquals(0.8, spanish.path("sl_target").asDouble());
            assertEquals(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString(), spanish.path("day").asText());
            JsonNode english = queue(s, "medical_english").path("metrics");
            assertEquals(1, english.path("abandoned_short").asInt());
            assertEquals(0, english.path("abandoned").asInt());
            assertTrue(english.path("service_level").isNull(), "nothing answered or abandoned: no figure");

            JsonNode center = json(s.get("/api/center"));
            assertEquals(3, center.path("offered").asInt());
            assertEquals(1, center.path("answered").asInt());
            assertEquals(1, center.path("abandoned").asInt());
            assertEquals(1, center.path("abandoned_short").asInt());
            assertEquals(0.5, center.path("service_level").asDouble());
            assertEquals(10.0, center.path("average_speed_of_answer").asDouble());
            assertEquals(403, s.get("/api/center", TestServer.INGEST_KEY).statusCode());

            s.stop();
            s.startAgain();
            assertEquals(center.path("service_level"), json(s.get("/api/center")).path("service_level"));
            assertEquals(center.path("abandoned_short"), json(s.get("/api/center")).path("abandoned_short"));
        }
    }
}
