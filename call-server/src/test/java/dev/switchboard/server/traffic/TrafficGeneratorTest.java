package dev.switchboard.server.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.AgentRouter;
import dev.switchboard.core.CallEngine;
import dev.switchboard.core.Decision;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.QueueDirectory;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.EventType;
import dev.switchboard.core.metrics.AgentMetrics;
import dev.switchboard.core.metrics.AgentState;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.server.wire.EventParser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator against a real engine on a virtual clock: every event it makes is parsed as
 * {@code POST /api/events} parses it and decided by call-core's rules and timers, so a wrong
 * transition is refused here exactly as the server would refuse it.
 */
class TrafficGeneratorTest {

    private static final long START = 1_700_000_000_000L;

    /** A center of three queues driven only by the generator, ticked as {@link Traffic} ticks it. */
    private static final class Center implements TrafficGenerator.Ports {
        final ManualClock clock = new ManualClock(START);
        final CallEngine engine = CallEngine.builder()
            .clock(clock)
            .router(AgentRouter.longestIdle())
            .queues(QueueDirectory.of(List.of(
                new QueueConfig("medical_spanish", List.of("ana", "bea", "carla", "dora")),
                new QueueConfig("medical_english", List.of("ed", "fay", "gus")),
                new QueueConfig("legal_french", List.of("hugo", "ines")))))
            .build();
        final Map<EventType, Integer> accepted = new EnumMap<>(EventType.class);
        final List<String> refusals = new ArrayList<>();
        final TrafficGenerator generator;

        Center(RandomGenerator random) {
            generator = new TrafficGenerator(this, random);
        }

        @Override
        public TrafficGenerator.Posted post(ObjectNode event) {
            var parsed = EventParser.parse(event);
            if (!(parsed instanceof EventParser.Parsed.Ok ok)) {
                throw new AssertionError("the generator made an invalid event: " + event + " " + parsed);
            }
            Decision d = engine.handle(ok.event().event());
            if (d instanceof Decision.Rejected r) {
                refusals.add(event.path("type").asText() + ": " + r.rejection().message());
                return TrafficGenerator.Posted.REFUSED;
            }
            accepted.merge(ok.event().event().type(), 1, Integer::sum);
            return TrafficGenerator.Posted.ACCEPTED;
        }

        @Override
        public Optional<Call> call(String callId) {
            return engine.call(callId);
        }

        @Override
        public Collection<QueueConfig> queues() {
            return engine.queues().all();
        }

        @Override
        public Map<String, AgentState> agentStates() {
            Map<String, AgentState> states = new HashMap<>();
            for (AgentMetrics a : engine.agentMetrics()) {
                states.put(a.agentId(), a.state());
            }
            return states;
        }

        /** Lets {@code span} pass in the generator's ticks, timers firing as they fall due. */
        void run(Duration span) {
            long end = clock.nowMs() + span.toMillis();
            while (clock.nowMs() < end) {
                clock.advanceMs(Traffic.TICK_MS);
                engine.advance();
                generator.tick(clock.nowMs());
            }
        }

        long liveGeneratedCalls() {
            return engine.liveCalls().stream().filter(c -> c.id().startsWith(TrafficGenerator.ID_PREFIX)).count();
        }

        int count(EventType type) {
            return accepted.getOrDefault(type, 0);
        }
    }

