package dev.switchboard.reliability;

import dev.switchboard.server.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to a real call-server process while clients post call lifecycles, on PostgreSQL and on
 * the embedded H2: the process ends within {@code SWITCHBOARD_DRAIN_TIMEOUT} (plus a small margin)
 * with the JVM's status for SIGTERM, every event that got a 2xx is in the database and nothing
 * else is, every request sent after the first 503 got a 503 or no connection (never another 5xx,
 * never a hang), readiness went DOWN, and the server's output has no exception, no SEVERE, and
 * its final "Drained in" line.
 */
class SigtermDrainTest {

    private static final int CLIENTS = 4;
    /** Load before the SIGTERM, and the longest the clients keep going after it. */
    private static final long LOAD_BEFORE_MS = 2_000;
    private static final long LOAD_AFTER_MAX_MS = 15_000;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** JVM exit after the drain: the other shutdown hooks and the exit itself. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(3);
    /** A reply slower than this is a hang (longer than the whole drain). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** A JVM ended by SIGTERM after its shutdown hooks ran exits 128 + 15. */
    private static final int SIGTERM_STATUS = 143;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void sigtermUnderLoadDrainsOnPostgres() throws Exception {
        drainUnderLoad("PostgreSQL", Map.of());
    }

    @Test
    void sigtermUnderLoadDrainsOnEmbeddedH2() throws Exception {
        drainUnderLoad("embedded H2", Map.of("SWITCHBOARD_DB_URL", "", "SWITCHBOARD_DB_USER", "sa"));
    }

    /**
     * A drain timeout shorter than the stop takes (Socket.io alone needs about 4 s): cut off at the
     * deadline, the rest still closed, a WARNING naming what did not finish, and the process gone
     * on time anyway.
     */
    @Test
    void aDrainTimeoutShorterThanTheStopCutsItOffOnTimeWithAWarning() throws Exception {
        Duration timeout = Duration.ofSeconds(2);
        try (ServerProcess server = ServerProcess.start(Map.of("SWITCHBOARD_DRAIN_TIMEOUT", timeout.toString(),
            "SWITCHBOARD_LOG_LEVEL", "INFO"), List.of("-Xmx256m", "-XX:+UseSerialGC"))) {
            String call = "cut-" + Long.toString(System.currentTimeMillis(), 36);
            assertEquals(201, post(server.baseUrl(), Lifecycles.event(call, 0)).status());
            long stopAt = System.nanoTime();
            server.sigterm();
            int status = server.awaitExit(timeout.plus(EXIT_MARGIN));
            long exitedAfterMs = (System.nanoTime() - stopAt) / 1_000_000;
            assertEquals(SIGTERM_STATUS, status, "exit status after SIGTERM (-1: still running)");
            assertTrue(exitedAfterMs <= timeout.plus(EXIT_MARGIN).toMillis(), "exited after " + exitedAfterMs + " ms");
            String log = Files.readString(server.log());
            String cut = log.lines().filter(l -> l.contains("Drain cut off")).findFirst().orElse("");
            assertTrue(cut.contains("WARNING dev.switchboard.server.Drain: Drain cut off at SWITCHBOARD_DRAIN_TIMEOUT (PT2S)")
                && cut.contains("not finished: socket hub"), "the warning: " + cut + "; see " + server.log());
            assertFalse(log.contains("Exception"), "an exception in the server's output; see " + server.log());
            assertFalse(log.contains("SEVERE"), "SEVERE in the server's output; see " + server.log());
            Figures.record("SIGTERM drain cut off (PostgreSQL)", "drain timeout " + timeout.toMillis()
                + " ms: process gone after " + exitedAfterMs + " ms with status " + status + "; server: "
                + cut.substring(cut.indexOf("Drain cut off")));
        }
    }

    /** What one request got: a status, or no reply (refused, reset) or a timeout. */
    private record Reply(long sentAtNanos, int status, String failure) {
    }

    private void drainUnderLoad(String backend, Map<String, String> db) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(db);
        env.put("SWITCHBOARD_DRAIN_TIMEOUT", DRAIN_TIMEOUT.toString());
        env.put("SWITCHBOARD_LOG_LEVEL", "INFO");   // the final drain line is INFO
        try (ServerProcess server = ServerProcess.start(env, List.of("-Xmx384m", "-XX:+UseSerialGC"))) {
            String url = server.baseUrl();
            Subscriber subscriber = Subscriber.subscribe(server.socketUrl());
            Set<String> acked = ConcurrentHashMap.newKeySet();
            List<Reply> replies = new CopyOnWriteArrayList<>();
            AtomicBoolean stopClients = new AtomicBoolean();
            AtomicLong first503 = new AtomicLong(Long.MAX_VALUE);
            String run = Long.toString(System.currentTimeMillis(), 36);

            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                int client = t;
                clients.add(Thread.ofPlatform().name("drain-client-" + t).start(() -> {
                    for (int c = 0; !stopClients.get(); c++) {
                        String call = "drain-" + run + "-" + client + "-" + c;
                        for (int step = 0; step < Lifecycles.STEPS && !stopClients.get(); step++) {
                            Reply r = post(url, Lifecycles.event(call, step));
                            replies.add(r);
                            if (r.status() == 200 || r.status() == 201) {
                                acked.add(call + "/" + Lifecycles.eventId(call, step));
                                continue;
                            }
                            if (r.status() == 503) {
                                first503.accumulateAndGet(System.nanoTime(), Math::min);
                            }
                            sleep(50);   // refused or unreachable: this call is left where it is
                            break;
                        }
                    }
                }));
            }

