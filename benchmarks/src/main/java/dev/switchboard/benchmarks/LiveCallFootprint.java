package dev.switchboard.benchmarks;

import dev.switchboard.core.CallEngine;
import dev.switchboard.core.Decision;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.QueueDirectory;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallType;
import dev.switchboard.core.time.ManualClock;

import java.lang.ref.Reference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Retained heap per live call at 100 000 live calls (or the count given as the first argument).
 *
 * <p>An engine with two queues and 1000 agents; full GCs and heap in use; then every call is
 * initiated, then every call routed, then every call answered (so up to two timers per call are
 * pending on the way, as when many calls wait at once), none ended; full GCs and heap in use
 * again. The difference over the call count is the heap the engine keeps per live (talking)
 * call: the call record, the engine's handle and index entries, the call-id string, and whatever
 * capacity the engine's maps and timer wheel grew to and kept. Call ids are 36-character UUID
 * strings, as PBXs send; event objects are garbage once handled. A class histogram diff shows
 * where the bytes are.
 *
 * <p>Run: {@code java -XX:+UseSerialGC -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar
 * dev.switchboard.benchmarks.LiveCallFootprint}
 */
public final class LiveCallFootprint {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final int AGENTS = 1000;

    private LiveCallFootprint() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.println("JVM: " + Heap.vmSummary());

        // Load and initialise every class on the path first (class mirrors live in the heap too).
        load(newEngine(new ManualClock(T0)), new ManualClock(T0), 2_000, true);

        ManualClock clock = new ManualClock(T0);
        CallEngine engine = newEngine(clock);
        Map<String, long[]> h0 = Heap.histogram();
        long before = Heap.usedAfterGc();
        load(engine, clock, n, false);
        long after = Heap.usedAfterGc();
        if (engine.liveCallCount() != n) {
            throw new IllegalStateException(engine.liveCallCount() + " live calls, expected " + n);
        }
        System.out.printf(Locale.ROOT, "%,d live calls (answered, not ended), %,d pending timers%n", n,
            engine.pendingTimers());
        System.out.printf(Locale.ROOT, "retained %,d B = %.1f B per live call%n", after - before,
            (double) (after - before) / n);
        Heap.printGrowth(h0, Heap.histogram(), n, "call", 12);
        Reference.reachabilityFence(engine);
    }

    static CallEngine newEngine(ManualClock clock) {
        List<String> spanish = new ArrayList<>();
        List<String> english = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            (i % 2 == 0 ? spanish : english).add("agent-" + i);
        }
        return CallEngine.builder()
            .clock(clock)
            .queues(QueueDirectory.of(List.of(
                new QueueConfig("medical_spanish", spanish),
                new QueueConfig("medical_english", english))))
            .listener(effect -> { })
            .build();
    }

    /**
     * Initiates, routes and answers {@code n} calls in three sweeps. The clock moves 1 ms every
     * 10 events so each sweep of 100k events spans 10 s: every call is answered within its ring
     * timeout (15 s) and SLA (30 s), so no timer fires and no alert is raised.
     */
    static void load(CallEngine engine, ManualClock clock, int n, boolean end) {
        Random r = new Random(7);
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = new UUID(r.nextLong(), r.nextLong()).toString();
        }
        int events = 0;
        for (int phase = 0; phase < (end ? 4 : 3); phase++) {
            for (int i = 0; i < n; i++) {
                String eventId = "e-" + phase + "-" + i;
                CallEvent e = switch (phase) {
                    case 0 -> new CallEvent.CallInitiated(eventId, ids[i], null, CallType.VOICE,
                        i % 2 == 0 ? "medical_spanish" : "medical_english");
                    case 1 -> new CallEvent.CallRouted(eventId, ids[i], null, "agent-" + (i % AGENTS), null);
                    case 2 -> new CallEvent.CallAnswered(eventId, ids[i], null, null);
                    default -> new CallEvent.CallEnded(eventId, ids[i], null, "completed", null);
                };
                Decision d = engine.handle(e);
                if (d instanceof Decision.Rejected rej) {
                    throw new IllegalStateException("rejected: " + rej);
                }
                if (++events % 10 == 0) {
                    clock.advanceMs(1);
                }
                if (events % 1000 == 0) {
                    engine.advance();
                }
            }
        }
        engine.advance();
    }
}
