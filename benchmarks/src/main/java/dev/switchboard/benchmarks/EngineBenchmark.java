package dev.switchboard.benchmarks;

import dev.switchboard.core.CallEngine;
import dev.switchboard.core.Decision;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.QueueDirectory;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallType;
import dev.switchboard.core.time.ManualClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whole call lifecycles through {@link CallEngine#handle}: initiated, routed, answered, hold,
 * resumed, ended (6 events per call), on one thread. One operation = one event, so the score is
 * events per second.
 *
 * <p><b>Traffic.</b> {@code concurrentCalls} calls are in flight at once: the event stream
 * sweeps them phase by phase (every call's {@code call_initiated}, then every call's
 * {@code call_routed}, ...), so the engine holds about that many live calls and looks each one
 * up among them. Each call has its own agent, calls alternate between two queues. The
 * {@link ManualClock} moves a few ms per event so that consecutive events of one call are 5 to
 * 10 s apart: no timer reaches its deadline (SLA 30 s, ring 15 s, hold 60 s), every call is
 * answered within the SLA and talks longer than the 10 s short-call threshold, and ends
 * {@code completed} (so each end requests a post-call survey). SLA, ring and hold timers are
 * therefore scheduled and cancelled on the wheel, never fired. {@link CallEngine#advance()}
 * runs after every sweep ({@code concurrentCalls} events), walking the wheel's elapsed ticks.
 *
 * <p><b>Inputs are pre-built.</b> Events (with their ids and call-id strings) are built in
 * {@code @Setup}, so the score measures the engine, not the creation or parsing of events. Call
 * ids are reused after enough generations that the engine's retained ended calls (10 000) no
 * longer know them; their String hash codes are therefore cached, which a freshly parsed id
 * would not be (one extra hash of a short string per event).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EngineBenchmark {

    /** Events handled per benchmark invocation; every stream length is a multiple of it. */
    public static final int EVENTS_PER_INVOCATION = 6000;

    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final String[] QUEUES = {"medical_spanish", "medical_english"};

    @State(Scope.Thread)
    public static class Center {
        @Param({"1000", "10000"})
        public int concurrentCalls;

        ManualClock clock;
        CallEngine engine;
        CallEvent[] stream;
        int cursor;
        int sinceAdvance;
        long stepMs;
        long effects;
        long rejected;
        Decision lastRejection;

        @Setup(Level.Trial)
        public void setUp() {
            int c = concurrentCalls;
            List<List<String>> agents = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < c; i++) {
                agents.get(i % 2).add(agentId(i));
            }
            clock = new ManualClock(T0);
            engine = CallEngine.builder()
                .clock(clock)
                .queues(QueueDirectory.of(List.of(
                    new QueueConfig(QUEUES[0], agents.get(0)),
                    new QueueConfig(QUEUES[1], agents.get(1)))))
                .listener(e -> effects++)
                .build();
            // Consecutive events of one call are c * stepMs apart: 5 s at 1000 calls, 10 s at 10 000.
            stepMs = Math.max(1, 5_000 / c);
            // Enough generations of call ids that an id is forgotten (evicted from the engine's
            // 10 000 retained ended calls) before the stream comes back to it.
            int generations = (CallEngine.DEFAULT_RETAINED_ENDED_CALLS + c - 1) / c + 1;
            stream = new CallEvent[generations * 6 * c];
            if (stream.length % EVENTS_PER_INVOCATION != 0) {
                throw new IllegalArgumentException("concurrentCalls must divide into " + EVENTS_PER_INVOCATION + " events");
            }
            int n = 0;
            int eventSeq = 0;
            for (int g = 0; g < generations; g++) {
                String[] ids = new String[c];
                for (int i = 0; i < c; i++) {
                    ids[i] = "call-" + g + "-" + i;
                }
                for (int phase = 0; phase < 6; phase++) {
                    for (int i = 0; i < c; i++) {
                        String eventId = "evt-" + (eventSeq++);
                        String callId = ids[i];
                        stream[n++] = switch (phase) {
                            case 0 -> new CallEvent.CallInitiated(eventId, callId, null, CallType.VOICE, QUEUES[i % 2]);
                            case 1 -> new CallEvent.CallRouted(eventId, callId, null, agentId(i), null);
                            case 2 -> new CallEvent.CallAnswered(eventId, callId, null, null);
                            case 3 -> new CallEvent.CallHold(eventId, callId, null, null);
                            case 4 -> new CallEvent.CallResumed(eventId, callId, null);
                            default -> new CallEvent.CallEnded(eventId, callId, null, "completed", null);
                        };
                    }
                }
            }
        }

        @TearDown(Level.Iteration)
        public void check() {
            if (rejected > 0) {
                throw new IllegalStateException(rejected + " events were rejected, e.g. " + lastRejection);
            }
            if (engine.liveCallCount() > concurrentCalls) {
                throw new IllegalStateException(engine.liveCallCount() + " live calls, expected at most " + concurrentCalls);
            }
        }

        private static String agentId(int i) {
            return "agent-" + i;
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public long lifecycles(Center c) {
        CallEngine engine = c.engine;
        ManualClock clock = c.clock;
        CallEvent[] stream = c.stream;
        int cursor = c.cursor;
        int sinceAdvance = c.sinceAdvance;
        int concurrent = c.concurrentCalls;
        long stepMs = c.stepMs;
        for (int i = 0; i < EVENTS_PER_INVOCATION; i++) {
            clock.advanceMs(stepMs);
            Decision d = engine.handle(stream[cursor]);
            if (d instanceof Decision.Rejected) {
                c.rejected++;
                c.lastRejection = d;
            }
            if (++cursor == stream.length) {
                cursor = 0;
            }
            if (++sinceAdvance == concurrent) {
                sinceAdvance = 0;
                engine.advance();
            }
        }
        c.cursor = cursor;
        c.sinceAdvance = sinceAdvance;
        return c.effects;
    }
}
