package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One entry of a call's history, the audit log ({@code GET /api/calls/{id}/events},
 * {@code call_event.event}). {@code metadata.source} is {@code external} for what a platform posted
 * and {@code system} for what the service decided (re-routes, alerts, review flags, surveys).
 *
 * @param seq the entry's position in the global audit log (monotonic)
 */
public record CallEvent(String id, String callId, String type, Instant timestamp, JsonNode metadata, long seq) {

    public static CallEvent fromJson(JsonNode n) {
        JsonNode metadata = n.get("metadata");
        return new CallEvent(Json.text(n, "id"), Json.text(n, "call_id"), Json.text(n, "type"),
            Json.instant(n, "timestamp"), metadata == null ? Json.object() : metadata, Json.whole(n, "seq"));
    }

    public boolean isSystem() {
        return "system".equals(metadata.path("source").asText());
    }

    /** A supervisor's action (an acknowledgement, an agent set available), naming the key in {@code by}. */
    public boolean isSupervisor() {
        return "supervisor".equals(metadata.path("source").asText());
    }

    /** The metadata a person wants to read, as {@code key value} pairs without the source marker. */
    public String details() {
        return details(java.util.function.UnaryOperator.identity());
    }

    /**
     * {@link #details()} with a queue's id ({@code queue_id}, a transfer's {@code queue}) read as
     * {@code queueName} says ("queue Medical Spanish").
     */
    public String details(java.util.function.UnaryOperator<String> queueName) {
        StringBuilder out = new StringBuilder();
        metadata.fields().forEachRemaining(f -> {
            if (f.getKey().equals("source") || f.getValue().isNull()) {
                return;
            }
            if (!out.isEmpty()) {
                out.append(" · ");
            }
            boolean queue = f.getKey().equals("queue_id") || f.getKey().equals("queue");
            String value = f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString();
            out.append(queue ? "queue" : f.getKey().replace('_', ' ')).append(' ')
                .append(queue && f.getValue().isTextual() ? queueName.apply(value) : value);
        });
        return out.toString();
    }
}