    @Test
    void playsWholeCallLivesAndStopsByItselfWhenItsDurationIsOver() {
        Center center = new Center(new SplittableRandom(7));
        assertTrue(center.generator.start(120, Duration.ofMinutes(20), "alice", center.clock.nowMs()));

        center.run(Duration.ofMinutes(20).plusSeconds(1));

        TrafficGenerator.Status s = center.generator.status();
        assertFalse(s.running());
        assertEquals(TrafficGenerator.StopReason.DURATION, s.stopReason());
        assertEquals("alice", s.startedBy());
        // ~2,400 arrivals at 120/min; the Poisson count lies well within ±15 % of that
        assertTrue(s.callsStarted() > 2_000 && s.callsStarted() < 2_800, "calls started: " + s.callsStarted());
        assertEquals(s.callsStarted(), center.count(EventType.CALL_INITIATED));
        // every kind of moment a supervisor should see happened, through the real rules
        for (EventType t : List.of(EventType.CALL_ROUTED, EventType.CALL_ANSWERED, EventType.CALL_HOLD,
            EventType.CALL_RESUMED, EventType.CALL_TRANSFERRED, EventType.CALL_ENDED)) {
            assertTrue(center.count(t) > 0, "no " + t + " in " + center.accepted);
        }
        // nothing it started is left live, and it never lost track of a call (refusals are rare races at most)
        assertEquals(0, center.liveGeneratedCalls());
        assertEquals(0, s.liveCalls());
        assertEquals(s.eventsPosted(), center.accepted.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(s.eventsRefused(), center.refusals.size());
        assertTrue(center.refusals.size() < s.callsStarted() / 50, "refused: " + center.refusals);
    }

    @Test
    void keepsLiveCallsUnderItsCapWhateverTheRate() {
        Center center = new Center(new SplittableRandom(11));
        center.generator.start(TrafficGenerator.MAX_CALLS_PER_MINUTE, Duration.ofMinutes(5), "load", center.clock.nowMs());
        long most = 0;
        for (int i = 0; i < 300; i++) {
            center.run(Duration.ofSeconds(1));
            most = Math.max(most, center.generator.status().liveCalls());
            assertTrue(center.liveGeneratedCalls() <= TrafficGenerator.MAX_LIVE_CALLS);
        }
        assertEquals(TrafficGenerator.MAX_LIVE_CALLS, most, "the cap is reached at 10 calls a second with 9 agents");
    }

    @Test
    void aStopEndsEveryCallItWasPlaying() {
        Center center = new Center(new SplittableRandom(3));
        center.generator.start(60, Duration.ofHours(1), "alice", center.clock.nowMs());
        center.run(Duration.ofMinutes(3));
        long live = center.liveGeneratedCalls();
        assertTrue(live > 5, "calls in progress: " + live);
        int endedBefore = center.count(EventType.CALL_ENDED);

        assertTrue(center.generator.stop(TrafficGenerator.StopReason.STOPPED, center.clock.nowMs()));

        assertEquals(0, center.liveGeneratedCalls());
        assertEquals(endedBefore + live, center.count(EventType.CALL_ENDED));
        TrafficGenerator.Status s = center.generator.status();
        assertFalse(s.running());
        assertEquals(TrafficGenerator.StopReason.STOPPED, s.stopReason());
        assertEquals(0, s.liveCalls());
        // stopped is stopped: time passing starts nothing
        long started = s.callsStarted();
        center.run(Duration.ofMinutes(1));
        assertEquals(started, center.generator.status().callsStarted());
        assertFalse(center.generator.stop(TrafficGenerator.StopReason.STOPPED, center.clock.nowMs()));
    }

    @Test
    void aStartWhileRunningChangesTheRateAndMovesTheEndKeepingTheCounts() {
        Center center = new Center(new SplittableRandom(5));
        center.generator.start(30, Duration.ofMinutes(2), "alice", center.clock.nowMs());
        center.run(Duration.ofMinutes(1));
        long started = center.generator.status().callsStarted();
        assertTrue(started > 0);

        assertFalse(center.generator.start(300, Duration.ofMinutes(2), "bob", center.clock.nowMs()));

        TrafficGenerator.Status s = center.generator.status();
        assertTrue(s.running());
        assertEquals(300, s.callsPerMinute());
        assertEquals("alice", s.startedBy(), "the run is still the one alice started");
        assertEquals(java.time.Instant.ofEpochMilli(center.clock.nowMs()).plus(Duration.ofMinutes(2)), s.endsAt());
        center.run(Duration.ofSeconds(90));
        assertTrue(center.generator.running(), "the end moved two minutes on from the change");
        assertTrue(center.generator.status().callsStarted() > started + 300);
    }

    @Test
    void refusesRatesAndDurationsOutOfRange() {
        Center center = new Center(new SplittableRandom(1));
        long now = center.clock.nowMs();
        assertThrows(IllegalArgumentException.class, () -> center.generator.start(0, Duration.ofMinutes(1), "a", now));
        assertThrows(IllegalArgumentException.class, () -> center.generator.start(601, Duration.ofMinutes(1), "a", now));
        assertThrows(IllegalArgumentException.class, () -> center.generator.start(10, Duration.ofMillis(999), "a", now));
        assertThrows(IllegalArgumentException.class, () -> center.generator.start(10, Duration.ofHours(8).plusSeconds(1), "a", now));
        assertFalse(center.generator.running());
        TrafficGenerator.Status never = center.generator.status();
        assertNull(never.callsPerMinute());
        assertNull(never.startedAt());
        assertEquals(0, never.callsStarted());
    }
}
