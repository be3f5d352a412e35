package dev.switchboard.core;

import dev.switchboard.core.rules.Thresholds;

import java.util.List;
import java.util.Objects;

/**
 * A queue as configured.
 *
 * @param agentIds   the agents who take this queue's calls (routing candidates)
 * @param thresholds this queue's thresholds, or {@code null} for the engine's defaults
 */
public record QueueConfig(String id, String name, List<String> agentIds, Thresholds thresholds) {

    public QueueConfig {
        Objects.requireNonNull(id, "id");
        name = name == null ? id : name;
        agentIds = List.copyOf(agentIds);
    }

    public QueueConfig(String id, List<String> agentIds) {
        this(id, id, agentIds, null);
    }
}
