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

    /** A service level beside its target: "82% / 80%" ("–" for what is not known yet). */
    public static String againstTarget(Double share, Double target) {
        return target == null ? percent(share) : percent(share) + " / " + percent(target);
    }

    /** An agent's presence as a supervisor says it: "Available", "Not ready · lunch", "Wrap-up", "Logged out". */
    public static String presence(String presence, String reason) {
        return switch (presence == null ? "" : presence) {
            case "not_ready" -> reason == null || reason.isBlank() || reason.equals("not_ready")
                ? "Not ready" : "Not ready · " + reason.replace('_', ' ');
            case "wrap_up" -> "Wrap-up";
            default -> words(presence);
        };
    }

    /** Not-ready time by reason, longest first: "lunch 30:00 · training 10:00" (empty with none). */
    public static String reasons(java.util.Map<String, Double> secondsByReason) {
        return secondsByReason.entrySet().stream()
            .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(java.util.Map.Entry.comparingByKey()))
            .map(e -> e.getKey().replace('_', ' ') + " " + seconds(e.getValue()))
            .collect(java.util.stream.Collectors.joining(" · "));
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

    /**
     * How an alert was closed: "acknowledged by maria.lopez at 10:03:12 — “called back”" (without
     * the who from a server that does not say), "resolved at 10:03:12: call answered", or both in the order they happened.
     */
    public static String closed(dev.switchboard.console.wire.Alert a) {
        if (a.isOpen()) {
            return "open";
        }
        String resolved = a.resolvedAt() == null ? null
            : "resolved at " + time(a.resolvedAt()) + (a.resolution() == null ? "" : ": call " + a.resolution());
        if (a.ackedAt() == null) {
            return resolved;
        }
        String acked = "acknowledged" + (a.ackedBy() == null ? "" : " by " + a.ackedBy()) + " at " + time(a.ackedAt())
            + (a.note() == null || a.note().isBlank() ? "" : " — “" + a.note() + "”");
        if (resolved == null) {
            return acked;
        }
        return a.resolvedAt().isBefore(a.ackedAt()) ? resolved + "; " + acked : acked + "; " + resolved;   // as it happened
    }

    /** "4 h", "4 h 12 min", "35 min", "50 s": a span as coarse as reads well. */
    public static String span(Duration d) {
        long s = Math.max(0, Math.round(d.toMillis() / 1000.0));
        if (s >= 3600) {
            long m = (s % 3600) / 60;
            return s / 3600 + " h" + (m > 0 ? " " + m + " min" : "");
        }
        return s >= 60 ? s / 60 + " min" : s + " s";
    }

    /**
     * A sentence for a history entry that reads better as one than as its metadata, or
     * {@code null}: an acknowledgement ("Alert sla_breach acknowledged by key:…") and the system's
     * end of a call that had no event for too long (how long: from {@code previous}, the entry before
     * it in the call's history, to it).
     */
    public static String entry(dev.switchboard.console.wire.CallEvent e, dev.switchboard.console.wire.CallEvent previous) {
        var m = e.metadata();
        if ("alert_acked".equals(e.type())) {
            return "Alert " + m.path("kind").asText("alert") + " acknowledged by " + m.path("by").asText("a supervisor");
        }
        if ("call_ended".equals(e.type()) && e.isSystem() && "expired".equals(m.path("end_reason").asText())) {
            return previous == null || previous.timestamp() == null || e.timestamp() == null
                ? "Ended by the system: no event for too long"
                : "Ended by the system: no event for " + span(Duration.between(previous.timestamp(), e.timestamp()));
        }
        return null;
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
