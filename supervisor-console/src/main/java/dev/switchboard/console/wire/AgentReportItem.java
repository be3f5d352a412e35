package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One agent over the report's span ({@code GET /api/reports/agents}); times in seconds, clipped to
 * the span.
 *
 * @param occupancy (talk + hold + wrap-up) ÷ logged-in time, {@code null} without logged-in time
 */
public record AgentReportItem(String agentId, long offered, long answered, long missed, double talkTime,
                              double holdTime, double wrapUpTime, double loggedInTime, double notReadyTime,
                              Map<String, Double> notReadyByReason, Double occupancy) {

    public AgentReportItem {
        notReadyByReason = Map.copyOf(notReadyByReason);
    }

    public static AgentReportItem fromJson(JsonNode n) {
        Map<String, Double> byReason = new LinkedHashMap<>();
        n.path("not_ready_by_reason").fields().forEachRemaining(f -> byReason.put(f.getKey(), f.getValue().asDouble(0)));
        return new AgentReportItem(Json.text(n, "agent_id"), Json.whole(n, "offered"), Json.whole(n, "answered"),
            Json.whole(n, "missed"), n.path("talk_time").asDouble(0), n.path("hold_time").asDouble(0),
            n.path("wrap_up_time").asDouble(0), n.path("logged_in_time").asDouble(0),
            n.path("not_ready_time").asDouble(0), byReason, Json.seconds(n, "occupancy"));
    }
}
