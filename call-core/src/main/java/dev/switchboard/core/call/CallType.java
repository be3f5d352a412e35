package dev.switchboard.core.call;

import java.util.Optional;

/** The media of a call. */
public enum CallType {
    VOICE("voice"),
    VIDEO("video");

    private final String wireName;

    CallType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<CallType> fromWire(String name) {
        for (CallType t : values()) {
            if (t.wireName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