            Thread.sleep(LOAD_BEFORE_MS);
            int ackedBeforeStop = acked.size();
            long stopAt = System.nanoTime();
            server.sigterm();
            // readiness as a load balancer sees it, every 20 ms until the process is gone
            long readyDownAfterMs = -1;
            List<String> readiness = new ArrayList<>();
            while (server.alive() && System.nanoTime() - stopAt < LOAD_AFTER_MAX_MS * 1_000_000) {
                String seen = readiness(url);
                if (readiness.isEmpty() || !readiness.getLast().equals(seen)) {
                    readiness.add(seen);
                }
                if (readyDownAfterMs < 0 && !seen.equals("200")) {
                    readyDownAfterMs = (System.nanoTime() - stopAt) / 1_000_000;
                }
                Thread.sleep(20);
            }
            int status = server.awaitExit(DRAIN_TIMEOUT.plus(EXIT_MARGIN));
            long exitedAfterMs = (System.nanoTime() - stopAt) / 1_000_000;
            String socketClosed = subscriber.disconnectReason.get();
            Thread.sleep(300);   // the clients meet the closed port too
            stopClients.set(true);
            for (Thread c : clients) {
                c.join(REQUEST_TIMEOUT.toMillis() + 5_000);
            }
            subscriber.close();

            assertEquals(SIGTERM_STATUS, status, "exit status after SIGTERM (-1: still running)");
            assertTrue(exitedAfterMs <= DRAIN_TIMEOUT.plus(EXIT_MARGIN).toMillis(), "exited after " + exitedAfterMs + " ms");
            assertTrue(readyDownAfterMs >= 0, "readiness went DOWN: " + readiness);
            // closed at the transport ("transport close" or "transport error"): a Socket.io client reconnects by
            // itself; after "io server disconnect" it would not
            assertTrue(socketClosed != null && socketClosed.startsWith("transport "), "how the Socket.io connection ended: "
                + socketClosed);

            Map<String, LongAdder> outcomes = new TreeMap<>();
            List<Reply> afterFirst503 = new ArrayList<>();
            for (Reply r : replies) {
                outcomes.computeIfAbsent(r.failure() != null ? r.failure() : String.valueOf(r.status()), k -> new LongAdder())
                    .increment();
                if (r.sentAtNanos() > first503.get()) {
                    afterFirst503.add(r);
                }
            }
            for (Reply r : replies) {
                assertTrue(r.failure() == null || !r.failure().equals("timeout"), "a request hung: " + outcomes);
                assertTrue(r.failure() != null || r.status() == 200 || r.status() == 201 || r.status() == 503,
                    "only 2xx and 503: " + outcomes);
            }
            assertTrue(first503.get() != Long.MAX_VALUE, "the clients met the drain: " + outcomes);
            for (Reply r : afterFirst503) {
                assertTrue(r.status() == 503 || r.failure() != null, "sent after the first 503 yet " + r);
            }

            Set<String> stored = new HashSet<>();
            long maxSeq;
            try (Connection c = server.jdbc(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT call_id, id FROM call_events WHERE source = 'external'")) {
                    while (rs.next()) {
                        stored.add(rs.getString(1) + "/" + rs.getString(2));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM call_events")) {
                    rs.next();
                    maxSeq = rs.getLong(1);
                }
            }
            List<String> lost = acked.stream().filter(k -> !stored.contains(k)).limit(10).toList();
            assertEquals(List.of(), lost, "acknowledged but not stored");
            assertEquals(acked.size(), stored.size(), "stored but never acknowledged (a reply lost in the stop)");

            String log = Files.readString(server.log());
            String drained = log.lines().filter(l -> l.contains("Drain")).reduce((a, b) -> b).orElse("");
            assertFalse(log.contains("Exception"), "an exception in the server's output; see " + server.log());
            assertFalse(log.contains("SEVERE"), "SEVERE in the server's output; see " + server.log());
            assertTrue(drained.contains("INFO dev.switchboard.server.Drain: Drained in "), "final line: " + drained);
            assertFalse(log.contains("snapshot failed"), "the final snapshot failed; see " + server.log());
            assertTrue(log.lines().anyMatch(l -> l.contains("Snapshotter: snapshot at seq " + maxSeq + ":")),
                "a final snapshot of the last commit (the next start replays nothing); see " + server.log());

            Figures.record("SIGTERM drain (" + backend + ")", CLIENTS + " clients, SIGTERM after " + LOAD_BEFORE_MS
                + " ms of load: readiness DOWN after " + readyDownAfterMs + " ms (" + String.join(" → ", readiness)
                + "), process gone after " + exitedAfterMs + " ms with status " + status + " (drain timeout "
                + DRAIN_TIMEOUT.toMillis() + " ms); requests " + outcomes + "; acknowledged " + acked.size() + " events ("
                + ackedBeforeStop + " before the SIGTERM), stored " + stored.size() + ", lost 0; Socket.io subscriber saw up to seq "
                + subscriber.lastSeq.get() + " of " + maxSeq + ", then '" + socketClosed + "'; server: "
                + drained.substring(drained.indexOf("Drained in ")));
        }
    }

    private static Reply post(String baseUrl, String body) {
        long sent = System.nanoTime();
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/events"))
                .timeout(REQUEST_TIMEOUT)
                .header("X-API-Key", TestServer.INGEST_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.discarding());
            return new Reply(sent, r.statusCode(), null);
        } catch (HttpTimeoutException e) {
            return new Reply(sent, 0, "timeout");
        } catch (ConnectException e) {
            return new Reply(sent, 0, "refused");
        } catch (IOException e) {
            return new Reply(sent, 0, "closed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(sent, 0, "interrupted");
        }
    }

    private static String readiness(String baseUrl) {
        try {
            return String.valueOf(HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            return "no connection";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
