package dev.switchboard.core;

import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.core.Fixture.ENGLISH;
import static dev.switchboard.core.Fixture.SPANISH;
import static dev.switchboard.core.Fixture.accepted;
import static dev.switchboard.core.Fixture.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deciding a call's next events before the previous decisions are applied ({@link CallEngine#evaluateAfter}). */
class ChainedEvaluationTest {

    private static List<CallEvent> life(String call) {
        return List.of(
            new CallEvent.CallInitiated(call + "-1", call, null, CallType.VOICE, SPANISH),
            new CallEvent.CallRouted(call + "-2", call, null, "agent-7", null),
            new CallEvent.CallAnswered(call + "-3", call, null, null),
            new CallEvent.CallHold(call + "-4", call, null, null),
            new CallEvent.CallResumed(call + "-5", call, null),
            new CallEvent.CallTransferred(call + "-6", call, null, ENGLISH, null),
            new CallEvent.CallEnded(call + "-7", call, null, "completed", null));
    }

    @Test
    void aChainDecidesWhatOneEventAfterTheOtherDecides() {
        Fixture one = new Fixture();
        Fixture chained = new Fixture();
        one.advance(3);
        chained.advance(3);
        List<Decision.Accepted> expected = new ArrayList<>();
        for (CallEvent e : life("c1")) {
            expected.add(accepted(one.engine.handle(e)));
        }
        // all seven decided first, nothing applied; then applied in order
        List<Decision.Accepted> decided = new ArrayList<>();
        Decision.Accepted last = null;
        for (CallEvent e : life("c1")) {
            last = accepted(last == null ? chained.engine.evaluate(e) : chained.engine.evaluateAfter(last, e));
            decided.add(last);
        }
        assertTrue(chained.engine.call("c1").isEmpty(), "deciding changes nothing");
        for (Decision.Accepted d : decided) {
            chained.engine.apply(d);
        }
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).after(), decided.get(i).after(), "call after event " + (i + 1));
            assertEquals(expected.get(i).effects(), decided.get(i).effects(), "effects of event " + (i + 1));
        }
        assertEquals(one.engine.call("c1"), chained.engine.call("c1"));
        assertEquals(one.engine.queueMetrics(), chained.engine.queueMetrics());
        assertEquals(one.engine.agentMetrics(), chained.engine.agentMetrics());
    }

    @Test
    void aChainedDecisionStartsFromThePendingOneAndIsRejectedLikeAnyOther() {
        Fixture f = new Fixture();
        Decision.Accepted init = accepted(f.engine.evaluate(life("c2").get(0)));
        Decision.Accepted routed = accepted(f.engine.evaluateAfter(init, life("c2").get(1)));
        assertSame(init.after(), routed.before());
        // answered, then answered again: the second is illegal from the first's state
        Decision.Accepted answered = accepted(f.engine.evaluateAfter(routed, life("c2").get(2)));
        rejected(f.engine.evaluateAfter(answered, new CallEvent.CallAnswered("again", "c2", null, null)));
        f.engine.apply(init);
        f.engine.apply(routed);
        f.engine.apply(answered);
        assertEquals(answered.after(), f.engine.call("c2").orElseThrow());
    }

    @Test
    void appliedOutOfOrderAChainedDecisionIsStale() {
        Fixture f = new Fixture();
        Decision.Accepted init = accepted(f.engine.evaluate(life("c3").get(0)));
        Decision.Accepted routed = accepted(f.engine.evaluateAfter(init, life("c3").get(1)));
        assertThrows(IllegalStateException.class, () -> f.engine.apply(routed));
        assertTrue(f.engine.call("c3").isEmpty());
    }

    @Test
    void aRetransferIsNotChainedAndEventsOfAnotherCallAreRefused() {
        Fixture f = new Fixture();
        Decision.Accepted init = accepted(f.engine.evaluate(life("c4").get(0)));
        CallEvent retransfer = new CallEvent.CallRetransfer("r", "c4", null, "no_answer");
        assertFalse(CallEngine.chainable(retransfer));
        assertTrue(CallEngine.chainable(life("c4").get(1)));
        assertThrows(IllegalArgumentException.class, () -> f.engine.evaluateAfter(init, retransfer));
        assertThrows(IllegalArgumentException.class, () -> f.engine.evaluateAfter(init, life("other").get(1)));
    }
}
