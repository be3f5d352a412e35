package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** The {@code metrics {queues, agents}} push (at most once a second). */
public record Metrics(List<QueueStats> queues, List<AgentStats> agents) {

    public static Metrics fromJson(JsonNode n) {
        return new Metrics(Json.list(n.get("queues"), QueueStats::fromJson), Json.list(n.get("agents"), AgentStats::fromJson));
    }
}
