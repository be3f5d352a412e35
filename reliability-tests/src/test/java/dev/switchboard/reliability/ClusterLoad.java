package dev.switchboard.reliability;

import dev.switchboard.reliability.ClusterNodes.Node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Client load on a cluster, and the ledger of what it was told: {@code workers} threads each
 * posting full call lifecycles ({@link Lifecycles}), where CONSECUTIVE EVENTS OF ONE CALL GO TO
 * DIFFERENT NODES (each thread round-robins over {@link ClusterNodes#serving()} per request), so
 * a follower must forward, and whichever node receives an event, the leader must already have
 * applied the one before it; plus (optionally) one call left waiting every 150 ms, whose SLA
 * deadlines keep falling through every fault.
 *
 * <p>Each event carries its own {@code event_id}. No reply within {@link #REQUEST_TIMEOUT}
 * (refused, reset, a frozen node) or a 503 sends the same body again to the next node, until a
 * 2xx or {@link #RESEND_FOR}; anything else is a failure and ends that thread. An event is sent
 * only after the previous one of its call was acknowledged, so the ledger's order per call is
 * the order the log must hold. The ledger keeps, per call, the event ids in the order they were
 * acknowledged, and for every acknowledgement when the request that got it was sent (the
 * failover time is the first acknowledgement of a request sent after the fault).
 *
 * <p>Bounded: {@code workers × callsPerWorker × 6} events at most, at most
 * {@link #MAX_WAITING} waiting calls, every resend within {@link #RESEND_FOR}.
 */
final class ClusterLoad implements AutoCloseable {

    /**
     * How much load: {@code pauseMs} between two events of a thread keeps it a steady flow that
     * lasts through a fault and a restart instead of a burst over before the fault.
     */
    record Shape(int workers, int callsPerWorker, long pauseMs, boolean waitingCalls) {
    }

    /** One acknowledgement: which node gave it, when the request that got it was sent, and after how many attempts. */
    record Ack(String callId, String eventId, String nodeId, long sentNanos, long ackedNanos, int status, int attempts) {
    }

    /** A call left waiting (call_initiated only): it must breach its SLA exactly once. */
    record Waiting(String callId, long ackedAtMs) {
    }

    /** A frozen node holds a request until SIGCONT: the client gives up after this and resends elsewhere. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** How long one event is resent before the load gives up on it (a failure). */
    static final Duration RESEND_FOR = Duration.ofSeconds(30);
    private static final long RESEND_PAUSE_MS = 50;
    private static final long WAITING_EVERY_MS = 150;
    static final int MAX_WAITING = 400;

    private final ClusterNodes cluster;
    private final Shape shape;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final Map<String, List<String>> ackOrder = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ackCount = new AtomicInteger();
    private final List<Waiting> waiting = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final AtomicInteger resentCreated = new AtomicInteger();
    private final AtomicInteger resentDuplicate = new AtomicInteger();
    private final AtomicInteger firstSendDuplicate = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> workers = new ArrayList<>();
    private Thread waiter;
    private final long startedNanos = System.nanoTime();

    private ClusterLoad(ClusterNodes cluster, Shape shape) {
        this.cluster = cluster;
        this.shape = shape;
    }

    /** Starts the workers (and the waiting calls) at once. */
    static ClusterLoad start(ClusterNodes cluster, Shape shape) {
        ClusterLoad load = new ClusterLoad(cluster, shape);
        for (int t = 0; t < shape.workers(); t++) {
            int worker = t;
            load.workers.add(Thread.ofPlatform().daemon().name("cluster-load-" + t).start(() -> load.work(worker)));
        }
        if (shape.waitingCalls()) {
            load.waiter = Thread.ofPlatform().daemon().name("cluster-waiting").start(load::keepCallsWaiting);
        }
        return load;
    }

    private void work(int worker) {
        Rotation rotation = new Rotation(worker);
        for (int c = 0; c < shape.callsPerWorker() && !stopping.get(); c++) {
            String call = "cl-" + run + "-" + worker + "-" + c;
            for (int step = 0; step < Lifecycles.STEPS; step++) {   // a call started is finished, even when stopping
                if (!send(rotation, call, Lifecycles.eventId(call, step), Lifecycles.event(call, step))) {
                    return;
                }
                sleep(shape.pauseMs());
            }
        }
    }

    private void keepCallsWaiting() {
        Rotation rotation = new Rotation(0);
        for (int i = 0; i < MAX_WAITING && !stopping.get() && running(); i++) {
            String call = "wait-" + run + "-" + i;
            String body = "{\"event_id\":\"w\",\"type\":\"call_initiated\",\"call_id\":\"" + call
                + "\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_english\"}}";
            if (!send(rotation, call, "w", body)) {
                return;
            }
            waiting.add(new Waiting(call, System.currentTimeMillis()));
            sleep(WAITING_EVERY_MS);
        }
    }

    /** Round-robin over the serving nodes, one step per request (so per event, and per resend). */
    private final class Rotation {
        private int next;

        Rotation(int start) {
            next = start;
        }

        Optional<Node> next() {
            List<Node> nodes = cluster.serving();
            return nodes.isEmpty() ? Optional.empty() : Optional.of(nodes.get(Math.floorMod(next++, nodes.size())));
        }
    }

    /**
     * Sends until acknowledged (see the class comment); records the acknowledgement. False after a
     * refusal or when {@link #RESEND_FOR} ran out (both recorded as failures).
     */
    private boolean send(Rotation rotation, String callId, String eventId, String body) {
        long deadline = System.nanoTime() + RESEND_FOR.toNanos();
        for (int attempt = 1; System.nanoTime() < deadline; attempt++) {
            Optional<Node> node = rotation.next();
            if (node.isEmpty()) {
                sleep(RESEND_PAUSE_MS);
                continue;
            }
            long sent = System.nanoTime();
            Optional<Integer> status = Lifecycles.post(node.get().baseUrl(), body, REQUEST_TIMEOUT);
            outcomes.computeIfAbsent(status.map(String::valueOf).orElse("no reply"), k -> new LongAdder()).increment();
            if (status.isEmpty() || status.get() == 503) {
                sleep(RESEND_PAUSE_MS);
                continue;
            }
            int st = status.get();
            if (st == 201 || st == 200) {
                record(new Ack(callId, eventId, node.get().id(), sent, System.nanoTime(), st, attempt));
                return true;
            }
            failures.add(callId + "/" + eventId + " -> " + st + " from " + node.get().id() + " (attempt " + attempt + ")");
            return false;
        }
        failures.add(callId + "/" + eventId + " never acknowledged in " + RESEND_FOR);
        return false;
    }

    private void record(Ack ack) {
        ackOrder.computeIfAbsent(ack.callId(), k -> new CopyOnWriteArrayList<>()).add(ack.eventId());
        acks.add(ack);
        ackCount.incrementAndGet();
        if (ack.status() == 200) {
            // on a first send: a follower resent its forward itself (the leader had committed, its reply was lost)
            (ack.attempts() == 1 ? firstSendDuplicate : resentDuplicate).incrementAndGet();
        } else if (ack.attempts() > 1) {
            resentCreated.incrementAndGet();
        }
    }

    /**
     * A call the test sent itself (a probe to a frozen node) and whose first answer was
     * {@code firstStatus} (empty: none): acknowledged already if 2xx, else resent like any event;
     * then kept as a waiting call (a call_initiated only must breach once too).
     */
    boolean adoptWaiting(String callId, String eventId, String body, Optional<Integer> firstStatus, Node firstNode,
                         long sentNanos) {
        boolean acked;
        if (firstStatus.isPresent() && (firstStatus.get() == 201 || firstStatus.get() == 200)) {
            record(new Ack(callId, eventId, firstNode.id(), sentNanos, System.nanoTime(), firstStatus.get(), 1));
            acked = true;
        } else {
            acked = send(new Rotation(0), callId, eventId, body);
        }
        if (acked) {
            waiting.add(new Waiting(callId, System.currentTimeMillis()));
        }
        return acked;
    }

    /** Waits until {@code count} events are acknowledged and the load has run for {@code runFor}; fails after {@code timeout}. */
    void awaitProgress(int count, Duration runFor, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while ((ackCount.get() < count || System.nanoTime() - startedNanos < runFor.toNanos()) && System.nanoTime() < end) {
            if (!failures.isEmpty()) {
                throw new AssertionError("the load failed before the fault: " + failures.stream().limit(5).toList() + "; "
                    + cluster.logs());
            }
            sleep(10);
        }
        if (ackCount.get() < count) {
            throw new AssertionError("only " + ackCount.get() + " of " + count + " events acknowledged in " + timeout + "; "
                + summary() + "; " + cluster.logs());
        }
    }

    /** Waits for {@code more} acknowledgements from now, or until the load ends by itself (bounded). */
    void awaitMoreAcks(int more, Duration timeout) {
        int target = ackCount.get() + more;
        long end = System.nanoTime() + timeout.toNanos();
        while (ackCount.get() < target && running() && System.nanoTime() < end) {
            sleep(10);
        }
    }

    /**
     * The first acknowledgement of a request SENT after {@code nanos} (a reply committed before
     * the fault and relayed after it does not count): milliseconds from {@code nanos} to it.
     */
    OptionalLong firstAckSentAfter(long nanos) {
        return acks.stream().filter(a -> a.sentNanos() >= nanos).mapToLong(Ack::ackedNanos).min()
            .stream().map(t -> (t - nanos) / 1_000_000).findFirst();
    }

    /** {@link #firstAckSentAfter}, waited for (bounded); fails when the cluster acknowledged nothing in {@code timeout}. */
    long awaitAckSentAfter(long nanos, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            OptionalLong ms = firstAckSentAfter(nanos);
            if (ms.isPresent()) {
                return ms.getAsLong();
            }
            sleep(5);
        }
        throw new AssertionError("nothing acknowledged within " + timeout + " after the fault; " + summary() + "; "
            + cluster.logs());
    }

    /** Whether any worker still runs. */
    boolean running() {
        return workers.stream().anyMatch(Thread::isAlive);
    }

    /** Lets every worker finish the call it is in, then waits for the threads (bounded). */
    void stop() throws InterruptedException {
        stopping.set(true);
        long end = System.nanoTime() + RESEND_FOR.toNanos() * 2;
        for (Thread w : workers) {
            w.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
        }
        if (waiter != null) {
            waiter.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    int ackCount() {
        return ackCount.get();
    }

    /** Every acknowledged event as {@code call_id/event_id}. */
    Set<String> acked() {
        return acks.stream().map(a -> a.callId() + "/" + a.eventId()).collect(Collectors.toSet());
    }

    /** Per call, its event ids in the order they were acknowledged. */
    Map<String, List<String>> ackOrder() {
        return Map.copyOf(ackOrder);
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    List<Waiting> waiting() {
        return List.copyOf(waiting);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Acknowledgements per node id. */
    Map<String, Long> acksByNode() {
        return acks.stream().collect(Collectors.groupingBy(Ack::nodeId, TreeMap::new, Collectors.counting()));
    }

    /** The load in one line, for figures and failure messages. */
    String summary() {
        Map<String, Long> byOutcome = new TreeMap<>();
        outcomes.forEach((k, v) -> byOutcome.put(k, v.sum()));
        return shape.workers() + " workers × up to " + shape.callsPerWorker() + " lifecycles, each event to the next node: "
            + ackCount.get() + " events acknowledged " + acksByNode() + ", requests " + byOutcome
            + "; resent with the same event_id: " + resentCreated.get() + " then created, " + resentDuplicate.get()
            + " answered as duplicates; " + firstSendDuplicate.get() + " duplicates on a first send; " + waiting.size()
            + " waiting calls; " + failures.size() + " failures";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
