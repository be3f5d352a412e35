package dev.switchboard.core.metrics;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.Phase;
import dev.switchboard.core.rules.Effect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Live per-agent and per-queue figures, kept up to date from the engine's transitions (so they can
 * also be rebuilt by replaying a call history). Counters are cumulative since the engine started
 * (or since the start of the replayed history).
 *
 * <p>Agent state follows the calls: ringing when offered, on call when answered, on hold, back to
 * available (idle since then) when the call ends, is transferred away or the ring is missed.
 * A <em>break</em> (after too many missed rings in a row) is kept apart from the calls: it ends only
 * by {@link #setAvailable}. A call offered to an agent on break (an external router's choice) does
 * not end the break: the agent shows {@code on_break} while it rings, {@code on_call} while they
 * talk, and {@code on_break} again afterwards.
 *
 * <p>{@link #exportAgents()}, {@link #exportQueues()} and {@link #restore} carry the figures over
 * to a fresh instance (a host's snapshot); the waiting calls of each queue are not exported: they
 * follow from the live calls.
 *
 * <p>NOT thread safe: owned by the engine.
 */
public final class CenterMetrics {

    private final Map<String, AgentStats> agents = new LinkedHashMap<>();
    private final Map<String, QueueStats> queues = new LinkedHashMap<>();
    private final ToLongFunction<String> slaMsOfQueue;

    /** @param slaMsOfQueue the SLA (max wait, ms) of a queue, for its service level */
    public CenterMetrics(ToLongFunction<String> slaMsOfQueue) {
        this.slaMsOfQueue = slaMsOfQueue;
    }

    /** Makes an agent known (from configuration, or at first sight) as available since {@code atMs}. */
    public void registerAgent(String agentId, String queueId, long atMs) {
        AgentStats a = agent(agentId, atMs);
        if (queueId != null && !a.queues.contains(queueId)) {
            a.queues.add(queueId);
        }
    }

    public void registerQueue(String queueId) {
        queues.computeIfAbsent(queueId, QueueStats::new);
    }

    /** Counts one transition. */
    public void onTransition(Effect.Transitioned t) {
        Call before = t.before();
        Call after = t.after();
        long at = t.atMs();
        if (before == null) {
            QueueStats q = queue(after.queueId());
            q.offered++;
            q.waiting.put(after.id(), after.waitStartMs());
            return;
        }
        // close the segment the call leaves
        if (before.phase() == Phase.ACTIVE && after.phase() != Phase.ACTIVE) {
            agent(before.agentId(), at).talkMs += Math.max(0, at - before.phaseSinceMs());
        } else if (before.phase() == Phase.ON_HOLD && after.phase() != Phase.ON_HOLD) {
            agent(before.agentId(), at).holdMs += Math.max(0, at - before.phaseSinceMs());
        }
        // waiting bookkeeping per queue
        if (before.phase().isWaiting() && !after.phase().isWaiting()) {
            QueueStats q = queue(before.queueId());
            q.waiting.remove(before.id());
            if (after.phase() == Phase.ACTIVE) {
                q.answered++;
                q.totalAnswerWaitMs += after.waitMs();
                if (after.waitMs() <= slaMsOfQueue.applyAsLong(after.queueId())) {
                    q.answeredWithinSla++;
                }
            } else if (after.has(CallFlag.ABANDONED)) {
                q.abandoned++;
            }
        } else if (!before.phase().isWaiting() && after.phase().isWaiting()) {
            QueueStats q = queue(after.queueId());
            if (!after.queueId().equals(before.queueId())) {
                q.offered++;
            }
            q.waiting.put(after.id(), after.waitStartMs());
        }
        // agent side
        switch (after.phase()) {
            case RINGING -> {
                if (before.phase() == Phase.ACTIVE || before.phase() == Phase.ON_HOLD) {
                    release(before, at, true);
                }
                AgentStats a = agent(after.agentId(), at);
                a.offered++;
                a.engage(AgentState.RINGING, after.id(), at);
            }
            case QUEUED -> {
                if (before.phase() == Phase.RINGING) {
                    AgentStats a = agent(before.agentId(), at);
                    a.missed++;
                    a.consecutiveMisses++;
                    release(before, at, false);
                } else if (before.phase() == Phase.ACTIVE || before.phase() == Phase.ON_HOLD) {
                    release(before, at, true);
                }
            }
            case ACTIVE -> {
                AgentStats a = agent(after.agentId(), at);
                if (before.phase() == Phase.RINGING) {
                    a.answered++;
                    a.consecutiveMisses = 0;
                }
                a.engage(AgentState.ON_CALL, after.id(), at);
            }
            case ON_HOLD -> agent(after.agentId(), at).engage(AgentState.ON_HOLD, after.id(), at);
            case ENDED -> {
                if (before.agentId() != null) {
                    release(before, at, before.phase() == Phase.ACTIVE || before.phase() == Phase.ON_HOLD);
                }
            }
        }
    }

    /** Puts an agent on break (after missed rings): no calls are routed to it until available again. */
    public void setOnBreak(String agentId, long atMs) {
        AgentStats a = agent(agentId, atMs);
        a.onBreak = true;
        a.show(atMs);
    }

    /**
     * Makes an agent available again (back from break); the count of consecutive misses starts
     * again from zero, so the next run of missed rings can put the agent on break again.
     */
    public void setAvailable(String agentId, long atMs) {
        AgentStats a = agent(agentId, atMs);
        a.consecutiveMisses = 0;
        a.onBreak = false;
        a.show(atMs);
    }

    /** Whether the agent is on break (whatever call it may be on). */
    public boolean onBreak(String agentId) {
        AgentStats a = agents.get(agentId);
        return a != null && a.onBreak;
    }

    public boolean knowsAgent(String agentId) {
        return agents.containsKey(agentId);
    }

    public int consecutiveMisses(String agentId) {
        AgentStats a = agents.get(agentId);
        return a == null ? 0 : a.consecutiveMisses;
    }

    /** The agent's state now, or {@code null} if unknown. */
    public AgentState state(String agentId) {
        AgentStats a = agents.get(agentId);
        return a == null ? null : a.state;
    }

    /** Since when the agent is in its state (for an available agent: idle since). */
    public long stateSinceMs(String agentId) {
        AgentStats a = agents.get(agentId);
        return a == null ? Long.MAX_VALUE : a.stateSinceMs;
    }

    public List<AgentMetrics> agents() {
        List<AgentMetrics> out = new ArrayList<>(agents.size());
        for (AgentStats a : agents.values()) {
            out.add(a.snapshot());
        }
        return out;
    }

    public AgentMetrics agent(String agentId) {
        AgentStats a = agents.get(agentId);
        return a == null ? null : a.snapshot();
    }

    public List<QueueMetrics> queues(long nowMs) {
        List<QueueMetrics> out = new ArrayList<>(queues.size());
        for (QueueStats q : queues.values()) {
            out.add(q.snapshot(nowMs));
        }
        return out;
    }

    public QueueMetrics queue(String queueId, long nowMs) {
        QueueStats q = queues.get(queueId);
        return q == null ? null : q.snapshot(nowMs);
    }

    /** One agent's figures and state, exactly as kept (for a host's snapshot). */
    public record AgentRecord(String agentId, List<String> queues, AgentState activity, boolean onBreak,
                              long stateSinceMs, String currentCallId, long offered, long answered,
                              long missed, int consecutiveMisses, long handled, long talkMs, long holdMs) {
    }

    /** One queue's counters, exactly as kept (its waiting calls follow from the live calls). */
    public record QueueCounters(String queueId, long offered, long answered, long answeredWithinSla,
                                long totalAnswerWaitMs, long abandoned) {
    }

    public List<AgentRecord> exportAgents() {
        List<AgentRecord> out = new ArrayList<>(agents.size());
        for (AgentStats a : agents.values()) {
            out.add(a.export());
        }
        return out;
    }

    public List<QueueCounters> exportQueues() {
        List<QueueCounters> out = new ArrayList<>(queues.size());
        for (QueueStats q : queues.values()) {
            out.add(new QueueCounters(q.id, q.offered, q.answered, q.answeredWithinSla, q.totalAnswerWaitMs, q.abandoned));
        }
        return out;
    }

    /**
     * Takes over exported figures: agents and queue counters replace those of the same id, in the
     * exported order; {@code waitingCalls} (live calls in a waiting phase) refill the queues' waits.
     */
    public void restore(List<AgentRecord> agentRecords, List<QueueCounters> counters, Iterable<Call> waitingCalls) {
        for (AgentRecord r : agentRecords) {
            AgentStats configured = agents.get(r.agentId());
            AgentStats a = new AgentStats(r.agentId(), r.stateSinceMs());
            // queue membership is configuration: the configured one wins over the exported one
            a.queues.addAll(configured != null ? configured.queues : r.queues());
            a.activity = r.activity();
            a.onBreak = r.onBreak();
            a.state = a.shown();
            a.currentCallId = r.currentCallId();
            a.offered = r.offered();
            a.answered = r.answered();
            a.missed = r.missed();
            a.consecutiveMisses = r.consecutiveMisses();
            a.handled = r.handled();
            a.talkMs = r.talkMs();
            a.holdMs = r.holdMs();
            agents.put(a.id, a);
        }
        for (QueueCounters c : counters) {
            QueueStats q = queue(c.queueId());
            q.offered = c.offered();
            q.answered = c.answered();
            q.answeredWithinSla = c.answeredWithinSla();
            q.totalAnswerWaitMs = c.totalAnswerWaitMs();
            q.abandoned = c.abandoned();
        }
        for (Call call : waitingCalls) {
            if (call.phase().isWaiting()) {
                queue(call.queueId()).waiting.put(call.id(), call.waitStartMs());
            }
        }
    }

    /** The agent leaves the call {@code before}; {@code handled} when it had been answered. */
    private void release(Call before, long at, boolean handled) {
        AgentStats a = agent(before.agentId(), at);
        if (handled) {
            a.handled++;
        }
        if (before.id().equals(a.currentCallId)) {
            a.engage(AgentState.AVAILABLE, null, at);
        }
    }

    private AgentStats agent(String agentId, long atMs) {
        AgentStats a = agents.get(agentId);
        if (a == null) {   // get + put: computeIfAbsent would allocate a capturing lambda on every transition
            a = new AgentStats(agentId, atMs);
            agents.put(agentId, a);
        }
        return a;
    }

    private QueueStats queue(String queueId) {
        return queues.computeIfAbsent(queueId, QueueStats::new);
    }

    private static final class AgentStats {
        final String id;
        final List<String> queues = new ArrayList<>(2);
        /** What the calls make of the agent: available, ringing, on call or on hold. */
        AgentState activity = AgentState.AVAILABLE;
        /** On break until made available: kept apart from the calls. */
        boolean onBreak;
        /** What is shown: on break while not talking to a caller, else the activity. */
        AgentState state = AgentState.AVAILABLE;
        long stateSinceMs;
        String currentCallId;
        long offered;
        long answered;
        long missed;
        int consecutiveMisses;
        long handled;
        long talkMs;
        long holdMs;

        AgentStats(String id, long sinceMs) {
            this.id = id;
            this.stateSinceMs = sinceMs;
        }

        /** The calls put the agent in {@code s} (with {@code callId}, or none). */
        void engage(AgentState s, String callId, long atMs) {
            activity = s;
            currentCallId = callId;
            show(atMs);
        }

        /** Recomputes the state shown; its since-time moves only when it changes. */
        void show(long atMs) {
            AgentState s = shown();
            if (s != state) {
                stateSinceMs = atMs;
            }
            state = s;
        }

        /** On break while not talking to a caller, else what the calls make of the agent. */
        AgentState shown() {
            boolean talking = activity == AgentState.ON_CALL || activity == AgentState.ON_HOLD;
            return onBreak && !talking ? AgentState.ON_BREAK : activity;
        }

        AgentRecord export() {
            return new AgentRecord(id, List.copyOf(queues), activity, onBreak, stateSinceMs, currentCallId,
                offered, answered, missed, consecutiveMisses, handled, talkMs, holdMs);
        }

        AgentMetrics snapshot() {
            Double aht = handled == 0 ? null : (double) (talkMs + holdMs) / handled;
            return new AgentMetrics(id, List.copyOf(queues), state, stateSinceMs, currentCallId, offered, answered,
                missed, consecutiveMisses, handled, talkMs, holdMs, aht);
        }
    }

    private static final class QueueStats {
        final String id;
        /** Waiting calls: call id to wait start. */
        final Map<String, Long> waiting = new HashMap<>();
        long offered;
        long answered;
        long answeredWithinSla;
        long totalAnswerWaitMs;
        long abandoned;

        QueueStats(String id) {
            this.id = id;
        }

        QueueMetrics snapshot(long nowMs) {
            long longest = 0;
            for (long start : waiting.values()) {
                longest = Math.max(longest, nowMs - start);
            }
            Double sl = answered == 0 ? null : (double) answeredWithinSla / answered;
            Double asa = answered == 0 ? null : (double) totalAnswerWaitMs / answered;
            return new QueueMetrics(id, waiting.size(), longest, offered, answered, answeredWithinSla, sl, asa, abandoned);
        }
    }
}
