package dev.switchboard.reliability;

import dev.switchboard.server.Events;
import dev.switchboard.server.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL connections killed again and again under load ({@code pg_terminate_backend} of every
 * backend of the server's database, every 150 ms, the CI-friendly form of a database restart):
 * every event answered 2xx is in the database; every event answered 503 succeeds when resent with
 * the same {@code event_id}; nothing else is ever answered; and the server recovers by itself.
 */
class PostgresOutageTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 40;   // 8 x 40 x 6 = 1,920 events
    /** The whole load must be acknowledged within this; a server that stops answering fails the test instead of hanging it. */
    private static final long LOAD_DEADLINE_MS = 100_000;
    /** Long enough for a commit's 4 attempts, each of which may wait 5 s for a pool connection. */
    private static final java.time.Duration REQUEST_TIMEOUT = java.time.Duration.ofSeconds(30);
    private static final int OUTAGES = 4;
    /** Between two events of one worker. */
    private static final long PACE_MS = 20;

    /** A production-like server: its own JVM, started by Main, without -ea. */
    @Test
    void terminatedBackendsUnderLoadLoseNoAcknowledgedEvent() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("SWITCHBOARD_RETRY_BACKOFF", "PT0.02S"), List.of("-Xmx384m"))) {
            outage("child process", server.baseUrl(), server.database(), server::jdbc, () -> -1L);
        }
    }

    /**
     * The same in this JVM (surefire runs it with -ea, as call-server's own tests do): an Error
     * thrown inside a commit (pgjdbc 42.7.7 throws AssertionError from BatchResultHandler when
     * its connection is terminated mid-batch and assertions are on) must not stop ingestion.
     */
    @Test
    void anErrorInsideACommitDoesNotStopIngestion() throws Exception {
        try (TestServer server = TestServer.start(TestServer.Backend.POSTGRES)) {
            outage("in-process, -ea", server.baseUrl(), server.pgDatabase(), server::jdbc,
                () -> server.app().ingestor().commitFailures());
        }
    }

    private interface Jdbc {
        Connection open() throws SQLException;
    }

    private void outage(String mode, String url, String db, Jdbc jdbc, java.util.function.Supplier<Long> commitFailuresOf)
        throws Exception {
        {
            Set<String> acked = ConcurrentHashMap.newKeySet();
            Set<String> got503 = ConcurrentHashMap.newKeySet();
            List<String> failures = new CopyOnWriteArrayList<>();
            AtomicInteger responses503 = new AtomicInteger();
            AtomicInteger resentDuplicates = new AtomicInteger();
            String run = Long.toString(System.currentTimeMillis(), 36);
            long t0 = System.nanoTime();
            long deadline = System.currentTimeMillis() + LOAD_DEADLINE_MS;
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int worker = t;
                workers.add(Thread.ofPlatform().name("pg-outage-load-" + t).start(() -> {
                    for (int c = 0; c < CALLS_PER_THREAD; c++) {
                        String call = "pg-" + run + "-" + worker + "-" + c;
                        for (int step = 0; step < Lifecycles.STEPS; step++) {
                            String key = call + "/" + Lifecycles.eventId(call, step);
                            if (!untilAcknowledged(url, Lifecycles.event(call, step), key, deadline, acked, got503, responses503,
                                resentDuplicates, failures)) {
                                return;
                            }
                            // paced (about 5 s of load at least), so that the outages meet it however fast ingest
                            // is: unpaced, the whole load was acknowledged before the first backend was terminated
                            pause(PACE_MS);
                        }
                    }
                }));
            }
            // outages like a database restart: 4 times, 1 s of killing every backend every 100 ms, then 2 s of calm
            int terminated = 0;
            int rounds = 0;
            try (Connection admin = DriverManager.getConnection(TestServer.PG_ADMIN_URL, "postgres", "");
                 PreparedStatement kill = admin.prepareStatement("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
                kill.setString(1, db);
                Thread.sleep(1_000);
                for (int outage = 0; outage < OUTAGES && workers.stream().anyMatch(Thread::isAlive); outage++) {
                    for (int i = 0; i < 10; i++) {
                        try (ResultSet rs = kill.executeQuery()) {
                            rs.next();
                            terminated += rs.getInt(1);
                        }
                        rounds++;
                        Thread.sleep(100);
                    }
                    Thread.sleep(2_000);
                }
            }
            for (Thread w : workers) {
                w.join(Math.max(1, deadline - System.currentTimeMillis() + 15_000));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;

            Set<String> stored = new HashSet<>();
            long calls;
            long ended;
            long maxSeq;
            long rows;
            try (Connection c = jdbc.open(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT call_id, id FROM call_events WHERE source = 'external' AND call_id LIKE 'pg-"
                    + run + "-%'")) {
                    while (rs.next()) {
                        stored.add(rs.getString(1) + "/" + rs.getString(2));
                    }
                }
                calls = scalar(s, "SELECT COUNT(*) FROM calls WHERE id LIKE 'pg-" + run + "-%'");
                ended = scalar(s, "SELECT COUNT(*) FROM calls WHERE id LIKE 'pg-" + run + "-%' AND status = 'ended'");
                maxSeq = scalar(s, "SELECT MAX(seq) FROM call_events");
                rows = scalar(s, "SELECT COUNT(*) FROM call_events");
            }
            List<String> lost = acked.stream().filter(k -> !stored.contains(k)).toList();
            long commitFailures = commitFailuresOf.get();
            Figures.record("PostgreSQL backends terminated (" + mode + ")", String.format("%d events from %d threads in %.1f s while %d backends"
                    + " were terminated in %d rounds (4 one-second outages): acknowledged %d, found %d, lost %d, stored without an acknowledgement %d;"
                    + " %d replies were 503 (%d events), each resent with its event_id until acknowledged (%d of those resends"
                    + " answered 200 duplicate: committed although the reply was a 503 or lost); commit failures %d;"
                    + " events that failed for good %d (first: %s);"
                    + " %d of %d calls ended; audit log seq 1..%d, %d rows",
                THREADS * CALLS_PER_THREAD * Lifecycles.STEPS, THREADS, seconds, terminated, rounds, acked.size(),
                acked.size() - lost.size(), lost.size(), stored.size() - (acked.size() - lost.size()), responses503.get(),
                got503.size(), resentDuplicates.get(), commitFailures, failures.size(), failures.isEmpty() ? "-" : failures.get(0), ended, calls, maxSeq, rows));
            assertEquals(List.of(), lost, "acknowledged but not stored");
            assertTrue(failures.isEmpty(), "answers other than 2xx/503: " + failures.stream().limit(10).toList());
            // recovered by itself: a new call goes through without a restart
            String after = "pg-after-" + run;
            assertEquals(Optional.of(201), Lifecycles.post(url, Events.initiated("a1", after, "medical_spanish"), REQUEST_TIMEOUT));
            assertEquals(Optional.of(201), Lifecycles.post(url, Events.ended("a2", after, "completed"), REQUEST_TIMEOUT));
            assertEquals(THREADS * CALLS_PER_THREAD * Lifecycles.STEPS, acked.size(), "every event acknowledged in the end");
            assertEquals(List.of(), lost, "acknowledged but not stored");
            assertEquals(acked.size(), stored.size(), "stored but never acknowledged");
            assertEquals(THREADS * CALLS_PER_THREAD, ended, "every call ended: state and log agree");
            assertEquals(maxSeq, rows, "seqs without a hole");
            assertTrue(terminated > 0, "the fault was injected");
            assertTrue(commitFailures > 0 || responses503.get() > 0 || resentDuplicates.get() > 0 || commitFailures < 0,
                "the fault reached the server");
        }
    }

    /** Posts until 2xx; a 503 (or no reply) is resent with the same event_id. Anything else is a failure. */
    private static boolean untilAcknowledged(String url, String body, String key, long deadline, Set<String> acked, Set<String> got503,
                                             AtomicInteger responses503, AtomicInteger resentDuplicates, List<String> failures) {
        boolean resent = false;
        for (int attempt = 0; attempt < 300 && System.currentTimeMillis() < deadline; attempt++) {
            Optional<Integer> status = Lifecycles.post(url, body, REQUEST_TIMEOUT);
            if (status.isPresent() && (status.get() == 201 || status.get() == 200)) {
                if (status.get() == 200) {
                    if (!resent) {
                        failures.add(key + " answered duplicate on first send");
                    }
                    resentDuplicates.incrementAndGet();
                }
                acked.add(key);
                return true;
            }
            if (status.isPresent() && status.get() != 503) {
                failures.add(key + " -> " + status.get());
                return false;
            }
            if (status.isPresent()) {
                responses503.incrementAndGet();
                got503.add(key);
            } else {
                failures.add(key + " got no reply in " + REQUEST_TIMEOUT.toSeconds() + " s");
                return false;   // the server stopped answering: fail, do not hang
            }
            resent = true;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        failures.add(key + " never acknowledged");
        return false;
    }

    private static long scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
