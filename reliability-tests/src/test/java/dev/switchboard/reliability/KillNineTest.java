package dev.switchboard.reliability;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of a real call-server process in the middle of load, on PostgreSQL, then a
 * start on the same database: no acknowledged event lost, no row twice, the audit log's seqs
 * without a hole, an SLA deadline that passed while the server was dead fires exactly once after
 * the start, no alert twice, and a Socket.io client that resumes after the last seq it saw ends
 * up with every audit-log entry exactly once.
 */
class KillNineTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 40;
    private static final long SLA_MS = 2_000;
    /** Acknowledged events before the kill. */
    private static final int KILL_AFTER = 700;

    private record Waiting(String callId, long ackedAtMs) {
    }

    @Test
    void killDashNineInTheMiddleOfLoadLosesNothing() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("SWITCHBOARD_SLA_MAX_WAIT", "PT2S",
            "SWITCHBOARD_RETRY_BACKOFF", "PT0.05S"), List.of("-Xmx384m", "-XX:+UseSerialGC"))) {
            String url = server.baseUrl();
            Subscriber before = Subscriber.subscribe(server.socketUrl());
            Set<String> acked = ConcurrentHashMap.newKeySet();
            List<String> failures = new CopyOnWriteArrayList<>();
            AtomicInteger noReply = new AtomicInteger();
            AtomicInteger resentCreated = new AtomicInteger();
            AtomicInteger resentDuplicate = new AtomicInteger();
            List<Waiting> waiting = new CopyOnWriteArrayList<>();
            String run = Long.toString(System.currentTimeMillis(), 36);

            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int worker = t;
                workers.add(Thread.ofPlatform().name("kill9-load-" + t).start(() -> {
                    for (int c = 0; c < CALLS_PER_THREAD; c++) {
                        String call = "k9-" + run + "-" + worker + "-" + c;
                        for (int step = 0; step < Lifecycles.STEPS; step++) {
                            if (!send(url, Lifecycles.event(call, step), call + "/" + Lifecycles.eventId(call, step), acked,
                                failures, noReply, resentCreated, resentDuplicate)) {
                                return;
                            }
                        }
                    }
                }));
            }
            // calls that stay waiting, one every 150 ms: their SLA deadlines keep falling, some while the server is dead
            Thread waiter = Thread.ofPlatform().name("kill9-waiting").start(() -> {
                for (int i = 0; i < 400 && workers.stream().anyMatch(Thread::isAlive); i++) {
                    String call = "wait-" + run + "-" + i;
                    String body = "{\"event_id\":\"w\",\"type\":\"call_initiated\",\"call_id\":\"" + call
                        + "\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_english\"}}";
                    if (send(url, body, call + "/w", acked, failures, noReply, resentCreated, resentDuplicate)) {
                        waiting.add(new Waiting(call, System.currentTimeMillis()));
                    }
                    sleep(150);
                }
            });

            long deadline = System.currentTimeMillis() + 120_000;
            while (acked.size() < KILL_AFTER && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            int ackedAtKill = acked.size();
            server.kill();
            long killedAt = System.currentTimeMillis();
            long seqAtKill;
            try (Connection c = server.jdbc(); Statement s = c.createStatement()) {
                seqAtKill = scalar(s, "SELECT COALESCE(MAX(seq), 0) FROM call_events");
            }
            Thread.sleep(SLA_MS + 500);   // deadlines pass while nothing runs
            server.startAgain();
            long restartedAt = System.currentTimeMillis();
            Subscriber after = Subscriber.resume(server.socketUrl(), before.lastSeq.get());
            long seenBeforeKill = before.lastSeq.get();
            before.close();

            for (Thread w : workers) {
                w.join(TimeUnit.MINUTES.toMillis(3));
            }
            waiter.join(TimeUnit.MINUTES.toMillis(1));
            Thread.sleep(SLA_MS + 1_500);   // the last waiting calls breach too

            long maxSeq;
            Map<Long, String[]> log = new HashMap<>();
            Set<String> stored = new HashSet<>();
            try (Connection c = server.jdbc(); Statement s = c.createStatement()) {
                maxSeq = scalar(s, "SELECT MAX(seq) FROM call_events");
                assertTrue(after.awaitSeq(maxSeq, 20_000), "the resumed client catches up to seq " + maxSeq);
                assertEquals(maxSeq, scalar(s, "SELECT COUNT(*) FROM call_events"), "seqs 1..max without a hole");
                assertEquals(1, scalar(s, "SELECT MIN(seq) FROM call_events"));
                assertEquals(0, scalar(s, "SELECT COUNT(*) FROM (SELECT call_id, id FROM call_events GROUP BY call_id, id"
                    + " HAVING COUNT(*) > 1) d"), "no entry twice");
                assertEquals(0, scalar(s, "SELECT COUNT(*) FROM (SELECT call_id, kind FROM alerts GROUP BY call_id, kind"
                    + " HAVING COUNT(*) > 1) d"), "no alert twice");
                try (ResultSet rs = s.executeQuery("SELECT seq, id, call_id, source FROM call_events")) {
                    while (rs.next()) {
                        log.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
                        if ("external".equals(rs.getString(4))) {
                            stored.add(rs.getString(3) + "/" + rs.getString(2));
                        }
                    }
                }
                // every waiting call breached exactly once; those whose deadline fell in the outage, after the start
                int outageDeadlines = 0;
                for (Waiting w : waiting) {
                    long breaches = scalar(s, "SELECT COUNT(*) FROM call_events WHERE call_id = '" + w.callId()
                        + "' AND type = 'alert_raised'");
                    assertEquals(1, breaches, w.callId() + " breached its SLA once");
                    assertEquals(1, scalar(s, "SELECT COUNT(*) FROM alerts WHERE call_id = '" + w.callId()
                        + "' AND kind = 'sla_breach'"));
                    long due = w.ackedAtMs() + SLA_MS;
                    if (due > killedAt + 200 && due < restartedAt - 200) {
                        outageDeadlines++;
                        assertTrue(scalar(s, "SELECT MAX(seq) FROM call_events WHERE call_id = '" + w.callId()
                            + "' AND type = 'alert_raised'") > seqAtKill, w.callId() + " fired after the start");
                    }
                }
                assertTrue(outageDeadlines >= 3, "deadlines that fell in the outage: " + outageDeadlines);

                List<String> lost = acked.stream().filter(k -> !stored.contains(k)).toList();
                assertTrue(failures.isEmpty(), "refusals: " + failures.stream().limit(10).toList());
                assertEquals(List.of(), lost, "acknowledged but not stored");
                assertEquals(acked.size(), stored.size(), "stored but never acknowledged");

                // Socket.io: before the kill + after the resume = the audit log, each entry once
                List<Subscriber.Push> all = new ArrayList<>(before.pushes);
                all.addAll(after.pushes);
                Map<Long, Integer> times = new HashMap<>();
                for (Subscriber.Push p : all) {
                    times.merge(p.seq(), 1, Integer::sum);
                    String[] row = log.get(p.seq());
                    assertTrue(row != null && row[0].equals(p.eventId()) && row[1].equals(p.callId()),
                        "push " + p + " matches the audit log");
                }
                long duplicates = times.values().stream().filter(n -> n > 1).count();
                long gaps = log.keySet().stream().filter(seq -> !times.containsKey(seq)).count();
                assertEquals(0, duplicates, "pushes received twice");
                assertEquals(0, gaps, "audit-log entries never pushed");

                Figures.record("kill -9 (PostgreSQL)", "acknowledged " + acked.size() + " events (" + ackedAtKill
                    + " before the kill), found " + acked.stream().filter(stored::contains).count() + ", lost " + lost.size()
                    + "; " + noReply.get() + " requests got no reply (server dead), resent with the same event_id: "
                    + resentCreated.get() + " then created, " + resentDuplicate.get() + " answered as duplicates (committed"
                    + " before the kill); audit log seq 1.." + maxSeq + " without a hole or a duplicate; " + waiting.size()
                    + " waiting calls each breached once (" + outageDeadlines + " deadlines fell in the "
                    + (restartedAt - killedAt) + " ms outage and fired once after the start); Socket.io: " + before.pushes.size()
                    + " pushes up to seq " + seenBeforeKill + " before the kill + " + after.pushes.size()
                    + " after resume = " + times.size() + " distinct seqs, 0 duplicates, 0 gaps");
            }
            after.close();
        }
    }

    /**
     * Posts until acknowledged: no reply (server dead or starting) or 503 → the same body again.
     * Returns false after a refusal or when the bounded attempts run out.
     */
    private static boolean send(String url, String body, String key, Set<String> acked, List<String> failures,
                                AtomicInteger noReply, AtomicInteger resentCreated, AtomicInteger resentDuplicate) {
        boolean unsure = false;
        for (int attempt = 0; attempt < 1_200; attempt++) {
            Optional<Integer> status = Lifecycles.post(url, body);
            if (status.isEmpty() || status.get() == 503) {
                if (status.isEmpty() && !unsure) {
                    noReply.incrementAndGet();
                    unsure = true;
                }
                sleep(100);
                continue;
            }
            int st = status.get();
            if (st == 201 || st == 200) {
                acked.add(key);
                if (unsure) {
                    (st == 201 ? resentCreated : resentDuplicate).incrementAndGet();
                } else if (st == 200) {
                    failures.add(key + " answered as a duplicate on first send");
                }
                return true;
            }
            failures.add(key + " -> " + st);
            return false;
        }
        failures.add(key + " never acknowledged");
        return false;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
