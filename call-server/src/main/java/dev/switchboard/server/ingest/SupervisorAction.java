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

    /** An open alert acknowledged. */
    record AlertAck(Store.StoredAlert alert, String by, String role, long atMs) implements SupervisorAction {
    }
}
