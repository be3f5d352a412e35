package dev.switchboard.server.reports;

import dev.switchboard.core.call.Call;
import dev.switchboard.server.store.StoredEvent;
import dev.switchboard.server.wire.History;
import dev.switchboard.server.wire.Wire;

import java.util.List;

/**
 * One call's stored history replayed through the state machine ({@link History#next}), handing
 * each transition (the call before and after, when, at which seq) to the reports. The state
 * machine is deterministic, so this gives back exactly the states the service decided, whatever
 * node or start answers: the reports agree before and after a restart.
 */
final class CallReplay {

    /** What a report does with a call's transitions. */
    interface Sink {
        /**
         * One transition of a call.
         *
         * @param before the call before ({@code null} for its {@code call_initiated})
         * @param after  the call after
         * @param atMs   the entry's time (the effective time the service applied it at)
         * @param seq    the entry's place in the log (orders it against presence changes)
         */
        void transition(Call before, Call after, long atMs, long seq);

        /** The call's last state, after its last stored entry (a live call is still in it). */
        default void last(Call call) {
        }
    }

    private CallReplay() {
    }

    /** Replays {@code history} (one call's entries, in seq order) into every sink. */
    static void replay(List<StoredEvent> history, Sink... sinks) {
        Call current = null;
        for (StoredEvent e : history) {
            Call next = History.next(current, e.id(), e.callId(), e.type(), e.tsMs(), Wire.read(e.metadata()));
            // a transition makes a new version; flags (alerts, review) and other entries keep it
            if (next != null && (current == null || next.version() != current.version())) {
                for (Sink s : sinks) {
                    s.transition(current, next, e.tsMs(), e.seq());
                }
            }
            current = next;
        }
        if (current != null) {
            for (Sink s : sinks) {
                s.last(current);
            }
        }
    }
}
