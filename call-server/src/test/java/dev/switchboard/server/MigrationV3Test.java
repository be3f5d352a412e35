package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.wire.Wire;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.server.LifecycleTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database written by the version before snapshots (schema V2: each log row kept the call's JSON
 * and the reply) is migrated in place at the first start, and nothing changes on the wire: the
 * calls read the same, a resume sends the same call states, a resend gets the same reply.
 */
class MigrationV3Test {

    private static final String T = "2026-11-30T10:00:0";
    private static final String CALL = "{\"id\":\"legacy\",\"type\":\"voice\",\"status\":\"%s\",\"queue_id\":\"medical_spanish\","
        + "\"agent_id\":%s,\"start_time\":\"" + T + "0Z\",\"answer_time\":%s,\"end_time\":%s,\"wait_time\":%s,"
        + "\"duration\":%s,\"end_reason\":%s,\"flags\":[%s],\"phase\":\"%s\",\"hold_time\":0.0,"
        + "\"wait_start_time\":\"" + T + "0Z\",\"last_event_time\":\"%s\"}";

    /** The call's JSON after each decision, as the old version stored it. */
    private static final String S1 = String.format(CALL, "waiting", "null", "null", "null", "null", "null", "null", "",
        "queued", T + "0Z");
    private static final String S2 = String.format(CALL, "waiting", "\"ana_garcia\"", "null", "null", "null", "null", "null",
        "", "ringing", T + "2Z");
    private static final String S3 = String.format(CALL, "active", "\"ana_garcia\"", "\"" + T + "5Z\"", "null", "5.0", "null",
        "null", "", "active", T + "5Z");
    private static final String S4 = String.format(CALL, "ended", "\"ana_garcia\"", "\"" + T + "5Z\"", "\"" + T + "7Z\"", "5.0",
        "2.0", "\"completed\"", "\"short_call\",\"review\",\"survey_requested\"", "ended", T + "7Z");

    private static void oldRows(Connection c) throws Exception {
        String[][] rows = {
            // seq, id, type, ts, source, metadata, call_state, reply?
            {"1", "e1", "call_initiated", T + "0Z", "external", "{\"type\":\"voice\",\"queue_id\":\"medical_spanish\",\"source\":\"external\"}", S1, "r"},
            {"2", "e2", "call_routed", T + "2Z", "external", "{\"agent_id\":\"ana_garcia\",\"source\":\"external\"}", S2, "r"},
            {"3", "e3", "call_answered", T + "5Z", "external", "{\"source\":\"external\"}", S3, "r"},
            {"4", "e4", "call_ended", T + "7Z", "external", "{\"end_reason\":\"completed\",\"source\":\"external\"}", S4, "r"},
            {"5", "sys:review", "review_flagged", T + "7Z", "system", "{\"source\":\"system\",\"duration\":2.0,\"threshold\":10.0}", S4, null},
            {"6", "sys:alert:short_call", "alert_raised", T + "7Z", "system", "{\"source\":\"system\",\"alert_id\":\"legacy:short_call\","
                + "\"kind\":\"short_call\",\"message\":\"Call legacy lasted 2 s (under 10 s); flagged for review\","
                + "\"queue_id\":\"medical_spanish\",\"agent_id\":\"ana_garcia\"}", S4, null},
            {"7", "sys:survey", "survey_requested", T + "7Z", "system", "{\"source\":\"system\",\"queue_id\":\"medical_spanish\","
                + "\"agent_id\":\"ana_garcia\"}", S4, null},
        };
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_events (seq, id, call_id, type, ts, source, metadata, "
            + "call_state, reply) VALUES (?, ?, 'legacy', ?, ?, ?, ?, ?, ?)")) {
            for (String[] r : rows) {
                ps.setLong(1, Long.parseLong(r[0]));
                ps.setString(2, r[1]);
                ps.setString(3, r[2]);
                ps.setObject(4, java.time.OffsetDateTime.parse(r[3]));
                ps.setString(5, r[4]);
                ps.setString(6, r[5]);
                ps.setString(7, r[6]);
                String alerts = r[0].equals("4") ? "[{\"seq\":6,\"id\":\"legacy:short_call\",\"kind\":\"short_call\",\"call_id\":\"legacy\","
                    + "\"queue_id\":\"medical_spanish\",\"agent_id\":\"ana_garcia\",\"at\":\"" + T + "7Z\",\"message\":\"Call legacy "
                    + "lasted 2 s (under 10 s); flagged for review\",\"acked_at\":null}]" : "[]";
                ps.setString(8, r[7] == null ? null : "{\"event\":{\"id\":\"" + r[1] + "\",\"call_id\":\"legacy\",\"type\":\"" + r[2]
                    + "\",\"timestamp\":\"" + r[3] + "\",\"metadata\":" + r[5] + ",\"seq\":" + r[0] + "},\"call\":" + r[6]
                    + ",\"alerts\":" + alerts + ",\"duplicate\":false}");
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO calls (id, type, status, phase, queue_id, agent_id, "
            + "start_time, answer_time, end_time, wait_ms, duration_ms, hold_ms, end_reason, flags, version, last_seq) VALUES "
            + "('legacy', 'voice', 'ended', 'ended', 'medical_spanish', 'ana_garcia', ?, ?, ?, 5000, 2000, 0, 'completed', ?, 4, 7)")) {
            ps.setObject(1, java.time.OffsetDateTime.parse(T + "0Z"));
            ps.setObject(2, java.time.OffsetDateTime.parse(T + "5Z"));
            ps.setObject(3, java.time.OffsetDateTime.parse(T + "7Z"));
            ps.setInt(4, (1 << 4) | (1 << 5) | (1 << 7));   // short_call, review, survey_requested
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alerts (id, kind, call_id, queue_id, agent_id, raised_at, "
            + "message, seq) VALUES ('legacy:short_call', 'short_call', 'legacy', 'medical_spanish', 'ana_garcia', ?, "
            + "'Call legacy lasted 2 s (under 10 s); flagged for review', 6)")) {
            ps.setObject(1, java.time.OffsetDateTime.parse(T + "7Z"));
            ps.executeUpdate();
        }
    }

