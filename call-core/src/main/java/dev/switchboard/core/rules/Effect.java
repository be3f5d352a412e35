package dev.switchboard.core.rules;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;

/**
 * What an accepted event or a fired timer did, in order. A host writes them to the call's history
 * (those with {@link #system()} true are the service's own decisions), persists them and pushes
 * them.
 */
public sealed interface Effect {

    String callId();

    long atMs();

    /** Whether the service decided it (as opposed to an event the source sent). */
    boolean system();

    /**
     * A state transition.
     *
     * @param system {@code true} for the engine's own transitions (ring timeout's
     *               {@code call_retransfer} and the re-route's {@code call_routed})
     */
    record Transitioned(CallEvent event, Call before, Call after, long atMs, boolean system) implements Effect {
        @Override
        public String callId() {
            return after.id();
        }
    }

    record AlertRaised(Alert alert) implements Effect {
        @Override
        public String callId() {
            return alert.callId();
        }

        @Override
        public long atMs() {
            return alert.atMs();
        }

        @Override
        public boolean system() {
            return true;
        }
    }

    /**
     * An alert of the call no longer applies (see {@link AlertKind#resolvesItself()}): the call
     * moved on. Once per alert; its flag {@link AlertKind#resolvedFlag()} is set on the call.
     *
     * @param alertId the resolved alert's id ({@link Alert#idFor})
     * @param reason  what the call did: {@code answered}, {@code resumed}, {@code transferred} or
     *                {@code ended}
     */
    record AlertResolved(String alertId, AlertKind kind, String callId, String queueId, long atMs, String reason)
        implements Effect {
        @Override
        public boolean system() {
            return true;
        }
    }

    /** The call is flagged for a supervisor's review (it was shorter than the threshold). */
    record ReviewFlagged(String callId, long atMs, long durationMs, long thresholdMs) implements Effect {
        @Override
        public boolean system() {
            return true;
        }
    }

    /** A post-call survey should be sent for a completed call. */
    record SurveyRequested(String callId, long atMs, String queueId, String agentId) implements Effect {
        @Override
        public boolean system() {
            return true;
        }
    }

    /** The agent missed too many rings in a row and is put on break (no more calls routed). */
    record AgentOnBreak(String callId, long atMs, String agentId, int consecutiveMisses) implements Effect {
        @Override
        public boolean system() {
            return true;
        }
    }

    /**
     * The agent who handled the call is in wrap-up from {@code atMs} until {@code untilMs} (the
     * queue's wrap-up time), then available by itself.
     */
    record WrapUpStarted(String callId, long atMs, String agentId, long untilMs) implements Effect {
        @Override
        public boolean system() {
            return true;
        }
    }
}
