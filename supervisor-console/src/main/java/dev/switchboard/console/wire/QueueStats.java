package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A queue with its configuration and today's figures ({@code GET /api/queues}, {@code metrics.queues}).
 *
 * @param slaMaxWait seconds a caller may wait before an {@code sla_breach}
 * @param today      the queue's {@code metrics}; its {@code sl_target} falls back to the thresholds'
 */
public record QueueStats(String id, String name, List<String> agents, Double slaMaxWait, TodayFigures today) {

    public static QueueStats fromJson(JsonNode n) {
        String name = Json.text(n, "name");
        JsonNode thresholds = n.path("thresholds");
        TodayFigures today = TodayFigures.fromJson(n.path("metrics")).withTargetIfMissing(Json.seconds(thresholds, "sl_target"));
        return new QueueStats(Json.text(n, "id"), name == null ? Json.text(n, "id") : name, Json.strings(n, "agents"),
            Json.seconds(thresholds, "sla_max_wait"), today);
    }

    public long waitingNow() {
        return today.waitingNow();
    }
}
