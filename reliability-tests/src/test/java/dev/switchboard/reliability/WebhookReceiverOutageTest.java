package dev.switchboard.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.Receiver;
import dev.switchboard.server.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhook receiver goes away (connection refused, not a 500) while calls end: first for less
 * than the retry window (the retries deliver everything), then for longer (deliveries go to the
 * dead letters, an admin replays them). In the end every outbox row is delivered and the
 * receiver has seen every event id at least once, on PostgreSQL.
 */
class WebhookReceiverOutageTest {

    private static final int CALLS = 20;

    @Test
    void aReceiverThatIsDownForAWhileLosesNoDelivery() throws Exception {
        try (Receiver receiver = new Receiver();
             TestServer s = TestServer.start(TestServer.Backend.POSTGRES, Map.of("SWITCHBOARD_WEBHOOK_URL", receiver.url(),
                 "SWITCHBOARD_WEBHOOK_BACKOFF", "PT0.5S"))) {
            String run = Long.toString(System.currentTimeMillis(), 36);

            // 1: down for 0.7 s, shorter than the 3 attempts (0, +0.5 s, +1.5 s)
            receiver.stop();
            endCalls(s, "short-" + run);
            Thread.sleep(700);
            receiver.start();
            waitFor(() -> count(s, "SELECT COUNT(*) FROM outbox WHERE state <> 'delivered'") == 0, 30_000);
            long phase1 = count(s, "SELECT COUNT(*) FROM outbox");
            long phase1Failures = s.app().outbox().failureCount();
            assertEquals(0, count(s, "SELECT COUNT(*) FROM outbox WHERE state <> 'delivered'"), "retries delivered everything");
            assertTrue(phase1Failures > 0, "the receiver really was down");

            // 2: down for longer than the attempts: dead letters, replayed by an admin once it is back
            receiver.stop();
            endCalls(s, "long-" + run);
            waitFor(() -> count(s, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") == 0, 30_000);
            long dead = count(s, "SELECT COUNT(*) FROM outbox WHERE state = 'dead'");
            assertTrue(dead > 0, "deliveries went dead while the receiver was down");
            receiver.start();
            JsonNode deadList = HostileRequestsTests.json(s.get("/api/deliveries?state=dead", TestServer.ADMIN_KEY).body());
            assertEquals(dead, deadList.size(), "the dead letters are listed");
            for (JsonNode d : deadList) {
                assertEquals(200, s.post("/api/deliveries/" + d.path("id").asText() + "/replay", TestServer.ADMIN_KEY,
                    "application/json", "").statusCode());
            }
            waitFor(() -> count(s, "SELECT COUNT(*) FROM outbox WHERE state <> 'delivered'") == 0, 30_000);

            Set<String> expected = new HashSet<>();
            try (Connection c = s.jdbc(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT event_id FROM outbox")) {
                while (rs.next()) {
                    expected.add(rs.getString(1));
                }
            }
            Map<String, Integer> received = new HashMap<>();
            for (Receiver.Request r : receiver.delivered()) {
                received.merge(r.headers().get("x-switchboard-event-id"), 1, Integer::sum);
                assertTrue(r.headers().getOrDefault("x-switchboard-signature", "").startsWith("sha256="), "signed");
            }
            Set<String> lost = new HashSet<>(expected);
            lost.removeAll(received.keySet());
            long duplicates = received.values().stream().mapToInt(n -> n - 1).sum();
            Figures.record("webhook receiver down (PostgreSQL)", "down 0.7 s: " + phase1 + " deliveries, " + phase1Failures
                + " failed attempts, all delivered by the retries; down > retry window: " + dead + " went dead, replayed"
                + " by an admin, all delivered; in all " + expected.size() + " deliveries expected, " + received.size()
                + " distinct event ids received (" + duplicates + " duplicates, allowed: at least once), lost " + lost.size());
            assertEquals(Set.of(), lost, "deliveries never received");
            assertEquals(0, count(s, "SELECT COUNT(*) FROM outbox WHERE state <> 'delivered'"));
        }
    }

    private static void endCalls(TestServer s, String prefix) {
        for (int c = 0; c < CALLS; c++) {
            String call = prefix + "-" + c;
            for (int step = 0; step < Lifecycles.STEPS; step++) {
                int status = s.postEvent(Lifecycles.event(call, step)).statusCode();
                assertEquals(201, status, call + " step " + step);
            }
        }
    }

    private static long count(TestServer s, String sql) {
        try (Connection c = s.jdbc(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
    }
}
