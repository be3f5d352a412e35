package dev.switchboard.core.call;

import dev.switchboard.core.call.CallEvent.CallAnswered;
import dev.switchboard.core.call.CallEvent.CallEnded;
import dev.switchboard.core.call.CallEvent.CallHold;
import dev.switchboard.core.call.CallEvent.CallInitiated;
import dev.switchboard.core.call.CallEvent.CallResumed;
import dev.switchboard.core.call.CallEvent.CallRetransfer;
import dev.switchboard.core.call.CallEvent.CallRouted;
import dev.switchboard.core.call.CallEvent.CallTransferred;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The call state machine: which event may follow which, and what it does to the call. This file is
 * the whole transition table; rules (alerts, re-routing, surveys) react to its outcomes elsewhere.
 *
 * <pre>
 * event             from                      to
 * call_initiated    (no call)                 waiting (queued)            queue must exist
 * call_routed       waiting (queued)          waiting (ringing agent)
 * call_retransfer   waiting (ringing)         waiting (queued)            the agent missed it
 * call_answered     waiting (ringing)         active                      wait measured (or reported)
 * call_hold         active                    on_hold
 * call_resumed      on_hold                   active                      hold time added
 * call_transferred  active, on_hold           waiting (queued in a queue, or ringing an agent)
 * call_ended        any but ended             ended                       ended while waiting = abandoned
 *                                                                         (unless end_reason is "expired")
 * </pre>
 *
 * Anything else is rejected with a reason naming the call's current state. Pure functions, no
 * state: thread safe.
 */
public final class CallStateMachine {

    /** The "from" column. {@code call_initiated} is the only event valid without a call. */
    private static final Map<EventType, Set<Phase>> ALLOWED_FROM = new EnumMap<>(Map.of(
        EventType.CALL_INITIATED, EnumSet.noneOf(Phase.class),
        EventType.CALL_ROUTED, EnumSet.of(Phase.QUEUED),
        EventType.CALL_RETRANSFER, EnumSet.of(Phase.RINGING),
        EventType.CALL_ANSWERED, EnumSet.of(Phase.RINGING),
        EventType.CALL_HOLD, EnumSet.of(Phase.ACTIVE),
        EventType.CALL_RESUMED, EnumSet.of(Phase.ON_HOLD),
        EventType.CALL_TRANSFERRED, EnumSet.of(Phase.ACTIVE, Phase.ON_HOLD),
        EventType.CALL_ENDED, EnumSet.of(Phase.QUEUED, Phase.RINGING, Phase.ACTIVE, Phase.ON_HOLD)));

    /** The end reason of a call ended for lack of events (see {@code IdleExpiryRule}). */
    public static final String EXPIRED = "expired";

    private CallStateMachine() {
    }

    /** The outcome of one event on one call. */
    public sealed interface Transition {
        record Accepted(Call call) implements Transition {
        }

        record Rejected(Rejection rejection) implements Transition {
        }
    }

    /** @return the phases {@code type} may follow (empty for {@code call_initiated}: no call yet). */
    public static Set<Phase> allowedFrom(EventType type) {
        return ALLOWED_FROM.get(type);
    }

