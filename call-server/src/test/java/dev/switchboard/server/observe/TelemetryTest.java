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
}
