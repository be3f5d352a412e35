package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.wire.Wire;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ingestion path end to end over HTTP, on a real server and database. */
abstract class LifecycleTests extends ServerTests {

    static final Map<String, String> SHORT_TIMERS = Map.of(
        "SWITCHBOARD_SLA_MAX_WAIT", "PT2S",
        "SWITCHBOARD_RING_TIMEOUT", "PT1S",
        "SWITCHBOARD_MAX_HOLD", "PT1S");

    @Override
    Map<String, String> settings() {
        return SHORT_TIMERS;
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return Wire.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    JsonNode created(String body) {
        HttpResponse<String> r = server.postEvent(body);
        assertEquals(201, r.statusCode(), r.body());
        return json(r);
    }

    List<String> historyTypes(String callId) {
        List<String> types = new ArrayList<>();
        json(server.get("/api/calls/" + callId + "/events")).forEach(e -> types.add(e.path("type").asText()));
        return types;
    }

    @Test
    void aCallsWholeLifeThroughTheApi() {
        String id = "life-" + backend();
        assertEquals("waiting", created(Events.initiated("e1", id, "medical_spanish")).path("call").path("status").asText());
        JsonNode routed = created(Events.routed("e2", id, "ana_garcia"));
        assertEquals("ringing", routed.path("call").path("phase").asText());
        assertEquals("ana_garcia", routed.path("call").path("agent_id").asText());
        assertEquals("active", created(Events.simple("e3", "call_answered", id)).path("call").path("status").asText());
        assertEquals("on_hold", created(Events.simple("e4", "call_hold", id)).path("call").path("status").asText());
        assertEquals("active", created(Events.simple("e5", "call_resumed", id)).path("call").path("status").asText());
        JsonNode ended = created("{\"event_id\":\"e6\",\"type\":\"call_ended\",\"call_id\":\"" + id
            + "\",\"data\":{\"end_reason\":\"completed\",\"duration\":300}}");
        JsonNode call = ended.path("call");
        assertEquals("ended", call.path("status").asText());
        assertEquals(300.0, call.path("duration").asDouble());
        assertTrue(call.path("flags").toString().contains("survey_requested"), call.toString());
        assertFalse(ended.path("duplicate").asBoolean());

        JsonNode stored = json(server.get("/api/calls/" + id));
        assertEquals("ended", stored.path("status").asText());
        assertEquals("completed", stored.path("end_reason").asText());
        assertEquals(List.of("call_initiated", "call_routed", "call_answered", "call_hold", "call_resumed", "call_ended",
            "survey_requested"), historyTypes(id));
        JsonNode events = json(server.get("/api/calls/" + id + "/events"));
        assertEquals("system", events.get(6).path("metadata").path("source").asText());
        assertEquals("external", events.get(0).path("metadata").path("source").asText());
        long previous = 0;
        for (JsonNode e : events) {
            assertTrue(e.path("seq").asLong() > previous, "in order");
            previous = e.path("seq").asLong();
        }
    }

    @Test
    void aShortCallIsFlaggedForReviewWithAnAlert() {
        String id = "short-" + backend();
        created(Events.initiated("s1", id, "medical_english"));
        created(Events.routed("s2", id, "emma_smith"));
        created(Events.simple("s3", "call_answered", id));
        JsonNode ended = created("{\"event_id\":\"s4\",\"type\":\"call_ended\",\"call_id\":\"" + id
            + "\",\"data\":{\"end_reason\":\"completed\",\"duration\":4}}");
        assertEquals("short_call", ended.path("alerts").get(0).path("kind").asText());
        assertTrue(historyTypes(id).containsAll(List.of("review_flagged", "alert_raised")));
    }

    @Test
    void resendingAnEventIdAnswersTheOriginalAsADuplicate() {
        String id = "dup-" + backend();
        JsonNode first = created(Events.initiated("d1", id, "legal_french"));
        HttpResponse<String> again = server.postEvent(Events.initiated("d1", id, "legal_french"));
        assertEquals(200, again.statusCode(), again.body());
        JsonNode second = json(again);
        assertTrue(second.path("duplicate").asBoolean());
        assertEquals(first.path("event").path("seq").asLong(), second.path("event").path("seq").asLong());
        assertEquals(1, historyTypes(id).size(), "nothing re-applied");
    }

    @Test
    void callsArePagedNewestFirstWithAStableCursor() throws InterruptedException {
        String prefix = "page-" + backend() + "-";
        for (int i = 0; i < 5; i++) {
            created(Events.initiated("p" + i, prefix + i, "medical_spanish"));
            Thread.sleep(5);   // distinct start times
        }
        created(Events.routed("pr", prefix + "3", "luis_martinez"));
        created(Events.simple("pa", "call_answered", prefix + "3"));
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = json(server.get("/api/calls?queue=medical_spanish&limit=2&cursor=" + cursor));
            for (JsonNode c : page.path("items")) {
                assertTrue(seen.add(c.path("id").asText()), "no call twice");
                order.add(c.path("start_time").asText());
            }
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 100);
        for (int i = 0; i < 5; i++) {
            assertTrue(seen.contains(prefix + i));
        }
        List<String> sorted = new ArrayList<>(order);
        // by instant, not by text: Instant.toString writes a whole second without ".000"
        sorted.sort(java.util.Comparator.comparing(java.time.Instant::parse).reversed());
        assertEquals(sorted, order, "newest first");
        JsonNode active = json(server.get("/api/calls?status=active&queue=medical_spanish"));
        assertTrue(active.path("items").size() >= 1);
        active.path("items").forEach(c -> assertEquals("active", c.path("status").asText()));
        JsonNode byAgent = json(server.get("/api/calls?agent=luis_martinez"));
        byAgent.path("items").forEach(c -> assertEquals("luis_martinez", c.path("agent_id").asText()));
        assertEquals(400, server.get("/api/calls?status=bogus").statusCode());
        assertEquals(400, server.get("/api/calls?limit=0").statusCode());
        assertEquals(400, server.get("/api/calls?cursor=@@@").statusCode());
    }

