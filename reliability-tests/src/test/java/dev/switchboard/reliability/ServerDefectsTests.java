package dev.switchboard.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.Events;
import dev.switchboard.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.switchboard.reliability.HostileRequestsTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per defect the hostile corpus found, each reduced to the smallest request that shows
 * it, so a fix can be checked on its own (see "Defects found" in docs/reliability.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerDefectsTests {

    TestServer server;

    abstract TestServer.Backend backend();

    @BeforeAll
    void start() {
        server = TestServer.start(backend());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int port() {
        return Integer.parseInt(server.baseUrl().substring(server.baseUrl().lastIndexOf(':') + 1));
    }

    private static String initiatedAt(String eventId, String callId, String timestamp) {
        return "{\"event_id\":\"" + eventId + "\",\"type\":\"call_initiated\",\"call_id\":\"" + callId + "\",\"timestamp\":\""
            + timestamp + "\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"}}";
    }

    /** CallEngine.evaluate: Instant.toEpochMilli overflows for years past ~292 million (ArithmeticException). */
    @Test
    void aTimestampBeyondEpochMillisIsRefusedWith400() {
        HttpResponse<String> one = server.postEvent(initiatedAt("ff-1", "far-future-" + backend(), "+300000000-01-01T00:00:00Z"));
        assertEquals(400, one.statusCode(), one.body());
        assertEquals(404, server.get("/api/calls/far-future-" + backend()).statusCode());
    }

    /** A batch whose second item breaks the server must not answer 500 after committing the first. */
    @Test
    void aBatchNeverAnswers5xxAfterCommittingSomeOfItsItems() {
        String ok = "batch-ok-" + backend();
        HttpResponse<String> r = server.postEvent("[" + Events.initiated("b-1", ok, "medical_spanish") + ","
            + initiatedAt("b-2", "batch-far-" + backend(), "+300000000-01-01T00:00:00Z") + "]");
        boolean stored = server.get("/api/calls/" + ok).statusCode() == 200;
        assertTrue(r.statusCode() < 500 || !stored, "answered " + r.statusCode() + " but item 0 was committed: " + r.body());
        assertEquals(207, r.statusCode(), r.body());
    }

    /** EventsService.readJson: HttpMediaType parsing throws IllegalArgumentException on a malformed Content-Type. */
    @Test
    void anUnparsableContentTypeIsAClientError() {
        for (String type : List.of(";;;", "application/json;", "application/json; a", "%%%")) {
            HttpResponse<String> r = server.post("/api/events", TestServer.INGEST_KEY, type,
                Events.initiated("ct", "ct-" + Math.abs(type.hashCode()), "medical_spanish"));
            assertTrue(r.statusCode() == 400 || r.statusCode() == 415, type + " -> " + r.statusCode() + " " + r.body());
        }
    }

    /** EventsService.readLimited: a bad chunk size surfaces as NumberFormatException (a RuntimeException) → 500. */
    @Test
    void aBrokenChunkedBodyIs400() {
        String event = Events.initiated("chunk-e", "chunk-" + backend(), "medical_spanish");
        Exchange.Response r = Exchange.send(port(), Exchange.Request.raw(("POST /api/events HTTP/1.1\r\nHost: x\r\n"
            + "X-API-Key: " + TestServer.INGEST_KEY + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            + "Connection: close\r\n\r\nzz\r\n" + event + "\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, r.status(), r.body());
    }

    /**
     * History.entries gives system entries fixed ids ("survey", "review", "alert-<kind>",
     * "break-<agent>", and the core's "sys-<call>-<n>") in the same (call_id, id) unique space as
     * the client's event_ids: a client that used one of them makes the later system entry violate
     * call_events_id_per_call, and the whole group commit fails (503) on every retry.
     */
    @Test
    void aClientEventIdThatNamesASystemEntryDoesNotWedgeTheCall() {
        String call = "poison-" + backend();
        HttpResponse<String> first = server.postEvent(Events.initiated("survey", call, "medical_spanish"));
        if (first.statusCode() == 400) {
            return;   // reserved ids refused up front: fine
        }
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(201, server.postEvent(Events.routed("p-2", call, "ana_garcia")).statusCode());
        assertEquals(201, server.postEvent(Events.simple("p-3", "call_answered", call)).statusCode());
        HttpResponse<String> end = server.postEvent(Events.ended("p-4", call, "completed"));
        assertEquals(201, end.statusCode(), "the call can never end: " + end.body());
    }

    /** The same collision from a timer: the SLA alert of a call whose first event_id was "alert-sla_breach". */
    @Test
    void aTimerWhoseEntryIdIsTakenDoesNotFailOtherCallsCommits() throws Exception {
        try (TestServer s = TestServer.start(backend(), Map.of("SWITCHBOARD_SLA_MAX_WAIT", "PT0.5S"))) {
            HttpResponse<String> first = s.postEvent(Events.initiated("alert-sla_breach", "wedged", "medical_spanish"));
            if (first.statusCode() == 400) {
                return;
            }
            Thread.sleep(1_000);   // the SLA timer fires, its commit fails, it is re-armed, fails again...
            List<Integer> statuses = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<Integer>> f = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    f.add(pool.submit(() -> s.postEvent(Events.initiated("i-" + n, "innocent-" + n, "medical_english")).statusCode()));
                }
                for (Future<Integer> x : f) {
                    statuses.add(x.get());
                }
            }
            long failed = statuses.stream().filter(st -> st != 201).count();
            Figures.record("defects (" + backend() + ")", "timer with a taken entry id: " + failed
                + " of 200 innocent events on other calls refused (statuses " + statuses.stream().distinct().toList() + ")");
            assertEquals(0, failed, "innocent events failed with the wedged timer's batch: " + statuses);
        }
    }

    /**
     * Unpaired UTF-16 surrogates pass EventParser (not ISO control characters) but cannot be encoded:
     * the HTTP reply turns them into '?', and PostgreSQL's driver stores '?', so two different ids
     * become one (the second call is answered as a "duplicate" of the first, agents collide on their
     * primary key and every later commit naming them fails).
     */
    @Test
    void unpairedSurrogatesInIdsAreRefusedNotConflated() {
        String a = "{\"event_id\":\"s1\",\"type\":\"call_initiated\",\"call_id\":\"lone-" + backend()
            + "\\ud800\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"}}";
        String b = a.replace("\\ud800", "\\ud801");
        HttpResponse<String> ra = server.postEvent(a);
        HttpResponse<String> rb = server.postEvent(b);
        assertEquals(400, ra.statusCode(), "an id that is not Unicode text is refused: " + ra.body());
        assertEquals(400, rb.statusCode(), rb.body());
        assertFalse(rb.body().contains("\"duplicate\":true"), "a different call answered as a duplicate: " + rb.body());
    }

    /** PostgreSQL refuses 0x00 in text parameters: the lookups by path id and query answer 500 there. */
    @Test
    void aNulInAPathOrQueryIsNotA5xx() {
        for (String path : List.of("/api/calls/%00", "/api/calls/%00/events", "/api/calls?agent=%00", "/api/calls?queue=a%00b")) {
            int status = server.get(path, TestServer.ADMIN_KEY).statusCode();
            assertTrue(status < 500, path + " -> " + status);
        }
        int ack = server.post("/api/alerts/%00/ack", TestServer.ADMIN_KEY, "application/json", "{}").statusCode();
        assertTrue(ack < 500, "ack -> " + ack);
        int delete = server.delete("/api/webhooks/%00", TestServer.ADMIN_KEY).statusCode();
        assertTrue(delete < 500, "delete webhook -> " + delete);
    }

    /** Wire.JSON reads 1e400 as a double (Infinity), which is written back as the string "Infinity". */
    @Test
    void aNumberBeyondDoubleInDataIsRefusedOrKeptAsSent() {
        String call = "inf-" + backend();
        HttpResponse<String> r = server.postEvent("{\"event_id\":\"inf\",\"type\":\"call_initiated\",\"call_id\":\"" + call
            + "\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_spanish\",\"extra\":1e400}}");
        if (r.statusCode() == 400) {
            return;
        }
        assertEquals(201, r.statusCode(), r.body());
        JsonNode stored = json(server.get("/api/calls/" + call + "/events").body()).get(0).path("metadata").path("extra");
        assertTrue(stored.isNumber(), "a number was sent, the audit log holds " + stored);
    }

    /** OutboundService.add reads the whole body with no limit: SWITCHBOARD_MAX_BODY_BYTES applies to /api/events only. */
    @Test
    void aWebhookSubscriptionOverTheBodyLimitIs413() {
        String big = "{\"url\":\"http://127.0.0.1:9/x\",\"pad\":[" + "1,".repeat(1024 * 1024) + "1]}";
        HttpResponse<String> r = server.post("/api/webhooks", TestServer.ADMIN_KEY, "application/json", big);
        assertNotEquals(201, r.statusCode());
        assertEquals(413, r.statusCode(), r.body());
    }
}
