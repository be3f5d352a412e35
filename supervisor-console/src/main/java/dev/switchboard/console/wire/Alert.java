package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An alert ({@code GET /api/alerts}, the {@code alert} and {@code alert_acked} pushes).
 *
 * @param seq     the audit-log seq of the {@code alert_raised} entry that carries it (it stays so
 *                once acknowledged)
 * @param kind    {@code sla_breach}, {@code long_wait}, {@code ring_no_answer}, {@code hold_exceeded}
 *                or {@code short_call}
 * @param ackedAt when a supervisor acknowledged it, {@code null} while open
 * @param ackedBy who acknowledged it: the key's fingerprint ({@code key:1a2b3c4d}); {@code null}
 *                while open, or from a server that does not say
 * @param ackSeq  in an {@code alert_acked} push: the seq of the acknowledgement's own log entry;
 *                0 elsewhere (a REST reply or listing)
 */
public record Alert(long seq, String id, String kind, String callId, String queueId, String agentId, Instant at,
                    String message, Instant ackedAt, String ackedBy, long ackSeq) {

    /** An alert as raised, or acknowledged without saying by whom. */
    public Alert(long seq, String id, String kind, String callId, String queueId, String agentId, Instant at,
                 String message, Instant ackedAt) {
        this(seq, id, kind, callId, queueId, agentId, at, message, ackedAt, null, 0);
    }

    public static Alert fromJson(JsonNode n) {
        return new Alert(Json.whole(n, "seq"), Json.text(n, "id"), Json.text(n, "kind"), Json.text(n, "call_id"),
            Json.text(n, "queue_id"), Json.text(n, "agent_id"), Json.instant(n, "at"), Json.text(n, "message"),
            Json.instant(n, "acked_at"), Json.text(n, "acked_by"), Json.whole(n, "ack_seq"));
    }

    /** This alert acknowledged as {@code ack} says, keeping what {@code ack} does not (an older reply has no who). */
    public Alert ackedAs(Alert ack) {
        return new Alert(seq, id, kind, callId, queueId, agentId, at, message,
            ack.ackedAt() != null ? ack.ackedAt() : ackedAt, ack.ackedBy() != null ? ack.ackedBy() : ackedBy,
            Math.max(ackSeq, ack.ackSeq()));
    }

    public boolean isOpen() {
        return ackedAt == null;
    }
}