    /**
     * Applies {@code event} to {@code current} at {@code atMs}.
     *
     * @param current     the call as it is, or {@code null} if the engine has never seen it
     * @param queueExists whether a queue id is configured
     */
    public static Transition apply(Call current, CallEvent event, long atMs, Predicate<String> queueExists) {
        if (current == null) {
            if (!(event instanceof CallInitiated)) {
                return reject(Rejection.Reason.UNKNOWN_CALL, "call_id",
                    "unknown call '" + event.callId() + "': its first event must be call_initiated");
            }
        } else if (!ALLOWED_FROM.get(event.type()).contains(current.phase())) {
            return reject(Rejection.Reason.ILLEGAL_TRANSITION, "type",
                event.type().wireName() + " is not allowed: call '" + current.id() + "' is "
                    + current.phase().describe() + (event instanceof CallInitiated ? " (it already exists)" : ""));
        }
        return switch (event) {
            case CallInitiated e -> queueExists.test(e.queueId())
                ? accept(Call.initiated(e.callId(), e.callType(), e.queueId(), atMs))
                : reject(Rejection.Reason.UNKNOWN_QUEUE, "data.queue_id", "unknown queue '" + e.queueId() + "'");
            case CallRouted e -> accept(current.next(EventType.CALL_ROUTED, Phase.RINGING, atMs, e.agentId(), current.answerMs(),
                current.waitMs(), current.holdMs()));
            case CallRetransfer e -> accept(current.toBuilder().missed(current.agentId()).agentId(null)
                .phase(Phase.QUEUED, atMs).lastEvent(EventType.CALL_RETRANSFER, atMs).build());
            case CallAnswered e -> {
                long waitMs = e.waitTimeSeconds() != null ? secondsToMs(e.waitTimeSeconds())
                    : Math.max(0, atMs - current.waitStartMs());
                yield accept(current.next(EventType.CALL_ANSWERED, Phase.ACTIVE, atMs, current.agentId(),
                    current.wasAnswered() ? current.answerMs() : atMs, waitMs, current.holdMs()));
            }
            case CallHold e -> accept(current.next(EventType.CALL_HOLD, Phase.ON_HOLD, atMs, current.agentId(),
                current.answerMs(),
                current.waitMs(), current.holdMs()));
            case CallResumed e -> accept(current.next(EventType.CALL_RESUMED, Phase.ACTIVE, atMs, current.agentId(),
                current.answerMs(),
                current.waitMs(), heldUntil(current, atMs)));
            case CallTransferred e -> {
                if (e.queueId() != null && !queueExists.test(e.queueId())) {
                    yield reject(Rejection.Reason.UNKNOWN_QUEUE, "data.queue_id", "unknown queue '" + e.queueId() + "'");
                }
                Call.Builder b = current.toBuilder().holdMs(heldUntil(current, atMs)).waitStartMs(atMs)
                    .waitMs(Call.NONE).lastEvent(EventType.CALL_TRANSFERRED, atMs);
                if (e.queueId() != null) {
                    b.queueId(e.queueId()).agentId(null).phase(Phase.QUEUED, atMs);
                } else {
                    b.agentId(e.agentId()).phase(Phase.RINGING, atMs);
                }
                yield accept(b.build());
            }
            case CallEnded e -> {
                long durationMs = e.durationSeconds() != null ? secondsToMs(e.durationSeconds())
                    : current.wasAnswered() ? Math.max(0, atMs - current.answerMs()) : Call.NONE;
                Call.Builder b = current.toBuilder().holdMs(heldUntil(current, atMs)).endMs(atMs)
                    .endReason(e.endReason()).durationMs(durationMs).phase(Phase.ENDED, atMs)
                    .lastEvent(EventType.CALL_ENDED, atMs);
                if (current.phase().isWaiting() && !EXPIRED.equals(e.endReason())) {
                    b.flag(CallFlag.ABANDONED);   // an expired call's end is unknown: not an abandon
                }
                yield accept(b.build());
            }
        };
    }

    /** Hold time including the current hold, if the call is on hold at {@code atMs}. */
    private static long heldUntil(Call call, long atMs) {
        return call.phase() == Phase.ON_HOLD ? call.holdMs() + Math.max(0, atMs - call.phaseSinceMs()) : call.holdMs();
    }

    public static long secondsToMs(double seconds) {
        return Math.round(seconds * 1000.0);
    }

    private static Transition accept(Call call) {
        return new Transition.Accepted(call);
    }

    private static Transition reject(Rejection.Reason reason, String field, String message) {
        return new Transition.Rejected(new Rejection(reason, field, message));
    }
}
