package dev.switchboard.core.call;

import java.time.Instant;
import java.util.Objects;

/**
 * The events of a call's life, one record per type. Reported figures ({@code waitTimeSeconds},
 * {@code holdDurationSeconds}, ...) are optional ({@code null} when the source did not send them);
 * {@link #timestamp()} is the source's clock and optional too (the engine's clock is used then).
 *
 * <p>Events are plain values: whether they are valid for a call is decided by
 * {@link CallStateMachine}.
 */
public sealed interface CallEvent {

    /** The source's id for the event (idempotency key), or {@code null}. */
    String eventId();

    String callId();

    /** When the source says it happened, or {@code null}. */
    Instant timestamp();

    EventType type();

    /** A new call enters a queue. */
    record CallInitiated(String eventId, String callId, Instant timestamp, CallType callType, String queueId)
        implements CallEvent {
        public CallInitiated {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(callType, "callType");
            Objects.requireNonNull(queueId, "queueId");
        }

        @Override
        public EventType type() {
            return EventType.CALL_INITIATED;
        }
    }

    /** The call is offered to (rings) an agent. */
    record CallRouted(String eventId, String callId, Instant timestamp, String agentId, Double routingTimeSeconds)
        implements CallEvent {
        public CallRouted {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(agentId, "agentId");
        }

        @Override
        public EventType type() {
            return EventType.CALL_ROUTED;
        }
    }

    /** The ringing agent did not take the call; it goes back to its queue. */
    record CallRetransfer(String eventId, String callId, Instant timestamp, String reason) implements CallEvent {
        public CallRetransfer {
            Objects.requireNonNull(callId, "callId");
        }

        @Override
        public EventType type() {
            return EventType.CALL_RETRANSFER;
        }
    }

    /** The ringing agent took the call. */
    record CallAnswered(String eventId, String callId, Instant timestamp, Double waitTimeSeconds) implements CallEvent {
        public CallAnswered {
            Objects.requireNonNull(callId, "callId");
        }

        @Override
        public EventType type() {
            return EventType.CALL_ANSWERED;
        }
    }

    /** The call is put on hold; {@code holdDurationSeconds} is how long it was held, when reported. */
    record CallHold(String eventId, String callId, Instant timestamp, Double holdDurationSeconds) implements CallEvent {
        public CallHold {
            Objects.requireNonNull(callId, "callId");
        }

        @Override
        public EventType type() {
            return EventType.CALL_HOLD;
        }
    }

    /** The call comes back from hold. */
    record CallResumed(String eventId, String callId, Instant timestamp) implements CallEvent {
        public CallResumed {
            Objects.requireNonNull(callId, "callId");
        }

        @Override
        public EventType type() {
            return EventType.CALL_RESUMED;
        }
    }

    /** The call is handed to another queue or straight to an agent: exactly one of the two. */
    record CallTransferred(String eventId, String callId, Instant timestamp, String queueId, String agentId)
        implements CallEvent {
        public CallTransferred {
            Objects.requireNonNull(callId, "callId");
            if ((queueId == null) == (agentId == null)) {
                throw new IllegalArgumentException("a transfer names exactly one of queueId and agentId");
            }
        }

        @Override
        public EventType type() {
            return EventType.CALL_TRANSFERRED;
        }
    }

    /** The call is over, for {@code endReason} ("completed", "caller_hangup", ...). */
    record CallEnded(String eventId, String callId, Instant timestamp, String endReason, Double durationSeconds)
        implements CallEvent {
        public CallEnded {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(endReason, "endReason");
        }

        @Override
        public EventType type() {
            return EventType.CALL_ENDED;
        }
    }
}
