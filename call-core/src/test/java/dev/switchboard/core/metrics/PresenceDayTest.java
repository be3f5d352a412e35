package dev.switchboard.core.metrics;

import dev.switchboard.core.AgentRouter;
import dev.switchboard.core.CallEngine;
import dev.switchboard.core.Fixture;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.QueueDirectory;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallType;
import dev.switchboard.core.call.Phase;
import dev.switchboard.core.rules.Effect;
import dev.switchboard.core.rules.Thresholds;
import dev.switchboard.core.time.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static dev.switchboard.core.Fixture.SPANISH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence, wrap-up, offers to the next free agent and the "today" figures on a virtual clock,
 * every figure worked out by hand (docs/presence-and-kpis.md has the same day as its example).
 */
class PresenceDayTest {

    private static final Duration WRAP_UP = Duration.ofSeconds(20);

    private static AgentMetrics agent(Fixture f, String id) {
        return f.engine.agentMetrics(id).orElseThrow();
    }

    private static QueueMetrics queue(Fixture f, String id) {
        return f.engine.queueMetrics().stream().filter(q -> q.queueId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void presenceWrapUpAndOccupancy() {
        Fixture f = new Fixture(Thresholds.DEFAULTS.withWrapUp(WRAP_UP));
        long t0 = f.clock.nowMs();
        // the desktops sign everyone out at midnight and in as they arrive (an agent whose desktop
        // sends no presence counts as logged in since the day began)
        long midnight = Instant.ofEpochMilli(t0).truncatedTo(java.time.temporal.ChronoUnit.DAYS).toEpochMilli();
        for (String agent : List.of("ana", "bea", "carla")) {
            f.engine.setPresence(agent, Presence.LOGGED_OUT, null, midnight);
        }
        f.engine.setPresence("ana", Presence.AVAILABLE, null, t0);
        f.engine.setPresence("bea", Presence.NOT_READY, "lunch", t0);
        assertEquals(AgentState.ON_BREAK, agent(f, "bea").state(), "not ready shows as on break to v1 clients");
        assertEquals(AgentState.LOGGED_OUT, agent(f, "carla").state());

        // t=0 c1 arrives, rings ana at 2, answered at 5, ended at 65: 60 s of talk, then 20 s of wrap-up
        f.initiated("c1", SPANISH);
        f.advance(2).routed("c1", "ana");
        f.advance(3).answered("c1");
        f.advance(60);
        Effect.WrapUpStarted wrap = Fixture.accepted(f.ended("c1", "completed")).effects().stream()
            .filter(Effect.WrapUpStarted.class::isInstance).map(Effect.WrapUpStarted.class::cast).findFirst().orElseThrow();
        assertEquals("ana", wrap.agentId());
        assertEquals(wrap.atMs() + 20_000, wrap.untilMs());
        assertEquals(Presence.WRAP_UP, agent(f, "ana").presence());
        assertEquals(AgentState.WRAP_UP, agent(f, "ana").state());

        f.tick(19.99);
        assertEquals(Presence.WRAP_UP, agent(f, "ana").presence(), "not before the wrap-up's end");
        f.tick(0.01);                                                       // t=85
        assertEquals(Presence.AVAILABLE, agent(f, "ana").presence(), "available again by itself");
        f.advance(15);                                                      // t=100
        f.engine.setPresence("bea", Presence.AVAILABLE, null, f.clock.nowMs());

        AgentMetrics ana = agent(f, "ana");
        assertEquals(60_000, ana.talkMs());
        assertEquals(20_000, ana.wrapUpMs());
        assertEquals(100_000, ana.loggedInMs());
        assertEquals(0.8, ana.occupancyRatio(), 1e-9);                       // (60 + 0 + 20) / 100
        assertEquals(t0, ana.loggedInSinceMs());

        AgentMetrics bea = agent(f, "bea");
        assertEquals(100_000, bea.notReadyMs());
        assertEquals(Map.of("lunch", 100_000L), bea.notReadyByReasonMs());
        assertEquals(100_000, bea.loggedInMs(), "not ready is logged in");
        assertEquals(0.0, bea.occupancyRatio());
        assertEquals(f.clock.nowMs(), bea.presenceSinceMs());

        AgentMetrics carla = agent(f, "carla");
        assertEquals(0, carla.loggedInMs());
        assertNull(carla.occupancyRatio(), "no logged-in time: no occupancy");
        assertNull(carla.reason());
    }

    @Test
    void noWrapUpForAnAgentWhoIsNotAvailableAndNoneWithoutAQueueWrapUp() {
        Fixture f = new Fixture(Thresholds.DEFAULTS.withWrapUp(WRAP_UP));
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.advance(1).answered("c1");
        f.engine.setPresence("ana", Presence.NOT_READY, "training", f.clock.nowMs());   // during the call
        assertEquals(AgentState.ON_CALL, agent(f, "ana").state(), "the call still shows until it ends");
        f.advance(10);
        assertTrue(Fixture.accepted(f.ended("c1", "completed")).effects().stream()
            .noneMatch(Effect.WrapUpStarted.class::isInstance));
        assertEquals(Presence.NOT_READY, agent(f, "ana").presence());

        Fixture none = new Fixture();
        none.initiated("c1", SPANISH);
        none.routed("c1", "ana");
        none.answered("c1");
        assertTrue(Fixture.accepted(none.advance(5).ended("c1", "completed")).effects().stream()
            .noneMatch(Effect.WrapUpStarted.class::isInstance), "wrap-up 0: straight back");
        assertEquals(Presence.AVAILABLE, agent(none, "ana").presence());
        assertThrows(IllegalArgumentException.class,
            () -> none.engine.setPresence("ana", Presence.WRAP_UP, null, none.clock.nowMs()));
    }

    @Test
    void aReroutedCallThatFoundNobodyIsOfferedToTheFirstAgentWhoBecomesAvailable() {
        Fixture f = new Fixture();
        long t0 = f.clock.nowMs();
        f.engine.setPresence("bea", Presence.NOT_READY, "lunch", t0);
        f.engine.setPresence("carla", Presence.LOGGED_OUT, null, t0);
        f.initiated("c1", SPANISH);
        f.routed("c1", "ana");
        f.tick(15);                                       // ana lets it ring: nobody else is available
        assertEquals(Phase.QUEUED, f.engine.call("c1").orElseThrow().phase());
        f.advance(5).initiated("c2", SPANISH);           // routed by an external router: never offered
        f.advance(1);
        f.initiated("c3", SPANISH);
        f.routed("c3", "ana");
        f.tick(15);                                       // t=36: c3 found nobody either
        assertEquals(Phase.QUEUED, f.engine.call("c3").orElseThrow().phase());
        assertEquals(3, queue(f, SPANISH).waitingNow(), "c1 and c3 re-routed, c2 waiting for its router");

        f.advance(4);                                     // t=40
        f.engine.setPresence("bea", Presence.AVAILABLE, null, f.clock.nowMs());
        List<Effect> offered = f.tick(0);
        assertEquals("bea", f.engine.call("c1").orElseThrow().agentId(), "the longest-waiting system-routed call");
        assertEquals(Phase.RINGING, f.engine.call("c1").orElseThrow().phase());
        assertTrue(offered.stream().anyMatch(e -> e instanceof Effect.Transitioned t && t.system()
            && t.event() instanceof CallEvent.CallRouted r && r.agentId().equals("bea")));
        assertEquals(Phase.QUEUED, f.engine.call("c3").orElseThrow().phase(), "bea rings for c1: c3 waits");
        assertNull(f.engine.call("c2").orElseThrow().agentId());

        f.engine.setPresence("carla", Presence.AVAILABLE, null, f.clock.nowMs());
        f.tick(0);
        assertEquals("carla", f.engine.call("c3").orElseThrow().agentId());
        assertNull(f.engine.call("c2").orElseThrow().agentId(), "c2 is its external router's");
    }

    @Test
    void theServiceLevelCountsAbandonsAfterTheShortAbandonThreshold() {
        Fixture f = new Fixture();
        // a: answered at exactly the SLA (30 s): within
        f.initiated("a", SPANISH);
        f.advance(30).routed("a", "ana");
        f.answered("a");
        // b: hung up after exactly 5 s: a short abandon, counted against nobody
        f.initiated("b", SPANISH);
        f.advance(5).ended("b", "caller_hangup");
        QueueMetrics q = queue(f, SPANISH);
        assertEquals(1.0, q.serviceLevel());
        assertEquals(0.0, q.abandonRate());
        assertEquals(0, q.abandoned());
        assertEquals(1, q.abandonedShort());
        // c: hung up after 5.001 s: abandoned
        f.initiated("c", SPANISH);
        f.advance(5.001).ended("c", "caller_hangup");
        // d: answered after 30.001 s: outside
        f.initiated("d", SPANISH);
        f.advance(30.001).routed("d", "bea");
        f.answered("d");
        q = queue(f, SPANISH);
        assertEquals(1, q.abandoned());
        assertEquals(3, q.answered() + q.abandoned());
        assertEquals(1.0 / 3, q.serviceLevel(), 1e-12);     // 1 within / (2 answered + 1 abandoned)
        assertEquals(1.0 / 3, q.abandonRate(), 1e-12);
        assertEquals(0.8, q.slTarget());

        QueueMetrics english = queue(f, Fixture.ENGLISH);
        assertNull(english.serviceLevel(), "nothing answered or abandoned: no figure, not 100 %");
        assertNull(english.abandonRate());
        QueueMetrics center = f.engine.centerMetrics();
        assertNull(center.queueId());
        assertEquals(q.serviceLevel(), center.serviceLevel());
        assertEquals(4, center.offered());
    }

    @Test
    void todayStartsAtMidnightInTheCentersTimeZone() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-02T22:30:00Z"));   // 23:30 in Madrid
        CallEngine engine = CallEngine.builder()
            .clock(clock)
            .router(AgentRouter.longestIdle())
            .queues(QueueDirectory.of(List.of(new QueueConfig(SPANISH, List.of("ana")))))
            .timeZone(ZoneId.of("Europe/Madrid"))
            .build();
        engine.handle(new CallEvent.CallInitiated("e1", "late", null, CallType.VOICE, SPANISH));
        engine.handle(new CallEvent.CallRouted("e2", "late", null, "ana", null));
        clock.advanceMs(10_000);
        engine.handle(new CallEvent.CallAnswered("e3", "late", null, null));
        QueueMetrics before = engine.queueMetrics().get(0);
        assertEquals(1, before.answered());
        assertEquals(Instant.parse("2026-12-01T23:00:00Z").toEpochMilli(), before.dayStartMs());

        clock.advanceMs(30 * 60_000 - 10_000);          // 00:00 in Madrid: a new day
        engine.advance();
        QueueMetrics after = engine.queueMetrics().get(0);
        assertEquals(Instant.parse("2026-12-02T23:00:00Z").toEpochMilli(), after.dayStartMs());
        assertEquals(0, after.offered());
        assertEquals(0, after.answered());
        assertNull(after.serviceLevel());
        clock.advanceMs(60_000);
        engine.handle(new CallEvent.CallEnded("e4", "late", null, "completed", null));
        AgentMetrics ana = engine.agentMetrics("ana").orElseThrow();
        assertEquals(60_000, ana.talkMs(), "a call across midnight counts today's part only");
        assertEquals(60_000, ana.loggedInMs(), "logged in since the day began (no presence sent)");
        assertEquals(1, engine.queueMetrics().get(0).handled(), "it ended today");
    }
}
