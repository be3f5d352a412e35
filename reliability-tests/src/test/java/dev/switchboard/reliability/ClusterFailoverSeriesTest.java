package dev.switchboard.reliability;

import dev.switchboard.reliability.ClusterAudit.Disruption;
import dev.switchboard.reliability.ClusterNodes.Node;
import dev.switchboard.reliability.ClusterNodes.View;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The longer cluster series, out of the default run (profile {@code cluster-bench}, about 3
 * minutes on 2 cores): {@code kill -9} of whoever leads, {@code -Dcluster.failovers} times in a
 * row (5 by default) under light load, each killed node restarted and rejoining as a follower
 * before the next; every failover measured from the kill to the first acknowledgement of a
 * request sent after it (median, min and max recorded), and the whole run audited once at the
 * end ({@link ClusterAudit}: nothing lost, nothing twice, order per call, seqs without a hole,
 * each waiting call breached once, sockets exactly once, one leader). Then the ingest rate of
 * single events sent straight to the leader against the same sent through a follower (which
 * forwards each), {@code 8} threads for {@code -Dcluster.ingestSeconds} (10) each.
 */
class ClusterFailoverSeriesTest {

    private static final int FAILOVERS = Integer.getInteger("cluster.failovers", 5);
    private static final Duration INGEST_FOR = Duration.ofSeconds(Integer.getInteger("cluster.ingestSeconds", 10));
    private static final int INGEST_THREADS = 8;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Map<String, String> ENV = Map.of("SWITCHBOARD_SLA_MAX_WAIT", ClusterAudit.SLA.toString(),
        "SWITCHBOARD_RETRY_BACKOFF", "PT0.05S");
    /** Light: 2 threads, 50 ms between events, bounded far beyond what the series uses. */
    private static final ClusterLoad.Shape LIGHT = new ClusterLoad.Shape(2, 400, 50, true);
    private static final int ACKS_BETWEEN_KILLS = 100;
    private static final Duration TAKEOVER_TIMEOUT = ClusterNodes.LEASE.multipliedBy(7);

    @Test
    void everyLeaderKilledInARowFailsOverAndRejoins() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(3, ENV); ClusterAudit audit = new ClusterAudit(cluster)) {
            audit.watchEveryNode();
            List<Long> failovers = new ArrayList<>();
            List<String> leaders = new ArrayList<>();
            try (ClusterLoad load = ClusterLoad.start(cluster, LIGHT)) {
                for (int i = 1; i <= FAILOVERS; i++) {
                    View before = cluster.awaitAgreement();
                    Node leader = cluster.node(before.leaderId());
                    load.awaitMoreAcks(ACKS_BETWEEN_KILLS, Duration.ofSeconds(30));
                    assertTrue(load.running(), "the light load outlasts the series (kill " + i + ")");
                    Disruption kill = audit.disruption("kill -9 #" + i + " of the leader " + leader);
                    cluster.kill(leader);
                    failovers.add(load.awaitAckSentAfter(kill.atNanos(), TAKEOVER_TIMEOUT));
                    View after = cluster.awaitAgreement(cluster.running(), v -> !v.leaderId().equals(leader.id())
                        && v.epoch() > before.epoch(), TAKEOVER_TIMEOUT);
                    leaders.add(leader + "→" + after.leaderId() + " (epoch " + after.epoch() + ")");
                    cluster.restart(leader);
                    View rejoined = cluster.view(leader);
                    assertEquals("follower", rejoined.role(), "kill " + i + ": " + leader + " rejoins as a follower");
                    assertEquals(after.epoch(), rejoined.epoch(), "kill " + i + ": a rejoin causes no election");
                }
                load.awaitMoreAcks(ACKS_BETWEEN_KILLS, Duration.ofSeconds(30));
                String audited = audit.verify(load, 0);
                List<Long> sorted = failovers.stream().sorted().toList();
                Figures.record("cluster: kill -9 of the leader, " + FAILOVERS + " in a row", "3 nodes, lease "
                    + ClusterNodes.LEASE.toMillis() + " ms, light load: failover (kill → first acknowledgement of a request"
                    + " sent after it) median " + sorted.get(sorted.size() / 2) + " ms, min " + sorted.getFirst()
                    + " ms, max " + sorted.getLast() + " ms (each: " + failovers + "); leaders " + leaders + "; " + audited);
            }
        }
    }

    /** What one ingest run measured. */
    private record Rate(long events, long failures, double perSecond, long p50Ms, long p99Ms) {
        @Override
        public String toString() {
            return Math.round(perSecond) + " events/s (" + events + " in " + INGEST_FOR.toSeconds() + " s, " + failures
                + " not acknowledged), latency p50 " + p50Ms + " ms, p99 " + p99Ms + " ms";
        }
    }

    @Test
    void ingestThroughAFollowerAgainstStraightToTheLeader() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(3, Map.of())) {
            View view = cluster.awaitAgreement();
            Node leader = cluster.node(view.leaderId());
            Node follower = cluster.running().stream().filter(n -> n != leader).findFirst().orElseThrow();
            ingest(follower, "warm", WARM_UP);   // both paths: the follower's forwarding and the leader's commit
            Rate direct = ingest(leader, "leader", INGEST_FOR);
            Rate forwarded = ingest(follower, "follower", INGEST_FOR);
            assertTrue(direct.events() > 0 && forwarded.events() > 0, "both runs acknowledged events; " + cluster.logs());
            Figures.record("cluster: ingest through a follower vs the leader", INGEST_THREADS + " threads of single events"
                + " (full lifecycles, each event after the previous one's reply), 3 nodes on 2 cores: straight to the leader "
                + direct + "; through a follower (forwarded) " + forwarded + " = "
                + Math.round(100 * forwarded.perSecond() / direct.perSecond()) + " % of the direct rate");
        }
    }

    /** {@link #INGEST_THREADS} threads posting lifecycles to {@code node} only, for {@code duration}. */
    private static Rate ingest(Node node, String label, Duration duration) throws InterruptedException {
        String run = label + "-" + Long.toString(System.currentTimeMillis(), 36);
        long end = System.nanoTime() + duration.toNanos();
        LongAdder failures = new LongAdder();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < INGEST_THREADS; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().daemon().name("ingest-" + label + "-" + t).start(() -> {
                for (int c = 0; System.nanoTime() < end; c++) {
                    String call = "rate-" + run + "-" + thread + "-" + c;
                    for (int step = 0; step < Lifecycles.STEPS; step++) {
                        long t0 = System.nanoTime();
                        Optional<Integer> status = Lifecycles.post(node.baseUrl(), Lifecycles.event(call, step),
                            Duration.ofSeconds(5));
                        if (status.isEmpty() || status.get() != 201 && status.get() != 200) {
                            failures.increment();
                            break;   // this call is left where it is
                        }
                        latencies.add(System.nanoTime() - t0);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join(duration.toMillis() + 30_000);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Long> sorted = latencies.stream().sorted().toList();
        long p50 = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2) / 1_000_000;
        long p99 = sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))) / 1_000_000;
        return new Rate(sorted.size(), failures.sum(), sorted.size() / seconds, p50, p99);
    }
}
