package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.outbound.WebhookSink;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static dev.switchboard.server.LifecycleTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outbound webhooks against a real local receiver: signed, retried, dead-lettered, replayed, never lost. */
abstract class WebhookTests {

    static final String SECRET = "test-webhook-secret-0123456789";

    abstract TestServer.Backend backend();

    private static Map<String, String> settings(Receiver r) {
        return Map.of("SWITCHBOARD_WEBHOOK_URL", r.url(), "SWITCHBOARD_WEBHOOK_SECRET", SECRET,
            "SWITCHBOARD_WEBHOOK_BACKOFF", "PT0.1S");
    }

    private static void completedCall(TestServer s, String id) {
        assertEquals(201, s.postEvent(Events.initiated(id + "-1", id, "medical_spanish")).statusCode());
        assertEquals(201, s.postEvent(Events.routed(id + "-2", id, "ana_garcia")).statusCode());
        assertEquals(201, s.postEvent(Events.simple(id + "-3", "call_answered", id)).statusCode());
        assertEquals(201, s.postEvent("{\"event_id\":\"" + id + "-4\",\"type\":\"call_ended\",\"call_id\":\"" + id
            + "\",\"data\":{\"end_reason\":\"completed\",\"duration\":95}}").statusCode());
    }

    private static void waitFor(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < end) {
            Thread.sleep(25);
        }
        assertTrue(condition.getAsBoolean(), "condition not met in " + timeoutMs + " ms");
    }

    @Test
    void endedCallsAndSurveysArriveSignedWithStableIds() throws Exception {
        try (Receiver r = new Receiver(); TestServer s = TestServer.start(backend(), settings(r))) {
            completedCall(s, "wh1");
            waitFor(() -> r.delivered().size() >= 2, 5_000);
            Set<String> types = new HashSet<>();
            Set<String> ids = new HashSet<>();
            for (Receiver.Request req : r.delivered()) {
                assertEquals("sha256=" + WebhookSink.sign(SECRET, req.body()), req.headers().get("x-switchboard-signature"));
                JsonNode body = LifecycleTests.json(new FakeResponse(req.body()));
                assertEquals(req.headers().get("x-switchboard-event-id"), body.path("id").asText());
                assertEquals("wh1", body.path("call_id").asText());
                types.add(body.path("type").asText());
                assertTrue(ids.add(body.path("id").asText()), "ids are unique");
            }
            assertEquals(Set.of("call_ended", "survey_requested"), types);
            assertTrue(!WebhookSink.sign("another-secret-xxxxxxxx", r.delivered().get(0).body())
                .equals(WebhookSink.sign(SECRET, r.delivered().get(0).body())), "the signature depends on the secret");
        }
    }

    @Test
    void aFailingReceiverIsRetriedThenDeadLetteredAndReplayed() throws Exception {
        try (Receiver r = new Receiver(); TestServer s = TestServer.start(backend(), settings(r))) {
            r.failNext.set(2);                      // the first delivery succeeds on its third attempt
            s.postEvent(Events.initiated("f-1", "whf", "medical_spanish"));
            s.postEvent(Events.ended("f-2", "whf", "caller_hangup"));   // abandoned: one call_ended
            waitFor(() -> r.delivered().size() == 1, 5_000);
            assertEquals(List.of("1", "2", "3"), r.requests.stream().map(q -> q.headers().get("x-switchboard-delivery-attempt")).toList());
            assertEquals(1, r.requests.stream().map(q -> q.headers().get("x-switchboard-event-id")).distinct().count());

            r.failNext.set(1000);                   // now it is down for good
            s.postEvent(Events.initiated("g-1", "whg", "medical_spanish"));
            s.postEvent(Events.ended("g-2", "whg", "caller_hangup"));
            waitFor(() -> json(s.get("/api/deliveries?state=dead", TestServer.ADMIN_KEY)).size() == 1, 5_000);
            JsonNode dead = json(s.get("/api/deliveries?state=dead", TestServer.ADMIN_KEY)).get(0);
            assertEquals(3, dead.path("attempts").asInt());
            assertEquals("whg", dead.path("call_id").asText());
            assertTrue(dead.path("last_error").asText().contains("500"));
            assertEquals(403, s.get("/api/deliveries", TestServer.SUPERVISOR_KEY).statusCode(), "admins only");

            r.failNext.set(0);
            assertEquals(200, s.post("/api/deliveries/" + dead.path("id").asLong() + "/replay", TestServer.ADMIN_KEY,
                null, "").statusCode());
            waitFor(() -> r.delivered().size() == 2, 5_000);
            assertEquals(0, json(s.get("/api/deliveries?state=dead", TestServer.ADMIN_KEY)).size());
            assertEquals(dead.path("event_id").asText(), r.delivered().get(1).headers().get("x-switchboard-event-id"),
                "a replay keeps the event id, so receivers can dedupe");
        }
    }

    @Test
    void pendingDeliveriesSurviveARestart() throws Exception {
        try (Receiver r = new Receiver(); TestServer s = TestServer.start(backend(), settings(r))) {
            r.stop();                                // receiver down
            completedCall(s, "whr");
            s.stop();
            r.start();
            s.startAgain();
            waitFor(() -> r.delivered().size() >= 2, 10_000);
            Set<String> types = new HashSet<>();
            r.delivered().forEach(q -> types.add(json(new FakeResponse(q.body())).path("type").asText()));
            assertEquals(Set.of("call_ended", "survey_requested"), types);
        }
    }

    @Test
    void subscriptionsFilterByTypeAndCanBeRemoved() throws Exception {
        try (Receiver r = new Receiver(); Receiver alerts = new Receiver();
             TestServer s = TestServer.start(backend(), settings(r))) {
            var created = s.post("/api/webhooks", TestServer.ADMIN_KEY, "application/json",
                "{\"url\":\"" + alerts.url() + "\",\"event_types\":[\"alert_raised\"]}");
            assertEquals(201, created.statusCode(), created.body());
            String id = json(created).path("id").asText();
            assertTrue(json(created).path("secret").asText().length() >= 16, "the secret is shown once");
            assertEquals("****", json(s.get("/api/webhooks", TestServer.ADMIN_KEY)).findValuesAsText("secret").get(0));
            assertEquals(400, s.post("/api/webhooks", TestServer.ADMIN_KEY, "application/json",
                "{\"url\":\"ftp://x\",\"event_types\":[\"nope\"]}").statusCode());
            completedCall(s, "wht");               // no alert: nothing for the alerts subscription
            s.postEvent(Events.initiated("ah-1", "wha", "medical_spanish"));
            s.postEvent(Events.routed("ah-2", "wha", "ana_garcia"));
            s.postEvent(Events.simple("ah-3", "call_answered", "wha"));
            s.postEvent("{\"event_id\":\"ah-4\",\"type\":\"call_hold\",\"call_id\":\"wha\",\"data\":{\"hold_duration\":90}}");
            waitFor(() -> alerts.delivered().size() == 1, 5_000);
            assertEquals("alert_raised", json(new FakeResponse(alerts.delivered().get(0).body())).path("type").asText());
            assertEquals(204, s.delete("/api/webhooks/" + id, TestServer.ADMIN_KEY).statusCode());
            assertEquals(404, s.delete("/api/webhooks/" + id, TestServer.ADMIN_KEY).statusCode());
        }
    }
}
