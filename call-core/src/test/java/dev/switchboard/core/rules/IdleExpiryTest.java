package dev.switchboard.core.rules;

import dev.switchboard.core.Fixture;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.Phase;
import dev.switchboard.core.metrics.AgentState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.switchboard.core.Fixture.SPANISH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A call whose call_ended never comes is ended by the engine after the maximum idle time. */
class IdleExpiryTest {

    private static final Thresholds ONE_HOUR = Thresholds.DEFAULTS.withMaxIdle(Duration.ofHours(1));

    private static Call call(Fixture f, String id) {
        return f.engine.call(id).orElseThrow();
    }

    @Test
    void aCallWithNoEventForTheMaximumIdleTimeIsEndedAsExpired() {
        Fixture f = new Fixture(ONE_HOUR);
        f.initiated("lost", SPANISH);
        f.routed("lost", "ana");
        f.answered("lost");
        assertTrue(f.tick(3599.9).stream().noneMatch(e -> e instanceof Effect.Transitioned));
        List<Effect> fired = f.tick(0.1);
        Effect.Transitioned end = (Effect.Transitioned) fired.stream().filter(e -> e instanceof Effect.Transitioned)
            .findFirst().orElseThrow();
        assertTrue(end.system());
        assertTrue(end.event() instanceof CallEvent.CallEnded ended && "expired".equals(ended.endReason()));
        Call c = call(f, "lost");
        assertEquals(Phase.ENDED, c.phase());
        assertEquals("expired", c.endReason());
        assertEquals(0, f.engine.liveCallCount());
        assertEquals(0, f.engine.pendingTimers());
        assertEquals(AgentState.AVAILABLE, f.engine.agentMetrics().get(0).state(), "the agent is free again");
        assertTrue(fired.stream().noneMatch(e -> e instanceof Effect.SurveyRequested || e instanceof Effect.ReviewFlagged),
            "no survey or review for a call nobody knows the end of");
    }

    @Test
    void everyEventMovesTheDeadline() {
        Fixture f = new Fixture(ONE_HOUR);
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.answered("c1");
        f.tick(3000);
        f.hold("c1");
        f.tick(3000);
        f.resumed("c1");
        f.tick(3599);
        assertTrue(call(f, "c1").isLive());
        f.tick(1);
        assertFalse(call(f, "c1").isLive());
    }

    @Test
    void anExpiredWaitingCallIsNotCountedAsAbandoned() {
        Fixture f = new Fixture(ONE_HOUR);
        f.initiated("queued", SPANISH);
        f.tick(3600);
        Call c = call(f, "queued");
        assertEquals(Phase.ENDED, c.phase());
        assertFalse(c.has(CallFlag.ABANDONED));
        assertEquals(0, f.engine.queueMetrics().get(0).abandoned());
        assertEquals(0, f.engine.queueMetrics().get(0).waitingNow());
    }

    @Test
    void theDeadlineComesBackFromCallStateAfterARestart() {
        Fixture before = new Fixture(ONE_HOUR);
        before.initiated("c1", SPANISH);
        before.tick(600);
        Fixture after = new Fixture(ONE_HOUR);
        after.clock.advanceMs(before.clock.nowMs() - after.clock.nowMs() + 3_600_000);   // down for an hour
        for (Effect e : before.effects) {
            if (e instanceof Effect.Transitioned t) {
                after.engine.replay(t.event(), t.atMs());
            } else if (e instanceof Effect.AlertRaised a) {
                after.engine.replayFlag(a.alert().callId(), a.alert().kind().flag());
            }
        }
        after.engine.armTimers();
        assertEquals(Fixture.T0.plusSeconds(3600).toEpochMilli(),
            after.engine.timerDeadline("c1", TimerKind.IDLE).orElseThrow());
        List<Effect> fired = after.engine.advance();
        assertEquals(1, fired.stream().filter(e -> e instanceof Effect.Transitioned).count(), "fires once");
        assertFalse(after.engine.call("c1").orElseThrow().isLive());
        assertTrue(after.tick(7200).isEmpty());
    }
}
