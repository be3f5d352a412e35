package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;

/**
 * The server's traffic generator ({@code GET/POST/DELETE /api/traffic}): whether it runs, at what
 * rate until when, who started it, how its last run ended, and what it has played so far.
 *
 * @param callsPerMinute {@code null} before the first run
 * @param duration       the run's length as asked ({@code PT10M}), {@code null} before the first run
 * @param startedBy      a supervisor's username or a key's fingerprint
 * @param stopReason     {@code duration}, {@code stopped}, {@code shutdown}, {@code leadership_lost}
 *                       (a cluster node that stopped leading), {@code null} while running or never run
 * @param eventsRefused  events the rules refused (a supervisor or a timer moved the call first) or not stored
 * @param liveCalls      the generator's calls in progress
 */
public record Traffic(boolean running, Integer callsPerMinute, Duration duration, Instant startedAt, Instant endsAt,
                      String startedBy, Instant stoppedAt, String stopReason, long callsStarted, long eventsPosted,
                      long eventsRefused, long liveCalls) {

    /** Before the console has asked. */
    public static final Traffic UNKNOWN = new Traffic(false, null, null, null, null, null, null, null, 0, 0, 0, 0);

    public static Traffic fromJson(JsonNode n) {
        JsonNode cpm = n.get("calls_per_minute");
        String duration = Json.text(n, "duration");
        return new Traffic(n.path("running").asBoolean(), cpm == null || cpm.isNull() ? null : cpm.asInt(),
            duration == null ? null : Duration.parse(duration), Json.instant(n, "started_at"), Json.instant(n, "ends_at"),
            Json.text(n, "started_by"), Json.instant(n, "stopped_at"), Json.text(n, "stop_reason"),
            Json.whole(n, "calls_started"), Json.whole(n, "events_posted"), Json.whole(n, "events_refused"),
            Json.whole(n, "live_calls"));
    }

    /** Whether it has ever run since the server started. */
    public boolean everRan() {
        return startedAt != null;
    }
}
