package dev.switchboard.core.rules;

import dev.switchboard.core.AgentRouter;
import dev.switchboard.core.Decision;
import dev.switchboard.core.Fixture;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.CallType;
import dev.switchboard.core.call.Phase;
import dev.switchboard.core.metrics.AgentState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.switchboard.core.Fixture.SPANISH;
import static dev.switchboard.core.Fixture.ENGLISH;
import static dev.switchboard.core.Fixture.accepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RulesTest {

    private final Fixture f = new Fixture();

    private List<Alert> alerts() {
        return f.effectsOf(Effect.AlertRaised.class).stream().map(Effect.AlertRaised::alert).toList();
    }

    private Call call(String id) {
        return f.engine.call(id).orElseThrow();
    }

    @Test
    void waitingAtTheSlaRaisesOneBreachNotBefore() {
        f.initiated("c1", SPANISH);
        assertTrue(f.tick(29.999).isEmpty(), "nothing at 29.999 s");
        List<Effect> at30 = f.tick(0.001);
        assertEquals(1, at30.size());
        Alert a = ((Effect.AlertRaised) at30.get(0)).alert();
        assertEquals(AlertKind.SLA_BREACH, a.kind());
        assertEquals("c1:sla_breach", a.id());
        assertEquals(Fixture.T0.plusSeconds(30), a.at());
        assertTrue(call("c1").has(CallFlag.SLA_BREACH));
        assertTrue(f.tick(120).isEmpty(), "raised once");
    }

    @Test
    void slaCountsWhileRingingToo() {
        f.initiated("c1", SPANISH);
        f.advance(20);
        f.routed("c1", "ana");
        f.tick(10);
        assertEquals(List.of(AlertKind.SLA_BREACH), alerts().stream().map(Alert::kind).toList());
    }

    @Test
    void answeredBeforeSlaRaisesNoAlert() {
        f.initiated("c1", SPANISH);
        f.advance(5);
        f.routed("c1", "ana");
        f.advance(24.999);
        f.answered("c1");
        f.tick(300);
        assertTrue(alerts().isEmpty(), alerts().toString());
        assertTrue(f.engine.timerDeadline("c1", TimerKind.SLA).isEmpty());
        assertTrue(f.engine.timerDeadline("c1", TimerKind.RING).isEmpty());
        assertEquals(1, f.engine.pendingTimers(), "only the idle-expiry timer of the live call");
    }

    @Test
    void perQueueSlaApplies() {
        f.initiated("c1", ENGLISH);
        assertTrue(f.tick(19.999).isEmpty());
        assertEquals(1, f.tick(0.001).size());
    }

    @Test
    void ringNoAnswerRetransfersAndReroutesToAnotherAgent() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        assertTrue(f.tick(14.999).isEmpty());
        List<Effect> fx = f.tick(0.001);
        Effect.Transitioned back = (Effect.Transitioned) fx.get(0);
        assertEquals("call_retransfer", back.event().type().wireName());
        assertTrue(back.system());
        assertEquals(AlertKind.RING_NO_ANSWER, ((Effect.AlertRaised) fx.get(1)).alert().kind());
        assertEquals("ana", ((Effect.AlertRaised) fx.get(1)).alert().agentId(), "the alert names who missed");
        Effect.Transitioned reroute = (Effect.Transitioned) fx.get(2);
        assertEquals("call_routed", reroute.event().type().wireName());
        assertTrue(reroute.system());
        Call c = call("c1");
        assertEquals(Phase.RINGING, c.phase());
        assertNotEquals("ana", c.agentId());
        assertEquals(List.of("ana"), c.missedAgents());
    }

    @Test
    void rerouteNeverGoesBackToAnAgentWhoMissed() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.tick(15);                       // ana missed -> bea or carla
        String second = call("c1").agentId();
        f.tick(15);                       // second missed -> the third
        String third = call("c1").agentId();
        assertEquals(3, List.of("ana", second, third).stream().distinct().count());
        f.tick(15);                       // all missed: stays queued
        assertEquals(Phase.QUEUED, call("c1").phase());
        assertEquals(1, alerts().stream().filter(a -> a.kind() == AlertKind.RING_NO_ANSWER).count(), "alert once");
        assertEquals(3, f.effectsOf(Effect.Transitioned.class).stream()
            .filter(t -> t.event() instanceof CallEvent.CallRetransfer).count());
    }

    @Test
    void rerouteGoesToTheLongestIdleAgent() {
        // bea became idle before carla: bea gets the re-routed call
        f.initiated("x", SPANISH);
        f.routed("x", "carla");
        f.initiated("y", SPANISH);
        f.routed("y", "bea");
        f.advance(1);
        f.answered("y");
        f.ended("y", "completed");        // bea idle since t=1
        f.advance(1);
        f.answered("x");
        f.ended("x", "completed");        // carla idle since t=2
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.tick(15);
        assertEquals("bea", call("c1").agentId());
    }

    @Test
    void anExternalRetransferIsReroutedToo() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        Decision.Accepted d = accepted(f.retransfer("c1"));
        assertEquals(Phase.RINGING, d.after().phase());
        assertNotEquals("ana", d.after().agentId());
    }

    @Test
    void withNoRouterTheCallWaitsQueued() {
        Fixture g = new Fixture(Thresholds.DEFAULTS, AgentRouter.none());
        g.initiated("c1", SPANISH);
        g.routed("c1", "ana");
        g.tick(15);
        assertEquals(Phase.QUEUED, g.engine.call("c1").orElseThrow().phase());
    }

    @Test
    void anAgentWhoMissesThreeInARowGoesOnBreakAndGetsNoMoreCalls() {
        Fixture g = new Fixture(Thresholds.DEFAULTS, AgentRouter.none());
        for (int i = 0; i < 3; i++) {
            g.initiated("c" + i, SPANISH);
            g.routed("c" + i, "ana");
            g.tick(15);
        }
        assertEquals(1, g.effectsOf(Effect.AgentOnBreak.class).size());
        assertEquals(AgentState.ON_BREAK, g.engine.agentMetrics().stream()
            .filter(a -> a.agentId().equals("ana")).findFirst().orElseThrow().state());
        g.engine.setAgentAvailable("ana");
        assertEquals(AgentState.AVAILABLE, g.engine.agentMetrics().get(0).state());
    }

    @Test
    void anAgentOnBreakIsNotPickedByTheRouter() {
        for (int i = 0; i < 3; i++) {   // bea misses three rings in a row -> break
            f.initiated("m" + i, SPANISH);
            f.routed("m" + i, "bea");
            f.retransfer("m" + i);
            f.ended("m" + i, "caller_hangup");
        }
        assertEquals(1, f.effectsOf(Effect.AgentOnBreak.class).size());
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.tick(15);
        assertEquals("carla", call("c1").agentId());
    }

    @Test
    void answeredAfterTheSlaRaisesLongWait() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.advance(10);
        f.engine.handle(new CallEvent.CallAnswered("e", "c1", null, 30.0));
        assertTrue(alerts().isEmpty(), "30 s is not more than the SLA");
        f.initiated("c2", SPANISH);
        f.routed("c2", "bea");
        f.engine.handle(new CallEvent.CallAnswered("e2", "c2", null, 30.001));
        assertEquals(List.of(AlertKind.LONG_WAIT), alerts().stream().map(Alert::kind).toList());
    }

    @Test
    void holdPastMaximumAlertsOnce() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.answered("c1");
        f.hold("c1");
        assertTrue(f.tick(59.999).isEmpty());
        List<Effect> fx = f.tick(0.001);
        assertEquals(AlertKind.HOLD_EXCEEDED, ((Effect.AlertRaised) fx.get(0)).alert().kind());
        f.resumed("c1");
        f.hold("c1");
        f.tick(120);
        assertEquals(1, alerts().size());
    }

    @Test
    void resumingBeforeTheMaximumCancelsTheHoldTimer() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.answered("c1");
        f.hold("c1");
        f.advance(59);
        f.resumed("c1");
        f.tick(120);
        assertTrue(alerts().isEmpty());
    }

    @Test
    void aReportedHoldOverTheMaximumAlertsAtOnce() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.answered("c1");
        Decision.Accepted d = accepted(f.engine.handle(new CallEvent.CallHold("h", "c1", null, 60.5)));
        assertEquals(AlertKind.HOLD_EXCEEDED, ((Effect.AlertRaised) d.effects().get(1)).alert().kind());
        f.engine.handle(new CallEvent.CallResumed("r", "c1", null));
        assertFalse(accepted(f.engine.handle(new CallEvent.CallHold("h2", "c1", null, 45.0))).effects().stream()
            .anyMatch(e -> e instanceof Effect.AlertRaised));
    }

    @Test
    void aShortCallIsFlaggedForReview() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.answered("c1");
        f.advance(9.999);
        Decision.Accepted d = accepted(f.ended("c1", "completed"));
        assertTrue(d.after().has(CallFlag.REVIEW));
        assertTrue(d.after().has(CallFlag.SHORT_CALL));
        assertEquals(1, f.effectsOf(Effect.ReviewFlagged.class).size());
        assertEquals(List.of(AlertKind.SHORT_CALL), alerts().stream().map(Alert::kind).toList());
    }

    @Test
    void aTenSecondCallIsNotShort() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.answered("c1");
        f.advance(10);
        assertFalse(accepted(f.ended("c1", "completed")).after().has(CallFlag.REVIEW));
    }

    @Test
    void anAbandonedCallIsNotAShortCallAndGetsNoSurvey() {
        f.initiated("c1", SPANISH);
        f.advance(3);
        Decision.Accepted d = accepted(f.ended("c1", "caller_hangup"));
        assertTrue(d.after().has(CallFlag.ABANDONED));
        assertFalse(d.after().has(CallFlag.REVIEW));
        assertTrue(f.effectsOf(Effect.SurveyRequested.class).isEmpty());
    }

    @Test
    void aCompletedCallGetsASurveyRequest() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.answered("c1");
        f.advance(120);
        f.ended("c1", "completed");
        List<Effect.SurveyRequested> s = f.effectsOf(Effect.SurveyRequested.class);
        assertEquals(1, s.size());
        assertEquals("ana", s.get(0).agentId());
        assertTrue(call("c1").has(CallFlag.SURVEY_REQUESTED));
    }

    @Test
    void aFailedCallGetsNoSurvey() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.answered("c1");
        f.advance(120);
        f.ended("c1", "dropped");
        assertTrue(f.effectsOf(Effect.SurveyRequested.class).isEmpty());
    }

    @Test
    void noTimerFiresAfterTheCallMovedOn() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.advance(14);
        f.answered("c1");
        f.advance(1);
        f.ended("c1", "completed");
        assertEquals(0, f.engine.pendingTimers());
        assertTrue(f.tick(600).isEmpty());
    }

    @Test
    void aTimerEvaluatedAfterTheCallMovedOnDoesNothing() {
        f.initiated("c1", SPANISH);
        f.advance(30);
        List<String> due = new java.util.ArrayList<>();
        f.engine.pollTimers((id, kind) -> due.add(id + "/" + kind), 100);
        assertEquals(List.of("c1/SLA"), due);
        f.routed("c1", "ana");
        f.answered("c1");           // the call moved on before the due timer was evaluated
        assertTrue(f.engine.evaluateTimer("c1", TimerKind.SLA).isEmpty());
    }

    @Test
    void transferredCallWaitsAgainInTheNewQueue() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.answered("c1");
        f.advance(50);
        f.transferredToQueue("c1", ENGLISH);
        assertTrue(f.tick(19.999).isEmpty());
        assertEquals(AlertKind.SLA_BREACH, ((Effect.AlertRaised) f.tick(0.001).get(0)).alert().kind());
    }

    @Test
    void everyInitiatedCallInADifferentQueueTypeWorks() {
        Decision.Accepted d = accepted(f.engine.handle(new CallEvent.CallInitiated("e", "v1", null, CallType.VIDEO, SPANISH)));
        assertEquals(CallType.VIDEO, d.after().type());
    }
}
