package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.List;

import static dev.switchboard.server.LifecycleTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal of the wire contract, as problem+json, and nothing stored for any of them. */
abstract class ErrorStatusTests extends ServerTests {

    private JsonNode problem(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode p = json(r);
        assertEquals(status, p.path("status").asInt());
        assertFalse(p.path("title").asText().isEmpty());
        assertTrue(p.has("errors"));
        return p;
    }

    private JsonNode bad(String body) {
        return problem(server.postEvent(body), 400);
    }

    private static List<String> fields(JsonNode p) {
        return p.path("errors").findValuesAsText("field");
    }

    @Test
    void malformedJsonIs400() {
        assertTrue(bad("{\"type\": ").path("detail").asText().startsWith("malformed JSON"));
        bad("[1, 2");
        bad("{\"a\":1}{\"b\":2}");
        bad("");
    }

    @Test
    void duplicateKeysAndDeepNestingAre400() {
        bad("{\"type\":\"call_initiated\",\"type\":\"call_ended\",\"call_id\":\"x\"}");
        bad("{\"data\":" + "[".repeat(100) + "]".repeat(100) + "}");
    }

    @Test
    void everyMissingOrWrongFieldIsNamed() {
        JsonNode p = bad("{\"type\":\"call_initiated\",\"call_id\":42,\"data\":{\"type\":\"fax\",\"queue_id\":7}}");
        assertEquals(List.of("call_id", "data.type", "data.queue_id"), fields(p));
        assertEquals(List.of("call_id", "type"), fields(bad("{}")));
        assertEquals(List.of("data.end_reason"), fields(bad("{\"type\":\"call_ended\",\"call_id\":\"c\"}")));
        assertEquals(List.of("data"), fields(bad("{\"type\":\"call_hold\",\"call_id\":\"c\",\"data\":[]}")));
        assertEquals(List.of("timestamp"), fields(bad(
            "{\"type\":\"call_resumed\",\"call_id\":\"c\",\"timestamp\":\"yesterday\"}")));
    }

