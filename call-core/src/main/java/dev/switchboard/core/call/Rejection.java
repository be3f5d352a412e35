package dev.switchboard.core.call;

/**
 * Why an event was not accepted: an expected outcome, returned as a value.
 *
 * @param reason  the kind of refusal (hosts map it to their own codes: 404, 409, 422, ...)
 * @param field   the event field at fault, or {@code null}
 * @param message a sentence for a person; for a transition it names the call's current state
 */
public record Rejection(Reason reason, String field, String message) {

    public enum Reason {
        /** The event names a call the engine does not know (and is not a {@code call_initiated}). */
        UNKNOWN_CALL,
        /** The queue named by the event is not in the {@code QueueDirectory}. */
        UNKNOWN_QUEUE,
        /** The event may not follow the call's current state (includes a second {@code call_initiated}). */
        ILLEGAL_TRANSITION,
        /** The event's own content is invalid. */
        INVALID
    }
}
