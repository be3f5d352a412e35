package dev.switchboard.core.rules;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;

import java.time.Instant;

/**
 * A live call with no event for {@link Thresholds#maxIdle()} lost its {@code call_ended} (a source
 * that crashed, a dropped webhook): the engine ends it itself with a system {@code call_ended},
 * {@code end_reason: "expired"}, so memory, the live table and waiting counts stay bounded. The
 * deadline counts from the call's last event and moves with every new one; it is derived from
 * call state like every timer, so it survives a restart. An expired call is not counted as
 * abandoned (nobody knows how it ended) and gets no review or survey.
 */
public final class IdleExpiryRule implements TimedRule {

    /** The {@code end_reason} of a call the engine ended for lack of events. */
    public static final String EXPIRED = dev.switchboard.core.call.CallStateMachine.EXPIRED;

    @Override
    public String name() {
        return "idle-expiry";
    }

    @Override
    public TimerKind timer() {
        return TimerKind.IDLE;
    }

    @Override
    public long deadlineMs(Call call, Thresholds t) {
        return call.isLive() ? call.lastEventMs() + t.maxIdleMs() : Call.NONE;
    }

    @Override
    public void onDeadline(RuleContext ctx) {
        Call c = ctx.call();
        ctx.transition(new CallEvent.CallEnded(ctx.systemEventId(), c.id(), Instant.ofEpochMilli(ctx.atMs()), EXPIRED, null));
    }
}
