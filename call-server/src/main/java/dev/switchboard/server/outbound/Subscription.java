package dev.switchboard.server.outbound;

import java.util.Set;

/**
 * Where outbound effects go: a webhook URL (or another sink's target), the secret its deliveries
 * are signed with, and the history entry types it wants (empty: all outbound types).
 */
public record Subscription(String id, String url, String secret, Set<String> eventTypes) {

    public Subscription {
        eventTypes = Set.copyOf(eventTypes);
    }

    public boolean wants(String type) {
        return eventTypes.isEmpty() || eventTypes.contains(type);
    }
}
