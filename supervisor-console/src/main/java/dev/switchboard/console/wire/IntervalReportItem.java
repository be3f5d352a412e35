package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One interval of one queue ({@code GET /api/reports/intervals}): each figure counted in the
 * interval where it happened (offered when the call entered the queue, answered at the answer,
 * abandoned and AHT at the end). Intervals with nothing in them are sent too, so a chart has no gaps.
 *
 * @param end          exclusive
 * @param serviceLevel answered within the SLA ÷ (answered + abandoned), {@code null} when both are 0
 * @param abandonRate  abandoned ÷ (answered + abandoned), {@code null} when both are 0
 * @param asa          seconds, average wait of the answered calls, {@code null} with none
 * @param aht          seconds, average talk + hold of the calls that ended, {@code null} with none
 * @param longestWait  seconds, the longest wait of a call answered or abandoned in the interval (0 with none)
 */
public record IntervalReportItem(Instant start, Instant end, String queueId, long offered, long answered,
                                 long answeredWithinSla, long abandoned, long abandonedShort, Double serviceLevel,
                                 Double abandonRate, Double asa, Double aht, double longestWait) {

    public static IntervalReportItem fromJson(JsonNode n) {
        return new IntervalReportItem(Json.instant(n, "start"), Json.instant(n, "end"), Json.text(n, "queue_id"),
            Json.whole(n, "offered"), Json.whole(n, "answered"), Json.whole(n, "answered_within_sla"),
            Json.whole(n, "abandoned"), Json.whole(n, "abandoned_short"), Json.seconds(n, "service_level"),
            Json.seconds(n, "abandon_rate"), Json.seconds(n, "asa"), Json.seconds(n, "aht"),
            n.path("longest_wait").asDouble(0));
    }

    /** Whether anything happened in it (a call offered, answered or ended while waiting). */
    public boolean hasCalls() {
        return offered > 0 || answered > 0 || abandoned > 0 || abandonedShort > 0;
    }
}
