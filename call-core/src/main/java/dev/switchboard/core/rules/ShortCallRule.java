package dev.switchboard.core.rules;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.EventType;

/**
 * A call that ends after less than the short-call threshold of conversation (answered, or with a
 * reported duration) is flagged for review and raises {@code short_call}. Calls abandoned before an
 * answer are not short calls: they count as abandoned.
 */
public final class ShortCallRule implements Rule {

    @Override
    public String name() {
        return "short-call";
    }

    @Override
    public void onTransition(RuleContext ctx, Effect.Transitioned t) {
        Call c = ctx.call();
        long threshold = ctx.thresholds().shortCallMs();
        if (t.event().type() == EventType.CALL_ENDED && c.durationMs() != Call.NONE && c.durationMs() < threshold) {
            ctx.flag(CallFlag.REVIEW);
            ctx.emit(new Effect.ReviewFlagged(c.id(), ctx.atMs(), c.durationMs(), threshold));
            ctx.raise(AlertKind.SHORT_CALL, "Call " + c.id() + " lasted " + SlaBreachRule.seconds(c.durationMs())
                + " (under " + SlaBreachRule.seconds(threshold) + "); flagged for review");
        }
    }
}
