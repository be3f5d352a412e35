package dev.switchboard.server.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.Rejection;

/** What became of one posted event. */
public sealed interface Outcome {

    /**
     * Committed now (HTTP 201).
     *
     * @param json the reply serialized, or {@code null} to serialize it from {@code reply} when asked
     */
    record Created(ObjectNode reply, String json) implements Outcome {

        /** Committed now; the reply is serialized when {@link #json} is first asked, by the asking thread. */
        public Created(ObjectNode reply) {
            this(reply, null);
        }

        @Override
        public String json() {
            return json != null ? json : dev.switchboard.server.wire.Wire.write(reply);
        }
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
