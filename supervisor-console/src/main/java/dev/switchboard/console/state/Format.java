package dev.switchboard.console.state;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How times and names read on screen; one place, so the table, the history and the toasts agree. */
public final class Format {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private Format() {
    }

    /** {@code 0:07}, {@code 12:30}, {@code 1:02:03}. */
    public static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    public static String seconds(Double s) {
        return s == null ? "–" : clock(Duration.ofMillis(Math.round(s * 1000)));
    }

    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    public static String percent(Double share) {
        return share == null ? "–" : Math.round(share * 100) + "%";
    }

    /** A call flag or alert kind as a supervisor says it. */
    public static String flag(String wire) {
        return switch (wire == null ? "" : wire) {
            case "sla_breach" -> "SLA breach";
            case "long_wait" -> "Long wait";
            case "ring_no_answer" -> "No answer";
            case "hold_exceeded" -> "Hold exceeded";
            case "short_call" -> "Short call";
            case "review" -> "Review";
            case "abandoned" -> "Abandoned";
            case "survey_requested" -> "Survey";
            default -> words(wire);
        };
    }

    /** {@code on_hold} → {@code On hold}, {@code call_routed} → {@code Call routed}. */
    public static String words(String wire) {
        if (wire == null || wire.isEmpty()) {
            return "";
        }
        String s = wire.replace('_', ' ');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
