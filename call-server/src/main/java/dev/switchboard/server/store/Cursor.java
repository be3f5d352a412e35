package dev.switchboard.server.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A position in the newest-first list of calls: the (start time, id) of the last call of a page.
 * Stable under inserts: new calls sort before it, so pages never repeat or skip a call.
 */
public record Cursor(long startMs, String id) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
            .encodeToString((startMs + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException if {@code s} is not a cursor this server made */
    public static Cursor decode(String s) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            if (bar <= 0) {
                throw new IllegalArgumentException("malformed cursor");
            }
            return new Cursor(Long.parseLong(raw.substring(0, bar)), raw.substring(bar + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed cursor", e);
        }
    }
}
