package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The reply to {@code POST /api/alerts/ack}: the alerts acknowledged now (those acknowledged
 * already are left out), and for a queue, kind or {@code all} selection how many are still open.
 *
 * @param remaining {@code null} for an {@code ids} selection (the server does not count then)
 */
public record AlertsAcked(int acknowledged, List<Alert> alerts, Integer remaining) {

    public static AlertsAcked fromJson(JsonNode n) {
        JsonNode remaining = n.get("remaining");
        return new AlertsAcked(n.path("acknowledged").asInt(), Json.list(n.get("alerts"), Alert::fromJson),
            remaining == null || remaining.isNull() ? null : remaining.asInt());
    }
}
