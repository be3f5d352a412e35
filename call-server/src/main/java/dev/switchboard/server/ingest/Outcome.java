package dev.switchboard.server.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.Rejection;

/** What became of one posted event. */
public sealed interface Outcome {

    /**
     * Committed now (HTTP 201).
     *
     * @param json the reply as serialized for the audit log: sent as it is, not serialized again
     */
    record Created(ObjectNode reply, String json) implements Outcome {
    }

    /** Committed before: the original reply, with {@code duplicate: true} (HTTP 200). */
    record Duplicate(ObjectNode reply) implements Outcome {
    }

    /** Refused by the state machine (HTTP 404, 409, 422); nothing stored. */
    record Rejected(Rejection rejection) implements Outcome {
    }

    /** Storage failed after retries (HTTP 503); nothing stored, nothing changed. */
    record Unavailable(String reason) implements Outcome {
    }
}
