package dev.switchboard.core;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.metrics.Presence;
import dev.switchboard.core.rules.Effect;
import dev.switchboard.core.rules.TimerKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.switchboard.core.Fixture.ENGLISH;
import static dev.switchboard.core.Fixture.SPANISH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host keeps {@link CallEngine#state()} and starts from it plus the history after it: the engine
 * it gets equals one that replayed the whole history (live calls, metrics, timers).
 */
class SnapshotRestoreTest {

    /** One entry of the "stored history": an effect, or a supervisor's "set available". */
    private record Entry(Effect effect, String availableAgent, long atMs) {
    }

    private static void replay(CallEngine engine, Entry e) {
        if (e.availableAgent() != null) {
            engine.replayAgentAvailable(e.availableAgent(), e.atMs());
            return;
        }
        switch (e.effect()) {
            case Effect.Transitioned t -> engine.replay(t.event(), t.atMs());
            case Effect.AlertRaised a -> engine.replayFlag(a.alert().callId(), a.alert().kind().flag());
            case Effect.AlertResolved r -> engine.replayFlag(r.callId(), r.kind().resolvedFlag());
            case Effect.ReviewFlagged r -> engine.replayFlag(r.callId(), CallFlag.REVIEW);
            case Effect.SurveyRequested s -> engine.replayFlag(s.callId(), CallFlag.SURVEY_REQUESTED);
            case Effect.AgentOnBreak b -> engine.replayAgentOnBreak(b.agentId(), b.atMs());
            case Effect.WrapUpStarted w -> engine.replayPresence(w.agentId(), Presence.WRAP_UP, null, w.atMs(), w.untilMs());
        }
    }

    /** A busy random day: calls in both queues, misses, holds, transfers, breaks and releases. */
    private static List<Entry> traffic(Fixture f, Random rnd, int steps, List<Entry> log) {
        List<String> calls = new ArrayList<>();
        String[] agents = {"ana", "bea", "carla", "dan"};
        for (int i = 0; i < steps; i++) {
            int before = f.effects.size();
            String agentAvailable = null;
            long availableAt = 0;
            int pick = rnd.nextInt(10);
            if (pick < 3 || calls.isEmpty()) {
                String id = "c" + i;
                f.initiated(id, rnd.nextBoolean() ? SPANISH : ENGLISH);
                calls.add(id);
            } else if (pick == 9) {
                agentAvailable = agents[rnd.nextInt(agents.length)];
                availableAt = f.clock.nowMs();
                f.engine.setAgentAvailable(agentAvailable);
            } else {
                String id = calls.get(rnd.nextInt(calls.size()));
                switch (rnd.nextInt(7)) {
                    case 0 -> f.routed(id, agents[rnd.nextInt(agents.length)]);
                    case 1 -> f.answered(id);
                    case 2 -> f.hold(id);
                    case 3 -> f.resumed(id);
                    case 4 -> f.retransfer(id);
                    case 5 -> f.transferredToQueue(id, rnd.nextBoolean() ? SPANISH : ENGLISH);
                    default -> f.ended(id, "completed");
                }
            }
            f.tick(rnd.nextInt(40) / 4.0);   // timers fire in between: SLA, rings, holds
            if (agentAvailable != null) {   // logged before the timers it may change
                log.add(new Entry(null, agentAvailable, availableAt));
            }
            for (Effect e : f.effects.subList(before, f.effects.size())) {
                log.add(new Entry(e, null, 0));
            }
        }
        return log;
    }

    private static Map<String, Object> picture(CallEngine e) {
        Map<String, Object> p = new TreeMap<>();
        for (Call c : e.liveCalls()) {
            p.put("call " + c.id(), c);
            for (TimerKind k : TimerKind.values()) {
                p.put("timer " + c.id() + " " + k, e.timerDeadline(c.id(), k).orElse(-1L));
            }
        }
        p.put("agents", e.agentMetrics());
        p.put("queues", e.queueMetrics());
        p.put("timers", e.pendingTimers());
        return p;
    }

    @Test
    void aStartFromTheStateAndTheTailEqualsAFullReplay() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            Fixture live = new Fixture();
            List<Entry> log = new ArrayList<>();
            traffic(live, rnd, 150, log);
            // the host snapshots a replica of the log so far (as a starting server would)
            Fixture replica = new Fixture();
            replica.clock.advanceMs(live.clock.nowMs() - replica.clock.nowMs());
            log.forEach(e -> replay(replica.engine, e));
            EngineState snapshot = replica.engine.state();
            int cut = log.size();
            traffic(live, rnd, 150, log);

            Fixture full = new Fixture();
            Fixture fromSnapshot = new Fixture();
            full.clock.advanceMs(live.clock.nowMs() - full.clock.nowMs());
            fromSnapshot.clock.advanceMs(live.clock.nowMs() - fromSnapshot.clock.nowMs());
            log.forEach(e -> replay(full.engine, e));
            full.engine.armTimers();
            fromSnapshot.engine.restore(snapshot);
            log.subList(cut, log.size()).forEach(e -> replay(fromSnapshot.engine, e));
            fromSnapshot.engine.armTimers();

            assertTrue(full.engine.liveCallCount() > 0, "seed " + seed + " leaves live calls");
            assertEquals(picture(full.engine), picture(fromSnapshot.engine), "seed " + seed);
            assertEquals(picture(live.engine).get("agents"), picture(full.engine).get("agents"), "seed " + seed);
            // and both go on the same way: the same timers fire with the same effects
            assertEquals(full.tick(120).toString(), fromSnapshot.tick(120).toString(), "seed " + seed);
        }
    }

    @Test
    void restoreNeedsAFreshEngine() {
        Fixture f = new Fixture();
        f.initiated("c1", SPANISH);
        EngineState s = f.engine.state();
        assertThrows(IllegalStateException.class, () -> f.engine.restore(s));
    }
}
