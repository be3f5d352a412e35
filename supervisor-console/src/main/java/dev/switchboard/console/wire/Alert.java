package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An alert ({@code GET /api/alerts}, the {@code alert} and {@code alert_acked} pushes).
 *
 * @param seq     the audit-log seq of the {@code alert_raised} entry that carries it
 * @param kind    {@code sla_breach}, {@code long_wait}, {@code ring_no_answer}, {@code hold_exceeded}
 *                or {@code short_call}
 * @param ackedAt when a supervisor acknowledged it, {@code null} while open
 */
public record Alert(long seq, String id, String kind, String callId, String queueId, String agentId, Instant at,
                    String message, Instant ackedAt) {

    public static Alert fromJson(JsonNode n) {
        return new Alert(Json.whole(n, "seq"), Json.text(n, "id"), Json.text(n, "kind"), Json.text(n, "call_id"),
            Json.text(n, "queue_id"), Json.text(n, "agent_id"), Json.instant(n, "at"), Json.text(n, "message"),
            Json.instant(n, "acked_at"));
    }

    public boolean isOpen() {
        return ackedAt == null;
    }
}
