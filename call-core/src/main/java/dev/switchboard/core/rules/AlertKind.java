package dev.switchboard.core.rules;

import dev.switchboard.core.call.CallFlag;

import java.util.Optional;

/**
 * What a supervisor is alerted about. Each kind is raised at most once per call.
 *
 * <p><b>Resolving by itself.</b> An alert about a situation that is still going on (a caller
 * waiting past the SLA, a caller on hold past the maximum) no longer applies once the call moves
 * on, and the engine resolves it ({@link Effect.AlertResolved}): {@code sla_breach} when the call
 * stops waiting (answered or ended), {@code hold_exceeded} when it leaves hold (resumed,
 * transferred or ended). The others report something that happened and cannot be undone, for a
 * supervisor to review: {@code long_wait} (the caller did wait), {@code ring_no_answer} (the agent
 * did miss the call), {@code short_call} (the call was short); they stay until acknowledged.
 */
public enum AlertKind {
    /** Still waiting, unanswered, at the SLA. */
    SLA_BREACH("sla_breach", CallFlag.SLA_BREACH, CallFlag.SLA_BREACH_RESOLVED),
    /** Answered after waiting longer than the SLA. */
    LONG_WAIT("long_wait", CallFlag.LONG_WAIT, null),
    /** The agent did not answer in time; the call was re-routed. */
    RING_NO_ANSWER("ring_no_answer", CallFlag.RING_NO_ANSWER, null),
    /** On hold past the maximum. */
    HOLD_EXCEEDED("hold_exceeded", CallFlag.HOLD_EXCEEDED, CallFlag.HOLD_EXCEEDED_RESOLVED),
    /** Ended under the review threshold. */
    SHORT_CALL("short_call", CallFlag.SHORT_CALL, null);

    private final String wireName;
    private final CallFlag flag;
    private final CallFlag resolvedFlag;

    AlertKind(String wireName, CallFlag flag, CallFlag resolvedFlag) {
        this.wireName = wireName;
        this.flag = flag;
        this.resolvedFlag = resolvedFlag;
    }

    /** Whether an alert of this kind resolves itself once its call moves on (see the class comment). */
    public boolean resolvesItself() {
        return resolvedFlag != null;
    }

    /**
     * The internal flag that records the call's alert of this kind resolved itself, or
     * {@code null} for the kinds that stay until acknowledged.
     */
    public CallFlag resolvedFlag() {
        return resolvedFlag;
    }

    /**
     * Whether the situation this alert reports is still going on for {@code call} (always true for
     * the kinds that do not resolve themselves).
     */
    public boolean stillApplies(dev.switchboard.core.call.Call call) {
        return switch (this) {
            case SLA_BREACH -> call.phase().isWaiting();
            case HOLD_EXCEEDED -> call.phase() == dev.switchboard.core.call.Phase.ON_HOLD;
            case LONG_WAIT, RING_NO_ANSWER, SHORT_CALL -> true;
        };
    }

    /** The kind whose {@link #resolvedFlag()} is {@code flag}, if any. */
    public static Optional<AlertKind> resolvedBy(CallFlag flag) {
        for (AlertKind k : values()) {
            if (k.resolvedFlag == flag) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    public String wireName() {
        return wireName;
    }

    /** The call flag that records this alert was raised. */
    public CallFlag flag() {
        return flag;
    }

    public static Optional<AlertKind> fromWire(String name) {
        for (AlertKind k : values()) {
            if (k.wireName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
