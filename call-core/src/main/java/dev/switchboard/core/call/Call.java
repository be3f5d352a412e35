package dev.switchboard.core.call;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One call's state: an immutable value; every transition makes a new one.
 *
 * <p>Times are epoch milliseconds, {@link #NONE} when not (yet) known, so a live call is a handful
 * of primitives and references. Wait and talk time are derived from them:
 * <ul>
 *   <li>{@code waitStartMs}: when the current wait began (the start, or the last transfer);</li>
 *   <li>{@code phaseSinceMs}: when the current phase began (ringing since, talking since, on hold
 *       since) — the timers of the phase count from here;</li>
 *   <li>{@code waitMs}: the wait of the (first) answer, reported or measured;</li>
 *   <li>{@code durationMs}: answer to end (talk plus hold), reported or measured.</li>
 * </ul>
 *
 * @param lastEventType the type of the transition at {@code lastEventMs} (system ones too), or
 *                      {@code null} when not known (a call restored from a snapshot of an older format)
 * @param version transitions applied so far; increases by one with each (system ones too)
 */
public record Call(
    String id,
    CallType type,
    String queueId,
    String agentId,
    Phase phase,
    long startMs,
    long waitStartMs,
    long phaseSinceMs,
    long answerMs,
    long endMs,
    long waitMs,
    long durationMs,
    long holdMs,
    String endReason,
    int flagBits,
    List<String> missedAgents,
    long lastEventMs,
    EventType lastEventType,
    int version) {

    /** No such time (yet). */
    public static final long NONE = -1;

    public Call {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(queueId, "queueId");
        Objects.requireNonNull(phase, "phase");
        missedAgents = List.copyOf(missedAgents);
    }

    /** A call that just entered {@code queueId} at {@code atMs}. */
    public static Call initiated(String id, CallType type, String queueId, long atMs) {
        return new Call(id, type, queueId, null, Phase.QUEUED, atMs, atMs, atMs, NONE, NONE, NONE, NONE, 0, null,
            0, List.of(), atMs, EventType.CALL_INITIATED, 1);
    }

    public CallStatus status() {
        return phase.status();
    }

    public boolean has(CallFlag flag) {
        return (flagBits & flag.bit()) != 0;
    }

    public Set<CallFlag> flags() {
        return CallFlag.fromBits(flagBits);
    }

    public boolean isLive() {
        return phase != Phase.ENDED;
    }

    public boolean wasAnswered() {
        return answerMs != NONE;
    }

    public Instant startTime() {
        return instant(startMs);
    }

    /** @return the answer instant, or {@code null} */
    public Instant answerTime() {
        return instant(answerMs);
    }

    /** @return the end instant, or {@code null} */
    public Instant endTime() {
        return instant(endMs);
    }

    /** How long the call has waited (so far, or until answered / ended) at {@code nowMs}. */
    public long waitedMs(long nowMs) {
        if (waitMs != NONE) {
            return waitMs;
        }
        long until = endMs != NONE ? endMs : nowMs;
        return Math.max(0, until - waitStartMs);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The next version of this call for the common transitions (routed, answered, hold, resumed):
     * in {@code next} since {@code atMs}, its last event ({@code event}) at {@code atMs}, with the
     * given agent, answer time, wait and hold. Built directly: no {@link Builder} on the hot path.
     */
    Call next(EventType event, Phase next, long atMs, String agent, long answeredMs, long waitedMs, long heldMs) {
        return new Call(id, type, queueId, agent, next, startMs, waitStartMs, atMs, answeredMs, endMs, waitedMs,
            durationMs, heldMs, endReason, flagBits, missedAgents, atMs, event, version + 1);
    }

    private static Instant instant(long ms) {
        return ms == NONE ? null : Instant.ofEpochMilli(ms);
    }

    /** Copy-and-change for transitions; only the engine's rules and state machine use it. */
    public static final class Builder {
        private final Call from;
        private String queueId;
        private String agentId;
        private Phase phase;
        private long waitStartMs;
        private long phaseSinceMs;
        private long answerMs;
        private long endMs;
        private long waitMs;
        private long durationMs;
        private long holdMs;
        private String endReason;
        private int flagBits;
        private List<String> missedAgents;
        private long lastEventMs;
        private EventType lastEventType;

        private Builder(Call c) {
            from = c;
            queueId = c.queueId;
            agentId = c.agentId;
            phase = c.phase;
            waitStartMs = c.waitStartMs;
            phaseSinceMs = c.phaseSinceMs;
            answerMs = c.answerMs;
            endMs = c.endMs;
            waitMs = c.waitMs;
            durationMs = c.durationMs;
            holdMs = c.holdMs;
            endReason = c.endReason;
            flagBits = c.flagBits;
            missedAgents = c.missedAgents;
            lastEventMs = c.lastEventMs;
            lastEventType = c.lastEventType;
        }

        public Builder queueId(String v) { queueId = v; return this; }
        public Builder agentId(String v) { agentId = v; return this; }
        public Builder waitStartMs(long v) { waitStartMs = v; return this; }
        public Builder answerMs(long v) { answerMs = v; return this; }
        public Builder endMs(long v) { endMs = v; return this; }
        public Builder waitMs(long v) { waitMs = v; return this; }
        public Builder durationMs(long v) { durationMs = v; return this; }
        public Builder holdMs(long v) { holdMs = v; return this; }
        public Builder endReason(String v) { endReason = v; return this; }
        public Builder lastEventMs(long v) { lastEventMs = v; return this; }
        /** The transition that happens at {@code atMs}: the call's last event and its time. */
        public Builder lastEvent(EventType t, long atMs) { lastEventType = t; lastEventMs = atMs; return this; }

        /** Enters {@code p} at {@code atMs}. */
        public Builder phase(Phase p, long atMs) {
            phase = p;
            phaseSinceMs = atMs;
            return this;
        }

        public Builder flag(CallFlag f) {
            flagBits |= f.bit();
            return this;
        }

        public Builder missed(String agent) {
            if (agent != null && !missedAgents.contains(agent)) {
                String[] grown = missedAgents.toArray(new String[missedAgents.size() + 1]);
                grown[grown.length - 1] = agent;
                missedAgents = List.of(grown);
            }
            return this;
        }

        public Phase phase() { return phase; }
        public String agentId() { return agentId; }
        public long phaseSinceMs() { return phaseSinceMs; }

        public Call build() {
            return new Call(from.id, from.type, queueId, agentId, phase, from.startMs, waitStartMs, phaseSinceMs,
                answerMs, endMs, waitMs, durationMs, holdMs, endReason, flagBits, missedAgents, lastEventMs,
                lastEventType, from.version + 1);
        }

        /** Like {@link #build()} but without counting a transition (flags set by rules). */
        public Call buildSameVersion() {
            return new Call(from.id, from.type, queueId, agentId, phase, from.startMs, waitStartMs, phaseSinceMs,
                answerMs, endMs, waitMs, durationMs, holdMs, endReason, flagBits, missedAgents, lastEventMs,
                lastEventType, from.version);
        }
    }
}
