package dev.switchboard.core.rules;

import dev.switchboard.core.call.CallFlag;

import java.util.Optional;

/** What a supervisor is alerted about. Each kind is raised at most once per call. */
public enum AlertKind {
    /** Still waiting, unanswered, at the SLA. */
    SLA_BREACH("sla_breach", CallFlag.SLA_BREACH),
    /** Answered after waiting longer than the SLA. */
    LONG_WAIT("long_wait", CallFlag.LONG_WAIT),
    /** The agent did not answer in time; the call was re-routed. */
    RING_NO_ANSWER("ring_no_answer", CallFlag.RING_NO_ANSWER),
    /** On hold past the maximum. */
    HOLD_EXCEEDED("hold_exceeded", CallFlag.HOLD_EXCEEDED),
    /** Ended under the review threshold. */
    SHORT_CALL("short_call", CallFlag.SHORT_CALL);

    private final String wireName;
    private final CallFlag flag;

    AlertKind(String wireName, CallFlag flag) {
        this.wireName = wireName;
        this.flag = flag;
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
