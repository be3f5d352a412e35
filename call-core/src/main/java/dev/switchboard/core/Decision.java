package dev.switchboard.core;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.Rejection;
import dev.switchboard.core.rules.Effect;

import java.util.List;

/**
 * What the engine decided for one event or one fired timer, before anything changed. A host
 * that must persist first (durably) commits the decision, then hands it to
 * {@link CallEngine#apply}; one that need not calls {@link CallEngine#handle}.
 */
public sealed interface Decision {

    /**
     * @param trigger the event evaluated, or {@code null} for a timer
     * @param before  the call before, {@code null} for a new call
     * @param after   the call after the event and every rule
     * @param atMs    the effective time (see {@link CallEngine} on late events)
     * @param late    the event's own timestamp was older than the call's last event
     * @param effects everything that happened, in order: the transition(s), alerts, flags, requests
     */
    record Accepted(CallEvent trigger, Call before, Call after, long atMs, boolean late, List<Effect> effects)
        implements Decision {
        public Accepted {
            effects = List.copyOf(effects);
        }

        /** A timer that found nothing left to do (the call had moved on). */
        public boolean isEmpty() {
            return effects.isEmpty();
        }
    }

    record Rejected(CallEvent event, Rejection rejection) implements Decision {
    }
}
