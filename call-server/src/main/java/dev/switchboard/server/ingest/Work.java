package dev.switchboard.server.ingest;

import dev.switchboard.core.Decision;
import dev.switchboard.server.wire.IncomingEvent;

import java.util.concurrent.CompletableFuture;

/** What the writer commits: a call's decision, or a supervisor's action. */
sealed interface Work {

    /** @param incoming the posted event the decision is for, or {@code null} for a timer's decision */
    record CallWork(IncomingEvent incoming, Decision.Accepted decision) implements Work {
    }

    record ActionWork(SupervisorAction action) implements Work {
    }

    /** One piece of work waiting for the writer, and where its outcome goes. */
    record Unit(Work work, CompletableFuture<Outcome> done) {
    }
}
