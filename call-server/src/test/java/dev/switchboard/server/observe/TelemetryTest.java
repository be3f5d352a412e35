package dev.switchboard.server.observe;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

class TelemetryTest {

    @Test
    void aCounterKeepsCountingAfterAGarbageCollection() {
        Telemetry t = new Telemetry();
        AtomicLong deliveries = new AtomicLong();
        Supplier<Number> read = deliveries::get;
        WeakReference<Supplier<Number>> probe = new WeakReference<>(read);
        t.counter("test_deliveries", "deliveries", read);
        read = null;
        for (int i = 0; i < 5 && probe.get() != null; i++) {
            System.gc();
        }
        deliveries.set(7);
        assertTrue(t.scrape().lines().anyMatch(l -> l.equals("test_deliveries_total 7.0")),
            "Micrometer holds a counter's supplier weakly: Telemetry must keep it\n" + t.scrape());
        assertTrue(probe.get() != null, "the supplier is still reachable");
    }

    @Test
    void groupCommitsAreTimedAndSized() {
        Telemetry t = new Telemetry();
        t.recordCommit(3_000_000, 17);
        t.recordCommit(12_000_000, 40);
        String scrape = t.scrape();
        assertTrue(scrape.lines().anyMatch(l -> l.equals("switchboard_commit_duration_seconds_count 2.0")), scrape);
        assertTrue(scrape.lines().anyMatch(l -> l.equals("switchboard_commit_duration_seconds_sum 0.015")), scrape);
        assertTrue(scrape.lines().anyMatch(l -> l.equals("switchboard_commit_entries_sum 57.0")), scrape);
        assertTrue(scrape.lines().anyMatch(l -> l.startsWith("switchboard_commit_duration_seconds_bucket{le=\"0.004194304\"")
            && l.endsWith(" 1.0")), "one commit within 4.2 ms\n" + scrape);
    }
}