    @Test
    void aStorageFailureAnswers503AfterRetriesAndLeavesNoTrace() throws Exception {
        String id = "fail-" + backend();
        created(Events.initiated("f1", id, "medical_spanish"));
        try (Connection c = server.jdbc(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE calls RENAME TO calls_offline");
        }
        HttpResponse<String> r;
        try {
            r = server.postEvent(Events.routed("f2", id, "sofia_lopez"));
        } finally {
            try (Connection c = server.jdbc(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE calls_offline RENAME TO calls");
            }
        }
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(List.of("call_initiated"), historyTypes(id), "no row");
        assertEquals("queued", json(server.get("/api/calls/" + id)).path("phase").asText(), "no state change");
        JsonNode retried = created(Events.routed("f2", id, "sofia_lopez"));
        assertEquals("ringing", retried.path("call").path("phase").asText());
    }

    @Test
    void liveTimersBreachTheSlaAndRerouteAnUnansweredRing() throws InterruptedException {
        String id = "timers-" + backend();
        created(Events.initiated("t1", id, "medical_english"));
        created(Events.routed("t2", id, "james_brown"));
        List<String> types = List.of();
        long end = System.currentTimeMillis() + 8_000;
        while (System.currentTimeMillis() < end) {
            types = historyTypes(id);
            if (types.stream().filter("alert_raised"::equals).count() >= 2) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(types.contains("call_retransfer"), types.toString());
        JsonNode events = json(server.get("/api/calls/" + id + "/events"));
        Set<String> kinds = new HashSet<>();
        events.forEach(e -> {
            if (e.path("type").asText().equals("alert_raised")) {
                kinds.add(e.path("metadata").path("kind").asText());
            }
        });
        assertEquals(Set.of("ring_no_answer", "sla_breach"), kinds);
        JsonNode call = json(server.get("/api/calls/" + id));
        assertFalse("james_brown".equals(call.path("agent_id").asText()), "never back to who missed: " + call);
        JsonNode open = json(server.get("/api/alerts?open=true"));
        String alertId = id + ":sla_breach";
        boolean listed = false;
        for (JsonNode a : open) {
            listed |= a.path("id").asText().equals(alertId);
        }
        assertTrue(listed, open.toString());
        HttpResponse<String> ack = server.post("/api/alerts/" + alertId + "/ack", TestServer.SUPERVISOR_KEY, null, "");
        assertEquals(200, ack.statusCode(), ack.body());
        assertFalse(json(ack).path("acked_at").isNull());
        for (JsonNode a : json(server.get("/api/alerts?open=true"))) {
            assertFalse(a.path("id").asText().equals(alertId), "acknowledged alerts are not open");
        }
        assertEquals(404, server.post("/api/alerts/nope/ack", TestServer.SUPERVISOR_KEY, null, "").statusCode());
    }

    @Test
    void holdPastTheMaximumAlerts() throws InterruptedException {
        String id = "hold-" + backend();
        created(Events.initiated("h1", id, "medical_spanish"));
        created(Events.routed("h2", id, "agent_55"));
        created(Events.simple("h3", "call_answered", id));
        created(Events.simple("h4", "call_hold", id));
        long end = System.currentTimeMillis() + 6_000;
        while (!historyTypes(id).contains("alert_raised") && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertTrue(json(server.get("/api/calls/" + id)).path("flags").toString().contains("hold_exceeded"));
    }

    @Test
    void queuesAndAgentsCarryLiveMetrics() {
        JsonNode queues = json(server.get("/api/queues"));
        assertEquals(3, queues.size());
        assertTrue(queues.get(0).path("metrics").has("service_level"));
        assertEquals(45.0, queues.get(2).path("thresholds").path("sla_max_wait").asDouble(), "per-queue SLA");
        JsonNode agents = json(server.get("/api/agents"));
        assertTrue(agents.size() >= 9);
        assertTrue(agents.get(0).has("average_handle_time"));
    }

    @Test
    void oneLookupTellsAStoredEventAndWhetherTheCallExists() {
        String id = "seen-" + backend();
        var sent = server.postEvent(Events.initiated("seen-1", id, "medical_english"));
        assertEquals(201, sent.statusCode());
        var store = server.app().store();
        var seen = store.seen(id, "seen-1");
        assertTrue(seen.callExists());
        JsonNode reply = server.app().ingestor().logReader().reply(id, seen.seq().orElseThrow()).orElseThrow();
        assertEquals(json(sent), Wire.read(Wire.write(reply)), "the reply as first sent, derived from the history");
        var newEvent = store.seen(id, "seen-2");
        assertTrue(newEvent.callExists());
        assertTrue(newEvent.seq().isEmpty(), "an id not stored yet");
        var unknown = store.seen(id + "-nobody", "seen-1");
        assertFalse(unknown.callExists());
        assertTrue(unknown.seq().isEmpty());
    }

    private JsonNode postArray(String... events) {
        HttpResponse<String> r = server.postEvent("[" + String.join(",", events) + "]");
        assertTrue(r.statusCode() == 201 || r.statusCode() == 207 || r.statusCode() == 200, r.body());
        return json(r).path("results");
    }

    private static List<Integer> statuses(JsonNode results) {
        List<Integer> out = new ArrayList<>();
        results.forEach(r -> out.add(r.path("status").asInt()));
        return out;
    }

    private static String[] lifecycle(String id) {
        return new String[] {Events.initiated(id + "-1", id, "medical_spanish"), Events.routed(id + "-2", id, "ana_garcia"),
            Events.simple(id + "-3", "call_answered", id), Events.simple(id + "-4", "call_hold", id),
            Events.simple(id + "-5", "call_resumed", id), Events.ended(id + "-6", id, "completed")};
    }

    @Test
    void aCallsEventsInOneArrayShareCommitsInsteadOfTakingOneEach() {
        String a = "chain-a-" + backend();
        String b = "chain-b-" + backend();
        List<String> both = new ArrayList<>(List.of(lifecycle(a)));
        both.addAll(List.of(lifecycle(b)));
        long before = server.app().ingestor().commits();
        JsonNode results = postArray(both.toArray(String[]::new));
        long commits = server.app().ingestor().commits() - before;
        assertEquals(List.of(201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201), statuses(results));
        // one event after the other, each call takes 6 commits at least (an event waits for the one before)
        assertTrue(commits < 6, "12 events of 2 calls in " + commits + " commits");
        for (String id : List.of(a, b)) {
            assertEquals(List.of("call_initiated", "call_routed", "call_answered", "call_hold", "call_resumed", "call_ended"),
                historyTypes(id).stream().filter(t -> t.startsWith("call_")).toList());
            JsonNode call = json(server.get("/api/calls/" + id));
            assertEquals("ended", call.path("status").asText(), call.toString());
            assertEquals("completed", call.path("end_reason").asText());
        }
        // each reply is the call as that event left it
        assertEquals("ringing", results.get(1).path("call").path("phase").asText(), results.get(1).toString());
        assertEquals("on_hold", results.get(3).path("call").path("status").asText(), results.get(3).toString());
        long seq0 = results.get(0).path("event").path("seq").asLong();
        for (int i = 1; i < 6; i++) {
            assertTrue(results.get(i).path("event").path("seq").asLong() > seq0, "seqs in the array's order");
            seq0 = results.get(i).path("event").path("seq").asLong();
        }
    }

    @Test
    void inOneArrayResendsAndRefusalsOfACallAreAnsweredAsOneByOne() {
        String seqId = "chain-seq-" + backend();
        String[] one = lifecycle(seqId);
        String id = "chain-arr-" + backend();
        String[] arr = lifecycle(id);
        String againAnswered = Events.simple(id + "-3b", "call_answered", id);   // illegal: answered already
        String resentHold = arr[3];                                              // a resend in the same array
        JsonNode results = postArray(arr[0], arr[1], arr[2], againAnswered, arr[3], resentHold, arr[4], arr[5]);
        assertEquals(List.of(201, 201, 201, 409, 201, 200, 201, 201), statuses(results), results.toString());
        assertTrue(results.get(5).path("duplicate").asBoolean(), results.get(5).toString());
        assertEquals(results.get(4).path("event").path("seq"), results.get(5).path("event").path("seq"));
        // the same events one request each leave the same history
        List<Integer> sequential = new ArrayList<>();
        for (String e : List.of(one[0], one[1], one[2], Events.simple(seqId + "-3b", "call_answered", seqId), one[3], one[3], one[4], one[5])) {
            sequential.add(server.postEvent(e).statusCode());
        }
        assertEquals(sequential, statuses(results));
        assertEquals(historyTypes(seqId), historyTypes(id));
    }

    @Test
    void aRetransferInAnArrayWaitsForTheEventsBeforeIt() {
        String id = "chain-rt-" + backend();
        JsonNode results = postArray(Events.initiated(id + "-1", id, "medical_spanish"), Events.routed(id + "-2", id, "ana_garcia"),
            "{\"event_id\":\"" + id + "-3\",\"type\":\"call_retransfer\",\"call_id\":\"" + id
                + "\",\"data\":{\"reason\":\"no_answer\"}}",
            Events.ended(id + "-4", id, "abandoned"));
        assertEquals(List.of(201, 201, 201, 201), statuses(results), results.toString());
        List<String> types = historyTypes(id);
        assertTrue(types.indexOf("call_retransfer") > types.indexOf("call_routed"), types.toString());
        assertEquals("call_ended", types.get(types.size() - 1), types.toString());
    }
}
