package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The {@code metrics {queues, agents, center}} push (at most once a second).
 *
 * @param center the whole center's figures, {@code null} from a server that does not send them
 */
public record Metrics(List<QueueStats> queues, List<AgentStats> agents, TodayFigures center) {

    public static Metrics fromJson(JsonNode n) {
        JsonNode center = n.get("center");
        return new Metrics(Json.list(n.get("queues"), QueueStats::fromJson), Json.list(n.get("agents"), AgentStats::fromJson),
            center != null && center.isObject() ? TodayFigures.fromJson(center) : null);
    }
}
