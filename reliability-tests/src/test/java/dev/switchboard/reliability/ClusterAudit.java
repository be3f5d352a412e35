package dev.switchboard.reliability;

import dev.switchboard.reliability.ClusterNodes.Node;
import dev.switchboard.reliability.ClusterNodes.View;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What must hold after any fault of a cluster, checked once for every scenario against the real
 * database, the load's ledger ({@link ClusterLoad}), Socket.io subscribers on the nodes and
 * {@code GET /api/cluster} of every node:
 * <ul>
 *   <li>every acknowledged event is stored exactly once ({@code call_events} by call id and
 *       event id), nothing unacknowledged is stored, and per call the stored order (by seq) is
 *       the order the client was acknowledged in;</li>
 *   <li>the audit log's seqs are 1..max without a hole or a duplicate, and no alert is there twice;</li>
 *   <li>each waiting call breached its SLA exactly once (one {@code alert_raised}, one
 *       {@code sla_breach}), deadlines that fell during a failover included (and those fired
 *       after the fault);</li>
 *   <li>a subscriber opened on a node that lived through the fault got every entry from when it
 *       subscribed to the last, exactly once, in seq order, each matching the log; one whose
 *       node died got an exact prefix of that; and a client resuming on ANOTHER node after the
 *       last seq it saw gets exactly the gap;</li>
 *   <li>every running node names the same leader and epoch, that node alone says leader, the
 *       nodes not running are listed {@code down}, PostgreSQL shows only the leader's lock session
 *       holding the lock, and {@code cluster_leader} says the same;</li>
 *   <li>if {@code call_events} has an {@code epoch} column: it never decreases along seq (no
 *       commit by a deposed leader after its successor's first).</li>
 * </ul>
 */
final class ClusterAudit implements AutoCloseable {

    /** {@code SWITCHBOARD_SLA_MAX_WAIT} of the scenarios. */
    static final Duration SLA = Duration.ofSeconds(2);
    /** After the last waiting call's deadline, time for the leader's timer to fire and commit. */
    private static final long SLA_MARGIN_MS = 1_500;
    /** A deadline this close to either end of an outage is not counted as inside it. */
    private static final long OUTAGE_EDGE_MS = 200;
    private static final long CATCH_UP_MS = 20_000;

    /**
     * A fault (or a membership change) as the test is about to cause it: when, and the last seq
     * committed before it. Its end is learnt from the ledger: the first acknowledgement of a
     * request sent after it.
     */
    record Disruption(String what, long atMs, long atNanos, long seqBefore) {
    }

    /** A Socket.io subscriber opened on {@code node} during its start number {@code start}. */
    private record Watch(Node node, int start, Subscriber subscriber, long seqWhenSubscribed) {
    }

    /** One audit-log row. */
    private record Row(String id, String callId, String source, String type) {
    }

    private final ClusterNodes cluster;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final List<Subscriber> resumed = new CopyOnWriteArrayList<>();
    private final List<Disruption> disruptions = new CopyOnWriteArrayList<>();

    ClusterAudit(ClusterNodes cluster) {
        this.cluster = cluster;
    }

    /** One subscriber on every running node, before the load (so from seq 1). */
    void watchEveryNode() throws Exception {
        for (Node n : cluster.running()) {
            watch(n);
        }
    }

    /**
     * Subscribes on {@code node}, live from now: it must get every entry after the seq committed
     * when the server confirmed the subscription (at the latest), through to the last.
     */
    void watch(Node node) throws Exception {
        int start = node.starts();
        Subscriber s = Subscriber.subscribe(node.socketUrl());
        watches.add(new Watch(node, start, s, cluster.maxSeq()));
    }

    /** Marks a fault about to be caused (call it right before): reads the time and the last committed seq. */
    Disruption disruption(String what) throws SQLException {
        long seq = cluster.maxSeq();
        Disruption d = new Disruption(what, System.currentTimeMillis(), System.nanoTime(), seq);
        disruptions.add(d);
        return d;
    }

    /**
     * Stops the load, lets the last SLA deadlines fire, and checks everything in the class
     * comment. {@code minOutageDeadlines}: how many waiting calls' deadlines must have fallen
     * inside an outage (0 when the fault leaves no outage long enough to be sure of one). Returns
     * the figures in one line.
     */
    String verify(ClusterLoad load, int minOutageDeadlines) throws Exception {
        load.stop();
        List<ClusterLoad.Waiting> waiting = load.waiting();
        long lastWaitingMs = waiting.stream().mapToLong(ClusterLoad.Waiting::ackedAtMs).max().orElse(0);
        long settle = lastWaitingMs + SLA.toMillis() + SLA_MARGIN_MS - System.currentTimeMillis();
        if (settle > 0) {
            Thread.sleep(settle);   // the last waiting calls breach too
        }
        assertTrue(load.failures().isEmpty(), "the load failed: " + load.failures().stream().limit(10).toList() + "; "
            + load.summary() + "; " + cluster.logs());

        String agreement = checkAgreement();

        Map<Long, Row> log = new HashMap<>();
        long maxSeq;
        Map<String, Long> breaches = new HashMap<>();
        Map<String, Long> slaAlerts = new HashMap<>();
        Map<String, Long> alertSeq = new HashMap<>();
        String epochs;
        try (Connection c = cluster.jdbc(); Statement s = c.createStatement()) {
            maxSeq = scalar(s, "SELECT COALESCE(MAX(seq), 0) FROM call_events");
            assertEquals(maxSeq, scalar(s, "SELECT COUNT(*) FROM call_events"), "seqs 1..max without a hole");
            assertEquals(1, scalar(s, "SELECT MIN(seq) FROM call_events"), "the log starts at seq 1");
            assertEquals(0, scalar(s, "SELECT COUNT(*) FROM (SELECT call_id, id FROM call_events GROUP BY call_id, id"
                + " HAVING COUNT(*) > 1) d"), "no entry twice");
            assertEquals(0, scalar(s, "SELECT COUNT(*) FROM (SELECT call_id, kind FROM alerts GROUP BY call_id, kind"
                + " HAVING COUNT(*) > 1) d"), "no alert twice");
            try (ResultSet rs = s.executeQuery("SELECT seq, id, call_id, source, type FROM call_events")) {
                while (rs.next()) {
                    log.put(rs.getLong(1), new Row(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT call_id, COUNT(*), MAX(seq) FROM call_events"
                + " WHERE type = 'alert_raised' GROUP BY call_id")) {
                while (rs.next()) {
                    breaches.put(rs.getString(1), rs.getLong(2));
                    alertSeq.put(rs.getString(1), rs.getLong(3));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT call_id, COUNT(*) FROM alerts WHERE kind = 'sla_breach' GROUP BY call_id")) {
                while (rs.next()) {
                    slaAlerts.put(rs.getString(1), rs.getLong(2));
                }
            }
            epochs = checkEpochsAlongSeq(c);
        }

        // the ledger: every acknowledged event stored once, in the order acknowledged; nothing else stored
        Set<String> acked = load.acked();
        Map<String, List<String>> storedOrder = new HashMap<>();
        Set<String> stored = new HashSet<>();
        log.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Row r = e.getValue();
            if ("external".equals(r.source())) {
                stored.add(r.callId() + "/" + r.id());
                storedOrder.computeIfAbsent(r.callId(), k -> new ArrayList<>()).add(r.id());
            }
        });
        List<String> lost = acked.stream().filter(k -> !stored.contains(k)).sorted().limit(10).toList();
        assertEquals(List.of(), lost, "acknowledged but not stored; " + cluster.logs());
        List<String> unacked = stored.stream().filter(k -> !acked.contains(k)).sorted().limit(10).toList();
        assertEquals(List.of(), unacked, "stored but never acknowledged");
        int outOfOrder = 0;
        String firstOutOfOrder = null;
        for (Map.Entry<String, List<String>> e : load.ackOrder().entrySet()) {
            List<String> inLog = storedOrder.getOrDefault(e.getKey(), List.of());
            if (!inLog.equals(e.getValue())) {
                outOfOrder++;
                if (firstOutOfOrder == null) {
                    firstOutOfOrder = e.getKey() + ": acknowledged " + e.getValue() + ", stored " + inLog;
                }
            }
        }
        assertEquals(0, outOfOrder, "calls whose log order differs from the order acknowledged, e.g. " + firstOutOfOrder);

        // SLA: each waiting call breached once; deadlines inside an outage fired after the fault
        Map<Disruption, Long> outageMs = new HashMap<>();
        for (Disruption d : disruptions) {
            OptionalLong recovered = load.firstAckSentAfter(d.atNanos());
            outageMs.put(d, recovered.isPresent() ? recovered.getAsLong() : 0L);
        }
        int outageDeadlines = 0;
        for (ClusterLoad.Waiting w : waiting) {
            assertEquals(1, breaches.getOrDefault(w.callId(), 0L), w.callId() + " raised one alert_raised; " + cluster.logs());
            assertEquals(1, slaAlerts.getOrDefault(w.callId(), 0L), w.callId() + " has one sla_breach alert");
            long due = w.ackedAtMs() + SLA.toMillis();
            for (Disruption d : disruptions) {
                if (due > d.atMs() + OUTAGE_EDGE_MS && due < d.atMs() + outageMs.get(d) - OUTAGE_EDGE_MS) {
                    outageDeadlines++;
                    assertTrue(alertSeq.get(w.callId()) > d.seqBefore(), w.callId() + "'s deadline fell in the outage of "
                        + d.what() + "; its alert must come after it");
                }
            }
        }
        assertTrue(outageDeadlines >= minOutageDeadlines, "SLA deadlines inside an outage: " + outageDeadlines
            + " (want at least " + minOutageDeadlines + ")");

        String sockets = checkSubscribers(log, maxSeq);

        return "audit log seq 1.." + maxSeq + " without a hole or a duplicate; " + load.summary() + "; all stored once, "
            + "in the order acknowledged; " + waiting.size() + " waiting calls each breached once (" + outageDeadlines
            + " deadlines fell in an outage); " + sockets + "; " + agreement + "; " + epochs;
    }

    /** {@code GET /api/cluster} on every running node, PostgreSQL's lock holders and {@code cluster_leader} agree. */
    private String checkAgreement() throws SQLException {
        List<Node> running = cluster.running();
        List<Node> gone = cluster.nodes().stream().filter(n -> !running.contains(n)).toList();
        View agreed = cluster.awaitAgreement(running, v -> running.stream().allMatch(n -> v.member(n.id())
            .map(m -> !m.role().equals("down")).orElse(false)) && gone.stream().allMatch(n -> v.lists(n.id(), "down")),
            Duration.ofSeconds(20));
        assertEquals(List.of(agreed.leaderId()), cluster.lockHolders(),
            "PostgreSQL: only the leader's lock session holds the advisory lock");
        try (Connection c = cluster.jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT node_id, epoch FROM cluster_leader WHERE id = 1")) {
            assertTrue(rs.next(), "cluster_leader has its row");
            assertEquals(agreed.leaderId(), rs.getString(1), "cluster_leader.node_id");
            assertEquals(agreed.epoch(), rs.getLong(2), "cluster_leader.epoch");
        }
        return running.size() + " running nodes agree: leader " + agreed.leaderId() + ", epoch " + agreed.epoch()
            + ", nodes " + agreed.nodes().stream().map(m -> m.nodeId() + " " + m.role() + " (lag " + m.lag() + ")").toList();
    }

    /**
     * Pushes of every watch: survivors (same start of the same node, still running and
     * connected) from at most {@code seqWhenSubscribed + 1} to {@code maxSeq}; the cut-off ones
     * an exact prefix; then every watch resumes on another running node from where it matters
     * (its last seq if cut off, else the first disruption's seq) and must get exactly the gap.
     */
    private String checkSubscribers(Map<Long, Row> log, long maxSeq) throws Exception {
        List<Node> running = cluster.running();
        long resumeFromConnected = disruptions.isEmpty() ? maxSeq / 2 : disruptions.getFirst().seqBefore();
        List<String> lines = new ArrayList<>();
        for (Watch w : watches) {
            boolean survivor = w.node().state() == ClusterNodes.State.RUNNING && w.node().starts() == w.start();
            String label = "subscriber on " + w.node() + (survivor ? "" : " (cut off)");
            if (survivor) {
                assertTrue(w.subscriber().disconnectReason.get() == null, label + " was disconnected: "
                    + w.subscriber().disconnectReason.get() + "; " + cluster.logs());
                assertTrue(w.subscriber().awaitSeq(maxSeq, CATCH_UP_MS), label + " reached seq " + maxSeq + " (at "
                    + w.subscriber().lastSeq.get() + "); " + diagnosis(w.node()) + "; " + cluster.logs());
                checkRun(label, w.subscriber().pushes, log, w.seqWhenSubscribed() + 1, maxSeq);
            } else {
                checkRun(label, w.subscriber().pushes, log, w.seqWhenSubscribed() + 1, -1);
            }
            long from = survivor ? resumeFromConnected : w.subscriber().lastSeq.get();
            Node other = nextRunning(running, w.node());
            Subscriber r = Subscriber.resume(other.socketUrl(), from);
            resumed.add(r);
            if (from < maxSeq) {
                assertTrue(r.awaitSeq(maxSeq, CATCH_UP_MS), "resumed on " + other + " after " + from + ": reached "
                    + r.lastSeq.get() + " of " + maxSeq + "; " + cluster.logs());
                checkRun("resumed on " + other + " after seq " + from, r.pushes, log, from + 1, maxSeq);
                assertEquals(from + 1, r.pushes.getFirst().seq(), "the gap starts right after seq " + from);
            } else {
                Thread.sleep(500);
                assertEquals(List.of(), r.pushes, "resumed on " + other + " after the last seq: nothing to send");
            }
            lines.add(label + " " + w.subscriber().pushes.size() + " pushes (up to seq " + w.subscriber().lastSeq.get()
                + "), resumed on " + other + " after " + from + ": " + r.pushes.size());
        }
        return "Socket.io: " + String.join(", ", lines) + "; each once, in seq order, no gap";
    }

    /**
     * What a node says of itself when one of its subscribers fell behind (for CI, where its log is
     * gone with the clone): its {@code GET /api/cluster} and its log's last warnings.
     */
    private String diagnosis(Node node) {
        StringBuilder out = new StringBuilder(node + ": ");
        try {
            ClusterNodes.View v = cluster.view(node);
            out.append("role ").append(v.role()).append(", epoch ").append(v.epoch()).append(", leader ")
                .append(v.leaderId()).append(", members ").append(v.nodes());
        } catch (AssertionError e) {
            out.append("no answer to GET /api/cluster");
        }
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(node.log())) {
            List<String> warnings = lines.filter(l -> l.contains("WARNING") || l.contains("SEVERE")
                || l.contains("Exception") || l.contains("Error")).toList();
            out.append("; its last warnings: ").append(warnings.subList(Math.max(0, warnings.size() - 15), warnings.size()));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            out.append("; its log cannot be read: ").append(e.getMessage());
        }
        return out.toString();
    }

    private static Node nextRunning(List<Node> running, Node node) {
        List<Node> others = running.stream().filter(n -> n != node).toList();
        if (others.isEmpty()) {
            throw new AssertionError("no other running node to resume on than " + node);
        }
        int i = running.indexOf(node);
        return i < 0 ? others.getFirst() : running.stream().filter(n -> n != node)
            .filter(n -> running.indexOf(n) > i).findFirst().orElse(others.getFirst());
    }

    /**
     * One subscriber's pushes in arrival order: consecutive seqs (so each once, in order, no
     * gap), each matching the log row of that seq; starting at {@code firstAtMost} at the latest;
     * ending at {@code last} unless it is -1 (cut off: any prefix).
     */
    private static void checkRun(String label, List<Subscriber.Push> pushes, Map<Long, Row> log, long firstAtMost, long last) {
        if (pushes.isEmpty()) {
            assertTrue(last < 0 || last < firstAtMost, label + " got nothing");
            return;
        }
        assertTrue(pushes.getFirst().seq() <= firstAtMost, label + " started at seq " + pushes.getFirst().seq()
            + ", after " + firstAtMost + ": entries missed at the start");
        for (int i = 0; i < pushes.size(); i++) {
            Subscriber.Push p = pushes.get(i);
            if (i > 0) {
                long prev = pushes.get(i - 1).seq();
                assertEquals(prev + 1, p.seq(), label + ": after seq " + prev + " came " + p.seq()
                    + (p.seq() <= prev ? " (twice or out of order)" : " (a gap)"));
            }
            Row row = log.get(p.seq());
            assertTrue(row != null && row.id().equals(p.eventId()) && row.callId().equals(p.callId()),
                label + ": push " + p + " matches the log (" + row + ")");
        }
        if (last >= 0) {
            assertEquals(last, pushes.getLast().seq(), label + " ended at the last seq");
        }
    }

    /**
     * If the log records the epoch of each commit: it never decreases along seq. Without the
     * column the fence is proven by the other checks only (no hole, no duplicate, order, roles).
     */
    private static String checkEpochsAlongSeq(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet cols = md.getColumns(null, null, "call_events", "epoch")) {
            if (!cols.next()) {
                return "call_events has no epoch column (epoch along seq not checked)";
            }
        }
        long decreases = 0;
        long epochsSeen = 0;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT epoch FROM call_events ORDER BY seq")) {
            long prev = Long.MIN_VALUE;
            while (rs.next()) {
                long e = rs.getLong(1);
                if (e < prev) {
                    decreases++;
                }
                if (e != prev) {
                    epochsSeen++;
                }
                prev = Math.max(prev, e);
            }
        }
        assertEquals(0, decreases, "entries committed under an older epoch after a newer one (a deposed leader's commits)");
        return "epoch along seq never decreases (" + epochsSeen + " epochs in the log)";
    }

    private static long scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        watches.forEach(w -> w.subscriber().close());
        resumed.forEach(Subscriber::close);
    }
}
