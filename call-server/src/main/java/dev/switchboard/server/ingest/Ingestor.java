package dev.switchboard.server.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.CallEngine;
import dev.switchboard.core.Decision;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.Rejection;
import dev.switchboard.core.rules.TimerKind;
import dev.switchboard.server.outbound.Outbox;
import dev.switchboard.server.realtime.Push;
import dev.switchboard.server.ingest.Work.ActionWork;
import dev.switchboard.server.ingest.Work.CallWork;
import dev.switchboard.server.ingest.Work.Unit;
import dev.switchboard.server.store.LogReader;
import dev.switchboard.server.store.Snapshots;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.store.StoredEvent;
import dev.switchboard.server.wire.IncomingEvent;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The ingestion path: lane → core decision → durable group commit → apply → push.
 *
 * <p><b>Ordering.</b> All events of one call go through one lane (a lock striped by call id), so
 * they are decided and committed one after the other; different calls run in parallel.
 *
 * <p><b>Durability.</b> The engine first only <em>evaluates</em>; the decision is committed by the
 * single writer thread, which gathers the decisions of many concurrent requests into one
 * transaction (group commit) and assigns the global {@code seq}. Only after the commit is the
 * decision applied to the engine and pushed, so the in-memory state never runs ahead of the
 * database, and a failed commit (retried 3 times with backoff) leaves no trace at all.
 *
 * <p><b>Supervisor actions</b> ({@link SupervisorAction}) take the same path: an entry of the log
 * with its seq, committed, applied, pushed in order.
 *
 * <p><b>Timers.</b> A driver thread polls the engine's timer wheel every tick; each due timer is
 * evaluated in its call's lane and committed like an event (as system events).
 *
 * <p><b>Cluster mode.</b> Only the leader decides and commits ({@link #lead}); every commit
 * carries its epoch and is refused by the database once another node has taken the lead
 * ({@link Store.Fenced}), and then this node stops leading at once. A follower ({@link #follow})
 * keeps the engine as a hot standby by applying the entries the leader committed
 * ({@link #applyCommitted}) and hands events to the leader ({@link Forward}).
 *
 * <p>Elsewhere, one job each: the start ({@link Recovery}), snapshots ({@link Snapshotter}), the
 * duplicate check's memory ({@link EventIds}).
 */
public final class Ingestor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Ingestor.class.getName());

    /** Lanes: enough stripes that unrelated calls rarely share one. */
    private static final int LANES = 4096;
    /** Most decisions in one group commit. */
    private static final int MAX_BATCH = 2000;
    /** Retries of a failed commit before giving up with 503. */
    public static final int COMMIT_RETRIES = 3;
    /** Timer wheel poll period: the precision of live timers. */
    private static final long TIMER_POLL_MS = 10;

    private final CallEngine engine;
    private final ReentrantLock engineLock = new ReentrantLock();
    private final Store store;
    private final Snapshots snapshots;
    private final Consumer<List<Push>> publisher;
    private final Outbox outbox;
    private final Duration backoff;
    private final ReentrantLock[] lanes = new ReentrantLock[LANES];
    private final LinkedBlockingQueue<Unit> pending = new LinkedBlockingQueue<>();
    private final Set<String> knownAgents = ConcurrentHashMap.newKeySet();
    private final ExecutorService timerTasks = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, LongAdder> accepted = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final LongAdder commitFailures = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final EventIds eventIds = new EventIds();
    private final StoredCalls storedCalls;
    private final LogReader logReader;
    private final Entries entries;
    private final Snapshotter snapshotter;
    private volatile boolean running = true;
    private volatile String degraded;
    /** The last seq committed (written by the writer thread only). */
    private volatile long lastSeq;
    /** The last seq applied to the engine: changes under {@link #engineLock}. */
    private volatile long appliedSeq;
    private Recovery.Recovered recovered;
    private Thread writer;
    private Thread timerDriver;
    /** Whether this node decides and commits (a single node always, once started). */
    private volatile boolean leading;
    /** The epoch this node leads (cluster mode; 0 on a single node). */
    private volatile long epoch;
    private final LongAdder fencedCommits = new LongAdder();
    private volatile Forward forward;
    private volatile Runnable onFenced = () -> { };
    private volatile CommitObserver commitObserver = (nanos, entries) -> { };

    /** Told of every group commit that succeeded (on the writer thread: it must be quick). */
    @FunctionalInterface
    public interface CommitObserver {
        /** @param nanos the transaction's time; @param entries the log entries it wrote */
        void committed(long nanos, int entries);
    }

    /** Where a follower sends the events it takes (the leader). */
    @FunctionalInterface
    public interface Forward {
        /** Hands the event to the leader; blocks until its outcome is known. */
        Outcome event(IncomingEvent in);
    }


    public Ingestor(CallEngine engine, Store store, Consumer<List<Push>> publisher, Outbox outbox, Duration backoff) {
        this.engine = engine;
        this.store = store;
        this.snapshots = new Snapshots(store);
        this.logReader = new LogReader(store);
        this.storedCalls = new StoredCalls(new StoredCalls.Source() {
            @Override
            public long forEachCallId(Consumer<String> id) throws SQLException {
                return store.forEachCallId(id);
            }

            @Override
            public long approximateCount() {
                return store.approximateCallCount();
            }
        });
        this.entries = new Entries(outbox, knownAgents, id -> locked(() -> engine.call(id)).or(() -> store.call(id)));
        this.publisher = publisher;
        this.outbox = outbox;
        this.backoff = backoff;
        this.snapshotter = new Snapshotter(snapshots, this::capture, () -> appliedSeq);
        for (int i = 0; i < LANES; i++) {
            lanes[i] = new ReentrantLock();
        }
    }

    /**
     * Rebuilds state, metrics and timers from the newest snapshot and the log after it, then
     * starts the writer, the timer driver and the snapshots. Deadlines that passed while the
     * server was down fire at the first poll.
     *
     * @return how many log entries were replayed
     */
    public long start() throws SQLException {
        long replayed = recover();
        lead(0);
        return replayed;
    }

    /**
     * Rebuilds state and metrics from the newest snapshot and the log after it and starts the
     * writer, the timer driver and the snapshots; nothing is decided until {@link #lead}.
     *
     * @return how many log entries were replayed
     */
    public long recover() throws SQLException {
        knownAgents.addAll(store.knownAgents());
        storedCalls.load();
        recovered = new Recovery(store, snapshots).run(engine, eventIds);
        lastSeq = recovered.lastSeq();
        appliedSeq = lastSeq;
        snapshotter.onlyWhile(() -> leading);
        writer = Thread.ofPlatform().name("switchboard-writer").daemon().start(this::writeLoop);
        timerDriver = Thread.ofPlatform().name("switchboard-timers").daemon().start(this::timerLoop);
        // a long replay leaves the snapshot due at once: the snapshot thread takes it within a second,
        // off the start path, and the next start reads it
        snapshotter.start(recovered.snapshotSeq());
        return recovered.replayed();
    }

    /**
     * Starts deciding and committing: timers are armed from the committed state (deadlines that
     * passed fire at the first poll). In cluster mode the caller has applied every committed entry
     * first ({@link #applyCommitted}), after taking the lead with {@code epoch}.
     */
    public void lead(long epoch) throws SQLException {
        java.util.List<String> agents = store.knownAgents();
        engineLock.lock();
        try {
            knownAgents.addAll(agents);
            lastSeq = appliedSeq;
            engine.armTimers();
            this.epoch = epoch;
            leading = true;
        } finally {
            engineLock.unlock();
        }
    }

    /**
     * Stops deciding (cluster mode: another node leads, or this one lost its lease): work not yet
     * committed is refused with 503, timers stop firing, events go to {@link Forward}.
     */
    public void follow() {
        leading = false;
    }

    /** Whether this node decides and commits now. */
    public boolean leading() {
        return leading;
    }

    /** The epoch this node leads or last led (0 on a single node). */
    public long epoch() {
        return epoch;
    }

    /** Commits refused because another node had taken the lead. */
    public long fencedCommits() {
        return fencedCommits.sum();
    }

    /** Where a follower sends its events. */
    public void forwardTo(Forward forward) {
        this.forward = forward;
    }

    /** Observes the group commits (metrics: their time and size). */
    public void observeCommits(CommitObserver observer) {
        this.commitObserver = observer;
    }

    /** Called (on the writer thread) when a commit was fenced: the cluster steps this node down. */
    public void onFenced(Runnable listener) {
        this.onFenced = listener;
    }

    /**
     * A follower's hot standby: applies entries the leader committed (in seq order, whole
     * decisions; the first row must follow {@link #appliedSeq}) to the engine and the duplicate
     * check's memory, exactly as a start replays them, and publishes their pushes (built by
     * {@code pushesOf} from each entry and the call after its decision, as the leader pushed them).
     *
     * @return the pushes published
     */
    public List<Push> applyCommitted(List<StoredEvent> rows,
                                     java.util.function.Function<LogReader.Entry, List<Push>> pushesOf) {
        List<Push> pushes = new ArrayList<>();
        engineLock.lock();
        try {
            if (leading) {
                throw new IllegalStateException("the leader applies its own commits");
            }
            int i = 0;
            while (i < rows.size()) {
                int end = i + 1;
                while (end < rows.size() && !rows.get(end).head()) {
                    end++;
                }
                List<StoredEvent> decision = rows.subList(i, end);
                StoredEvent first = decision.getFirst();
                if (first.seq() != appliedSeq + 1) {
                    throw new IllegalStateException("entry " + first.seq() + " does not follow " + appliedSeq);
                }
                if (first.callId() != null && !engine.call(first.callId()).isPresent()) {
                    storedCalls.add(first.callId());   // a call new here (the filter takes the same id twice alike)
                }
                for (StoredEvent row : decision) {
                    Recovery.replay(engine, eventIds, row);
                }
                Call call = first.callId() == null ? null : engine.call(first.callId()).orElse(null);
                for (StoredEvent row : decision) {
                    pushes.addAll(pushesOf.apply(new LogReader.Entry(row, dev.switchboard.server.wire.Wire.read(row.metadata()),
                        call)));
                }
                appliedSeq = decision.getLast().seq();
                lastSeq = appliedSeq;
                i = end;
            }
        } finally {
            engineLock.unlock();
        }
        publisher.accept(pushes);
        return pushes;
    }

    /** Takes a snapshot now (if anything changed since the last one); returns when it is stored. */
    public void snapshotNow() {
        snapshotter.take();
    }

    /** The seq of the newest snapshot taken or read. */
    public long snapshotSeq() {
        return snapshotter.savedSeq();
    }

    /** The seq of the snapshot the start read (0: none, the whole log was replayed). */
    public long startSnapshotSeq() {
        return recovered == null ? 0 : recovered.snapshotSeq();
    }

    /** The state as of the last applied entry (for a snapshot). */
    private Snapshots.Snapshot capture() {
        engineLock.lock();
        try {
            return new Snapshots.Snapshot(appliedSeq, System.currentTimeMillis(), engine.state(), eventIds.exportLive());
        } finally {
            engineLock.unlock();
        }
    }

    // ------------------------------------------------------------------ ingest

    /** Decides, commits and applies one event; blocks until it is committed or refused. */
    public Outcome ingest(IncomingEvent in) {
        Forward toLeader = forward;
        if (!leading && toLeader != null) {
            return toLeader.event(in);
        }
        ReentrantLock lane = lane(in.event().callId());
        lane.lock();
        try {
            Step step = decide(in);
            return step.unit() != null ? await(step.unit()) : step.outcome();
        } finally {
            lane.unlock();
        }
    }

    /**
     * Decides, commits and applies events of one call, in their order; blocks until every one is
     * committed or refused. Each event is decided on the state the ones before it leave, without
     * waiting for their commit ({@link CallEngine#evaluateAfter}), so that a call's events of one
     * array share a group commit instead of taking one each. What cannot be decided ahead waits for
     * what is in flight and is then decided as {@link #ingest} decides: an event id the call may
     * already have (a resend), a {@code call_retransfer} (it reads the agents' state), and an event
     * refused on the state ahead (refused again, or not, on the committed one). An event decided
     * after one that is not committed is not committed either (503, as its predecessor).
     *
     * @param events events of one call, in order
     * @return their outcomes, in the same order
     */
    public List<Outcome> ingestCall(List<IncomingEvent> events) {
        Forward toLeader = forward;
        if (events.size() == 1 || !leading && toLeader != null) {
            List<Outcome> out = new ArrayList<>(events.size());
            for (IncomingEvent in : events) {
                out.add(ingest(in));
            }
            return out;
        }
        String callId = events.getFirst().event().callId();
        Outcome[] out = new Outcome[events.size()];
        List<Unit> inFlight = new ArrayList<>();
        List<Integer> inFlightAt = new ArrayList<>();
        ReentrantLock lane = lane(callId);
        lane.lock();
        try {
            Unit last = null;          // the last unit in flight: the state ahead is its decision's
            boolean created = false;   // the call is created by this chain: none of its ids is stored
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < events.size(); i++) {
                IncomingEvent in = events.get(i);
                if (!in.event().callId().equals(callId)) {
                    throw new IllegalArgumentException("events of several calls");
                }
                String id = in.event().eventId();
                boolean surelyNew = !in.clientEventId() || (created || eventIds.isNew(callId, id)) && !ids.contains(id);
                Step step = null;
                if (last != null && surelyNew && CallEngine.chainable(in.event())) {
                    Decision.Accepted ahead = ((CallWork) last.work()).decision();
                    Decision d = locked(() -> engine.evaluateAfter(ahead, in.event()));
                    if (d instanceof Decision.Accepted a) {
                        step = new Step(null, enqueue(new Unit(new CallWork(in, a), new CompletableFuture<>(), last)));
                    }
                }
                if (step == null) {
                    settle(inFlight, inFlightAt, out);
                    last = null;
                    step = decide(in);
                }
                if (step.unit() != null) {
                    created |= last == null && ((CallWork) step.unit().work()).decision().before() == null;
                    last = step.unit();
                    inFlight.add(last);
                    inFlightAt.add(i);
                    if (in.clientEventId()) {
                        ids.add(id);
                    }
                } else {
                    out[i] = step.outcome();
                }
            }
            settle(inFlight, inFlightAt, out);
            return java.util.Arrays.asList(out);
        } finally {
            lane.unlock();
        }
    }

    /** {@link #ingestCall} for the items at {@code indexes} of {@code events}. */
    public List<Outcome> ingestCall(List<IncomingEvent> events, List<Integer> indexes) {
        List<IncomingEvent> ofCall = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            ofCall.add(events.get(i));
        }
        return ingestCall(ofCall);
    }

    /** What deciding an event came to: an outcome at once (nothing to commit), or a unit given to the writer. */
    private record Step(Outcome outcome, Unit unit) {
    }

    /** Waits for the units in flight and puts their outcomes in their places. */
    private void settle(List<Unit> inFlight, List<Integer> at, Outcome[] out) {
        for (int k = 0; k < inFlight.size(); k++) {
            out[at.get(k)] = await(inFlight.get(k));
        }
        inFlight.clear();
        at.clear();
    }

    /**
     * Decides one event on the committed state (the caller holds its lane): a duplicate, a
     * refusal, or the unit given to the writer (not awaited).
     */
    private Step decide(IncomingEvent in) {
        CallEvent event = in.event();
        try {
            Boolean callStored = null;   // known after a database lookup: asked once per request at most
            if (in.clientEventId() && !eventIds.isNew(event.callId(), event.eventId())) {
                if (!storedCalls.mayContain(event.callId())) {
                    callStored = false;   // no row of the call, so none of its events either: nothing to look up
                } else {
                    Store.Seen seen = store.seen(event.callId(), event.eventId());
                    if (seen.seq().isPresent()) {
                        ObjectNode reply = logReader.reply(event.callId(), seen.seq().getAsLong()).orElseThrow();
                        reply.put("duplicate", true);
                        return new Step(new Outcome.Duplicate(reply), null);
                    }
                    callStored = seen.callExists();
                }
            }
            Decision decision = locked(() -> engine.evaluate(event));
            if (decision instanceof Decision.Rejected r) {
                Rejection rejection = r.rejection();
                if (rejection.reason() == Rejection.Reason.UNKNOWN_CALL
                    && (callStored != null ? callStored : callStored(event.callId()))) {
                    rejection = new Rejection(Rejection.Reason.ILLEGAL_TRANSITION, "type", event.type().wireName()
                        + " is not allowed: call '" + event.callId() + "' is ended");
                }
                return new Step(refuse(in, rejection), null);
            }
            Decision.Accepted a = (Decision.Accepted) decision;
            if (a.before() == null && (callStored != null ? callStored : callStored(event.callId()))) {
                return new Step(refuse(in, new Rejection(Rejection.Reason.ILLEGAL_TRANSITION, "type",
                    "call_initiated is not allowed: call '" + event.callId() + "' already exists (ended)")), null);
            }
            return new Step(null, enqueue(new Unit(new CallWork(in, a), new CompletableFuture<>())));
        } catch (io.helidon.dbclient.DbClientException e) {
            LOG.log(Level.WARNING, "storage unavailable while checking call "
                + dev.switchboard.server.observe.LogText.escape(event.callId()) + ": " + e.getMessage());
            rejected.computeIfAbsent("storage_unavailable", k -> new LongAdder()).increment();
            return new Step(new Outcome.Unavailable("storage unavailable"), null);
        }
    }

    /** Whether the call has a row: known without the database when it surely has none. */
    private boolean callStored(String callId) {
        return storedCalls.mayContain(callId) && store.callExists(callId);
    }

    /** Waits for a posted event's unit to be committed (or not) and counts it. */
    private Outcome await(Unit unit) {
        Outcome outcome = awaitDone(unit);
        if (outcome instanceof Outcome.Created && unit.work() instanceof CallWork w && w.incoming() != null) {
            accepted.computeIfAbsent(w.incoming().event().type().wireName(), k -> new LongAdder()).increment();
        }
        return outcome;
    }

    /**
     * Runs {@code work} for the events of each call of {@code events} (their indexes, in order) as
     * an array of events is ingested: calls in parallel on virtual threads (their decisions share
     * group commits), a call's events together for {@link #ingestCall}; returns when all are done.
     * {@code null} items are skipped.
     */
    public static void perCall(List<IncomingEvent> events, Consumer<List<Integer>> work) {
        Map<String, List<Integer>> byCall = new java.util.LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) != null) {
                byCall.computeIfAbsent(events.get(i).event().callId(), k -> new ArrayList<>()).add(i);
            }
        }
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (List<Integer> indexes : byCall.values()) {
                running.add(workers.submit(() -> work.accept(indexes)));
            }
            for (java.util.concurrent.Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ingesting an array", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("ingesting an array failed", e.getCause());
        }
    }

    /**
     * Logs, applies and pushes a supervisor's action (in its agent's or call's lane, so that it
     * is ordered with what happens to them); blocks until it is committed or refused.
     *
     * @return {@link Outcome.Created} with the log entry as reply, or {@link Outcome.Unavailable};
     *         {@link Outcome.Rejected} when an acknowledged alert was acknowledged meanwhile
     */
    public Outcome act(SupervisorAction action) {
        if (action instanceof SupervisorAction.AlertAck ack) {
            return acknowledge(ack);
        }
        String laneKey = switch (action) {
            case SupervisorAction.AgentAvailable a -> "agent:" + a.agentId();
            case SupervisorAction.PresenceChange p -> "agent:" + p.agentId();
            case SupervisorAction.QueueChange q -> "queue:" + q.queue().id();
            case SupervisorAction.QueueDelete q -> "queue:" + q.queueId();
            case SupervisorAction.AlertAck a -> throw new AssertionError("see acknowledge");
        };
        ReentrantLock lane = lane(laneKey);
        lane.lock();
        try {
            if (action instanceof SupervisorAction.QueueDelete del) {
                int live = locked(() -> engine.liveCallsIn(del.queueId()));
                if (live > 0) {
                    return new Outcome.Rejected(new Rejection(Rejection.Reason.ILLEGAL_TRANSITION, "id",
                        "queue '" + del.queueId() + "' has " + live + " live call" + (live == 1 ? "" : "s")
                            + ": it can be deleted once they have ended or moved"));
                }
            }
            return commit(new Unit(new ActionWork(action), new CompletableFuture<>()));
        } catch (io.helidon.dbclient.DbClientException e) {
            LOG.log(Level.WARNING, "storage unavailable for a supervisor action: " + e.getMessage());
            return new Outcome.Unavailable("storage unavailable");
        } finally {
            lane.unlock();
        }
    }

    /**
     * Logs, applies and pushes acknowledgements (one alert or many): in the lanes of all their
     * calls, taken in lane order (every other path holds one lane at a time, so no two paths wait
     * on each other), so that each entry is ordered with what happens to its call. Alerts
     * acknowledged meanwhile are left out.
     *
     * @return {@link Outcome.Created} (the last entry as reply), {@link Outcome.Unavailable}, or
     *         {@link Outcome.Rejected} when every alert was acknowledged meanwhile
     */
    private Outcome acknowledge(SupervisorAction.AlertAck ack) {
        int[] order = ack.alerts().stream().mapToInt(a -> laneIndex(a.callId())).distinct().sorted().toArray();
        int locked = 0;
        try {
            for (int i : order) {
                lanes[i].lock();
                locked++;
            }
            List<Store.StoredAlert> open = new ArrayList<>(ack.alerts().size());
            for (Store.StoredAlert a : ack.alerts()) {
                store.alert(a.id()).filter(now -> now.ackedAtMs() == null).ifPresent(open::add);
            }
            if (open.isEmpty()) {
                return new Outcome.Rejected(new Rejection(Rejection.Reason.ILLEGAL_TRANSITION, "id",
                    ack.alerts().size() == 1 ? "alert '" + ack.alerts().getFirst().id() + "' is already acknowledged"
                        : "the alerts are already acknowledged"));
            }
            return commit(new Unit(new ActionWork(new SupervisorAction.AlertAck(open, ack.note(), ack.by(), ack.role(),
                ack.atMs())), new CompletableFuture<>()));
        } catch (io.helidon.dbclient.DbClientException e) {
            LOG.log(Level.WARNING, "storage unavailable for an acknowledgement: " + e.getMessage());
            return new Outcome.Unavailable("storage unavailable");
        } finally {
            for (int k = locked - 1; k >= 0; k--) {
                lanes[order[k]].unlock();
            }
        }
    }

    /**
     * Answers a refusal. A refusal commits nothing, so no fence stops it: in cluster mode a leader
     * first makes sure it still leads (one read of the epoch), for a deposed leader that does not
     * know it yet would refuse from a state that misses the new leader's commits; it hands the
     * event to the new leader instead.
     */
    private Outcome refuse(IncomingEvent in, Rejection rejection) {
        if (epoch > 0 && store.leaderEpoch() != epoch) {
            leading = false;
            LOG.warning("epoch " + epoch + " is over (the cluster is at " + store.leaderEpoch() + "): stepping down");
            onFenced.run();
            Forward toLeader = forward;
            return toLeader != null ? toLeader.event(in) : new Outcome.Unavailable(NOT_LEADER);
        }
        return reject(rejection);
    }

    private Outcome reject(Rejection rejection) {
        rejected.computeIfAbsent(rejection.reason().name().toLowerCase(java.util.Locale.ROOT), k -> new LongAdder())
            .increment();
        return new Outcome.Rejected(rejection);
    }

    /** Counts a request refused before it reached the engine (validation, auth), by reason. */
    public void countRejected(String reason) {
        rejected.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    private Outcome commit(Unit unit) {
        return awaitDone(enqueue(unit));
    }

    private Unit enqueue(Unit unit) {
        pending.add(unit);
        return unit;
    }

    private static Outcome awaitDone(Unit unit) {
        try {
            return unit.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while committing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("commit failed unexpectedly", e.getCause());
        }
    }

    /** Makes a committed supervisor action true in the engine (the caller holds the engine's lock). */
    private void applyAction(SupervisorAction action) {
        switch (action) {
            case SupervisorAction.AgentAvailable a -> engine.setAgentAvailable(a.agentId(), a.atMs());
            case SupervisorAction.PresenceChange p -> engine.setPresence(p.agentId(), p.presence(), p.reason(), p.atMs());
            case SupervisorAction.QueueChange q -> engine.putQueue(q.queue(), q.atMs());
            case SupervisorAction.QueueDelete q -> engine.removeQueue(q.queueId());
            case SupervisorAction.AlertAck a -> { }   // the alerts table has it; the engine keeps no alerts
        }
    }

    private ReentrantLock lane(String callId) {
        return lanes[laneIndex(callId)];
    }

    private static int laneIndex(String callId) {
        return Math.floorMod(callId.hashCode(), LANES);
    }

    private <T> T locked(java.util.function.Supplier<T> work) {
        engineLock.lock();
        try {
            return work.get();
        } finally {
            engineLock.unlock();
        }
    }

    /** Runs {@code work} on the engine under its lock (reads for the HTTP API). */
    public <T> T withEngine(java.util.function.Function<CallEngine, T> work) {
        return locked(() -> work.apply(engine));
    }

    // ------------------------------------------------------------------ group commit

    private void writeLoop() {
        List<Unit> batch = new ArrayList<>();
        while (running || !pending.isEmpty()) {
            try {
                Unit first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                pending.drainTo(batch, MAX_BATCH - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                // nothing may kill the writer: every waiting request would hang
                LOG.log(Level.SEVERE, "writer failed on a batch", e);
                for (Unit u : batch) {
                    u.done().complete(new Outcome.Unavailable("internal error"));
                }
            }
        }
    }

    /** Why a unit is refused when this node does not lead. */
    static final String NOT_LEADER = "this node no longer leads the cluster";

    private void writeBatch(List<Unit> batch) throws InterruptedException {
        if (degraded != null) {
            for (Unit u : batch) {
                u.done().complete(new Outcome.Unavailable("storage state unknown; the server needs a restart"));
            }
            return;
        }
        if (!leading) {
            for (Unit u : batch) {
                u.done().complete(new Outcome.Unavailable(NOT_LEADER));
            }
            return;
        }
        List<Entries.Prepared> committed = commitAll(batch);
        if (committed.isEmpty() && !leading) {
            for (Unit u : batch) {
                u.done().complete(new Outcome.Unavailable(NOT_LEADER));
            }
            onFenced.run();
            return;
        }
        if (committed.isEmpty() && degraded != null) {
            for (Unit u : batch) {
                u.done().complete(new Outcome.Unavailable("storage state unknown"));
            }
            return;
        }
        boolean outgoing = false;
        List<Push> pushes = new ArrayList<>();
        engineLock.lock();
        try {
            for (Entries.Prepared p : committed) {
                switch (p.unit().work()) {
                    case CallWork w -> {
                        engine.apply(w.decision());
                        Call after = w.decision().after();
                        if (w.decision().before() == null) {
                            storedCalls.add(after.id());
                        }
                        if (w.incoming() != null) {
                            eventIds.remember(after.id(), w.incoming().event().eventId(), w.decision().before() == null,
                                !after.isLive());
                        } else if (!after.isLive()) {
                            eventIds.callEnded(after.id());
                        }
                    }
                    case ActionWork w -> applyAction(w.action());
                }
                pushes.addAll(p.pushes());
                outgoing |= !p.outbox().isEmpty();
                for (String[] a : p.newAgents()) {
                    knownAgents.add(a[0]);
                }
            }
            appliedSeq = lastSeq;
        } finally {
            engineLock.unlock();
        }
        publisher.accept(pushes);
        if (outgoing) {
            outbox.wake();
        }
        Set<Unit> ok = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Entries.Prepared p : committed) {
            ok.add(p.unit());
            p.unit().done().complete(new Outcome.Created(p.reply()));
        }
        for (Unit u : batch) {
            if (!ok.contains(u)) {
                u.done().complete(new Outcome.Unavailable(degraded != null ? "storage state unknown" : "storage unavailable"));
                if (u.work() instanceof CallWork w && w.incoming() == null) {
                    rearmLater(w.decision().after().id());
                }
            }
        }
    }

    /**
     * Commits the batch in one transaction, retrying {@link #COMMIT_RETRIES} times with exponential
     * backoff. If it still fails (or a unit breaks a constraint), each unit is tried on its own so
     * that one bad decision cannot fail the others.
     *
     * @return the units that are committed
     */
    private List<Entries.Prepared> commitAll(List<Unit> all) throws InterruptedException {
        // a unit decided after one that was not committed is not committed either (it is answered 503)
        List<Unit> batch = new ArrayList<>(all.size());
        for (Unit u : all) {
            if (!u.orphaned()) {
                batch.add(u);
            }
        }
        if (batch.isEmpty()) {
            return List.of();
        }
        List<Entries.Prepared> prepared = prepareFrom(batch, lastSeq);
        List<StoredEvent> rows = new ArrayList<>();
        // one row per call: a call with several decisions in the batch is written once, as it is after the last
        Map<String, Store.CallRow> calls = new java.util.LinkedHashMap<>();
        List<Store.AlertRow> alerts = new ArrayList<>();
        List<Store.AckRow> acks = new ArrayList<>();
        List<Store.ResolveRow> resolutions = new ArrayList<>();
        List<String[]> agents = new ArrayList<>();
        List<Store.OutboxRow> outgoing = new ArrayList<>();
        List<Store.QueueWrite> queues = new ArrayList<>();
        for (Entries.Prepared p : prepared) {
            queues.addAll(p.queues());
            rows.addAll(p.rows());
            if (p.call() != null) {
                calls.merge(p.call().call().id(), p.call(),
                    (first, last) -> new Store.CallRow(last.call(), last.lastSeq(), first.isNew()));
            }
            alerts.addAll(p.alerts());
            acks.addAll(p.acks());
            resolutions.addAll(p.resolutions());
            agents.addAll(p.newAgents());
            outgoing.addAll(p.outbox());
        }
        Commit result = commitWithRetries(new Store.Batch(rows, List.copyOf(calls.values()), alerts, acks, resolutions, agents, outgoing,
            queues),
            lastSeq + 1);
        if (result == Commit.DONE) {
            lastSeq += rows.size();
            return prepared;
        }
        if (result == Commit.UNKNOWN || result == Commit.FENCED || batch.size() == 1) {
            return List.of();
        }
        // one at a time, numbered anew so that the committed seqs stay contiguous
        List<Entries.Prepared> committed = new ArrayList<>();
        Set<Unit> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Unit u : batch) {
            if (u.after() != null && !u.after().done().isDone() && !done.contains(u.after())) {
                continue;   // decided after a unit of this batch that failed
            }
            Entries.Prepared p = entries.prepare(u, lastSeq, new Entries.BatchContext());
            Commit one = commitWithRetries(p.batch(), lastSeq + 1);
            if (one == Commit.DONE) {
                lastSeq += p.rows().size();
                committed.add(p);
                done.add(u);
            } else if (one == Commit.UNKNOWN || one == Commit.FENCED) {
                break;
            }
        }
        return committed;
    }

    private List<Entries.Prepared> prepareFrom(List<Unit> batch, long seq) {
        List<Entries.Prepared> prepared = new ArrayList<>(batch.size());
        Entries.BatchContext context = new Entries.BatchContext();
        for (Unit u : batch) {
            Entries.Prepared p = entries.prepare(u, seq, context);
            seq += p.rows().size();
            prepared.add(p);
        }
        return prepared;
    }

    private enum Commit { DONE, FAILED, UNKNOWN, FENCED }

    /** How long to keep asking the database whether a commit with a lost acknowledgement happened. */
    private static final long OUTCOME_CHECK_MS = 30_000;

    private Commit commitWithRetries(Store.Batch b, long firstSeq) throws InterruptedException {
        for (int attempt = 0; attempt <= COMMIT_RETRIES; attempt++) {
            try {
                long t0 = System.nanoTime();
                store.commit(b, epoch);
                commitObserver.committed(System.nanoTime() - t0, b.events().size());
                commits.increment();
                return Commit.DONE;
            } catch (Store.Fenced e) {
                // another node leads: this one must never commit again (until it leads anew)
                fencedCommits.increment();
                leading = false;
                LOG.warning("commit of seq " + firstSeq + ".. refused: " + e.getMessage() + "; stepping down");
                return Commit.FENCED;
            } catch (Store.CommitOutcomeUnknown e) {
                commitFailures.increment();
                LOG.warning("the outcome of a commit (seq " + firstSeq + "..) is unknown: " + e.getMessage());
                return resolveUnknown(b, firstSeq);
            } catch (SQLException | RuntimeException e) {
                commitFailures.increment();
                LOG.warning("commit of " + b.events().size() + " events failed (attempt " + (attempt + 1) + " of "
                    + (COMMIT_RETRIES + 1) + "): " + e.getMessage());
                if (Store.isConstraintViolation(e)) {
                    return Commit.FAILED;   // retrying cannot help; the caller isolates the culprit
                }
                if (attempt < COMMIT_RETRIES) {
                    Thread.sleep(backoff.toMillis() << attempt);
                }
            }
        }
        return Commit.FAILED;
    }

    /**
     * A commit that may or may not have happened (its acknowledgement was lost, or the connection
     * of a one-statement commit failed). Ask the database until it answers; if it never does, the
     * in-memory state can no longer be trusted: ingestion stops and readiness goes DOWN until a
     * restart replays the log.
     *
     * <p>The batch happened if its first and last entries are in the log at their seqs. A row at
     * that seq is not enough: in cluster mode a leader paused in the middle of a commit has its
     * transaction ended by PostgreSQL, and the next leader may have written the same seqs since.
     */
    private Commit resolveUnknown(Store.Batch b, long firstSeq) throws InterruptedException {
        long end = System.currentTimeMillis() + OUTCOME_CHECK_MS;
        while (System.currentTimeMillis() < end) {
            try {
                if (b.events().isEmpty()) {
                    return Commit.FAILED;   // nothing to look for: nothing of it can be in the log
                }
                return isInLog(b.events().getFirst()) && isInLog(b.events().getLast()) ? Commit.DONE : Commit.FAILED;
            } catch (RuntimeException e) {
                Thread.sleep(200);
            }
        }
        degraded = "the outcome of the commit from seq " + firstSeq + " is unknown";
        LOG.severe(degraded + ": refusing events until a restart replays the audit log");
        return Commit.UNKNOWN;
    }

    /** Whether the log holds this entry (the same call and id) at its seq. */
    private boolean isInLog(StoredEvent entry) {
        List<StoredEvent> found = store.eventsAfter(entry.seq() - 1, entry.seq(), 1);
        return !found.isEmpty() && found.getFirst().id().equals(entry.id())
            && java.util.Objects.equals(found.getFirst().callId(), entry.callId());
    }

    /** Why ingestion is stopped, or {@code null} while all is well. */
    public String degraded() {
        return degraded;
    }

    /** Whether the writer can commit: its thread is alive and the state is trusted. */
    public boolean healthy() {
        return degraded == null && writer != null && writer.isAlive();
    }

    // ------------------------------------------------------------------ timers

    private void timerLoop() {
        // close() stops this loop by interrupting it (before it stops the writer)
        while (running && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TIMER_POLL_MS));
            try {
                List<String> ids = new ArrayList<>();
                List<TimerKind> kinds = new ArrayList<>();
                engineLock.lock();
                try {
                    if (leading) {
                        engine.pollTimers((id, kind) -> {
                            ids.add(id);
                            kinds.add(kind);
                        }, 10_000);
                    } else {
                        // a follower: timers left from when it led are dropped; leading again arms
                        // every timer from the committed state
                        engine.pollTimers((id, kind) -> { }, 10_000);
                    }
                } finally {
                    engineLock.unlock();
                }
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    TimerKind kind = kinds.get(i);
                    timerTasks.submit(() -> fire(id, kind));
                }
            } catch (Throwable e) {
                LOG.log(Level.SEVERE, "timer driver failed a round", e);
            }
        }
    }

    private void fire(String callId, TimerKind kind) {
        ReentrantLock lane = lane(callId);
        lane.lock();
        try {
            Decision.Accepted d = locked(() -> engine.evaluateTimer(callId, kind));
            if (!d.isEmpty()) {
                commit(new Unit(new CallWork(null, d), new CompletableFuture<>()));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "timer " + kind + " of call " + dev.switchboard.server.observe.LogText.escape(callId)
                + " failed", e);
            rearmLater(callId);
        } finally {
            lane.unlock();
        }
    }

    /** After a failed commit of a timer's decision: try again after the backoff. */
    private void rearmLater(String callId) {
        try {
            timerTasks.execute(() -> {
                try {
                    Thread.sleep(backoff.toMillis() * 10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                engineLock.lock();
                try {
                    engine.rearm(callId);
                } finally {
                    engineLock.unlock();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the timers are stopping: the next start arms every timer from call state anyway
        }
    }

    // ------------------------------------------------------------------ figures

    public long lastSeq() {
        return lastSeq;
    }

    public Map<String, LongAdder> acceptedByType() {
        return accepted;
    }

    public Map<String, LongAdder> rejectedByReason() {
        return rejected;
    }

    public long commitFailures() {
        return commitFailures.sum();
    }

    /** Group commits done (each one transaction). */
    public long commits() {
        return commits.sum();
    }

    public int backlog() {
        return pending.size();
    }

    /** The last log entry applied to the engine. */
    public long appliedSeq() {
        return appliedSeq;
    }

    /** The log read back with derived call states (resume, replies). */
    public LogReader logReader() {
        return logReader;
    }

    /**
     * Stops the timers, finishes the commits in flight, then stops the writer. In that order: the
     * timer driver ends its round before the timer tasks' executor is shut (so no task is submitted
     * into a closed executor), and the writer keeps running until the fired timers' decisions are
     * committed (it ends once {@code running} is false and nothing is pending).
     */
    @Override
    public void close() {
        try {
            if (timerDriver != null) {
                timerDriver.interrupt();
                timerDriver.join(5_000);
            }
            timerTasks.shutdown();
            timerTasks.awaitTermination(5, TimeUnit.SECONDS);
            running = false;
            if (writer != null) {
                writer.join(10_000);
            }
            if (writer != null && !writer.isAlive() && degraded == null) {
                snapshotter.close();   // every commit applied: the next start replays nothing
            }
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }
}
