package dev.switchboard.core.rules;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.EventType;

/** A call answered after waiting longer than the SLA raises {@code long_wait}. */
public final class LongWaitRule implements Rule {

    @Override
    public String name() {
        return "long-wait";
    }

    @Override
    public void onTransition(RuleContext ctx, Effect.Transitioned t) {
        Call c = ctx.call();
        if (t.event().type() == EventType.CALL_ANSWERED && c.waitMs() > ctx.thresholds().slaMaxWaitMs()) {
            ctx.raise(AlertKind.LONG_WAIT, "Call " + c.id() + " was answered by " + c.agentId() + " after waiting "
                + SlaBreachRule.seconds(c.waitMs()) + " (SLA " + SlaBreachRule.seconds(ctx.thresholds().slaMaxWaitMs()) + ")");
        }
    }
}