    private static void migrateAndCheck(TestServer.Backend backend, String url, String user) throws Exception {
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            oldRows(c);
        }
        try (TestServer s = TestServer.start(backend, Map.of("SWITCHBOARD_DB_URL", url, "SWITCHBOARD_DB_USER", user))) {
            assertEquals(7, s.app().replayed(), "the whole log replayed once");
            try (Connection c = s.jdbc(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT head FROM call_events ORDER BY seq")) {
                List<Boolean> heads = new ArrayList<>();
                while (rs.next()) {
                    heads.add(rs.getBoolean(1));
                }
                assertEquals(List.of(true, true, true, true, false, false, false), heads, "decisions recovered");
            }
            // as before, with one field added compatibly: V6 fills last_event_type from the call's history
            var now = (com.fasterxml.jackson.databind.node.ObjectNode) Wire.read(S4);
            now.put("last_event_type", "call_ended");
            assertEquals(now, json(s.get("/api/calls/legacy")), "the call reads as before");
            try (SocketClient r = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
                assertTrue(r.await("connect", 5_000));
                r.subscribe(null);
                r.resume(0);
                List<String> expected = List.of(S1, S2, S3, S4, S4, S4, S4);
                assertEquals(expected.size(), r.callEvents.size());
                for (int i = 0; i < expected.size(); i++) {
                    var got = (com.fasterxml.jackson.databind.node.ObjectNode) Wire.read(r.callEvents.get(i).getJSONObject("call").toString());
                    // the one field added since (V6): named from the history, else absent
                    JsonNode type = got.remove("last_event_type");
                    assertTrue(type == null || type.asText().startsWith("call_"), "last_event_type " + type);
                    assertTrue(sameJson(Wire.read(expected.get(i)), got),
                        "a resume sends the call state the old row kept, seq " + (i + 1) + ": " + got);
                }
            }
            var resent = s.postEvent(Events.ended("e4", "legacy", "completed"));
            assertEquals(200, resent.statusCode());
            JsonNode reply = json(resent);
            var replyCall = (com.fasterxml.jackson.databind.node.ObjectNode) reply.path("call").deepCopy();
            replyCall.remove("last_event_type");
            assertEquals(Wire.read(S4), replyCall);
            assertEquals(1, reply.path("alerts").size(), "the reply as first sent: " + reply);
            assertEquals("e4", reply.path("event").path("id").asText());
        }
    }

    /** Equal JSON, numbers compared by value (the Socket.io client's JSON writes 5.0 as 5). */
    private static boolean sameJson(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> x.equals(y) || x.isNumber() && y.isNumber() && x.doubleValue() == y.doubleValue() ? 0 : 1, b);
    }

    @Test
    void aV2EmbeddedDatabaseMigratesWithNothingChangedOnTheWire() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-v2");
        migrateAndCheck(TestServer.Backend.H2, ServerConfig.embeddedDbUrl(dir), "sa");
    }

    @Test
    void aV2PostgresDatabaseMigratesWithNothingChangedOnTheWire() throws Exception {
        String db = "sb_v2_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        TestServer.createDatabase(db);
        try {
            migrateAndCheck(TestServer.Backend.POSTGRES, "jdbc:postgresql://127.0.0.1:5432/" + db, "postgres");
        } finally {
            TestServer.dropDatabase(db);
        }
    }
}
