package dev.switchboard.server.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.Phase;
import dev.switchboard.core.metrics.AgentState;
import dev.switchboard.server.wire.Wire;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The traffic generator for demos, training and load checks: plays calls with random but plausible
 * lives through the same ingest path as any telephony platform's events. A caller waits a few
 * seconds to a minute and a half (some give up), is routed to an available agent of the queue, who
 * usually answers within seconds (some let it ring, and the server's ring timer re-routes the
 * call); calls last from a few seconds (short-call reviews) to two minutes, a quarter are put on
 * hold (a few past the maximum), some are transferred to another queue. Arrivals are Poisson at
 * the asked rate.
 *
 * <p>Driven by {@link #tick(long)}: the host calls it every few hundred milliseconds with the time
 * now; each call then does what is due. Every decision reads the call's live state from the engine
 * ({@link Ports#call}), never a copy, so the generator follows what supervisors and timers do to
 * its calls. It stops by itself when its duration is over, and a stop ends every call it was
 * playing (a waiting caller hangs up, a call with an agent completes): nothing it started is left
 * live.
 *
 * <p>NOT thread safe: one thread calls every method ({@link Traffic} serializes them).
 */
public final class TrafficGenerator {

    /** Most calls per minute: 10 calls a second, ~60 events a second, far below ingest capacity. */
    public static final int MAX_CALLS_PER_MINUTE = 600;
    /** Longest run: a working day of demo or training. */
    public static final Duration MAX_DURATION = Duration.ofHours(8);
    /** Most generated calls alive at once, whatever the rate (bounds memory and the live view). */
    public static final int MAX_LIVE_CALLS = 400;
    /** Shortest pause between two steps of one call: a step always lets the clock move. */
    static final long MIN_STEP_MS = 250;
    /** A call the engine does not know (its first event failed) is given up after this long. */
    static final long UNSEEN_GIVE_UP_MS = 30_000;
    /** Prefix of generated call and event ids, so reports and searches can tell them apart. */
    public static final String ID_PREFIX = "gen-";

    /** What the generator needs from the server (a real engine and ingest path in tests too). */
    public interface Ports {
        /** Posts one event as a client would; what became of it. */
        Posted post(ObjectNode event);

        /** The call as the engine knows it now. */
        Optional<Call> call(String callId);

        Collection<QueueConfig> queues();

        /** Every known agent's state now. */
        Map<String, AgentState> agentStates();
    }

    /** What became of a posted event. */
    public enum Posted {
        ACCEPTED,
        /** refused by the rules (unknown call or queue, transition not allowed): the call is given up */
        REFUSED,
        /** not stored (storage unavailable, draining): tried again at the next step */
        UNAVAILABLE
    }

    /** Why a run ended. */
    public enum StopReason {
        DURATION("duration"), STOPPED("stopped"), SHUTDOWN("shutdown"),
        /** a cluster node that stopped leading: the generator runs where the engine decides */
        LEADERSHIP_LOST("leadership_lost");

        private final String wireName;

        StopReason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * The generator as clients see it ({@code GET /api/traffic}).
     *
     * @param callsPerMinute {@code null} before the first run
     */
    public record Status(boolean running, Integer callsPerMinute, Duration duration, Instant startedAt, Instant endsAt,
                         String startedBy, Instant stoppedAt, StopReason stopReason, long callsStarted,
                         long eventsPosted, long eventsRefused, int liveCalls) {

        static final Status NEVER_RUN = new Status(false, null, null, null, null, null, null, null, 0, 0, 0, 0);

        public ObjectNode json() {
            ObjectNode o = Wire.object();
            o.put("running", running);
            o.put("calls_per_minute", callsPerMinute);
            o.put("duration", duration == null ? null : duration.toString());
            o.put("started_at", startedAt == null ? null : startedAt.toString());
            o.put("ends_at", endsAt == null ? null : endsAt.toString());
            o.put("started_by", startedBy);
            o.put("stopped_at", stoppedAt == null ? null : stoppedAt.toString());
            o.put("stop_reason", stopReason == null ? null : stopReason.wireName());
            o.put("calls_started", callsStarted);
            o.put("events_posted", eventsPosted);
            o.put("events_refused", eventsRefused);
            o.put("live_calls", liveCalls);
            return o;
        }
    }

    /** How one call will go: decided at its start, played step by step against its live state. */
    private static final class Plan {
        final String id;
        long waitFromMs;
        final long patienceMs;
        final long talkMs;
        final long holdAtMs;   // after the answer; -1: never held
        final long holdMs;
        String transferTo;     // null: not transferred
        boolean ignoreRing;
        final String endReason;
        final long startedAtMs;
        long answeredAtMs = -1;
        boolean held;
        String claimedAgent;
        long dueMs;

        Plan(String id, long nowMs, RandomGenerator r, List<QueueConfig> others) {
            this.id = id;
            this.startedAtMs = nowMs;
            this.waitFromMs = nowMs;
            this.patienceMs = between(r, 15_000, 90_000);
            this.talkMs = r.nextDouble() < 0.08 ? between(r, 2_000, 8_000) : between(r, 15_000, 120_000);
            this.holdAtMs = r.nextDouble() < 0.25 ? between(r, 5_000, 30_000) : -1;
            this.holdMs = r.nextDouble() < 0.10 ? between(r, 61_000, 75_000) : between(r, 8_000, 40_000);
            this.transferTo = !others.isEmpty() && r.nextDouble() < 0.08 ? others.get(r.nextInt(others.size())).id() : null;
            this.ignoreRing = r.nextDouble() < 0.06;
            this.endReason = r.nextDouble() < 0.85 ? "completed" : "agent_hangup";
        }
    }

    private final Ports ports;
    private final RandomGenerator random;
    private final Map<String, Plan> plans = new LinkedHashMap<>();
    private final Set<String> claimed = new HashSet<>();
    private boolean running;
    private int callsPerMinute;
    private Duration duration;
    private long startedAtMs;
    private long endsAtMs;
    private String startedBy;
    private long stoppedAtMs = -1;
    private StopReason stopReason;
    private long nextArrivalMs;
    private long callsStarted;
    private long eventsPosted;
    private long eventsRefused;
    private long sequence;

    public TrafficGenerator(Ports ports, RandomGenerator random) {
        this.ports = ports;
        this.random = random;
    }

    /**
     * Starts a run, or changes the running one's rate and duration (its end is then
     * {@code duration} from now; calls in progress go on).
     *
     * @return whether a new run started (false: the running one was changed)
     * @throws IllegalArgumentException for a rate or duration out of range
     */
    public boolean start(int perMinute, Duration runFor, String by, long nowMs) {
        if (perMinute < 1 || perMinute > MAX_CALLS_PER_MINUTE) {
            throw new IllegalArgumentException("calls_per_minute must be from 1 to " + MAX_CALLS_PER_MINUTE);
        }
        if (runFor.toMillis() < 1000 || runFor.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration must be from PT1S to " + MAX_DURATION);
        }
        boolean fresh = !running;
        this.callsPerMinute = perMinute;
        this.duration = runFor;
        this.endsAtMs = nowMs + runFor.toMillis();
        if (fresh) {
            running = true;
            startedAtMs = nowMs;
            startedBy = by;
            stoppedAtMs = -1;
            stopReason = null;
            callsStarted = eventsPosted = eventsRefused = 0;
        }
        nextArrivalMs = nowMs + gapMs();
        return fresh;
    }

    /**
     * Ends the run: no new arrivals, and every call it was playing ends now.
     *
     * @return whether a run was going
     */
    public boolean stop(StopReason reason, long nowMs) {
        if (!running) {
            return false;
        }
        running = false;
        stoppedAtMs = nowMs;
        stopReason = reason;
        for (Plan plan : new ArrayList<>(plans.values())) {
            ports.call(plan.id).filter(Call::isLive).ifPresent(call ->
                post(endEvent(plan.id, call.phase().isWaiting() ? "caller_hangup" : "completed")));
            forget(plan);
        }
        return true;
    }

    /** Does what is due at {@code nowMs}: the end of the run, arrivals, and each call's next step. */
    public void tick(long nowMs) {
        if (!running) {
            return;
        }
        if (nowMs >= endsAtMs) {
            stop(StopReason.DURATION, nowMs);
            return;
        }
        while (running && nextArrivalMs <= nowMs) {
            arrive(nowMs);
            nextArrivalMs += gapMs();
        }
        for (Plan plan : new ArrayList<>(plans.values())) {
            if (plan.dueMs <= nowMs && plans.containsKey(plan.id)) {
                step(plan, nowMs);
            }
        }
    }

    public boolean running() {
        return running;
    }

    public Status status() {
        if (callsPerMinute == 0) {
            return Status.NEVER_RUN;
        }
        return new Status(running, callsPerMinute, duration, Instant.ofEpochMilli(startedAtMs),
            Instant.ofEpochMilli(endsAtMs), startedBy, stoppedAtMs < 0 ? null : Instant.ofEpochMilli(stoppedAtMs),
            stopReason, callsStarted, eventsPosted, eventsRefused, plans.size());
    }

    /** Poisson arrivals: an exponential gap with the rate's mean, capped at five means. */
    private long gapMs() {
        double meanMs = 60_000.0 / callsPerMinute;
        return Math.max(1, Math.round(Math.min(meanMs * 5, -Math.log(1 - random.nextDouble()) * meanMs)));
    }

    private void arrive(long nowMs) {
        List<QueueConfig> queues = List.copyOf(ports.queues());
        if (queues.isEmpty() || plans.size() >= MAX_LIVE_CALLS) {
            return;
        }
        QueueConfig queue = queues.get(random.nextInt(queues.size()));
        List<QueueConfig> others = queues.stream().filter(q -> !q.id().equals(queue.id())).toList();
        String id = ID_PREFIX + Long.toString(nowMs, 36) + "-" + Long.toString(++sequence, 36);
        Plan plan = new Plan(id, nowMs, random, others);
        callsStarted++;
        ObjectNode data = Wire.object();
        data.put("type", random.nextDouble() < 0.8 ? "voice" : "video");
        data.put("queue_id", queue.id());
        if (post(event(id, "call_initiated", data)) == Posted.ACCEPTED) {
            plans.put(id, plan);
            later(plan, nowMs, between(random, 2_000, 20_000));
        }
    }

    /** One step of a call's life, chosen from its live state. */
    private void step(Plan plan, long nowMs) {
        Optional<Call> found = ports.call(plan.id);
        if (found.isEmpty()) {
            if (nowMs - plan.startedAtMs > UNSEEN_GIVE_UP_MS) {
                forget(plan);
            } else {
                later(plan, nowMs, 1_000);
            }
            return;
        }
        Call call = found.get();
        switch (call.phase()) {
            case QUEUED -> {
                if (nowMs - plan.waitFromMs > plan.patienceMs) {
                    finish(plan, nowMs, "caller_hangup");
                    return;
                }
                String agent = pickAgent(call.queueId());
                if (agent == null) {
                    later(plan, nowMs, 2_000);
                    return;
                }
                release(plan);
                plan.claimedAgent = agent;
                claimed.add(agent);
                ObjectNode data = Wire.object();
                data.put("agent_id", agent);
                act(plan, nowMs, event(plan.id, "call_routed", data), between(random, 1_500, 7_000));
            }
            case RINGING -> {
                if (plan.ignoreRing) {
                    plan.ignoreRing = false;   // the server's ring timer re-routes it; the next agent answers
                    later(plan, nowMs, 4_000);
                    return;
                }
                if (act(plan, nowMs, event(plan.id, "call_answered", Wire.object()),
                    plan.holdAtMs >= 0 ? plan.holdAtMs : plan.talkMs)) {
                    plan.answeredAtMs = nowMs;
                }
            }
            case ACTIVE -> {
                if (plan.answeredAtMs < 0) {
                    plan.answeredAtMs = nowMs;
                }
                if (plan.holdAtMs >= 0 && !plan.held) {
                    if (act(plan, nowMs, event(plan.id, "call_hold", Wire.object()), plan.holdMs)) {
                        plan.held = true;
                    }
                    return;
                }
                if (plan.transferTo != null) {
                    ObjectNode data = Wire.object();
                    data.put("queue_id", plan.transferTo);
                    release(plan);
                    if (act(plan, nowMs, event(plan.id, "call_transferred", data), between(random, 2_000, 10_000))) {
                        plan.transferTo = null;
                        plan.waitFromMs = nowMs;   // a new wait in the new queue
                        plan.answeredAtMs = -1;
                    }
                    return;
                }
                long talked = nowMs - plan.answeredAtMs;
                if (talked < plan.talkMs) {
                    later(plan, nowMs, plan.talkMs - talked);
                    return;
                }
                finish(plan, nowMs, plan.endReason);
            }
            case ON_HOLD -> act(plan, nowMs, event(plan.id, "call_resumed", Wire.object()), between(random, 5_000, 40_000));
            case ENDED -> forget(plan);
        }
    }

    /** Posts a step's event; the next step is due {@code nextInMs} later, or soon again if it was not stored. */
    private boolean act(Plan plan, long nowMs, ObjectNode event, long nextInMs) {
        switch (post(event)) {
            case ACCEPTED -> {
                later(plan, nowMs, nextInMs);
                return true;
            }
            case UNAVAILABLE -> later(plan, nowMs, 1_000);
            case REFUSED -> later(plan, nowMs, MIN_STEP_MS);   // the call moved on without us: look again
        }
        return false;
    }

    private void finish(Plan plan, long nowMs, String endReason) {
        if (post(endEvent(plan.id, endReason)) == Posted.UNAVAILABLE) {
            later(plan, nowMs, 1_000);
        } else {
            forget(plan);
        }
    }

    /** An agent of the queue who is available now and not already taken by another generated call. */
    private String pickAgent(String queueId) {
        Optional<QueueConfig> queue = ports.queues().stream().filter(q -> q.id().equals(queueId)).findFirst();
        if (queue.isEmpty()) {
            return null;
        }
        Map<String, AgentState> states = ports.agentStates();
        List<String> free = queue.get().agentIds().stream()
            .filter(a -> !claimed.contains(a) && states.getOrDefault(a, AgentState.AVAILABLE) == AgentState.AVAILABLE)
            .toList();
        return free.isEmpty() ? null : free.get(random.nextInt(free.size()));
    }

    private void later(Plan plan, long nowMs, long inMs) {
        plan.dueMs = nowMs + Math.max(MIN_STEP_MS, inMs);
    }

    private void release(Plan plan) {
        if (plan.claimedAgent != null) {
            claimed.remove(plan.claimedAgent);
        }
        plan.claimedAgent = null;
    }

    private void forget(Plan plan) {
        release(plan);
        plans.remove(plan.id);
    }

    private Posted post(ObjectNode event) {
        Posted p = ports.post(event);
        if (p == Posted.ACCEPTED) {
            eventsPosted++;
        } else {
            eventsRefused++;
        }
        return p;
    }

    private ObjectNode endEvent(String callId, String endReason) {
        ObjectNode data = Wire.object();
        data.put("end_reason", endReason);
        return event(callId, "call_ended", data);
    }

    private ObjectNode event(String callId, String type, ObjectNode data) {
        ObjectNode e = Wire.object();
        e.put("event_id", ID_PREFIX + "evt-" + Long.toString(++sequence, 36) + "-" + Integer.toString(random.nextInt(), 36));
        e.put("type", type);
        e.put("call_id", callId);
        e.set("data", data);
        return e;
    }

    private static long between(RandomGenerator r, long lo, long hi) {
        return lo + (long) (r.nextDouble() * (hi - lo));
    }
}
