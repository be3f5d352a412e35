package dev.switchboard.core.rules;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallFlag;

/** A caller still waiting (queued or ringing) at the SLA raises {@code sla_breach}, once. */
public final class SlaBreachRule implements TimedRule {

    @Override
    public String name() {
        return "sla-breach";
    }

    @Override
    public TimerKind timer() {
        return TimerKind.SLA;
    }

    @Override
    public long deadlineMs(Call call, Thresholds t) {
        return call.phase().isWaiting() && !call.has(CallFlag.SLA_BREACH) ? call.waitStartMs() + t.slaMaxWaitMs() : Call.NONE;
    }

    @Override
    public void onDeadline(RuleContext ctx) {
        Call c = ctx.call();
        ctx.raise(AlertKind.SLA_BREACH, "Call " + c.id() + " has waited " + seconds(ctx.thresholds().slaMaxWaitMs())
            + " in " + c.queueId() + " without an answer");
    }

    static String seconds(long ms) {
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
