package dev.switchboard.core;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallType;
import dev.switchboard.core.call.EventType;
import dev.switchboard.core.call.Phase;
import dev.switchboard.core.rules.Effect;
import dev.switchboard.core.rules.TimerKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random event sequences never break the engine's invariants. */
class InvariantsPropertyTest {

    record Step(int call, EventType type, int agent, int queue, int advanceMs, boolean withTimestamp) {
    }

    private static final String[] AGENTS = {"ana", "bea", "carla", "dan", "agent_55"};
    private static final String[] QUEUES = {Fixture.SPANISH, Fixture.ENGLISH, "no_such_queue"};

    @Provide
    Arbitrary<List<Step>> scripts() {
        Arbitrary<Step> step = Combinators.combine(
            Arbitraries.integers().between(0, 5),
            Arbitraries.of(EventType.class),
            Arbitraries.integers().between(0, AGENTS.length - 1),
            Arbitraries.integers().between(0, QUEUES.length - 1),
            Arbitraries.integers().between(0, 40_000),
            Arbitraries.of(true, false)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 400)
    void randomSequencesKeepTheInvariants(@ForAll("scripts") List<Step> script) {
        Fixture f = new Fixture();
        Set<String> alertIds = new HashSet<>();
        Map<String, Integer> versions = new HashMap<>();
        for (Step s : script) {
            f.advance(s.advanceMs() / 1000.0);
            f.engine.advance();
            String id = "c" + s.call();
            java.time.Instant ts = s.withTimestamp() ? f.clock.now().minusMillis(s.advanceMs() / 2) : null;
            CallEvent e = switch (s.type()) {
                case CALL_INITIATED -> new CallEvent.CallInitiated(null, id, ts, CallType.VOICE, QUEUES[s.queue()]);
                case CALL_ROUTED -> new CallEvent.CallRouted(null, id, ts, AGENTS[s.agent()], null);
                case CALL_RETRANSFER -> new CallEvent.CallRetransfer(null, id, ts, null);
                case CALL_ANSWERED -> new CallEvent.CallAnswered(null, id, ts, null);
                case CALL_HOLD -> new CallEvent.CallHold(null, id, ts, s.agent() == 0 ? 75.0 : null);
                case CALL_RESUMED -> new CallEvent.CallResumed(null, id, ts);
                case CALL_TRANSFERRED -> s.agent() % 2 == 0
                    ? new CallEvent.CallTransferred(null, id, ts, QUEUES[s.queue()], null)
                    : new CallEvent.CallTransferred(null, id, ts, null, AGENTS[s.agent()]);
                case CALL_ENDED -> new CallEvent.CallEnded(null, id, ts, s.agent() % 2 == 0 ? "completed" : "dropped", null);
            };
            f.engine.handle(e);
            checkInvariants(f, alertIds, versions);
        }
        for (int i = 0; i < 10; i++) {
            f.tick(60);   // each ring timeout re-routes to a fresh agent until none is left
        }
        checkInvariants(f, alertIds, versions);
        assertEquals(0, f.engine.liveCalls().stream().filter(c -> c.phase() == Phase.RINGING).count(),
            "after ten minutes nothing rings: ring timeouts re-routed or queued every call");
    }

    private static void checkInvariants(Fixture f, Set<String> alertIds, Map<String, Integer> versions) {
        Map<String, Long> perCallKind = new HashMap<>();
        for (Effect e : f.effects) {
            if (e instanceof Effect.AlertRaised a) {
                perCallKind.merge(a.alert().id(), 1L, Long::sum);
            }
        }
        perCallKind.forEach((k, n) -> assertEquals(1L, n, "alert " + k + " raised more than once"));

        long expectedTimers = 0;
        Map<String, Integer> waitingPerQueue = new HashMap<>();
        for (Call c : f.engine.liveCalls()) {
            assertTrue(c.isLive());
            assertEquals(c.phase().status(), c.status());
            boolean waiting = c.phase().isWaiting();
            assertEquals(waiting && !c.has(dev.switchboard.core.call.CallFlag.SLA_BREACH),
                f.engine.timerDeadline(c.id(), TimerKind.SLA).isPresent(), "SLA timer only while waiting: " + c);
            assertEquals(c.phase() == Phase.RINGING, f.engine.timerDeadline(c.id(), TimerKind.RING).isPresent(),
                "ring timer only while ringing: " + c);
            assertEquals(c.phase() == Phase.ON_HOLD && !c.has(dev.switchboard.core.call.CallFlag.HOLD_EXCEEDED),
                f.engine.timerDeadline(c.id(), TimerKind.HOLD).isPresent(), "hold timer only on hold: " + c);
            expectedTimers += f.engine.timerDeadline(c.id(), TimerKind.SLA).isPresent() ? 1 : 0;
            expectedTimers += f.engine.timerDeadline(c.id(), TimerKind.RING).isPresent() ? 1 : 0;
            expectedTimers += f.engine.timerDeadline(c.id(), TimerKind.HOLD).isPresent() ? 1 : 0;
            boolean offered = f.engine.timerDeadline(c.id(), TimerKind.OFFER).isPresent();
            assertTrue(!offered || c.phase() == Phase.QUEUED, "an offer only for a queued call: " + c);
            expectedTimers += offered ? 1 : 0;
            assertEquals(c.lastEventMs() + dev.switchboard.core.rules.Thresholds.DEFAULT_MAX_IDLE.toMillis(),
                f.engine.timerDeadline(c.id(), TimerKind.IDLE).orElseThrow(), "idle timer from the last event: " + c);
            expectedTimers++;
            if (waiting) {
                waitingPerQueue.merge(c.queueId(), 1, Integer::sum);
            }
            Integer seen = versions.put(c.id(), c.version());
            assertTrue(seen == null || seen <= c.version(), "version went back");
            assertTrue(c.lastEventMs() <= f.clock.nowMs());
            assertTrue(c.waitStartMs() >= c.startMs());
            assertTrue(c.holdMs() >= 0);
        }
        assertEquals(expectedTimers, f.engine.pendingTimers(), "no timer for an ended call");
        f.engine.queueMetrics().forEach(q ->
            assertEquals(waitingPerQueue.getOrDefault(q.queueId(), 0), q.waitingNow(), "waiting now in " + q.queueId()));
    }
}
