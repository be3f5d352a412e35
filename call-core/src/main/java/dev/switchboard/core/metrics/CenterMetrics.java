package dev.switchboard.core.metrics;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.Phase;
import dev.switchboard.core.rules.Effect;
import dev.switchboard.core.rules.Thresholds;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Live per-agent and per-queue figures, kept up to date from the engine's transitions and the
 * agents' presence changes (so they can also be rebuilt by replaying a history). Counters cover
 * <em>today</em>, the center's day in its time zone: the first transition or read at or after the
 * next midnight starts them again from zero; a transition from before today's midnight (a late
 * event) changes state but counts in no figure. Times (talk, hold, wrap-up, logged in, not ready)
 * are clipped to today, so a stretch that began yesterday counts from midnight.
 *
 * <p><b>Agents.</b> What the calls make of an agent (ringing, on call, on hold, idle) is kept apart
 * from their {@link Presence} (logged out, available, not ready with a reason, wrap-up). The state
 * shown ({@link AgentState}) is the call while talking to a caller, else the presence
 * ({@code on_break} for not ready), else what the calls make of them. An agent first seen is
 * available (logged in). After an answered call leaves an available agent the engine may start a
 * wrap-up ({@link #startWrapUp}); it ends by itself at its end time ({@link #settleWrapUps}, or
 * at the agent's next change), or earlier when the agent answers another call or changes presence.
 * The auto-break (too many missed rings) is presence not ready, reason {@link Presence#MISSED_CALLS}.
 *
 * <p><b>Routing.</b> Agents who become available to the system router (shown {@code available})
 * are noted; the engine drains them ({@link #drainFreed}) to offer them a waiting call.
 *
 * <p>{@link #exportAgents()}, {@link #exportQueues()} and {@link #restore} carry the figures over
 * to a fresh instance (a host's snapshot); the waiting calls of each queue are not exported: they
 * follow from the live calls.
 *
 * <p>NOT thread safe: owned by the engine.
 */
public final class CenterMetrics {

    /** No such time. */
    public static final long NONE = -1;

    private final Map<String, AgentStats> agents = new LinkedHashMap<>();
    private final Map<String, QueueStats> queues = new LinkedHashMap<>();
    private final Function<String, Thresholds> thresholdsOf;
    private final ZoneId zone;
    /** Wrap-ups by end time; an entry no longer true (the agent moved on) is skipped. */
    private final PriorityQueue<WrapEnd> wrapEnds = new PriorityQueue<>();
    /** Agents who became available since the last drain, in order. */
    private final List<String> freed = new ArrayList<>();
    private long dayStartMs = Long.MIN_VALUE;
    private long nextDayMs = Long.MIN_VALUE;

    /**
     * @param thresholdsOf a queue's thresholds (SLA, short abandon, target)
     * @param zone         the center's time zone: where "today" begins
     */
    public CenterMetrics(Function<String, Thresholds> thresholdsOf, ZoneId zone) {
        this.thresholdsOf = thresholdsOf;
        this.zone = zone;
    }

    /** Makes an agent known (from configuration, or at first sight) as available since {@code atMs}. */
    public void registerAgent(String agentId, String queueId, long atMs) {
        AgentStats a = agent(agentId, atMs);
        if (queueId != null && !a.queues.contains(queueId)) {
            a.queues.add(queueId);
        }
    }

    /** An agent no longer takes a queue's calls. */
    public void leaveQueue(String agentId, String queueId) {
        AgentStats a = agents.get(agentId);
        if (a != null) {
            a.queues.remove(queueId);
        }
    }

    public void registerQueue(String queueId) {
        queues.computeIfAbsent(queueId, QueueStats::new);
    }

    /** Forgets a queue (deleted; it has no live calls). */
    public void removeQueue(String queueId) {
        queues.remove(queueId);
        for (AgentStats a : agents.values()) {
            a.queues.remove(queueId);
        }
    }

    // ---------------------------------------------------------------- the day

    /** Starts a new day if {@code atMs} is past today's end (zeroing the counters); the first call sets today. */
    public void roll(long atMs) {
        if (atMs < nextDayMs) {
            return;
        }
        boolean first = dayStartMs == Long.MIN_VALUE;
        ZonedDateTime day = Instant.ofEpochMilli(atMs).atZone(zone).toLocalDate().atStartOfDay(zone);
        dayStartMs = day.toInstant().toEpochMilli();
        nextDayMs = day.plusDays(1).toInstant().toEpochMilli();
        if (!first) {
            for (AgentStats a : agents.values()) {
                a.resetCounters();
            }
            for (QueueStats q : queues.values()) {
                q.resetCounters();
            }
        }
    }

    /** When today began (epoch ms), or {@link Long#MIN_VALUE} before the first transition or read. */
    public long dayStartMs() {
        return dayStartMs;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Whether something at {@code atMs} counts in today's figures. */
    private boolean today(long atMs) {
        return atMs >= dayStartMs;
    }

    /** The part of [since, until) that lies in today. */
    private long clipped(long sinceMs, long untilMs) {
        return Math.max(0, untilMs - Math.max(sinceMs, dayStartMs));
    }

    // ---------------------------------------------------------------- transitions

    /** Counts one transition. */
    public void onTransition(Effect.Transitioned t) {
        Call before = t.before();
        Call after = t.after();
        long at = t.atMs();
        roll(at);
        boolean counts = today(at);
        if (before == null) {
            QueueStats q = queue(after.queueId());
            if (counts) {
                q.offered++;
            }
            q.waiting.put(after.id(), after.waitStartMs());
            return;
        }
        // close the segment the call leaves
        if (before.phase() == Phase.ACTIVE && after.phase() != Phase.ACTIVE) {
            agent(before.agentId(), at).talkMs += clipped(before.phaseSinceMs(), at);
        } else if (before.phase() == Phase.ON_HOLD && after.phase() != Phase.ON_HOLD) {
            agent(before.agentId(), at).holdMs += clipped(before.phaseSinceMs(), at);
        }
        // waiting bookkeeping per queue
        if (before.phase().isWaiting() && !after.phase().isWaiting()) {
            QueueStats q = queue(before.queueId());
            q.waiting.remove(before.id());
            Thresholds th = thresholdsOf.apply(before.queueId());
            if (!counts) {
                // yesterday's: state only
            } else if (after.phase() == Phase.ACTIVE) {
                q.answered++;
                q.totalAnswerWaitMs += after.waitMs();
                if (after.waitMs() <= th.slaMaxWaitMs()) {
                    q.answeredWithinSla++;
                }
            } else if (after.has(CallFlag.ABANDONED)) {
                if (at - before.waitStartMs() > th.shortAbandonMs()) {
                    q.abandoned++;
                } else {
                    q.abandonedShort++;
                }
            }
        } else if (!before.phase().isWaiting() && after.phase().isWaiting()) {
            QueueStats q = queue(after.queueId());
            if (counts && !after.queueId().equals(before.queueId())) {
                q.offered++;
            }
            q.waiting.put(after.id(), after.waitStartMs());
        }
        if (counts && after.phase() == Phase.ENDED && (before.phase() == Phase.ACTIVE || before.phase() == Phase.ON_HOLD)) {
            QueueStats q = queue(before.queueId());
            q.handled++;
            q.totalHandleMs += Math.max(0, after.durationMs());
        }
        // agent side
        switch (after.phase()) {
            case RINGING -> {
                if (before.phase() == Phase.ACTIVE || before.phase() == Phase.ON_HOLD) {
                    release(before, at, true);
                }
                AgentStats a = agent(after.agentId(), at);
                settle(a, at);
                if (counts) {
                    a.offered++;
                }
                a.engage(AgentState.RINGING, after.id(), at);
            }
            case QUEUED -> {
                if (before.phase() == Phase.RINGING) {
                    AgentStats a = agent(before.agentId(), at);
                    if (counts) {
                        a.missed++;
                    }
                    a.consecutiveMisses++;
                    release(before, at, false);
                } else if (before.phase() == Phase.ACTIVE || before.phase() == Phase.ON_HOLD) {
                    release(before, at, true);
                }
            }
            case ACTIVE -> {
                AgentStats a = agent(after.agentId(), at);
                settle(a, at);
                if (before.phase() == Phase.RINGING) {
                    if (counts) {
                        a.answered++;
                    }
                    a.consecutiveMisses = 0;
                }
                if (a.presence == Presence.WRAP_UP) {
                    a.leavePresence(Presence.AVAILABLE, null, at);   // a new call ends the wrap-up
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

    // ---------------------------------------------------------------- presence

    /**
     * Sets an agent's presence at {@code atMs} (registering an agent not known). Becoming
     * available also starts the count of consecutive misses again from zero.
     *
     * @param reason why not ready; ignored for another presence
     * @return whether anything changed (the same presence and reason again changes nothing)
     */
    public boolean setPresence(String agentId, Presence presence, String reason, long atMs) {
        roll(atMs);
        AgentStats a = agent(agentId, atMs);
        settle(a, atMs);
        String why = presence == Presence.NOT_READY ? (reason == null ? "not_ready" : reason) : null;
        if (presence == Presence.AVAILABLE) {
            a.consecutiveMisses = 0;
        }
        if (a.presence == presence && java.util.Objects.equals(a.reason, why)) {
            return false;
        }
        a.leavePresence(presence, why, atMs);
        return true;
    }

    /** Puts an agent on break (after missed rings): presence not ready, reason {@link Presence#MISSED_CALLS}. */
    public void setOnBreak(String agentId, long atMs) {
        setPresence(agentId, Presence.NOT_READY, Presence.MISSED_CALLS, atMs);
    }

    /** Makes an agent available again (back from break, or from any presence). */
    public void setAvailable(String agentId, long atMs) {
        setPresence(agentId, Presence.AVAILABLE, null, atMs);
    }

    /**
     * Starts a wrap-up for an agent who is available (else nothing: a not-ready agent stays so),
     * ending by itself at {@code untilMs}.
     *
     * @return whether the wrap-up started
     */
    public boolean startWrapUp(String agentId, long atMs, long untilMs) {
        roll(atMs);
        AgentStats a = agent(agentId, atMs);
        settle(a, atMs);
        if (a.presence != Presence.AVAILABLE || untilMs <= atMs) {
            return false;
        }
        a.leavePresence(Presence.WRAP_UP, null, atMs);
        a.wrapUntilMs = untilMs;
        wrapEnds.add(new WrapEnd(untilMs, a.id));
        return true;
    }

    /** Ends the wrap-ups due at {@code nowMs} (each at its own end time). */
    public void settleWrapUps(long nowMs) {
        while (!wrapEnds.isEmpty() && wrapEnds.peek().untilMs() <= nowMs) {
            WrapEnd w = wrapEnds.poll();
            AgentStats a = agents.get(w.agentId());
            if (a != null) {
                settle(a, nowMs);
            }
        }
    }

    /** The earliest pending wrap-up end, or {@link #NONE}. */
    public long nextWrapUpEndMs() {
        return wrapEnds.isEmpty() ? NONE : wrapEnds.peek().untilMs();
    }

    /** Agents who became available (shown {@code available}) since the last call, in order. */
    public List<String> drainFreed() {
        if (freed.isEmpty()) {
            return List.of();
        }
        List<String> out = List.copyOf(freed);
        freed.clear();
        return out;
    }

    /** Ends the agent's wrap-up if it is over at {@code atMs}. */
    private void settle(AgentStats a, long atMs) {
        if (a.presence == Presence.WRAP_UP && atMs >= a.wrapUntilMs) {
            long until = a.wrapUntilMs;
            roll(until);
            a.leavePresence(Presence.AVAILABLE, null, until);
        }
    }

    /** Whether the agent is out of the system's routing by presence (not ready or logged out): no auto-break then. */
    public boolean onBreak(String agentId) {
        AgentStats a = agents.get(agentId);
        return a != null && (a.presence == Presence.NOT_READY || a.presence == Presence.LOGGED_OUT);
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

    /** The agent's presence now, or {@code null} if unknown. */
    public Presence presence(String agentId) {
        AgentStats a = agents.get(agentId);
        return a == null ? null : a.presence;
    }

    /** The queues the agent takes calls of (empty if unknown). */
    public List<String> queuesOf(String agentId) {
        AgentStats a = agents.get(agentId);
        return a == null ? List.of() : List.copyOf(a.queues);
    }

    /** Agents shown {@code available} now (for the system router), in registration order. */
    public List<String> availableAgents() {
        List<String> out = new ArrayList<>();
        for (AgentStats a : agents.values()) {
            if (a.state == AgentState.AVAILABLE) {
                out.add(a.id);
            }
        }
        return out;
    }

    /** Since when the agent is in its state (for an available agent: idle since). */
    public long stateSinceMs(String agentId) {
        AgentStats a = agents.get(agentId);
        return a == null ? Long.MAX_VALUE : a.stateSinceMs;
    }

    // ---------------------------------------------------------------- reads

    public List<AgentMetrics> agents(long nowMs) {
        roll(nowMs);
        List<AgentMetrics> out = new ArrayList<>(agents.size());
        for (AgentStats a : agents.values()) {
            settle(a, nowMs);
            out.add(a.snapshot(nowMs));
        }
        return out;
    }

    public AgentMetrics agentFigures(String agentId, long nowMs) {
        roll(nowMs);
        AgentStats a = agents.get(agentId);
        if (a == null) {
            return null;
        }
        settle(a, nowMs);
        return a.snapshot(nowMs);
    }

    public List<QueueMetrics> queues(long nowMs) {
        roll(nowMs);
        List<QueueMetrics> out = new ArrayList<>(queues.size());
        for (QueueStats q : queues.values()) {
            out.add(q.snapshot(nowMs));
        }
        return out;
    }

    public QueueMetrics queue(String queueId, long nowMs) {
        roll(nowMs);
        QueueStats q = queues.get(queueId);
        return q == null ? null : q.snapshot(nowMs);
    }

    /**
     * The whole center's figures: every queue's counts added up (so the rates are weighted by
     * volume), the longest current wait of all, and the lowest of the queues' targets.
     */
    public QueueMetrics center(long nowMs) {
        roll(nowMs);
        QueueStats sum = new QueueStats(null);
        long longest = 0;
        int waiting = 0;
        double target = queues.isEmpty() ? Thresholds.DEFAULT_SL_TARGET : 1.0;
        for (QueueStats q : queues.values()) {
            sum.add(q);
            waiting += q.waiting.size();
            longest = Math.max(longest, q.longestWaitMs(nowMs));
            target = Math.min(target, thresholdsOf.apply(q.id).slTarget());
        }
        return sum.figures(waiting, longest, target);
    }

    // ---------------------------------------------------------------- export and restore

    /** One agent's figures and state, exactly as kept (for a host's snapshot). */
    public record AgentRecord(String agentId, List<String> queues, AgentState activity, Presence presence,
                              String reason, long presenceSinceMs, long loggedInSinceMs, long wrapUntilMs,
                              long stateSinceMs, String currentCallId, long offered, long answered,
                              long missed, int consecutiveMisses, long handled, long talkMs, long holdMs,
                              long wrapUpMs, long loggedInMs, Map<String, Long> notReadyByReasonMs) {
        public AgentRecord {
            queues = List.copyOf(queues);
            notReadyByReasonMs = Map.copyOf(notReadyByReasonMs);
        }
    }

    /** One queue's counters, exactly as kept (its waiting calls follow from the live calls). */
    public record QueueCounters(String queueId, long offered, long answered, long answeredWithinSla,
                                long totalAnswerWaitMs, long abandoned, long abandonedShort, long handled,
                                long totalHandleMs) {
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
            out.add(new QueueCounters(q.id, q.offered, q.answered, q.answeredWithinSla, q.totalAnswerWaitMs, q.abandoned,
                q.abandonedShort, q.handled, q.totalHandleMs));
        }
        return out;
    }

    /**
     * Takes over exported figures: agents and queue counters replace those of the same id, in the
     * exported order; {@code waitingCalls} (live calls in a waiting phase) refill the queues' waits.
     *
     * @param dayStartMs the day the counters are of ({@link #dayStartMs()} when exported); the
     *                   first transition or read of a later day zeroes them
     */
    public void restore(List<AgentRecord> agentRecords, List<QueueCounters> counters, Iterable<Call> waitingCalls,
                        long dayStartMs) {
        if (dayStartMs != Long.MIN_VALUE) {
            this.dayStartMs = dayStartMs;
            this.nextDayMs = Instant.ofEpochMilli(dayStartMs).atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone)
                .toInstant().toEpochMilli();
        }
        for (AgentRecord r : agentRecords) {
            AgentStats configured = agents.get(r.agentId());
            AgentStats a = new AgentStats(r.agentId(), r.stateSinceMs());
            // queue membership is configuration: the configured one wins over the exported one
            a.queues.addAll(configured != null ? configured.queues : r.queues());
            a.activity = r.activity();
            a.presence = r.presence();
            a.reason = r.reason();
            a.presenceSinceMs = r.presenceSinceMs();
            a.loggedInSinceMs = r.loggedInSinceMs();
            a.wrapUntilMs = r.wrapUntilMs();
            a.state = a.shown();
            a.currentCallId = r.currentCallId();
            a.offered = r.offered();
            a.answered = r.answered();
            a.missed = r.missed();
            a.consecutiveMisses = r.consecutiveMisses();
            a.handled = r.handled();
            a.talkMs = r.talkMs();
            a.holdMs = r.holdMs();
            a.wrapUpMs = r.wrapUpMs();
            a.loggedInMs = r.loggedInMs();
            a.notReadyMs.putAll(r.notReadyByReasonMs());
            agents.put(a.id, a);
            if (a.presence == Presence.WRAP_UP) {
                wrapEnds.add(new WrapEnd(a.wrapUntilMs, a.id));
            }
        }
        for (QueueCounters c : counters) {
            QueueStats q = queue(c.queueId());
            q.offered = c.offered();
            q.answered = c.answered();
            q.answeredWithinSla = c.answeredWithinSla();
            q.totalAnswerWaitMs = c.totalAnswerWaitMs();
            q.abandoned = c.abandoned();
            q.abandonedShort = c.abandonedShort();
            q.handled = c.handled();
            q.totalHandleMs = c.totalHandleMs();
        }
        for (Call call : waitingCalls) {
            if (call.phase().isWaiting()) {
                queue(call.queueId()).waiting.put(call.id(), call.waitStartMs());
            }
        }
        freed.clear();
    }

    // ---------------------------------------------------------------- internals

    /** The agent leaves the call {@code before}; {@code handled} when it had been answered. */
    private void release(Call before, long at, boolean handled) {
        AgentStats a = agent(before.agentId(), at);
        if (handled && today(at)) {
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

    private record WrapEnd(long untilMs, String agentId) implements Comparable<WrapEnd> {
        @Override
        public int compareTo(WrapEnd o) {
            return Long.compare(untilMs, o.untilMs);
        }
    }

    private final class AgentStats {
        final String id;
        final List<String> queues = new ArrayList<>(2);
        /** What the calls make of the agent: available (idle), ringing, on call or on hold. */
        AgentState activity = AgentState.AVAILABLE;
        Presence presence = Presence.AVAILABLE;
        String reason;
        long presenceSinceMs;
        long loggedInSinceMs;
        long wrapUntilMs = NONE;
        /** What is shown (see {@link #shown()}). */
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
        long wrapUpMs;
        long loggedInMs;
        /** Finished not-ready time today, by reason. */
        final Map<String, Long> notReadyMs = new TreeMap<>();

        AgentStats(String id, long sinceMs) {
            this.id = id;
            this.stateSinceMs = sinceMs;
            this.presenceSinceMs = sinceMs;
            this.loggedInSinceMs = sinceMs;
        }

        void resetCounters() {
            offered = 0;
            answered = 0;
            missed = 0;
            handled = 0;
            talkMs = 0;
            holdMs = 0;
            wrapUpMs = 0;
            loggedInMs = 0;
            notReadyMs.clear();
        }

        /** The calls put the agent in {@code s} (with {@code callId}, or none). */
        void engage(AgentState s, String callId, long atMs) {
            activity = s;
            currentCallId = callId;
            show(atMs);
        }

        /** Closes the current presence's stretch at {@code atMs} and enters {@code next}. */
        void leavePresence(Presence next, String why, long atMs) {
            if (presence == Presence.NOT_READY) {
                notReadyMs.merge(reason, clipped(presenceSinceMs, atMs), Long::sum);
            } else if (presence == Presence.WRAP_UP) {
                wrapUpMs += clipped(presenceSinceMs, Math.min(atMs, wrapUntilMs));
            }
            if (presence == Presence.LOGGED_OUT && next != Presence.LOGGED_OUT) {
                loggedInSinceMs = atMs;
            } else if (presence != Presence.LOGGED_OUT && next == Presence.LOGGED_OUT) {
                loggedInMs += clipped(loggedInSinceMs, atMs);
                loggedInSinceMs = NONE;
            }
            presence = next;
            reason = why;
            presenceSinceMs = atMs;
            if (next != Presence.WRAP_UP) {
                wrapUntilMs = NONE;
            }
            show(atMs);
        }

        /** Recomputes the state shown; its since-time moves only when it changes. */
        void show(long atMs) {
            AgentState s = shown();
            if (s != state) {
                stateSinceMs = atMs;
                if (s == AgentState.AVAILABLE) {
                    freed.add(id);
                }
            }
            state = s;
        }

        /** The call while talking to a caller, else the presence if not available, else the calls' view. */
        AgentState shown() {
            if (activity == AgentState.ON_CALL || activity == AgentState.ON_HOLD) {
                return activity;
            }
            return switch (presence) {
                case NOT_READY -> AgentState.ON_BREAK;
                case LOGGED_OUT -> AgentState.LOGGED_OUT;
                case WRAP_UP -> AgentState.WRAP_UP;
                case AVAILABLE -> activity;
            };
        }

        AgentRecord export() {
            return new AgentRecord(id, queues, activity, presence, reason, presenceSinceMs, loggedInSinceMs,
                wrapUntilMs, stateSinceMs, currentCallId, offered, answered, missed, consecutiveMisses, handled,
                talkMs, holdMs, wrapUpMs, loggedInMs, notReadyMs);
        }

        AgentMetrics snapshot(long nowMs) {
            long runningTalk = activity == AgentState.ON_CALL || activity == AgentState.ON_HOLD
                ? clipped(stateSinceMs, nowMs) : 0;
            long wrap = wrapUpMs + (presence == Presence.WRAP_UP ? clipped(presenceSinceMs, nowMs) : 0);
            long loggedIn = loggedInMs + (presence != Presence.LOGGED_OUT ? clipped(loggedInSinceMs, nowMs) : 0);
            Map<String, Long> byReason = new TreeMap<>(notReadyMs);
            if (presence == Presence.NOT_READY) {
                byReason.merge(reason, clipped(presenceSinceMs, nowMs), Long::sum);
            }
            long notReady = 0;
            for (long v : byReason.values()) {
                notReady += v;
            }
            Double occupancy = loggedIn == 0 ? null
                : Math.min(1.0, (double) (talkMs + holdMs + runningTalk + wrap) / loggedIn);
            Double aht = QueueMetrics.average(talkMs + holdMs, handled);
            return new AgentMetrics(id, queues, state, stateSinceMs, currentCallId, offered, answered, missed,
                consecutiveMisses, handled, talkMs, holdMs, aht, presence, reason, presenceSinceMs, loggedInSinceMs,
                wrap, loggedIn, notReady, byReason, occupancy);
        }
    }

    private final class QueueStats {
        final String id;
        /** Waiting calls: call id to wait start. */
        final Map<String, Long> waiting = new HashMap<>();
        long offered;
        long answered;
        long answeredWithinSla;
        long totalAnswerWaitMs;
        long abandoned;
        long abandonedShort;
        long handled;
        long totalHandleMs;

        QueueStats(String id) {
            this.id = id;
        }

        void resetCounters() {
            offered = 0;
            answered = 0;
            answeredWithinSla = 0;
            totalAnswerWaitMs = 0;
            abandoned = 0;
            abandonedShort = 0;
            handled = 0;
            totalHandleMs = 0;
        }

        void add(QueueStats q) {
            offered += q.offered;
            answered += q.answered;
            answeredWithinSla += q.answeredWithinSla;
            totalAnswerWaitMs += q.totalAnswerWaitMs;
            abandoned += q.abandoned;
            abandonedShort += q.abandonedShort;
            handled += q.handled;
            totalHandleMs += q.totalHandleMs;
        }

        long longestWaitMs(long nowMs) {
            long longest = 0;
            for (long start : waiting.values()) {
                longest = Math.max(longest, nowMs - start);
            }
            return longest;
        }

        QueueMetrics snapshot(long nowMs) {
            return figures(waiting.size(), longestWaitMs(nowMs), thresholdsOf.apply(id).slTarget());
        }

        QueueMetrics figures(int waitingNow, long longestWaitMs, double slTarget) {
            return new QueueMetrics(id, waitingNow, longestWaitMs, offered, answered, answeredWithinSla,
                QueueMetrics.serviceLevel(answeredWithinSla, answered, abandoned),
                QueueMetrics.average(totalAnswerWaitMs, answered), abandoned, abandonedShort,
                QueueMetrics.abandonRate(answered, abandoned), slTarget, handled,
                QueueMetrics.average(totalHandleMs, handled), dayStartMs);
        }
    }
}
