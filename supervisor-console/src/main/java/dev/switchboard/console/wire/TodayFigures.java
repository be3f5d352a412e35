package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;

/**
 * Today's figures of one queue (a queue's {@code metrics}) or of the whole center
 * ({@code GET /api/center}, the {@code metrics} push's {@code center}), counted from local midnight
 * in the center's time zone.
 *
 * @param waitingNow         calls waiting now
 * @param longestWait        seconds the longest waiting caller has waited
 * @param answeredWithinSla  answered calls that waited at most the SLA
 * @param serviceLevel       answered within the SLA ÷ (answered + abandoned), {@code null} when both are 0
 * @param slTarget           the share the service level should reach (the center's: the lowest queue target)
 * @param abandoned          ended while waiting after more than the queue's {@code short_abandon}
 * @param abandonedShort     ended sooner: not counted against the queue
 * @param abandonRate        abandoned ÷ (answered + abandoned), {@code null} when both are 0
 * @param averageHandleTime  seconds of talk and hold per answered call that ended, {@code null} before one
 * @param day                the local date these figures cover, {@code null} from a server that does not say
 */
public record TodayFigures(long waitingNow, double longestWait, long offered, long answered, long answeredWithinSla,
                           Double serviceLevel, Double slTarget, Double averageSpeedOfAnswer, long abandoned,
                           long abandonedShort, Double abandonRate, long handled, Double averageHandleTime,
                           LocalDate day) {

    /** Nothing counted yet (before the first snapshot or push). */
    public static final TodayFigures NONE = new TodayFigures(0, 0, 0, 0, 0, null, null, null, 0, 0, null, 0, null, null);

    /**
     * Reads the figures from {@code n}: a figures object itself, or an object that holds them under
     * {@code metrics} (a queue, or a center reply shaped like one).
     */
    public static TodayFigures fromJson(JsonNode n) {
        JsonNode m = n.path("metrics").isObject() ? n.get("metrics") : n;
        String day = Json.text(m, "day");
        return new TodayFigures(Json.whole(m, "waiting_now"), m.path("longest_wait").asDouble(0),
            Json.whole(m, "offered"), Json.whole(m, "answered"), Json.whole(m, "answered_within_sla"),
            Json.seconds(m, "service_level"), Json.seconds(m, "sl_target"), Json.seconds(m, "average_speed_of_answer"),
            Json.whole(m, "abandoned"), Json.whole(m, "abandoned_short"), Json.seconds(m, "abandon_rate"),
            Json.whole(m, "handled"), Json.seconds(m, "average_handle_time"), day == null ? null : LocalDate.parse(day));
    }

    /** The same figures with {@code target} when they carry none (a queue's target read from its thresholds). */
    TodayFigures withTargetIfMissing(Double target) {
        return slTarget != null || target == null ? this : new TodayFigures(waitingNow, longestWait, offered, answered,
            answeredWithinSla, serviceLevel, target, averageSpeedOfAnswer, abandoned, abandonedShort, abandonRate,
            handled, averageHandleTime, day);
    }

    /** Whether the service level is known and below its target (shown as a warning). */
    public boolean belowTarget() {
        return serviceLevel != null && slTarget != null && serviceLevel < slTarget;
    }
}
