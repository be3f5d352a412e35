package dev.switchboard.core.call;

import java.util.Optional;

/** The eight call events, by their wire names. */
public enum EventType {
    CALL_INITIATED("call_initiated"),
    CALL_ROUTED("call_routed"),
    CALL_RETRANSFER("call_retransfer"),
    CALL_ANSWERED("call_answered"),
    CALL_HOLD("call_hold"),
    CALL_RESUMED("call_resumed"),
    CALL_TRANSFERRED("call_transferred"),
    CALL_ENDED("call_ended");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWire(String name) {
        for (EventType t : values()) {
            if (t.wireName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