    @Test
    void unknownEventTypeIs400() {
        assertEquals(List.of("type"), fields(bad("{\"type\":\"call_teleported\",\"call_id\":\"c\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"wait_time\":-1}", "{\"wait_time\":\"25\"}", "{\"wait_time\":1e300}"})
    void negativeHugeOrMistypedNumbersAre400(String data) {
        assertEquals(List.of("data.wait_time"), fields(bad("{\"type\":\"call_answered\",\"call_id\":\"c\",\"data\":" + data + "}")));
    }

    @Test
    void oversizeAndControlCharacterIdsAre400() {
        assertEquals(List.of("call_id"), fields(bad(Events.initiated("e", "x".repeat(129), "medical_spanish"))));
        assertEquals(List.of("call_id"), fields(bad(Events.initiated("e", "a\\u0000b", "medical_spanish"))));
        assertEquals(List.of("event_id"), fields(bad(Events.initiated("\\n", "ok", "medical_spanish"))));
    }

    @Test
    void aTransferNamesExactlyOneTarget() {
        assertEquals(List.of("data"), fields(bad("{\"type\":\"call_transferred\",\"call_id\":\"c\",\"data\":{}}")));
        assertEquals(List.of("data"), fields(bad(
            "{\"type\":\"call_transferred\",\"call_id\":\"c\",\"data\":{\"queue_id\":\"q\",\"agent_id\":\"a\"}}")));
    }

    @Test
    void missingOrWrongKeyIs401AndWrongRoleIs403() {
        problem(server.post("/api/events", null, "application/json", Events.initiated("e", "k1", "medical_spanish")), 401);
        problem(server.post("/api/events", "not-a-key", "application/json", Events.initiated("e", "k1", "medical_spanish")), 401);
        problem(server.post("/api/events", TestServer.SUPERVISOR_KEY, "application/json",
            Events.initiated("e", "k1", "medical_spanish")), 403);
        problem(server.get("/api/calls", TestServer.INGEST_KEY), 403);
        problem(server.get("/api/calls", null), 401);
        problem(server.get("/api/alerts", "wrong"), 401);
        problem(server.get("/api/no-such-route", null), 401);
        assertEquals(404, server.get("/api/calls/k1").statusCode(), "nothing was stored");
    }

    @Test
    void unknownCallIs404AndUnknownQueueIs422() {
        JsonNode p = problem(server.postEvent(Events.routed("e", "never-started", "ana_garcia")), 404);
        assertTrue(p.path("detail").asText().contains("never-started"));
        JsonNode q = problem(server.postEvent(Events.initiated("e", "q1", "klingon_medical")), 422);
        assertEquals(List.of("data.queue_id"), fields(q));
        assertEquals(404, server.get("/api/calls/q1").statusCode());
    }

    @Test
    void anIllegalTransitionIs409NamingTheCurrentStatus() {
        assertEquals(201, server.postEvent(Events.initiated("i1", "ill", "medical_spanish")).statusCode());
        JsonNode p = problem(server.postEvent(Events.simple("i2", "call_hold", "ill")), 409);
        assertTrue(p.path("detail").asText().contains("waiting (queued)"), p.toString());
        problem(server.postEvent(Events.initiated("i3", "ill", "medical_spanish")), 409);
        assertEquals(201, server.postEvent(Events.ended("i4", "ill", "caller_hangup")).statusCode());
        assertTrue(problem(server.postEvent(Events.simple("i5", "call_resumed", "ill")), 409)
            .path("detail").asText().contains("ended"));
        assertEquals(2, json(server.get("/api/calls/ill/events")).size(), "rejected events never enter the log");
    }

    @Test
    void notJsonIs415() {
        problem(server.post("/api/events", TestServer.INGEST_KEY, "text/plain", Events.initiated("e", "t1", "medical_spanish")), 415);
        problem(server.post("/api/events", TestServer.INGEST_KEY, null, Events.initiated("e", "t1", "medical_spanish")), 415);
        problem(server.post("/api/events", TestServer.INGEST_KEY, "application/x-www-form-urlencoded", "a=b"), 415);
    }

    @Test
    void aBodyOverOneMebibyteIs413() {
        String huge = "{\"type\":\"call_initiated\",\"call_id\":\"big\",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";
        problem(server.postEvent(huge), 413);
        assertEquals(404, server.get("/api/calls/big").statusCode());
    }

    @Test
    void anArrayGetsOneResultPerItemInOrder() {
        HttpResponse<String> r = server.postEvent("[" + Events.initiated("b1", "batch-1", "medical_spanish") + ","
            + Events.routed("b2", "batch-1", "sofia_lopez") + ","
            + "{\"type\":\"nope\",\"call_id\":\"batch-1\"}" + ","
            + Events.initiated("b3", "batch-2", "nowhere") + "]");
        assertEquals(207, r.statusCode(), r.body());
        JsonNode results = json(r).path("results");
        assertEquals(List.of(201, 201, 400, 422), List.of(results.get(0).path("status").asInt(),
            results.get(1).path("status").asInt(), results.get(2).path("status").asInt(), results.get(3).path("status").asInt()));
        assertEquals("ringing", results.get(1).path("call").path("phase").asText());
        HttpResponse<String> ok = server.postEvent("[" + Events.simple("b4", "call_answered", "batch-1") + "]");
        assertEquals(201, ok.statusCode(), ok.body());
        problem(server.postEvent("[]"), 400);
    }

    @Test
    void injectedStringsAreStoredAndReturnedVerbatim() {
        String nasty = "x'); DROP TABLE calls; -- <script>alert(1)</script>";
        String body = "{\"event_id\":\"inj\",\"type\":\"call_initiated\",\"call_id\":\"inj-1\","
            + "\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_spanish\",\"note\":\"" + nasty.replace("\"", "\\\"") + "\"}}";
        assertEquals(201, server.postEvent(body).statusCode());
        JsonNode events = json(server.get("/api/calls/inj-1/events"));
        assertEquals(nasty, events.get(0).path("metadata").path("note").asText());
        assertEquals(200, server.get("/api/calls").statusCode(), "the calls table is still there");
    }
}
