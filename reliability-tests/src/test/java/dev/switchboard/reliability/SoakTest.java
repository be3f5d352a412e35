package dev.switchboard.reliability;

import dev.switchboard.server.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The soak (profile {@code soak}, never in the default run): a real call-server process on
 * PostgreSQL under a steady rate of full call lifecycles for {@code soak.seconds}, with
 * {@code soak.subscribers} Socket.io clients subscribed to everything. Reports throughput, errors,
 * request latency per minute (p50/p99/max), the server's heap after a full GC before and after,
 * and checks that every subscriber got every audit-log entry exactly once.
 *
 * <pre>
 * mvn -f reliability-tests/pom.xml -Psoak test                                   # 10 min, 1,000 events/s, 50 subscribers
 * mvn -f reliability-tests/pom.xml -Psoak test -Dsoak.seconds=90                 # a short proof run
 * </pre>
 */
class SoakTest {

    private static final int SECONDS = Integer.getInteger("soak.seconds", 600);
    private static final int RATE = Integer.getInteger("soak.rate", 1_000);
    private static final int SUBSCRIBERS = Integer.getInteger("soak.subscribers", 50);
    private static final int CONNECTIONS = Integer.getInteger("soak.connections", 32);
    /** Subscribe with {@code batch: true} (runs of call events as one {@code call_events} message). */
    private static final boolean BATCH = Boolean.parseBoolean(System.getProperty("soak.batch", "true"));

