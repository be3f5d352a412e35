package dev.switchboard.core.rules;

import dev.switchboard.core.Fixture;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.EventType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.switchboard.core.Fixture.SPANISH;
import static dev.switchboard.core.Fixture.T0;
import static dev.switchboard.core.Fixture.accepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alerts about a situation that is over resolve themselves; the others wait for a supervisor. */
class AlertResolutionTest {

    private final Fixture f = new Fixture();

    private List<Effect.AlertResolved> resolved() {
        return f.effectsOf(Effect.AlertResolved.class);
    }

    private Call call(String id) {
        return f.engine.call(id).orElseThrow();
    }

    /** A call queued at T0 that breached its SLA at T0 + 30 s. */
    private void breached(String id) {
        f.initiated(id, SPANISH);
        f.tick(30);
        assertTrue(call(id).has(CallFlag.SLA_BREACH));
    }

    @Test
    void slaBreachResolvesWhenTheCallIsAnswered() {
        breached("c1");
        f.advance(5);
        f.routed("c1", "ana");
        assertTrue(resolved().isEmpty(), "still waiting while ringing");
        f.advance(3);
        var d = accepted(f.answered("c1"));
        assertEquals(1, resolved().size());
        Effect.AlertResolved r = resolved().getFirst();
        assertEquals("c1:sla_breach", r.alertId());
        assertEquals(AlertKind.SLA_BREACH, r.kind());
        assertEquals("answered", r.reason());
        assertEquals(T0.plusSeconds(38).toEpochMilli(), r.atMs());
        assertEquals(SPANISH, r.queueId());
        assertTrue(d.effects().getLast() instanceof Effect.AlertResolved, "after the transition it follows from");
        assertTrue(call("c1").has(CallFlag.SLA_BREACH_RESOLVED));
    }

    @Test
    void slaBreachResolvesOnceWhenTheCallIsEndedWhileWaiting() {
        breached("c1");
        f.advance(10);
        f.ended("c1", "caller_hangup");
        assertEquals(List.of("ended"), resolved().stream().map(Effect.AlertResolved::reason).toList());
        f.tick(600);
        assertEquals(1, resolved().size());
    }

    @Test
    void slaBreachResolvesOnlyOnceAcrossTransfersBackToTheQueue() {
        breached("c1");
        f.routed("c1", "ana");
        f.answered("c1");
        f.advance(20);
        f.transferredToQueue("c1", SPANISH);
        f.tick(60);   // waiting again past the SLA: no second breach (once per call), so nothing to resolve
        f.routed("c1", "bea");
        f.answered("c1");
        f.ended("c1", "completed");
        assertEquals(1, resolved().size(), resolved().toString());
        assertEquals(1, f.effectsOf(Effect.AlertRaised.class).stream()
            .filter(e -> e.alert().kind() == AlertKind.SLA_BREACH).count());
    }

    @Test
    void holdExceededResolvesWhenTheCallIsResumed() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.answered("c1");
        f.advance(5);
        f.hold("c1");
        f.tick(60);
        assertEquals(List.of(AlertKind.HOLD_EXCEEDED),
            f.effectsOf(Effect.AlertRaised.class).stream().map(e -> e.alert().kind()).toList());
        assertTrue(resolved().isEmpty(), "still on hold");
        f.advance(2);
        f.resumed("c1");
        assertEquals(1, resolved().size());
        assertEquals("resumed", resolved().getFirst().reason());
        assertEquals(T0.plusSeconds(67).toEpochMilli(), resolved().getFirst().atMs());
        // a second hold raises nothing (once per call) and resolves nothing
        f.hold("c1");
        f.tick(120);
        f.resumed("c1");
        f.ended("c1", "completed");
        assertEquals(1, resolved().size(), resolved().toString());
    }

    @Test
    void holdExceededResolvesWhenTheCallEndsOrIsTransferredOnHold() {
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.answered("c1");
        f.hold("c1");
        f.tick(61);
        f.ended("c1", "caller_hangup");
        f.initiated("c2", SPANISH);
        f.routed("c2", "bea");
        f.answered("c2");
        f.hold("c2");
        f.tick(61);
        f.transferredToQueue("c2", SPANISH);
        assertEquals(List.of("ended", "transferred"), resolved().stream().map(Effect.AlertResolved::reason).toList());
        assertEquals(List.of("c1:hold_exceeded", "c2:hold_exceeded"),
            resolved().stream().map(Effect.AlertResolved::alertId).toList());
    }

    @Test
    void reviewAlertsStayUntilAcknowledged() {
        // long wait (answered after the SLA: the breach resolves, the long wait stays) and a short call
        f.initiated("c1", SPANISH);
        f.tick(40);
        f.routed("c1", "ana");
        f.answered("c1");
        f.advance(3);
        f.ended("c1", "completed");
        List<AlertKind> raised = f.effectsOf(Effect.AlertRaised.class).stream().map(e -> e.alert().kind()).toList();
        assertTrue(raised.contains(AlertKind.LONG_WAIT) && raised.contains(AlertKind.SHORT_CALL), raised.toString());
        assertEquals(List.of(AlertKind.SLA_BREACH), resolved().stream().map(Effect.AlertResolved::kind).toList());
        assertFalse(AlertKind.LONG_WAIT.resolvesItself());
        assertFalse(AlertKind.RING_NO_ANSWER.resolvesItself());
        assertFalse(AlertKind.SHORT_CALL.resolvesItself());
    }

    @Test
    void anIdleCallThatExpiresResolvesItsBreachInTheSameDecision() {
        breached("c1");
        List<Effect> expiry = f.tick(Thresholds.DEFAULT_MAX_IDLE.toSeconds());
        assertTrue(expiry.stream().anyMatch(e -> e instanceof Effect.Transitioned t
            && t.event().type() == EventType.CALL_ENDED), expiry.toString());
        assertEquals(List.of("ended"), resolved().stream().map(Effect.AlertResolved::reason).toList());
    }

    @Test
    void resolvedMarksAreNotOnTheWire() {
        assertFalse(CallFlag.SLA_BREACH_RESOLVED.onWire());
        assertFalse(CallFlag.HOLD_EXCEEDED_RESOLVED.onWire());
        assertTrue(CallFlag.SLA_BREACH.onWire());
    }

    @Test
    void theCallKnowsItsLastEventType() {
        f.initiated("c1", SPANISH);
        assertEquals(EventType.CALL_INITIATED, call("c1").lastEventType());
        f.routed("c1", "ana");
        f.answered("c1");
        assertEquals(EventType.CALL_ANSWERED, call("c1").lastEventType());
        f.hold("c1");
        assertEquals(EventType.CALL_HOLD, call("c1").lastEventType());
        f.tick(61);   // the hold alert sets a flag, not a last event
        assertEquals(EventType.CALL_HOLD, call("c1").lastEventType());
        f.ended("c1", "completed");
        assertEquals(EventType.CALL_ENDED, call("c1").lastEventType());
    }
}
