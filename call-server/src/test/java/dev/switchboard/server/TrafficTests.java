package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.switchboard.server.Await.waitFor;
import static dev.switchboard.server.LifecycleTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's traffic generator over the real routes: who may start it, what a bad start says, a
 * run that plays calls through the ingest path (log, pushes, Call JSON), stops by itself when its
 * duration is over and leaves no call of its own live, a stop by hand, and a drain that ends its
 * calls before the server goes.
 */
abstract class TrafficTests {

    abstract TestServer.Backend backend();

    private static HttpResponse<String> start(TestServer s, String key, String body) {
        return s.post("/api/traffic", key, "application/json", body);
    }

    private static JsonNode status(TestServer s) {
        HttpResponse<String> r = s.get("/api/traffic");
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    /** The generator's calls the server has, live ones only when {@code live}. */
    private static List<JsonNode> generatedCalls(TestServer s, boolean live) {
        List<JsonNode> out = new ArrayList<>();
        String filter = live ? "status=waiting,active,on_hold&" : "";
        for (JsonNode c : json(s.get("/api/calls?" + filter + "limit=200")).path("items")) {
            if (c.path("id").asText().startsWith("gen-")) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void onlyAnAdminStartsOrStopsItAndABadStartSaysWhatIsWrong() {
        try (TestServer s = TestServer.start(backend())) {
            JsonNode never = status(s);
            assertFalse(never.path("running").asBoolean());
            assertTrue(never.path("calls_per_minute").isNull());
            assertEquals(0, never.path("calls_started").asInt());

            assertEquals(403, start(s, TestServer.SUPERVISOR_KEY, "{}").statusCode());
            assertEquals(403, start(s, TestServer.INGEST_KEY, "{}").statusCode());
            assertEquals(403, s.delete("/api/traffic", TestServer.SUPERVISOR_KEY).statusCode());
            assertEquals(401, s.get("/api/traffic", null).statusCode());

            HttpResponse<String> bad = start(s, TestServer.ADMIN_KEY,
                "{\"calls_per_minute\": 601, \"duration\": \"ten minutes\", \"rate\": 5}");
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
            List<String> fields = new ArrayList<>();
            json(bad).path("errors").forEach(e -> fields.add(e.path("field").asText()));
            assertEquals(List.of("rate", "calls_per_minute", "duration"), fields);
            assertEquals(400, start(s, TestServer.ADMIN_KEY, "{\"calls_per_minute\": 2.5}").statusCode());
            assertEquals(400, start(s, TestServer.ADMIN_KEY, "{\"duration\": \"PT0.5S\"}").statusCode());
            assertEquals(400, start(s, TestServer.ADMIN_KEY, "[]").statusCode());
            assertEquals(400, start(s, TestServer.ADMIN_KEY, "{\"duration\": ").statusCode());
            assertEquals(415, s.post("/api/traffic", TestServer.ADMIN_KEY, "text/plain", "{}").statusCode());
            assertFalse(status(s).path("running").asBoolean(), "nothing started by a refused request");
            assertEquals(0, status(s).path("calls_started").asInt());
        }
    }

    @Test
    void aRunPlaysCallsThroughTheIngestPathAndStopsByItselfLeavingNoLiveCall() throws Exception {
        try (TestServer s = TestServer.start(backend(), Map.of("SWITCHBOARD_RING_TIMEOUT", "PT2S"))) {
            HttpResponse<String> r = start(s, TestServer.ADMIN_KEY, "{\"calls_per_minute\": 600, \"duration\": \"PT4S\"}");
            assertEquals(201, r.statusCode(), r.body());
            JsonNode started = json(r);
            assertTrue(started.path("running").asBoolean());
            assertEquals(600, started.path("calls_per_minute").asInt());
            assertEquals("PT4S", started.path("duration").asText());
            assertTrue(started.path("started_by").asText().startsWith("key:"), started.toString());

            waitFor(() -> generatedCalls(s, true).size() >= 5, 10_000, "generated calls to arrive");
            // the generator's events are ordinary events: in the log, with the call as it is
            String id = generatedCalls(s, true).getFirst().path("id").asText();
            JsonNode history = json(s.get("/api/calls/" + id + "/events"));
            assertEquals("call_initiated", history.get(0).path("type").asText());

            // a second start while it runs changes it (200), keeping the run's counts
            HttpResponse<String> change = start(s, TestServer.ADMIN_KEY, "{\"calls_per_minute\": 300, \"duration\": \"PT3S\"}");
            assertEquals(200, change.statusCode(), change.body());
            assertEquals(300, json(change).path("calls_per_minute").asInt());
            assertTrue(json(change).path("calls_started").asInt() >= 5);

            waitFor(() -> !status(s).path("running").asBoolean(), 15_000, "the run to end by itself");
            JsonNode ended = status(s);
            assertEquals("duration", ended.path("stop_reason").asText());
            assertFalse(ended.path("stopped_at").isNull());
            assertEquals(0, ended.path("live_calls").asInt());
            assertTrue(ended.path("events_posted").asInt() > ended.path("calls_started").asInt(), ended.toString());
            assertEquals(List.of(), generatedCalls(s, true), "no call of the generator is left live");
            for (JsonNode c : generatedCalls(s, false)) {
                assertFalse(c.path("end_reason").isNull(), c.toString());
            }
        }
    }

    @Test
    void aStopByHandAndADrainEndTheCallsItWasPlaying() throws Exception {
        try (TestServer s = TestServer.start(backend())) {
            assertEquals(201, start(s, TestServer.ADMIN_KEY, "{\"calls_per_minute\": 600, \"duration\": \"PT1H\"}").statusCode());
            waitFor(() -> generatedCalls(s, true).size() >= 5, 10_000, "generated calls to arrive");

            HttpResponse<String> stopped = s.delete("/api/traffic", TestServer.ADMIN_KEY);
            assertEquals(200, stopped.statusCode(), stopped.body());
            assertFalse(json(stopped).path("running").asBoolean());
            assertEquals("stopped", json(stopped).path("stop_reason").asText());
            assertEquals(List.of(), generatedCalls(s, true));
            // a stop of a stopped generator changes nothing
            assertEquals("stopped", json(s.delete("/api/traffic", TestServer.ADMIN_KEY)).path("stop_reason").asText());

            assertEquals(201, start(s, TestServer.ADMIN_KEY, "{\"calls_per_minute\": 600}").statusCode());
            assertEquals("PT10M", status(s).path("duration").asText(), "the default length");
            waitFor(() -> generatedCalls(s, true).size() >= 5, 10_000, "generated calls to arrive again");
            s.stop();   // a drain: the generator ends its calls while ingest still takes them

            s.startAgain();
            assertEquals(List.of(), generatedCalls(s, true), "nothing of the generator outlives the drain");
            assertFalse(status(s).path("running").asBoolean(), "a run does not survive a restart");
        }
    }
}
