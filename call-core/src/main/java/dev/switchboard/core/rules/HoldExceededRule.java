package dev.switchboard.core.rules;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.Phase;

/**
 * A call on hold past the maximum raises {@code hold_exceeded}: by a live timer at the maximum, or
 * at once when the source reports a {@code hold_duration} over it.
 */
public final class HoldExceededRule implements TimedRule {

    @Override
    public String name() {
        return "hold-exceeded";
    }

    @Override
    public TimerKind timer() {
        return TimerKind.HOLD;
    }

    @Override
    public long deadlineMs(Call call, Thresholds t) {
        return call.phase() == Phase.ON_HOLD && !call.has(CallFlag.HOLD_EXCEEDED) ? call.phaseSinceMs() + t.maxHoldMs() : Call.NONE;
    }

    @Override
    public void onDeadline(RuleContext ctx) {
        Call c = ctx.call();
        ctx.raise(AlertKind.HOLD_EXCEEDED, "Call " + c.id() + " has been on hold for "
            + SlaBreachRule.seconds(ctx.thresholds().maxHoldMs()) + " (agent " + c.agentId() + ")");
    }

    @Override
    public void onTransition(RuleContext ctx, Effect.Transitioned t) {
        if (t.event() instanceof CallEvent.CallHold hold && hold.holdDurationSeconds() != null
            && hold.holdDurationSeconds() * 1000.0 > ctx.thresholds().maxHoldMs()) {
            Call c = ctx.call();
            ctx.raise(AlertKind.HOLD_EXCEEDED, "Call " + c.id() + " reported a hold of " + hold.holdDurationSeconds()
                + " s, over the maximum of " + SlaBreachRule.seconds(ctx.thresholds().maxHoldMs()));
        }
    }
}
