package dev.switchboard.core.metrics;

import dev.switchboard.core.Fixture;
import org.junit.jupiter.api.Test;

import static dev.switchboard.core.Fixture.ENGLISH;
import static dev.switchboard.core.Fixture.SPANISH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A small scripted day of calls, with every figure worked out by hand. */
class ScriptedDayTest {

    private final Fixture f = new Fixture();

    private AgentMetrics agent(String id) {
        return f.engine.agentMetrics().stream().filter(a -> a.agentId().equals(id)).findFirst().orElseThrow();
    }

    private QueueMetrics queue(String id) {
        return f.engine.queueMetrics().stream().filter(q -> q.queueId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aDayOfCalls() {
        // t=0   c1 arrives, rings ana at 5, answered at 10 (wait 10 s), holds 20..50, ends at 130
        f.initiated("c1", SPANISH);
        f.advance(5).routed("c1", "ana");
        f.advance(5).answered("c1");
        // t=10  c2 arrives, rings bea at 12; bea lets it ring: at 27 re-routed to carla (idle longest)
        f.initiated("c2", SPANISH);
        f.advance(2).routed("c2", "bea");
        f.tick(8);                                    // t=20
        f.hold("c1");
        f.tick(7);                                    // t=27: ring timeout for bea -> carla
        assertEquals("carla", f.engine.call("c2").orElseThrow().agentId());
        f.advance(13).answered("c2");                // t=40: c2 waited 30 s: within the SLA (not more)
        f.advance(10).resumed("c1");                  // t=50: ana held 30 s
        // t=50  c3 arrives and is abandoned at 95 (breaches the SLA at 80)
        f.initiated("c3", SPANISH);
        f.tick(45);                                   // t=95
        f.ended("c3", "caller_hangup");
        f.advance(35).ended("c1", "completed");       // t=130: ana talk 10..20 + 50..130 = 90 s, hold 30 s
        f.advance(10).ended("c2", "completed");       // t=140: carla talk 40..140 = 100 s
        // an English call waiting right now since t=140
        f.initiated("e1", ENGLISH);
        f.advance(12);                                // t=152

        AgentMetrics ana = agent("ana");
        assertEquals(1, ana.offered());
        assertEquals(1, ana.answered());
        assertEquals(0, ana.missed());
        assertEquals(90_000, ana.talkMs());
        assertEquals(30_000, ana.holdMs());
        assertEquals(1, ana.handled());
        assertEquals(120_000.0, ana.averageHandleTimeMs());
        assertEquals(AgentState.AVAILABLE, ana.state());

        AgentMetrics bea = agent("bea");
        assertEquals(1, bea.offered());
        assertEquals(0, bea.answered());
        assertEquals(1, bea.missed());
        assertNull(bea.averageHandleTimeMs());

        AgentMetrics carla = agent("carla");
        assertEquals(1, carla.offered());
        assertEquals(1, carla.answered());
        assertEquals(100_000, carla.talkMs());
        assertEquals(100_000.0, carla.averageHandleTimeMs());

        QueueMetrics spanish = queue(SPANISH);
        assertEquals(3, spanish.offered());
        assertEquals(2, spanish.answered());
        assertEquals(2, spanish.answeredWithinSla());
        // c3 waited 45 s before hanging up: over the 5 s short-abandon, so it counts against the queue
        assertEquals(2.0 / 3, spanish.serviceLevel());
        assertEquals(1.0 / 3, spanish.abandonRate());
        assertEquals(20_000.0, spanish.averageSpeedOfAnswerMs());   // (10 + 30) / 2
        assertEquals(1, spanish.abandoned());
        assertEquals(0, spanish.abandonedShort());
        assertEquals(0, spanish.waitingNow());
        assertEquals(0, spanish.longestWaitMs());

        QueueMetrics english = queue(ENGLISH);
        assertEquals(1, english.waitingNow());
        assertEquals(12_000, english.longestWaitMs());
        assertNull(english.serviceLevel());
    }

    @Test
    void serviceLevelCountsAnswersOverTheSla() {
        f.initiated("a", SPANISH);
        f.advance(31).routed("a", "ana");
        f.answered("a");
        f.initiated("b", SPANISH);
        f.routed("b", "bea");
        f.advance(1).answered("b");
        assertEquals(0.5, queue(SPANISH).serviceLevel());
        assertEquals(16_000.0, queue(SPANISH).averageSpeedOfAnswerMs());
    }

    @Test
    void anAgentIsRegisteredAtFirstSight() {
        f.initiated("a", SPANISH);
        f.routed("a", "agent_55");
        assertEquals(AgentState.RINGING, agent("agent_55").state());
        assertEquals("a", agent("agent_55").currentCallId());
    }
}
