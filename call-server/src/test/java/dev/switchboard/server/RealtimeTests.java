package dev.switchboard.server;

import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Socket.io with a real v4 client: auth, exactly-once pushes, resume without gaps or duplicates. */
abstract class RealtimeTests extends ServerTests {

    private void post(String body) {
        int status = server.postEvent(body).statusCode();
        assertTrue(status == 201 || status == 200, "status " + status);
    }

    private static void assertStrictlyIncreasing(List<Long> seqs) {
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue(seqs.get(i) > seqs.get(i - 1), "seq order broken at " + i + ": " + seqs);
        }
    }

    @Test
    void twoClientsEachGetEveryCommittedEventExactlyOnce() throws Exception {
        try (SocketClient a = SocketClient.withAuth(server, TestServer.SUPERVISOR_KEY);
             SocketClient b = SocketClient.withQueryToken(server, TestServer.ADMIN_KEY)) {
            assertTrue(a.await("connect", 5_000), "a connects: " + a.errors);
            assertTrue(b.await("connect", 5_000), "b connects: " + b.errors);
            a.subscribe(null);
            b.subscribe(null);
            String p = "rt2-" + backend() + "-";
            for (int i = 0; i < 5; i++) {
                post(Events.initiated("i" + i, p + i, "medical_english"));
                post(Events.routed("r" + i, p + i, "olivia_jones"));
                post(Events.simple("a" + i, "call_answered", p + i));
                post(Events.ended("e" + i, p + i, "completed"));   // a short call: + review, alert, survey = 7 entries
            }
            post(Events.ended("e0", p + "0", "completed"));           // a resend: no push
            a.awaitEvents(35, 10_000);
            b.awaitEvents(35, 10_000);
            Thread.sleep(300);
            assertEquals(a.seqs(), b.seqs());
            List<String> seen = new ArrayList<>();
            a.callEvents.forEach(e -> seen.add(e.optJSONObject("event").optString("type") + "/" + e.optJSONObject("event").optString("call_id")));
            assertEquals(35, a.seqs().size(), "exactly once: " + seen);
            assertEquals(35, new HashSet<>(a.seqs()).size());
            assertEquals(5, a.alerts.size(), "one short_call alert a call");
            assertStrictlyIncreasing(a.seqs());
            JSONObject first = a.callEvents.get(0);
            assertEquals("call_initiated", first.getJSONObject("event").getString("type"));
            assertEquals("waiting", first.getJSONObject("call").getString("status"));
        }
    }

    @Test
    void resumeAfterADisconnectReplaysTheGapOnceThenGoesLive() throws Exception {
        String p = "rs-" + backend() + "-";
        long lastSeen;
        List<Long> all = new ArrayList<>();
        try (SocketClient a = SocketClient.withAuth(server, TestServer.SUPERVISOR_KEY)) {
            assertTrue(a.await("connect", 5_000));
            a.subscribe(new JSONObject(Map.of("queues", new JSONArray(List.of("legal_french")))));
            post(Events.initiated("x1", p + "1", "legal_french"));
            post(Events.initiated("x2", p + "2", "medical_spanish"));   // another queue: not for this client
            a.awaitEvents(1, 5_000);
            Thread.sleep(200);
            assertEquals(1, a.callEvents.size(), "queue filter");
            all.addAll(a.seqs());
            lastSeen = a.seqs().get(0);
        }
        // missed while away
        post(Events.routed("x3", p + "1", "chloe_martin"));
        post(Events.simple("x4", "call_answered", p + "1"));
        try (SocketClient b = SocketClient.withAuth(server, TestServer.SUPERVISOR_KEY)) {
            assertTrue(b.await("connect", 5_000));
            b.subscribe(new JSONObject(Map.of("queues", new JSONArray(List.of("legal_french")))));
            b.resume(lastSeen);
            post(Events.ended("x5", p + "1", "completed"));             // live after the resume
            b.awaitEvents(6, 5_000);                   // routed, answered, ended, review, alert, survey
            Thread.sleep(300);
            all.addAll(b.seqs());
            assertEquals(6, b.callEvents.size(), "replayed the gap once, then live: " + b.seqs());
            assertStrictlyIncreasing(all);
            List<String> types = new ArrayList<>();
            b.callEvents.forEach(e -> types.add(e.optJSONObject("event").optString("type")));
            assertEquals(List.of("call_routed", "call_answered", "call_ended", "review_flagged", "alert_raised",
                "survey_requested"), types);
        }
    }

    @Test
    void alertsArePushedWithTheirSeq() throws Exception {
        try (SocketClient a = SocketClient.withAuth(server, TestServer.SUPERVISOR_KEY)) {
            assertTrue(a.await("connect", 5_000));
            a.subscribe(null);
            String id = "alert-" + backend();
            post(Events.initiated("al1", id, "medical_spanish"));
            post(Events.routed("al2", id, "ana_garcia"));
            post(Events.simple("al3", "call_answered", id));
            post("{\"event_id\":\"al4\",\"type\":\"call_hold\",\"call_id\":\"" + id + "\",\"data\":{\"hold_duration\":75}}");
            long end = System.currentTimeMillis() + 5_000;
            while (a.alerts.isEmpty() && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            assertEquals(1, a.alerts.size());
            JSONObject alert = a.alerts.get(0);
            assertEquals("hold_exceeded", alert.getString("kind"));
            assertEquals(id + ":hold_exceeded", alert.getString("id"));
            assertTrue(alert.getLong("seq") > 0);
        }
    }

    @Test
    void aConnectionWithoutAValidSupervisorKeyGetsNothing() throws Exception {
        try (SocketClient none = SocketClient.withAuth(server, null);
             SocketClient wrong = SocketClient.withAuth(server, "wrong-key-wrong-key");
             SocketClient ingest = SocketClient.withAuth(server, TestServer.INGEST_KEY);
             SocketClient badQuery = SocketClient.withQueryToken(server, "wrong-key-wrong-key")) {
            assertTrue(wrong.await("connect_error", 5_000), "wrong key refused");
            assertTrue(ingest.await("connect_error", 5_000), "an ingest key may not watch");
            assertTrue(badQuery.await("connect_error", 5_000), "wrong ?token= refused");
            assertTrue(none.await("connect_error", 5_000), "no auth at all refused");
            none.socket.emit("subscribe", new JSONObject());
            post(Events.initiated("n1", "nokey-" + backend(), "medical_spanish"));
            Thread.sleep(300);
            assertTrue(none.callEvents.isEmpty());
            assertTrue(wrong.callEvents.isEmpty());
            assertTrue(ingest.callEvents.isEmpty());
            assertFalse(none.socket.connected());
        }
    }

    @Test
    void aClientWithNoAuthAtAllGetsConnectErrorAndNeverConnect() throws Exception {
        try (SocketClient none = SocketClient.withAuth(server, null);
             SocketClient byQuery = SocketClient.withQueryToken(server, TestServer.SUPERVISOR_KEY)) {
            assertTrue(none.await("connect_error", 5_000), "refused like a wrong token: " + none.signals);
            assertTrue(none.errors.get(0).toString().contains("unauthorized"), none.errors.toString());
            assertTrue(byQuery.await("connect", 5_000), "a valid ?token= and no auth still connects: " + byQuery.errors);
            Thread.sleep(SocketHubGrace.MS + 500);
            assertFalse(none.signals.contains("connect"), "never connect: " + none.signals);
            assertFalse(none.socket.connected());
            assertTrue(byQuery.socket.connected(), "the ?token= client stays past the grace period");
            byQuery.subscribe(null);
            post(Events.initiated("q1", "querytoken-" + backend(), "medical_spanish"));
            byQuery.awaitEvents(1, 5_000);
        }
    }

    @Test
    void garbageFramesAndAbsurdResumesDoNotHurt() throws Exception {
        try (SocketClient a = SocketClient.withAuth(server, TestServer.SUPERVISOR_KEY)) {
            assertTrue(a.await("connect", 5_000));
            a.socket.emit("resume", "not an object");
            a.socket.emit("resume", new JSONObject(Map.of("after_seq", -5)));
            a.socket.emit("subscribe", new JSONObject(Map.of("queues", new JSONArray(List.of("no_such_queue")))));
            a.socket.emit("subscribe", 42);
            Thread.sleep(300);
            assertEquals(4, a.errors.size(), "each refused with an error: " + a.errors);
            a.subscribe(null);
            a.resume(Long.MAX_VALUE / 8);
            post(Events.initiated("g1", "garbage-" + backend(), "medical_spanish"));
            a.awaitEvents(1, 5_000);
            assertTrue(a.socket.connected());
        }
    }

    @Test
    void batchSubscribersGetTheSameEntriesInFewerMessagesInTheSameOrder() throws Exception {
        try (SocketClient plain = SocketClient.withAuth(server, TestServer.SUPERVISOR_KEY);
             SocketClient batch = SocketClient.withAuth(server, TestServer.SUPERVISOR_KEY)) {
            assertTrue(plain.await("connect", 5_000));
            assertTrue(batch.await("connect", 5_000));
            plain.subscribe(null);
            batch.subscribe(new JSONObject(Map.of("batch", true)));
            String p = "batch-" + backend() + "-";
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                events.add(Events.initiated("bi" + i, p + i, "medical_english"));
                events.add(Events.routed("br" + i, p + i, "olivia_jones"));
                events.add(Events.simple("ba" + i, "call_answered", p + i));
                events.add(Events.ended("be" + i, p + i, "completed"));   // short: + review, alert, survey
            }
            int status = server.postEvent("[" + String.join(",", events) + "]").statusCode();
            assertTrue(status == 201 || status == 207, "status " + status);
            plain.awaitEvents(56, 10_000);
            batch.awaitEvents(56, 10_000);
            Thread.sleep(300);
            assertEquals(plain.seqs(), batch.seqs(), "the same entries");
            assertEquals(56, new HashSet<>(batch.seqs()).size(), "each once");
            assertStrictlyIncreasing(batch.seqs());
            assertEquals(plain.arrivals, batch.arrivals, "alerts in the same place among the call events");
            assertEquals(8, batch.alerts.size());
            assertEquals(0, plain.batches.get(), "a client that did not ask gets one message per entry");
            assertTrue(batch.batches.get() >= 9 && batch.batches.get() < 56,
                "runs of call events between alerts go as one message: " + batch.batches.get());
            JSONObject first = batch.callEvents.get(0);
            assertEquals("call_initiated", first.getJSONObject("event").getString("type"));
            assertEquals("waiting", first.getJSONObject("call").getString("status"));
        }
    }

    @Test
    void aBatchResumeReplaysTheGapInArraysThenGoesLive() throws Exception {
        String p = "batch-rs-" + backend() + "-";
        long lastSeen;
        try (SocketClient a = SocketClient.withAuth(server, TestServer.SUPERVISOR_KEY)) {
            assertTrue(a.await("connect", 5_000));
            a.subscribe(new JSONObject(Map.of("batch", true)));
            post(Events.initiated("y1", p + "1", "legal_french"));
            a.awaitEvents(1, 5_000);
            lastSeen = a.seqs().get(0);
        }
        for (int i = 2; i <= 6; i++) {
            post(Events.initiated("y" + i, p + i, "legal_french"));   // missed while away
        }
        try (SocketClient b = SocketClient.withAuth(server, TestServer.SUPERVISOR_KEY)) {
            assertTrue(b.await("connect", 5_000));
            b.resume(new JSONObject(Map.of("after_seq", lastSeen, "batch", true)));
            assertEquals(5, b.callEvents.size(), "the gap, replayed: " + b.seqs());
            assertEquals(1, b.batches.get(), "in one array");
            post(Events.initiated("y7", p + "7", "legal_french"));
            b.awaitEvents(6, 5_000);
            assertStrictlyIncreasing(b.seqs());
            assertEquals(lastSeen + 1, b.seqs().get(0));
            assertEquals(2, b.batches.get(), "live entries come as arrays too");
        }
    }

    @Test
    void aBatchOptionThatIsNotABooleanIsRefused() throws Exception {
        try (SocketClient a = SocketClient.withAuth(server, TestServer.SUPERVISOR_KEY)) {
            assertTrue(a.await("connect", 5_000));
            a.socket.emit("subscribe", new JSONObject(Map.of("batch", "yes")));
            assertTrue(a.await("error", 5_000), "refused");
            assertTrue(a.errors.get(0).toString().contains("batch must be true or false"), a.errors.toString());
            post(Events.initiated("z1", "batch-bad-" + backend(), "medical_spanish"));
            Thread.sleep(300);
            assertTrue(a.callEvents.isEmpty(), "not subscribed by a refused request");
            a.subscribe(new JSONObject(Map.of("batch", false)));
            post(Events.initiated("z2", "batch-bad2-" + backend(), "medical_spanish"));
            a.awaitEvents(1, 5_000);
            assertEquals(0, a.batches.get());
        }
    }
}
