package dev.switchboard.core;

import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallType;
import dev.switchboard.core.rules.AlertKind;
import dev.switchboard.core.rules.Effect;
import dev.switchboard.core.rules.TimerKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.core.Fixture.SPANISH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A host replays a stored history into a fresh engine; timers come back from call state. */
class RestartTest {

    @Test
    void aDeadlineThatPassedWhileDownFiresOnceAtStartAndARaisedAlertNeverAgain() {
        Fixture before = new Fixture();
        // the host commits what the engine decides; here the listener's list stands for the database
        before.initiated("waits", SPANISH);
        before.initiated("breached", SPANISH);
        before.initiated("talks", SPANISH);
        before.routed("talks", "ana");
        before.answered("talks");
        before.tick(31); // "breached" and "waits" breach: both flagged
        // a fourth call was initiated just before the crash; its SLA passes during the outage
        before.advance(1);
        CallEvent lastOne = new CallEvent.CallInitiated("x", "late", null, CallType.VOICE, SPANISH);
        before.engine.handle(lastOne);

        Fixture after = new Fixture();
        after.clock.advanceMs(before.clock.nowMs() - after.clock.nowMs() + 60_000); // down for a minute
        List<String> alertCalls = new ArrayList<>();
        for (Effect e : before.effects) {
            switch (e) {
                case Effect.Transitioned t -> after.engine.replay(t.event(), t.atMs());
                case Effect.AlertRaised a -> {
                    after.engine.replayFlag(a.alert().callId(), a.alert().kind().flag());
                    alertCalls.add(a.alert().callId());
                }
                default -> { }
            }
        }
        after.engine.armTimers();
        assertEquals(2, alertCalls.size());

        List<Effect> fired = after.engine.advance();
        assertEquals(1, fired.size(), fired.toString());
        Effect.AlertRaised a = (Effect.AlertRaised) fired.get(0);
        assertEquals(AlertKind.SLA_BREACH, a.alert().kind());
        assertEquals("late", a.alert().callId());
        assertTrue(after.tick(600).isEmpty());
        // metrics came back with the state
        assertEquals(1, after.engine.agentMetrics().get(0).answered());
        assertEquals(3, after.engine.queueMetrics().get(0).waitingNow());
    }

    @Test
    void aRingingCallsTimerIsRebuiltFromItsState() {
        Fixture f = new Fixture();
        f.initiated("c1", SPANISH);
        f.advance(3);
        f.routed("c1", "ana");
        Fixture g = new Fixture();
        g.clock.advanceMs(3_000);
        for (Effect e : f.effects) {
            if (e instanceof Effect.Transitioned t) {
                g.engine.replay(t.event(), t.atMs());
            }
        }
        g.engine.armTimers();
        assertEquals(Fixture.T0.plusSeconds(18).toEpochMilli(), g.engine.timerDeadline("c1", TimerKind.RING).orElseThrow());
        assertEquals(Fixture.T0.plusSeconds(30).toEpochMilli(), g.engine.timerDeadline("c1", TimerKind.SLA).orElseThrow());
    }
}
