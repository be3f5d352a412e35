package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A queue with its configuration and live metrics ({@code GET /api/queues}, {@code metrics.queues}).
 *
 * @param slaMaxWait           seconds a caller may wait before an {@code sla_breach}
 * @param longestWait          seconds the longest waiting caller has waited
 * @param serviceLevel         share (0..1) answered within the SLA, {@code null} before any answer
 * @param averageSpeedOfAnswer seconds, {@code null} before any answer
 */
public record QueueStats(String id, String name, List<String> agents, Double slaMaxWait, long waitingNow,
                         double longestWait, long offered, long answered, Double serviceLevel,
                         Double averageSpeedOfAnswer, long abandoned) {

    public static QueueStats fromJson(JsonNode n) {
        JsonNode m = n.path("metrics");
        String name = Json.text(n, "name");
        return new QueueStats(Json.text(n, "id"), name == null ? Json.text(n, "id") : name, Json.strings(n, "agents"),
            Json.seconds(n.path("thresholds"), "sla_max_wait"), Json.whole(m, "waiting_now"),
            m.path("longest_wait").asDouble(0), Json.whole(m, "offered"), Json.whole(m, "answered"),
            Json.seconds(m, "service_level"), Json.seconds(m, "average_speed_of_answer"), Json.whole(m, "abandoned"));
    }
}
