package dev.switchboard.server.observe;

/**
 * The one escaping function for values a request chose (paths, call and event ids, origins,
 * user agents ...) before they go into a log line: a caller must not be able to write a line of
 * its own choosing (log forging, CWE-117), a NUL, or text that displays differently from what it
 * is.
 *
 * <p>{@code \n}, {@code \r}, {@code \t} and {@code \\} become those two-character escapes; every
 * other control character (C0, DEL, C1), format character (bidirectional overrides, zero-width
 * characters), line or paragraph separator and unpaired surrogate becomes {@code \}{@code uXXXX}.
 * Everything else, including printable non-ASCII text, is kept as it is, so the line stays
 * readable. The backslash is escaped too so that an escape in the log always means an escaped
 * character, never text the caller typed.
 */
public final class LogText {

    private LogText() {
    }

    /** {@code value} safe for one log line; {@code "null"} for {@code null}. */
    public static String escape(CharSequence value) {
        if (value == null) {
            return "null";
        }
        int n = value.length();
        int i = 0;
        while (i < n && plain(value, i)) {
            i += Character.isHighSurrogate(value.charAt(i)) ? 2 : 1;
        }
        if (i >= n) {
            return value.toString();   // the common case: nothing to escape, no copy
        }
        StringBuilder out = new StringBuilder(n + 16).append(value, 0, i);
        while (i < n) {
            char c = value.charAt(i);
            if (plain(value, i)) {
                int len = Character.isHighSurrogate(c) ? 2 : 1;   // a valid pair is kept whole
                out.append(value, i, i + len);
                i += len;
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
            i++;
        }
        return out.toString();
    }

    /** Whether the char at {@code i} may be logged as it is (a high surrogate only with its low half). */
    private static boolean plain(CharSequence s, int i) {
        char c = s.charAt(i);
        if (c == '\\') {
            return false;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return false;   // a low half reached here has no high half before it
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.UNASSIGNED, Character.PRIVATE_USE -> false;
            default -> true;
        };
    }
}
