package dev.switchboard.core.rules;

import java.util.List;

/** The center's standard rule set. */
public final class Rules {

    private Rules() {
    }

    /**
     * SLA breach, ring-no-answer re-route, long wait, hold exceeded, short call, post-call survey,
     * idle-call expiry.
     */
    public static List<Rule> standard() {
        return List.of(new SlaBreachRule(), new RingNoAnswerRule(), new LongWaitRule(), new HoldExceededRule(),
            new ShortCallRule(), new PostCallSurveyRule(), new IdleExpiryRule());
    }
}
