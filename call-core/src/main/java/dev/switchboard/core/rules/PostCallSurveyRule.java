package dev.switchboard.core.rules;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.EventType;

/** A completed call (answered, ended with reason {@code completed}) gets a post-call survey request. */
public final class PostCallSurveyRule implements Rule {

    /** The end reason of a call that went as it should. */
    public static final String COMPLETED = "completed";

    @Override
    public String name() {
        return "post-call-survey";
    }

    @Override
    public void onTransition(RuleContext ctx, Effect.Transitioned t) {
        Call c = ctx.call();
        if (t.event().type() == EventType.CALL_ENDED && COMPLETED.equals(c.endReason()) && c.wasAnswered()
            && !c.has(CallFlag.SURVEY_REQUESTED)) {
            ctx.flag(CallFlag.SURVEY_REQUESTED);
            ctx.emit(new Effect.SurveyRequested(c.id(), ctx.atMs(), c.queueId(), c.agentId()));
        }
    }
}
