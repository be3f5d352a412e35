package dev.switchboard.server.ingest;

import dev.switchboard.server.store.Store;

/**
 * What a supervisor does that must last: an entry of the ordered log like any event (stored,
 * replayed at a start, pushed to every socket in seq order), naming who did it.
 */
public sealed interface SupervisorAction {

    /** Who: a key's fingerprint (never the key), later a user name. */
    String by();

    /** The role the actor acted with. */
    String role();

    long atMs();

    /** An agent brought back from break (or marked available). */
    record AgentAvailable(String agentId, String by, String role, long atMs) implements SupervisorAction {
    }

    /**
     * An agent's presence set by the agent's desktop or the telephony ({@code source} {@code agent})
     * or forced by a supervisor ({@code source} {@code supervisor}).
     *
     * @param presence logged out, available or not ready (never wrap-up: that follows a call)
     * @param reason   why not ready ({@code null} for the other presences)
     */
    record PresenceChange(String agentId, dev.switchboard.core.metrics.Presence presence, String reason, String source,
                          String by, String role, long atMs) implements SupervisorAction {
    }

    /** An admin created or changed a queue (its members, thresholds, wrap-up, target). */
    record QueueChange(dev.switchboard.core.QueueConfig queue, boolean created, String by, String role, long atMs)
        implements SupervisorAction {
    }

    /** An admin deleted a queue without live calls. */
    record QueueDelete(String queueId, String by, String role, long atMs) implements SupervisorAction {
    }

    /**
     * Alerts acknowledged together (one, or a bulk acknowledgement): one {@code alert_acked} entry
     * each, in each alert's call history, committed together.
     *
     * @param alerts the alerts, not yet acknowledged when asked (the ingestor drops any acknowledged meanwhile)
     * @param note   the supervisor's note (at most {@link #MAX_NOTE} characters), or {@code null}
     */
    record AlertAck(java.util.List<Store.StoredAlert> alerts, String note, String by, String role, long atMs)
        implements SupervisorAction {

        /** Longest note on an acknowledgement, in characters. */
        public static final int MAX_NOTE = 500;

        public AlertAck {
            alerts = java.util.List.copyOf(alerts);
        }
    }
}
