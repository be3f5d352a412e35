package dev.switchboard.server.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.switchboard.core.CallEngine;
import dev.switchboard.core.Decision;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.EventType;
import dev.switchboard.core.call.Rejection;
import dev.switchboard.core.rules.AlertKind;
import dev.switchboard.core.rules.Effect;
import dev.switchboard.core.rules.TimerKind;
import dev.switchboard.server.outbound.Outbox;
import dev.switchboard.server.realtime.Push;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.store.StoredEvent;
import dev.switchboard.server.wire.History;
import dev.switchboard.server.wire.IncomingEvent;
import dev.switchboard.server.wire.Wire;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * <p><b>Timers.</b> A driver thread polls the engine's timer wheel every tick; each due timer is
 * evaluated in its call's lane and committed like an event (as system events).
 */
public final class Ingestor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Ingestor.class.getName());

    /** Lanes: enough stripes that unrelated calls rarely share one. */
    private static final int LANES = 4096;
    /** Most decisions in one group commit. */
    private static final int MAX_BATCH = 2000;
    /** Retries of a failed commit before giving up with 503. */
    public static final int COMMIT_RETRIES = 3;
    /** Ended calls whose event ids stay in memory for the duplicate check (live calls' always do). */
    static final int RECENT_ENDED_CALLS = 10_000;
    /** Timer wheel poll period: the precision of live timers. */
    private static final long TIMER_POLL_MS = 10;

    private final CallEngine engine;
    private final ReentrantLock engineLock = new ReentrantLock();
    private final Store store;
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
    /**
     * Event ids of every live call, so that a resend is recognised without a database round trip
     * (as many as the engine's live calls, which are in memory anyway). Guarded by itself, like
     * {@link #endedEventIds}.
     */
    private final Map<String, Set<String>> liveEventIds = new HashMap<>();
    /**
     * Event ids of the {@link #RECENT_ENDED_CALLS} calls that ended last (a retried
     * {@code call_ended} is the usual resend); calls in neither map are checked in the database.
     */
    private final Map<String, Set<String>> endedEventIds = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > RECENT_ENDED_CALLS;
        }
    };
    private volatile boolean running = true;
    private volatile String degraded;
    private volatile long lastSeq;
    private Thread writer;
    private Thread timerDriver;

    /** One decision waiting for the writer. */
    private record Unit(IncomingEvent incoming, Decision.Accepted decision, CompletableFuture<Outcome> done) {
    }

    public Ingestor(CallEngine engine, Store store, Consumer<List<Push>> publisher, Outbox outbox, Duration backoff) {
        this.engine = engine;
        this.store = store;
        this.publisher = publisher;
        this.outbox = outbox;
        this.backoff = backoff;
        for (int i = 0; i < LANES; i++) {
            lanes[i] = new ReentrantLock();
        }
    }

    /**
     * Rebuilds state, metrics and timers from the audit log, then starts the writer and the timer
     * driver. Deadlines that passed while the server was down fire at the first poll.
     *
     * @return how many log entries were replayed
     */
    public long start() throws SQLException {
        long[] count = {0};
        knownAgents.addAll(store.knownAgents());
        store.forEachEvent(e -> {
            replay(e);
            count[0]++;
        });
        engine.armTimers();
        lastSeq = store.maxSeq();
        writer = Thread.ofPlatform().name("switchboard-writer").daemon().start(this::writeLoop);
        timerDriver = Thread.ofPlatform().name("switchboard-timers").daemon().start(this::timerLoop);
        return count[0];
    }

    private void replay(StoredEvent e) {
        var metadata = Wire.read(e.metadata());
        CallEvent transition = History.transition(e.id(), e.callId(), e.type(), metadata);
        if (transition != null) {
            engine.replay(transition, e.tsMs());
            if (History.SOURCE_EXTERNAL.equals(e.source())) {
                remember(e.callId(), e.id(), transition.type() == EventType.CALL_ENDED);
            }
            return;
        }
        switch (e.type()) {
            case History.ALERT_RAISED -> AlertKind.fromWire(metadata.path("kind").asText())
                .ifPresent(k -> engine.replayFlag(e.callId(), k.flag()));
            case History.REVIEW_FLAGGED -> engine.replayFlag(e.callId(), CallFlag.REVIEW);
            case History.SURVEY_REQUESTED -> engine.replayFlag(e.callId(), CallFlag.SURVEY_REQUESTED);
            case History.AGENT_ON_BREAK -> engine.replayAgentOnBreak(metadata.path("agent_id").asText(), e.tsMs());
            default -> LOG.warning("unknown history entry type " + e.type() + " (seq " + e.seq() + ") skipped at replay");
        }
    }

    // ------------------------------------------------------------------ ingest

    /** Decides, commits and applies one event; blocks until it is committed or refused. */
    public Outcome ingest(IncomingEvent in) {
        CallEvent event = in.event();
        ReentrantLock lane = lane(event.callId());
        lane.lock();
        try {
            Boolean callStored = null;   // known after a database lookup: asked once per request at most
            if (in.clientEventId() && !isNew(event)) {
                Store.Seen seen = store.seen(event.callId(), event.eventId());
                if (seen.reply().isPresent()) {
                    ObjectNode reply = (ObjectNode) Wire.read(seen.reply().get());
                    reply.put("duplicate", true);
                    return new Outcome.Duplicate(reply);
                }
                callStored = seen.callExists();
            }
            Decision decision = locked(() -> engine.evaluate(event));
            if (decision instanceof Decision.Rejected r) {
                Rejection rejection = r.rejection();
                if (rejection.reason() == Rejection.Reason.UNKNOWN_CALL
                    && (callStored != null ? callStored : store.callExists(event.callId()))) {
                    rejection = new Rejection(Rejection.Reason.ILLEGAL_TRANSITION, "type", event.type().wireName()
                        + " is not allowed: call '" + event.callId() + "' is ended");
                }
                return reject(rejection);
            }
            Decision.Accepted a = (Decision.Accepted) decision;
            if (a.before() == null && (callStored != null ? callStored : store.callExists(event.callId()))) {
                return reject(new Rejection(Rejection.Reason.ILLEGAL_TRANSITION, "type",
                    "call_initiated is not allowed: call '" + event.callId() + "' already exists (ended)"));
            }
            Outcome outcome = commit(new Unit(in, a, new CompletableFuture<>()));
            if (outcome instanceof Outcome.Created) {
                accepted.computeIfAbsent(event.type().wireName(), k -> new LongAdder()).increment();
            }
            return outcome;
        } catch (io.helidon.dbclient.DbClientException e) {
            LOG.log(Level.WARNING, "storage unavailable while checking call "
                + dev.switchboard.server.observe.LogText.escape(event.callId()) + ": " + e.getMessage());
            rejected.computeIfAbsent("storage_unavailable", k -> new LongAdder()).increment();
            return new Outcome.Unavailable("storage unavailable");
        } finally {
            lane.unlock();
        }
    }

    /** Whether the event id is surely new: its call is in memory and the id is not among its events. */
    private boolean isNew(CallEvent event) {
        synchronized (liveEventIds) {
            Set<String> ids = liveEventIds.get(event.callId());
            if (ids == null) {
                ids = endedEventIds.get(event.callId());
            }
            return ids != null && !ids.contains(event.eventId());
        }
    }

    /**
     * Records an accepted external event id of a call.
     *
     * @param ended the call is ended after it: its ids move to the bounded memory of ended calls
     */
    private void remember(String callId, String eventId, boolean ended) {
        synchronized (liveEventIds) {
            Set<String> ids = liveEventIds.get(callId);
            if (ids == null) {
                ids = endedEventIds.get(callId);
            }
            if (ids == null) {
                ids = new HashSet<>(8);
                if (!ended) {
                    liveEventIds.put(callId, ids);
                }
            }
            ids.add(eventId);
            if (ended) {
                liveEventIds.remove(callId);
                endedEventIds.put(callId, ids);
            }
        }
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
        pending.add(unit);
        try {
            return unit.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while committing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("commit failed unexpectedly", e.getCause());
        }
    }

    private ReentrantLock lane(String callId) {
        return lanes[Math.floorMod(callId.hashCode(), LANES)];
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

    /** One decision made ready for the database: rows with their seqs, pushes, the reply. */
    private record Prepared(Unit unit, List<StoredEvent> rows, Store.CallRow call,
                            List<Store.AlertRow> alerts, List<String[]> newAgents, List<Store.OutboxRow> outbox,
                            List<Push> pushes, ObjectNode reply, String replyJson) {

        Store.Batch batch() {
            return new Store.Batch(rows, List.of(call), alerts, newAgents, outbox);
        }
    }

    private void writeBatch(List<Unit> batch) throws InterruptedException {
        if (degraded != null) {
            for (Unit u : batch) {
                u.done().complete(new Outcome.Unavailable("storage state unknown; the server needs a restart"));
            }
            return;
        }
        List<Prepared> committed = commitAll(batch);
        if (committed.isEmpty() && degraded != null) {
            for (Unit u : batch) {
                u.done().complete(new Outcome.Unavailable("storage state unknown"));
            }
            return;
        }
        engineLock.lock();
        try {
            for (Prepared p : committed) {
                engine.apply(p.unit().decision());
            }
        } finally {
            engineLock.unlock();
        }
        List<Push> pushes = new ArrayList<>();
        boolean outgoing = false;
        for (Prepared p : committed) {
            pushes.addAll(p.pushes());
            outgoing |= !p.outbox().isEmpty();
            for (String[] a : p.newAgents()) {
                knownAgents.add(a[0]);
            }
            if (p.unit().incoming() != null) {
                remember(p.call().call().id(), p.unit().incoming().event().eventId(), !p.call().call().isLive());
            }
        }
        publisher.accept(pushes);
        if (outgoing) {
            outbox.wake();
        }
        Set<Unit> ok = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Prepared p : committed) {
            ok.add(p.unit());
            p.unit().done().complete(new Outcome.Created(p.reply(), p.replyJson()));
        }
        for (Unit u : batch) {
            if (!ok.contains(u)) {
                u.done().complete(new Outcome.Unavailable(degraded != null ? "storage state unknown" : "storage unavailable"));
                if (u.incoming() == null) {
                    rearmLater(u.decision().after().id());
                }
            }
        }
    }

    private Prepared prepare(Unit u, long seq, Set<String> agentsInBatch) {
        Decision.Accepted d = u.decision();
        Call after = d.after();
        ObjectNode callJson = Wire.call(after);
        String callState = Wire.write(callJson);
        RawValue callStateRaw = new RawValue(callState);
        String from = d.before() != null && !d.before().queueId().equals(after.queueId()) ? d.before().queueId() : null;
        List<StoredEvent> rows = new ArrayList<>();
        List<Store.AlertRow> alerts = new ArrayList<>();
        List<Store.OutboxRow> outgoing = new ArrayList<>();
        List<Push> pushes = new ArrayList<>();
        ObjectNode reply = null;
        ArrayNode replyAlerts = Wire.array();
        int triggerIndex = -1;
        for (History.Entry entry : History.entries(u.incoming(), d)) {
            seq++;
            ObjectNode eventJson = Wire.event(entry.id(), after.id(), entry.type(), entry.atMs(), entry.metadata(), seq);
            ObjectNode push = Wire.object();
            push.put("seq", seq);
            push.set("event", eventJson);
            push.putRawValue("call", callStateRaw);   // serialized once above, for the audit log
            pushes.add(new Push(seq, Push.CALL_EVENT, push, after.queueId(), from));
            if (entry.alert() != null) {
                alerts.add(new Store.AlertRow(entry.alert(), seq));
                ObjectNode alertJson = Wire.alert(entry.alert(), seq, null);
                replyAlerts.add(alertJson);
                pushes.add(new Push(seq, Push.ALERT, alertJson, after.queueId(), null));
            }
            if (u.incoming() != null && triggerIndex < 0 && History.SOURCE_EXTERNAL.equals(entry.source())) {
                triggerIndex = rows.size();
                reply = Wire.object();
                reply.set("event", eventJson);
            }
            rows.add(new StoredEvent(seq, entry.id(), after.id(), entry.type(), entry.atMs(), entry.source(),
                Wire.write(entry.metadata()), callState, null));
            outgoing.addAll(outbox.rowsFor(seq, entry, after.id(), callJson));
        }
        List<String[]> newAgents = new ArrayList<>();
        for (Effect e : d.effects()) {
            if (e instanceof Effect.Transitioned t && t.after().agentId() != null
                && !knownAgents.contains(t.after().agentId()) && agentsInBatch.add(t.after().agentId())) {
                newAgents.add(new String[] {t.after().agentId(), t.after().queueId()});
            }
        }
        String replyJson = null;
        if (reply != null) {
            reply.set("call", callJson);
            reply.set("alerts", replyAlerts);
            reply.put("duplicate", false);
            replyJson = Wire.write(reply);
            StoredEvent trigger = rows.get(triggerIndex);
            rows.set(triggerIndex, new StoredEvent(trigger.seq(), trigger.id(), trigger.callId(), trigger.type(),
                trigger.tsMs(), trigger.source(), trigger.metadata(), trigger.callState(), replyJson));
        }
        return new Prepared(u, rows, new Store.CallRow(after, seq, d.before() == null), alerts, newAgents,
            outgoing, pushes, reply, replyJson);
    }

    /**
     * Commits the batch in one transaction, retrying {@link #COMMIT_RETRIES} times with exponential
     * backoff. If it still fails (or a unit breaks a constraint), each unit is tried on its own so
     * that one bad decision cannot fail the others.
     *
     * @return the units that are committed
     */
    private List<Prepared> commitAll(List<Unit> batch) throws InterruptedException {
        List<Prepared> prepared = prepareFrom(batch, lastSeq);
        List<StoredEvent> rows = new ArrayList<>();
        List<Store.CallRow> calls = new ArrayList<>();
        List<Store.AlertRow> alerts = new ArrayList<>();
        List<String[]> agents = new ArrayList<>();
        List<Store.OutboxRow> outgoing = new ArrayList<>();
        for (Prepared p : prepared) {
            rows.addAll(p.rows());
            calls.add(p.call());
            alerts.addAll(p.alerts());
            agents.addAll(p.newAgents());
            outgoing.addAll(p.outbox());
        }
        Commit result = commitWithRetries(new Store.Batch(rows, calls, alerts, agents, outgoing), lastSeq + 1);
        if (result == Commit.DONE) {
            lastSeq += rows.size();
            return prepared;
        }
        if (result == Commit.UNKNOWN || batch.size() == 1) {
            return List.of();
        }
        // one at a time, numbered anew so that the committed seqs stay contiguous
        List<Prepared> committed = new ArrayList<>();
        for (Unit u : batch) {
            Prepared p = prepare(u, lastSeq, new HashSet<>());
            Commit one = commitWithRetries(p.batch(), lastSeq + 1);
            if (one == Commit.DONE) {
                lastSeq += p.rows().size();
                committed.add(p);
            } else if (one == Commit.UNKNOWN) {
                break;
            }
        }
        return committed;
    }

    private List<Prepared> prepareFrom(List<Unit> batch, long seq) {
        List<Prepared> prepared = new ArrayList<>(batch.size());
        Set<String> agentsInBatch = new HashSet<>();
        for (Unit u : batch) {
            Prepared p = prepare(u, seq, agentsInBatch);
            seq += p.rows().size();
            prepared.add(p);
        }
        return prepared;
    }

    private enum Commit { DONE, FAILED, UNKNOWN }

    /** How long to keep asking the database whether a commit with a lost acknowledgement happened. */
    private static final long OUTCOME_CHECK_MS = 30_000;

    private Commit commitWithRetries(Store.Batch b, long firstSeq) throws InterruptedException {
        for (int attempt = 0; attempt <= COMMIT_RETRIES; attempt++) {
            try {
                store.commit(b);
                return Commit.DONE;
            } catch (Store.CommitOutcomeUnknown e) {
                commitFailures.increment();
                LOG.warning("the acknowledgement of a commit (seq " + firstSeq + "..) was lost: " + e.getMessage());
                return resolveUnknown(firstSeq);
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
     * A commit whose acknowledgement was lost may or may not have happened. Ask the database until it
     * answers; if it never does, the in-memory state can no longer be trusted: ingestion stops and
     * readiness goes DOWN until a restart replays the log.
     */
    private Commit resolveUnknown(long firstSeq) throws InterruptedException {
        long end = System.currentTimeMillis() + OUTCOME_CHECK_MS;
        while (System.currentTimeMillis() < end) {
            try {
                return store.db().execute().get("SELECT 1 AS one FROM call_events WHERE seq = ?", firstSeq).isPresent()
                    ? Commit.DONE : Commit.FAILED;
            } catch (RuntimeException e) {
                Thread.sleep(200);
            }
        }
        degraded = "the outcome of the commit from seq " + firstSeq + " is unknown";
        LOG.severe(degraded + ": refusing events until a restart replays the audit log");
        return Commit.UNKNOWN;
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
        while (running) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TIMER_POLL_MS));
            try {
                List<String> ids = new ArrayList<>();
                List<TimerKind> kinds = new ArrayList<>();
                engineLock.lock();
                try {
                    engine.pollTimers((id, kind) -> {
                        ids.add(id);
                        kinds.add(kind);
                    }, 10_000);
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
                commit(new Unit(null, d, new CompletableFuture<>()));
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
        timerTasks.submit(() -> {
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

    public int backlog() {
        return pending.size();
    }

    /** Stops the timers, finishes the commits in flight, then stops the writer. */
    @Override
    public void close() {
        running = false;
        if (timerDriver != null) {
            timerDriver.interrupt();
        }
        timerTasks.shutdown();
        try {
            timerTasks.awaitTermination(5, TimeUnit.SECONDS);
            if (writer != null) {
                writer.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
