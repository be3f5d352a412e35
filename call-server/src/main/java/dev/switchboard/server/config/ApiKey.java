package dev.switchboard.server.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;

/**
 * A configured API key and its role. The key itself is never logged: {@link #toString()} shows a
 * fingerprint only.
 */
public record ApiKey(String key, Role role) {

    /** What a key may do. */
    public enum Role {
        /** Post events. */
        INGEST,
        /** Read, subscribe, acknowledge alerts. */
        SUPERVISOR,
        /** Both. */
        ADMIN;

        public boolean canIngest() {
            return this == INGEST || this == ADMIN;
        }

        public boolean canSupervise() {
            return this == SUPERVISOR || this == ADMIN;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Role parse(String s) {
            for (Role r : values()) {
                if (r.wireName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown role '" + s + "' (use ingest, supervisor or admin)");
        }
    }

    /** Shortest key accepted: shorter keys are guessable. */
    public static final int MIN_KEY_LENGTH = 16;

    public ApiKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(role, "role");
    }

    /** Compares in constant time (no early exit on the first differing byte). */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * How logs and the audit log name this key: {@code key:} and the first 8 hex digits of its
     * SHA-256. Says which key acted without letting anyone use it.
     */
    public String fingerprint() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "key:" + java.util.HexFormat.of().formatHex(d, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKey[role=" + role.wireName() + ", key=****]";
    }
}
