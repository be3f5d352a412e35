package dev.switchboard.server.observe;

import dev.switchboard.core.call.CallStatus;
import dev.switchboard.core.call.EventType;
import dev.switchboard.core.QueueConfig;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The service's metrics in Prometheus format (Micrometer), served at {@code GET /metrics}:
 * events accepted by type and rejected by reason, ingest latency, calls by status and queue,
 * open alerts, Socket.io clients, outbox backlog and delivery failures, database pool usage
 * (Hikari's own meters).
 */
public final class Telemetry {

    /** Every reason a request or event is refused, so each series exists from the start. */
    public static final List<String> REJECTION_REASONS = List.of("invalid", "malformed_json", "unsupported_media_type",
        "too_large", "unauthorized", "forbidden", "unknown_call", "unknown_queue", "illegal_transition",
        "storage_unavailable", "rate_limited");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer ingestLatency;
    private final Timer commitDuration;
    private final DistributionSummary commitEntries;
    /**
     * What the function counters read. Micrometer holds a counter's object weakly (and this
     * version has no strong option for counters), so a supplier made for it would be collected and
     * the counter frozen at 0.
     */
    private final List<Object> counted = new CopyOnWriteArrayList<>();

    public Telemetry() {
        ingestLatency = Timer.builder("switchboard_ingest_latency")
            .description("POST /api/events from request to reply")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
        commitDuration = Timer.builder("switchboard_commit_duration")
            .description("one group commit's transaction, from its first statement to the database's acknowledgement")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
        commitEntries = DistributionSummary.builder("switchboard_commit_entries")
            .description("log entries written by one group commit")
            .publishPercentileHistogram()
            .minimumExpectedValue(1.0)
            .maximumExpectedValue(2000.0)
            .register(registry);
    }

    /** A group commit that succeeded: how long its transaction took and how many log entries it wrote. */
    public void recordCommit(long nanos, int entries) {
        commitDuration.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        commitEntries.record(entries);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void recordIngest(Duration took) {
        ingestLatency.record(took);
    }

    /** Binds the ingestion counters (maps of LongAdders, keyed by type / reason). */
    public void bindIngest(Map<String, LongAdder> accepted, Map<String, LongAdder> rejected, Supplier<Long> commitFailures,
                           Supplier<Integer> backlog, Supplier<Long> commits) {
        for (EventType t : EventType.values()) {
            LongAdder a = accepted.computeIfAbsent(t.wireName(), k -> new LongAdder());
            FunctionCounter.builder("switchboard_events_accepted", a, LongAdder::sum).tag("type", t.wireName())
                .description("events committed, by type").register(registry);
        }
        for (String reason : REJECTION_REASONS) {
            LongAdder r = rejected.computeIfAbsent(reason, k -> new LongAdder());
            FunctionCounter.builder("switchboard_events_rejected", r, LongAdder::sum).tag("reason", reason)
                .description("requests or events refused, by reason").register(registry);
        }
        counted.add(commitFailures);
        FunctionCounter.builder("switchboard_commit_failures", commitFailures, s -> s.get()).register(registry);
        counted.add(commits);
        FunctionCounter.builder("switchboard_commits", commits, s -> s.get())
            .description("group commits (transactions the writer committed)").register(registry);
        Gauge.builder("switchboard_commit_backlog", backlog, s -> s.get()).description("decisions waiting for the writer")
            .strongReference(true).register(registry);
    }

    /** Calls by status and queue, from one snapshot function per scrape. */
    public void bindCalls(List<QueueConfig> queues, ToDoubleFunction<String[]> count) {
        for (QueueConfig q : queues) {
            for (CallStatus s : List.of(CallStatus.WAITING, CallStatus.ACTIVE, CallStatus.ON_HOLD)) {
                String[] key = {q.id(), s.wireName()};
                Gauge.builder("switchboard_calls", key, count).tag("queue", q.id()).tag("status", s.wireName())
                    .description("live calls by queue and status").strongReference(true).register(registry);
            }
        }
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value, v -> v.get().doubleValue()).description(description).strongReference(true)
            .register(registry);
    }

    public void counter(String name, String description, Supplier<Number> value) {
        counted.add(value);
        FunctionCounter.builder(name, value, v -> v.get().doubleValue()).description(description).register(registry);
    }

    /** Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

}
