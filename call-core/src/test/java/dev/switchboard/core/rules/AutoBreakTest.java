package dev.switchboard.core.rules;

import dev.switchboard.core.AgentRouter;
import dev.switchboard.core.Fixture;
import dev.switchboard.core.metrics.AgentMetrics;
import dev.switchboard.core.metrics.AgentState;
import org.junit.jupiter.api.Test;

import static dev.switchboard.core.Fixture.SPANISH;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Auto-break after missed rings: the break ends only when the agent is made available. */
class AutoBreakTest {

    private final Fixture f = new Fixture(Thresholds.DEFAULTS, AgentRouter.none());
    private int calls;

    /** An external router rings ana, who lets it ring past the timeout. */
    private void missedRing() {
        String id = "c" + (++calls);
        f.initiated(id, SPANISH);
        f.routed(id, "ana");
        f.tick(15);
        f.ended(id, "caller_hangup");
    }

    private AgentMetrics ana() {
        return f.engine.agentMetrics().stream().filter(a -> a.agentId().equals("ana")).findFirst().orElseThrow();
    }

    private int breaks() {
        return f.effectsOf(Effect.AgentOnBreak.class).size();
    }

    @Test
    void aCallRoutedToAnAgentOnBreakDoesNotEndTheBreak() {
        for (int i = 0; i < 3; i++) {
            missedRing();
        }
        assertEquals(AgentState.ON_BREAK, ana().state());
        long since = ana().stateSinceMs();
        f.initiated("routed-anyway", SPANISH);
        f.advance(1);
        f.routed("routed-anyway", "ana");
        assertEquals(AgentState.ON_BREAK, ana().state(), "ringing while on break");
        assertEquals(since, ana().stateSinceMs());
        f.advance(14.5);
        f.ended("routed-anyway", "caller_hangup");
        assertEquals(AgentState.ON_BREAK, ana().state(), "a 4th routed call leaves ana on break");
        assertEquals(1, breaks(), "no second break while on break");
    }

    @Test
    void anAgentOnBreakWhoAnswersIsOnCallThenBackOnBreak() {
        for (int i = 0; i < 3; i++) {
            missedRing();
        }
        f.initiated("taken", SPANISH);
        f.routed("taken", "ana");
        f.answered("taken");
        assertEquals(AgentState.ON_CALL, ana().state());
        f.advance(60);
        f.ended("taken", "completed");
        assertEquals(AgentState.ON_BREAK, ana().state());
        f.engine.setAgentAvailable("ana");
        assertEquals(AgentState.AVAILABLE, ana().state());
    }

    @Test
    void theThirdConsecutiveMissAfterAnyReleaseBreaksTheAgentAgain() {
        for (int i = 0; i < 3; i++) {
            missedRing();
        }
        assertEquals(1, breaks());
        for (int i = 0; i < 4; i++) {   // 7 misses in all: still on break, never broken twice
            missedRing();
        }
        assertEquals(AgentState.ON_BREAK, ana().state());
        assertEquals(1, breaks());
        f.engine.setAgentAvailable("ana");
        assertEquals(0, ana().consecutiveMisses());
        missedRing();
        missedRing();
        assertEquals(AgentState.AVAILABLE, ana().state(), "two misses after the release");
        missedRing();
        assertEquals(AgentState.ON_BREAK, ana().state(), "the third miss after the release");
        assertEquals(2, breaks());
        f.engine.setAgentAvailable("ana");
        for (int i = 0; i < 3; i++) {
            missedRing();
        }
        assertEquals(3, breaks());
    }

    @Test
    void anAnswerBetweenMissesStartsTheCountAgain() {
        missedRing();
        missedRing();
        f.initiated("answered", SPANISH);
        f.routed("answered", "ana");
        f.answered("answered");
        f.ended("answered", "completed");
        missedRing();
        missedRing();
        assertEquals(AgentState.AVAILABLE, ana().state());
        missedRing();
        assertEquals(AgentState.ON_BREAK, ana().state());
    }
}
