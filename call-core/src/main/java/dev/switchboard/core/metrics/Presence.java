package dev.switchboard.core.metrics;

/**
 * Whether an agent takes calls, as the agent (their desktop, the telephony) or a supervisor says,
 * apart from what the calls make of them ({@link AgentState}).
 */
public enum Presence {
    /** Not signed in. */
    LOGGED_OUT("logged_out"),
    /** Signed in and ready for calls. */
    AVAILABLE("available"),
    /** Signed in, not taking calls, for a reason (lunch, training; {@code missed_calls} after the auto-break). */
    NOT_READY("not_ready"),
    /** After a call, for the queue's wrap-up time; then available by itself. */
    WRAP_UP("wrap_up");

    /** The reason of the auto-break: too many missed rings in a row. */
    public static final String MISSED_CALLS = "missed_calls";

    private final String wireName;

    Presence(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException for a name that is not a presence */
    public static Presence fromWire(String name) {
        for (Presence p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown presence: " + name);
    }
}
