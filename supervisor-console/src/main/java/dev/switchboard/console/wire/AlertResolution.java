package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * The {@code alert_resolved} push: an alert that resolved itself because its call moved on (an
 * {@code sla_breach} answered or ended, a {@code hold_exceeded} resumed, transferred or ended). It
 * comes right after the {@code call_event} of its {@code alert_resolved} entry, with that entry's seq.
 *
 * @param seq        the seq of the {@code alert_resolved} entry (not the alert's own {@code seq})
 * @param resolution {@code answered}, {@code resumed}, {@code transferred} or {@code ended}
 */
public record AlertResolution(long seq, String id, String kind, String callId, String queueId, Instant resolvedAt,
                              String resolution) {

    public static AlertResolution fromJson(JsonNode n) {
        return new AlertResolution(Json.whole(n, "seq"), Json.text(n, "id"), Json.text(n, "kind"), Json.text(n, "call_id"),
            Json.text(n, "queue_id"), Json.instant(n, "resolved_at"), Json.text(n, "resolution"));
    }
}
