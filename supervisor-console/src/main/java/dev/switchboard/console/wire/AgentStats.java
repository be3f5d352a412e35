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
 * @param consecutiveMisses rings missed in a row since last made available
 */
public record AgentStats(String id, List<String> queues, String state, Instant stateSince, String currentCallId,
                         long offered, long answered, long missed, long handled, double talkTime, double holdTime,
                         Double averageHandleTime, long consecutiveMisses) {

    public static AgentStats fromJson(JsonNode n) {
        return new AgentStats(Json.text(n, "id"), Json.strings(n, "queues"), Json.text(n, "state"),
            Json.instant(n, "state_since"), Json.text(n, "current_call_id"), Json.whole(n, "offered"),
            Json.whole(n, "answered"), Json.whole(n, "missed"), Json.whole(n, "handled"),
            n.path("talk_time").asDouble(0), n.path("hold_time").asDouble(0), Json.seconds(n, "average_handle_time"),
            Json.whole(n, "consecutive_misses"));
    }

    /**
     * The agent once a supervisor set it available at {@code at}, as the server shows it: a break
     * ends (available, or ringing if a call was ringing it meanwhile), a call in progress goes on;
     * either way the misses in a row start again from zero. The since-time moves only with the state.
     */
    public AgentStats madeAvailable(Instant at) {
        String next = "on_break".equals(state) ? (currentCallId != null ? "ringing" : "available") : state;
        return new AgentStats(id, queues, next, next.equals(state) ? stateSince : at, currentCallId, offered, answered,
            missed, handled, talkTime, holdTime, averageHandleTime, 0);
    }
}
