package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.switchboard.server.LifecycleTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** State, metrics and timers come back from the database after a restart. */
abstract class RestartTests {

    abstract TestServer.Backend backend();

    private static long alertsFor(TestServer s, String callId) {
        long n = 0;
        for (JsonNode e : json(s.get("/api/calls/" + callId + "/events"))) {
            n += e.path("type").asText().equals("alert_raised") ? 1 : 0;
        }
        return n;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
    }

    @Test
    void aDeadlineThatPassedWhileDownFiresOnceAtStartAndNoAlertIsRaisedTwice() throws Exception {
        try (TestServer s = TestServer.start(backend(), Map.of("SWITCHBOARD_SLA_MAX_WAIT", "PT2S"))) {
            assertEquals(201, s.postEvent(Events.initiated("b1", "breached", "medical_spanish")).statusCode());
            waitFor(() -> alertsFor(s, "breached") == 1, 5_000);
            assertEquals(1, alertsFor(s, "breached"), "breached before the stop");
            assertEquals(201, s.postEvent(Events.initiated("w1", "waits", "medical_spanish")).statusCode());
            assertEquals(201, s.postEvent(Events.initiated("t1", "talks", "medical_spanish")).statusCode());
            assertEquals(201, s.postEvent(Events.routed("t2", "talks", "ana_garcia")).statusCode());
            assertEquals(201, s.postEvent(Events.simple("t3", "call_answered", "talks")).statusCode());
            s.stop();
            Thread.sleep(2_500);                                        // "waits" passes its SLA while down
            s.startAgain();
            waitFor(() -> alertsFor(s, "waits") == 1, 5_000);
            Thread.sleep(500);
            assertEquals(1, alertsFor(s, "waits"), "fired once at start");
            assertEquals(1, alertsFor(s, "breached"), "never raised again");
            assertEquals(0, alertsFor(s, "talks"));

            JsonNode spanish = json(s.get("/api/queues")).get(0);
            assertEquals(2, spanish.path("metrics").path("waiting_now").asInt(), "metrics rebuilt: " + spanish);
            assertEquals(1, spanish.path("metrics").path("answered").asInt());
            assertEquals(409, s.postEvent(Events.simple("t4", "call_answered", "talks")).statusCode(), "state rebuilt");
            assertEquals(201, s.postEvent(Events.simple("t5", "call_hold", "talks")).statusCode());
            assertEquals(200, s.postEvent(Events.initiated("w1", "waits", "medical_spanish")).statusCode(),
                "idempotency survives a restart");

            s.stop();
            s.startAgain();
            Thread.sleep(500);
            try (SocketClient c = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
                assertTrue(c.await("connect", 5_000));
                c.subscribe(null);
                c.resume(0);   // the whole log is there to resume from after a restart
                c.awaitEvents(8, 5_000);
                assertEquals(8, c.callEvents.size(), "the whole log: " + c.seqs());
            }
            assertEquals(1, alertsFor(s, "waits"));
            assertEquals(1, alertsFor(s, "breached"));
            assertEquals(0, s.app().replayed(), "a clean stop leaves a snapshot of everything: nothing to replay");
            assertTrue(s.app().ingestor().startSnapshotSeq() > 0);
            JsonNode after = json(s.postEvent(Events.ended("t6", "talks", "completed")));
            assertEquals("ended", after.path("call").path("status").asText());
        }
    }
}
