package dev.switchboard.core.rules;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.Phase;

/**
 * An agent who lets a call ring past the ring timeout misses it: the engine sends the call back to
 * its queue ({@code call_retransfer}, a system event), raises {@code ring_no_answer} (once per
 * call), and re-routes it through the {@code AgentRouter} to another agent (a system
 * {@code call_routed}), never back to one who missed it. With no agent free the call stays queued.
 * A {@code call_retransfer} sent by the source re-routes the same way. An agent who misses
 * {@link Thresholds#autoBreakAfterMisses()} rings in a row is put on break; the count starts again
 * when the agent is made available, so the same number of misses after any release breaks them
 * again. An agent already on break is not put on break twice.
 */
public final class RingNoAnswerRule implements TimedRule {

    @Override
    public String name() {
        return "ring-no-answer";
    }

    @Override
    public TimerKind timer() {
        return TimerKind.RING;
    }

    @Override
    public long deadlineMs(Call call, Thresholds t) {
        return call.phase() == Phase.RINGING ? call.phaseSinceMs() + t.ringTimeoutMs() : Call.NONE;
    }

    @Override
    public void onDeadline(RuleContext ctx) {
        Call c = ctx.call();
        String agent = c.agentId();
        ctx.transition(new CallEvent.CallRetransfer(ctx.systemEventId(), c.id(), java.time.Instant.ofEpochMilli(ctx.atMs()),
            "ring_no_answer"));
        ctx.raise(AlertKind.RING_NO_ANSWER, agent, "Agent " + agent + " did not answer call " + c.id() + " within "
            + SlaBreachRule.seconds(ctx.thresholds().ringTimeoutMs()) + "; re-routing");
        missedBy(ctx, agent);
        reroute(ctx);
    }

    @Override
    public void onTransition(RuleContext ctx, Effect.Transitioned t) {
        if (t.event() instanceof CallEvent.CallRetransfer) {
            missedBy(ctx, t.before().agentId());
            reroute(ctx);
        }
    }

    private static void missedBy(RuleContext ctx, String agent) {
        int limit = ctx.thresholds().autoBreakAfterMisses();
        if (agent != null && limit > 0) {
            int misses = ctx.consecutiveMisses(agent) + 1;
            if (misses >= limit && !ctx.onBreak(agent)) {
                ctx.emit(new Effect.AgentOnBreak(ctx.call().id(), ctx.atMs(), agent, misses));
            }
        }
    }

    private static void reroute(RuleContext ctx) {
        String next = ctx.nextAgent();
        if (next != null) {
            ctx.transition(new CallEvent.CallRouted(ctx.systemEventId(), ctx.call().id(),
                java.time.Instant.ofEpochMilli(ctx.atMs()), next, null));
        }
    }
}
