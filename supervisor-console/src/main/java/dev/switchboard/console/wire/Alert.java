package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An alert ({@code GET /api/alerts}, the {@code alert} and {@code alert_acked} pushes).
 *
 * @param seq        the audit-log seq of the {@code alert_raised} entry that carries it (it stays so
 *                   once acknowledged)
 * @param kind       {@code sla_breach}, {@code long_wait}, {@code ring_no_answer}, {@code hold_exceeded}
 *                   or {@code short_call}
 * @param ackedAt    when a supervisor acknowledged it, {@code null} while not acknowledged
 * @param ackedBy    who acknowledged it: a supervisor's username, or a key's fingerprint
 *                   ({@code key:1a2b3c4d}); {@code null} while not acknowledged, or from a server that
 *                   does not say
 * @param ackSeq     in an {@code alert_acked} push: the seq of the acknowledgement's own log entry;
 *                   0 elsewhere (a REST reply or listing)
 * @param note       what the supervisor wrote on acknowledging, {@code null} for none
 * @param resolvedAt when it resolved itself (an {@code sla_breach} whose call stopped waiting, a
 *                   {@code hold_exceeded} whose call left hold), {@code null} while it applies
 * @param resolution what the call did: {@code answered}, {@code resumed}, {@code transferred} or {@code ended}
 */
public record Alert(long seq, String id, String kind, String callId, String queueId, String agentId, Instant at,
                    String message, Instant ackedAt, String ackedBy, long ackSeq, String note, Instant resolvedAt,
                    String resolution) {

    /** An alert as raised, or acknowledged without saying by whom. */
    public Alert(long seq, String id, String kind, String callId, String queueId, String agentId, Instant at,
                 String message, Instant ackedAt) {
        this(seq, id, kind, callId, queueId, agentId, at, message, ackedAt, null, 0);
    }

    /** An alert without a note, not resolved (a server before alerts resolved themselves). */
    public Alert(long seq, String id, String kind, String callId, String queueId, String agentId, Instant at,
                 String message, Instant ackedAt, String ackedBy, long ackSeq) {
        this(seq, id, kind, callId, queueId, agentId, at, message, ackedAt, ackedBy, ackSeq, null, null, null);
    }

    public static Alert fromJson(JsonNode n) {
        return new Alert(Json.whole(n, "seq"), Json.text(n, "id"), Json.text(n, "kind"), Json.text(n, "call_id"),
            Json.text(n, "queue_id"), Json.text(n, "agent_id"), Json.instant(n, "at"), Json.text(n, "message"),
            Json.instant(n, "acked_at"), Json.text(n, "acked_by"), Json.whole(n, "ack_seq"), Json.text(n, "note"),
            Json.instant(n, "resolved_at"), Json.text(n, "resolution"));
    }

    /**
     * This alert as {@code later} says (an acknowledgement, or a listing that saw it closed), keeping
     * what {@code later} does not say (an older reply has no who, an acknowledgement no resolution).
     */
    public Alert updatedBy(Alert later) {
        return new Alert(seq, id, kind, callId, queueId, agentId, at, message,
            later.ackedAt() != null ? later.ackedAt() : ackedAt, later.ackedBy() != null ? later.ackedBy() : ackedBy,
            Math.max(ackSeq, later.ackSeq()), later.note() != null ? later.note() : note,
            later.resolvedAt() != null ? later.resolvedAt() : resolvedAt,
            later.resolution() != null ? later.resolution() : resolution);
    }

    /** This alert resolved as the {@code alert_resolved} push says. */
    public Alert resolvedAs(AlertResolution r) {
        return new Alert(seq, id, kind, callId, queueId, agentId, at, message, ackedAt, ackedBy, ackSeq, note,
            r.resolvedAt(), r.resolution());
    }

    /** Open: neither acknowledged nor resolved (what {@code GET /api/alerts?open=true} lists). */
    public boolean isOpen() {
        return ackedAt == null && resolvedAt == null;
    }

    /** When it stopped being open: the later of its acknowledgement and its resolution; {@code null} while open. */
    public Instant closedAt() {
        if (ackedAt == null || resolvedAt == null) {
            return ackedAt != null ? ackedAt : resolvedAt;
        }
        return ackedAt.isAfter(resolvedAt) ? ackedAt : resolvedAt;
    }
}
