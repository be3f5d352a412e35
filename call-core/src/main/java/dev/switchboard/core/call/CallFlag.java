package dev.switchboard.core.call;

import java.util.EnumSet;
import java.util.Set;

/**
 * Marks on a call. The alert kinds double as flags: a set flag is how the engine knows an alert of
 * that kind was already raised for the call (each alert at most once per call and kind).
 */
public enum CallFlag {
    SLA_BREACH("sla_breach"),
    LONG_WAIT("long_wait"),
    RING_NO_ANSWER("ring_no_answer"),
    HOLD_EXCEEDED("hold_exceeded"),
    SHORT_CALL("short_call"),
    /** Flagged for a supervisor's review (a short call). */
    REVIEW("review"),
    /** Ended while still waiting. */
    ABANDONED("abandoned"),
    SURVEY_REQUESTED("survey_requested"),
    /**
     * The call's {@code sla_breach} alert resolved itself (the call was answered or ended). An
     * internal mark, not on the wire: it keeps the resolution once per call, as the alert is.
     */
    SLA_BREACH_RESOLVED("sla_breach_resolved", false),
    /** The call's {@code hold_exceeded} alert resolved itself (resumed, transferred or ended); internal. */
    HOLD_EXCEEDED_RESOLVED("hold_exceeded_resolved", false);

    private final String wireName;
    private final boolean onWire;

    CallFlag(String wireName) {
        this(wireName, true);
    }

    CallFlag(String wireName, boolean onWire) {
        this.wireName = wireName;
        this.onWire = onWire;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether clients see the flag (in a call's {@code flags}, as a filter); internal marks are not. */
    public boolean onWire() {
        return onWire;
    }

    public int bit() {
        return 1 << ordinal();
    }

    public static Set<CallFlag> fromBits(int bits) {
        EnumSet<CallFlag> flags = EnumSet.noneOf(CallFlag.class);
        for (CallFlag f : values()) {
            if ((bits & f.bit()) != 0) {
                flags.add(f);
            }
        }
        return flags;
    }

    public static CallFlag fromWire(String name) {
        for (CallFlag f : values()) {
            if (f.wireName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown flag: " + name);
    }
}
