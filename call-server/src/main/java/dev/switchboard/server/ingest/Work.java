package dev.switchboard.server.ingest;

import dev.switchboard.core.Decision;
import dev.switchboard.server.wire.IncomingEvent;

import java.util.concurrent.CompletableFuture;

/** What the writer commits: a call's decision, or a supervisor's action. */
sealed interface Work {

    /** @param incoming the posted event the decision is for, or {@code null} for a timer's decision */
    record CallWork(IncomingEvent incoming, Decision.Accepted decision, Entries.Rendered rendered) implements Work {

        /** Renders the decision's entries on the calling thread (see {@link Entries.Rendered}). */
        CallWork(IncomingEvent incoming, Decision.Accepted decision) {
            this(incoming, decision, Entries.Rendered.of(incoming, decision));
        }
    }

    record ActionWork(SupervisorAction action) implements Work {
    }

    /**
     * One piece of work waiting for the writer, and where its outcome goes.
     *
     * @param after the unit this one was decided after (a call's chained events, see
     *              {@code Ingestor#ingestCall}), or {@code null}: when that one is not committed, this
     *              one is not either
     */
    record Unit(Work work, CompletableFuture<Outcome> done, Unit after) {

        Unit(Work work, CompletableFuture<Outcome> done) {
            this(work, done, null);
        }

        /** Whether the unit this one was decided after ended without being committed. */
        boolean orphaned() {
            return after != null && after.done.isDone() && !(after.done.getNow(null) instanceof Outcome.Created);
        }
    }
}
