package dev.switchboard.core.call;

import java.util.Optional;

/** The four statuses a call shows on the wire. The finer {@link Phase} stays inside. */
public enum CallStatus {
    WAITING("waiting"),
    ACTIVE("active"),
    ON_HOLD("on_hold"),
    ENDED("ended");

    private final String wireName;

    CallStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<CallStatus> fromWire(String name) {
        for (CallStatus s : values()) {
            if (s.wireName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
