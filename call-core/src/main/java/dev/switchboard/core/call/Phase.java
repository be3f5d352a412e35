package dev.switchboard.core.call;

/**
 * Where a call is in its life, finer than its {@link CallStatus}: a waiting call is either queued
 * or ringing an agent.
 */
public enum Phase {
    QUEUED(CallStatus.WAITING, "queued"),
    RINGING(CallStatus.WAITING, "ringing"),
    ACTIVE(CallStatus.ACTIVE, "active"),
    ON_HOLD(CallStatus.ON_HOLD, "on_hold"),
    ENDED(CallStatus.ENDED, "ended");

    private final CallStatus status;
    private final String wireName;

    Phase(CallStatus status, String wireName) {
        this.status = status;
        this.wireName = wireName;
    }

    public CallStatus status() {
        return status;
    }

    public String wireName() {
        return wireName;
    }

    /** How a rejection names the state: "waiting (ringing)", "on_hold". */
    public String describe() {
        return status.wireName().equals(wireName) ? wireName : status.wireName() + " (" + wireName + ")";
    }

    public boolean isWaiting() {
        return status == CallStatus.WAITING;
    }

    public static Phase fromWire(String name) {
        for (Phase p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown phase: " + name);
    }
}
