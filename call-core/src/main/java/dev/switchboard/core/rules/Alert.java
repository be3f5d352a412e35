package dev.switchboard.core.rules;

import java.time.Instant;

/**
 * An alert for supervisors.
 *
 * @param id the alert's id: {@code callId + ":" + kind}, unique because a kind is raised at most
 *           once per call, so a host can use it as a key and a replay produces the same id
 */
public record Alert(String id, AlertKind kind, String callId, String queueId, String agentId, long atMs,
                    String message) {

    public static String idFor(String callId, AlertKind kind) {
        return callId + ":" + kind.wireName();
    }

    public Instant at() {
        return Instant.ofEpochMilli(atMs);
    }
}