    @Test
    void steadyLoadWithSubscribers() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("SWITCHBOARD_RATE_LIMIT", "0"), List.of("-Xms256m", "-Xmx1g"));
             SoakSubscribers subscribers = SoakSubscribers.start(server.socketUrl(), TestServer.SUPERVISOR_KEY, SUBSCRIBERS, BATCH)) {
            String heapBefore = heapAfterGc(server);

            int minutes = (SECONDS + 59) / 60;
            long[][] latencies = new long[minutes][];
            AtomicInteger[] counts = new AtomicInteger[minutes];
            LongAdder[] errorsPerMinute = new LongAdder[minutes];
            for (int m = 0; m < minutes; m++) {
                latencies[m] = new long[RATE * 60 + 1_000];
                counts[m] = new AtomicInteger();
                errorsPerMinute[m] = new LongAdder();
            }
            LongAdder sent = new LongAdder();
            LongAdder errors = new LongAdder();
            String run = Long.toString(System.currentTimeMillis(), 36);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
            long intervalNs = (long) (1e9 * CONNECTIONS / RATE);
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < CONNECTIONS; w++) {
                int worker = w;
                workers.add(Thread.ofPlatform().name("soak-" + w).start(() -> {
                    long next = System.nanoTime() + (long) (intervalNs * (worker / (double) CONNECTIONS));
                    for (int call = 0; System.nanoTime() < end; call++) {
                        String id = "soak-" + run + "-" + worker + "-" + call;
                        for (int step = 0; step < Lifecycles.STEPS; step++) {
                            long now = System.nanoTime();
                            if (next > now) {
                                LockSupport.parkNanos(next - now);
                            }
                            next = Math.max(next + intervalNs, System.nanoTime() - intervalNs * 10);
                            long t0 = System.nanoTime();
                            Optional<Integer> status = Lifecycles.post(server.baseUrl(), Lifecycles.event(id, step));
                            long took = System.nanoTime() - t0;
                            int minute = (int) Math.min(minutes - 1, (t0 - start) / 60_000_000_000L);
                            sent.increment();
                            if (status.isEmpty() || status.get() != 201) {
                                errors.increment();
                                errorsPerMinute[minute].increment();
                            }
                            int i = counts[minute].getAndIncrement();
                            if (i < latencies[minute].length) {
                                latencies[minute][i] = took;
                            }
                        }
                    }
                }));
            }
            Thread lagWatch = Thread.ofPlatform().daemon().name("soak-lag").start(() -> watchLag(server, subscribers, start));
            // the heap after a full GC at a third and two thirds of the run: flat once the bounded caches are full
            List<String> heapDuring = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread heapWatch = Thread.ofPlatform().daemon().name("soak-heap").start(() -> {
                try {
                    for (int third = 1; third <= 2; third++) {
                        Thread.sleep(Math.max(0, start + TimeUnit.SECONDS.toNanos(SECONDS) * third / 3 - System.nanoTime()) / 1_000_000);
                        String heap = heapAfterGc(server);
                        heapDuring.add("at " + (System.nanoTime() - start) / 1_000_000_000L + " s: " + heap);
                        Figures.record("soak", "server heap after a full GC at " + third + "/3 of the run: " + heap);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    Figures.record("soak", "heap watch stopped: " + e);
                }
            });
            for (Thread t : workers) {
                t.join(TimeUnit.SECONDS.toMillis(SECONDS + 120));
            }
            lagWatch.interrupt();
            heapWatch.interrupt();
            double elapsed = (System.nanoTime() - start) / 1e9;

            long rows;
            try (Connection c = server.jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM call_events")) {
                rs.next();
                rows = rs.getLong(1);
                assertEquals(rows, rs.getLong(2), "seqs without a hole");
            }
            long drainEnd = System.currentTimeMillis() + 120_000;
            long drainStart = System.nanoTime();
            while (Arrays.stream(subscribers.status().counts()).anyMatch(n -> n < rows) && System.currentTimeMillis() < drainEnd) {
                Thread.sleep(200);
            }
            double drained = (System.nanoTime() - drainStart) / 1e9;
            String heapAfter = heapAfterGc(server);

            Figures.record("soak", String.format("%d s, target %d events/s, %d connections, %d subscribers, PostgreSQL:"
                    + " sent %d events (%.0f events/s), errors %d; audit log %d rows", SECONDS, RATE, CONNECTIONS, SUBSCRIBERS,
                sent.sum(), sent.sum() / elapsed, errors.sum(), rows));
            for (int m = 0; m < minutes; m++) {
                int n = Math.min(counts[m].get(), latencies[m].length);
                long[] sorted = Arrays.copyOf(latencies[m], n);
                Arrays.sort(sorted);
                Figures.record("soak", String.format("minute %d: %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms, errors %d",
                    m + 1, n, pct(sorted, 50), pct(sorted, 99), n == 0 ? 0 : sorted[n - 1] / 1e6, errorsPerMinute[m].sum()));
            }
            List<SoakSubscribers.Account> accounts = subscribers.report(rows);
            long complete = accounts.stream().filter(SoakSubscribers.Account::complete).count();
            long duplicates = accounts.stream().mapToLong(SoakSubscribers.Account::duplicates).sum();
            long outOfOrder = accounts.stream().mapToLong(SoakSubscribers.Account::outOfOrder).sum();
            long disconnects = accounts.stream().mapToLong(SoakSubscribers.Account::disconnects).sum();
            long fewest = accounts.stream().mapToLong(SoakSubscribers.Account::distinct).min().orElse(0);
            Figures.record("soak", String.format("subscribers (%s) with every entry exactly once: %d of %d (fewest entries %d of %d,"
                    + " duplicates %d, out of order %d, disconnects %d; the last arrived %.1f s after the load stopped);"
                    + " server heap after a full GC, before: %s; during: %s; after: %s", BATCH ? "batch" : "one message per entry", complete,
                SUBSCRIBERS, fewest, rows, duplicates, outOfOrder, disconnects, drained, heapBefore, heapDuring, heapAfter));
            assertEquals(0, errors.sum(), "errors");
            assertEquals(0, duplicates, "pushes received twice");
            assertEquals(0, outOfOrder, "pushes out of order");
            assertEquals(SUBSCRIBERS, complete, "every subscriber got every entry");
        }
    }

    /** Every 30 s: how far the median and the slowest subscriber are behind the audit log, and push latency. */
    private static void watchLag(ServerProcess server, SoakSubscribers subscribers, long start) {
        try (Connection c = server.jdbc(); Statement s = c.createStatement()) {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(30_000);
                long head;
                try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM call_events")) {
                    rs.next();
                    head = rs.getLong(1);
                }
                SoakSubscribers.Status status = subscribers.status();
                long[] behind = Arrays.stream(status.counts()).map(n -> Math.max(0, head - n)).sorted().toArray();
                SoakSubscribers.Latency l = status.latency();
                Figures.record("soak", String.format("at %d s: audit log at seq %d; subscribers behind by median %d, most %d"
                        + " entries; push latency (subscriber 1, %d pushes) p50 %d ms, p99 %d ms, max %d ms",
                    (System.nanoTime() - start) / 1_000_000_000L, head, behind[behind.length / 2], behind[behind.length - 1],
                    l.n(), l.p50(), l.p99(), l.max()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Figures.record("soak", "lag watch stopped: " + e);
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static final Pattern USED = Pattern.compile("committed (\\d+)K, used (\\d+)K");

    /** {@code jcmd GC.run}, then the "total, used" line of {@code GC.heap_info}, in MB. */
    private static String heapAfterGc(ServerProcess server) throws Exception {
        server.jcmd("GC.run");
        String info = server.jcmd("GC.heap_info");
        Matcher m = USED.matcher(info);
        return m.find() ? String.format("used %d MB of %d MB committed", Long.parseLong(m.group(2)) / 1024,
            Long.parseLong(m.group(1)) / 1024) : info.lines().limit(3).toList().toString();
    }
}
