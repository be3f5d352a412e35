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
    SURVEY_REQUESTED("survey_requested");

    private final String wireName;

    CallFlag(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
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
