package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * An agent with live metrics ({@code GET /api/agents}, {@code metrics.agents}).
 *
 * @param state             {@code available}, {@code ringing}, {@code on_call}, {@code on_hold} or
 *                          {@code on_break}
 * @param talkTime          seconds talked in total
 * @param averageHandleTime seconds, {@code null} before the first handled call
 */
public record AgentStats(String id, List<String> queues, String state, Instant stateSince, String currentCallId,
                         long offered, long answered, long missed, long handled, double talkTime, double holdTime,
                         Double averageHandleTime) {

    public static AgentStats fromJson(JsonNode n) {
        return new AgentStats(Json.text(n, "id"), Json.strings(n, "queues"), Json.text(n, "state"),
            Json.instant(n, "state_since"), Json.text(n, "current_call_id"), Json.whole(n, "offered"),
            Json.whole(n, "answered"), Json.whole(n, "missed"), Json.whole(n, "handled"),
            n.path("talk_time").asDouble(0), n.path("hold_time").asDouble(0), Json.seconds(n, "average_handle_time"));
    }
}
