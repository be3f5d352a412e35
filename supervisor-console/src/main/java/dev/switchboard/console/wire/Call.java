package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A call as the server sends it ({@code GET /api/calls}, {@code call_event.call}): the Call entity
 * of the wire contract plus the live-client extensions {@code phase}, {@code hold_time},
 * {@code wait_start_time} and {@code last_event_time}.
 *
 * @param status   {@code waiting}, {@code active}, {@code on_hold} or {@code ended}
 * @param phase    finer than status: a waiting call is {@code queued} or {@code ringing}
 * @param waitTime seconds waited before the answer (or until the end), {@code null} while waiting
 * @param duration seconds from answer to end, {@code null} until ended
 */
public record Call(String id, String type, String status, String phase, String queueId, String agentId,
                   Instant startTime, Instant answerTime, Instant endTime, Double waitTime, Double duration,
                   Double holdTime, String endReason, List<String> flags, Instant waitStartTime,
                   Instant lastEventTime) {

    public static final String WAITING = "waiting";
    public static final String ACTIVE = "active";
    public static final String ON_HOLD = "on_hold";
    public static final String ENDED = "ended";

    public static Call fromJson(JsonNode n) {
        String status = Json.text(n, "status");
        String phase = Json.text(n, "phase");
        return new Call(Json.text(n, "id"), Json.text(n, "type"), status, phase == null ? status : phase,
            Json.text(n, "queue_id"), Json.text(n, "agent_id"), Json.instant(n, "start_time"),
            Json.instant(n, "answer_time"), Json.instant(n, "end_time"), Json.seconds(n, "wait_time"),
            Json.seconds(n, "duration"), Json.seconds(n, "hold_time"), Json.text(n, "end_reason"),
            Json.strings(n, "flags"), Json.instant(n, "wait_start_time"), Json.instant(n, "last_event_time"));
    }

    public boolean isLive() {
        return !ENDED.equals(status);
    }

    public boolean isWaiting() {
        return WAITING.equals(status);
    }

    public boolean hasFlag(String flag) {
        return flags.contains(flag);
    }

    /**
     * The clock a supervisor watches: how long it has been waiting (since the start or the last
     * transfer), or talking (since the answer); for an ended call, its talk time or its wait if it
     * was never answered.
     */
    public Duration elapsed(Instant now) {
        if (isWaiting()) {
            Instant since = waitStartTime != null ? waitStartTime : startTime;
            return since == null ? Duration.ZERO : positive(Duration.between(since, now));
        }
        if (isLive()) {
            return answerTime == null ? Duration.ZERO : positive(Duration.between(answerTime, now));
        }
        Double seconds = duration != null ? duration : waitTime;
        return seconds == null ? Duration.ZERO : Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
