package dev.switchboard.server.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.metrics.AgentMetrics;
import dev.switchboard.core.metrics.AgentState;
import dev.switchboard.core.time.Clock;
import dev.switchboard.server.ingest.Ingestor;
import dev.switchboard.server.ingest.Outcome;
import dev.switchboard.server.wire.EventParser;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The server's traffic generator as a service: one {@link TrafficGenerator} whose every call runs
 * on one thread, ticked every {@value #TICK_MS} ms while a run is going. It posts through the
 * {@link Ingestor} like {@code POST /api/events} (same parsing, rules, log and pushes), so it
 * outlives any supervisor's browser tab and stops by itself when its duration is over.
 *
 * <p>It runs on the node that answered the start: in a cluster, {@code /api/traffic} is proxied to
 * the leader, so it runs there, and a node that stops leading stops its run
 * ({@code stop_reason: "leadership_lost"}). A run does not survive a restart of its node: the stop that comes
 * with a drain ends its calls ({@code stop_reason: "shutdown"}); after a kill -9 its calls are
 * left as a crashed telephony platform would leave them, and the idle-call expiry ends them.
 */
public final class Traffic implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Traffic.class.getName());
    /** Tick period: well under the shortest step of a call (250 ms) and the precision a demo needs. */
    static final long TICK_MS = 200;

    private final TrafficGenerator generator;
    private final Clock clock;
    private final java.util.function.BooleanSupplier leading;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "switchboard-traffic");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> ticking;   // read and written on the generator's thread only
    private volatile TrafficGenerator.Status status = TrafficGenerator.Status.NEVER_RUN;

    /**
     * @param leading whether this node decides now; a run on a node that stops leading stops (its
     *                calls end through the new leader), since {@code /api/traffic} reaches the leader
     */
    public Traffic(TrafficGenerator.Ports ports, Clock clock, RandomGenerator random,
                   java.util.function.BooleanSupplier leading) {
        this.generator = new TrafficGenerator(ports, random);
        this.clock = clock;
        this.leading = leading;
    }

    /** A generator that posts into {@code ingestor} and reads its engine. */
    public static Traffic on(Ingestor ingestor) {
        return new Traffic(ports(ingestor), Clock.system(), RandomGenerator.getDefault(), ingestor::leading);
    }

    /** The ports of a generator over a real ingest path. */
    static TrafficGenerator.Ports ports(Ingestor ingestor) {
        return new TrafficGenerator.Ports() {
            @Override
            public TrafficGenerator.Posted post(ObjectNode event) {
                return switch (EventParser.parse(event)) {
                    case EventParser.Parsed.Invalid bad ->
                        throw new IllegalStateException("the generator made an invalid event: " + bad.errors());
                    case EventParser.Parsed.Ok ok -> switch (ingestor.ingest(ok.event())) {
                        case Outcome.Created c -> TrafficGenerator.Posted.ACCEPTED;
                        case Outcome.Duplicate d -> TrafficGenerator.Posted.ACCEPTED;
                        case Outcome.Rejected r -> TrafficGenerator.Posted.REFUSED;
                        case Outcome.Unavailable u -> TrafficGenerator.Posted.UNAVAILABLE;
                    };
                };
            }

            @Override
            public Optional<Call> call(String callId) {
                return ingestor.withEngine(e -> e.call(callId));
            }

            @Override
            public Collection<QueueConfig> queues() {
                return ingestor.withEngine(e -> List.copyOf(e.queues().all()));
            }

            @Override
            public Map<String, AgentState> agentStates() {
                return ingestor.withEngine(e -> {
                    Map<String, AgentState> states = new HashMap<>();
                    for (AgentMetrics a : e.agentMetrics()) {
                        states.put(a.agentId(), a.state());
                    }
                    return states;
                });
            }
        };
    }

    /** The outcome of a start: whether a new run began, and the status after. */
    public record Started(boolean fresh, TrafficGenerator.Status status) {
    }

    /**
     * Starts a run, or changes the running one.
     *
     * @throws IllegalArgumentException for a rate or duration out of range
     */
    public Started start(int callsPerMinute, Duration duration, String by) {
        return onThread(() -> {
            boolean fresh = generator.start(callsPerMinute, duration, by, clock.nowMs());
            if (ticking == null) {
                ticking = thread.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
            }
            publish();
            LOG.info((fresh ? "traffic generator started by " : "traffic generator changed by ") + by + ": "
                + callsPerMinute + " calls/min for " + duration);
            return new Started(fresh, status);
        });
    }

    /** Stops the run (if any) and ends its calls; the status after. */
    public TrafficGenerator.Status stop(TrafficGenerator.StopReason reason) {
        return onThread(() -> {
            if (generator.stop(reason, clock.nowMs())) {
                LOG.info("traffic generator stopped (" + reason.wireName() + ")");
            }
            idle();
            return status;
        });
    }

    public TrafficGenerator.Status status() {
        return status;
    }

    private void tick() {
        try {
            if (!leading.getAsBoolean()) {
                generator.stop(TrafficGenerator.StopReason.LEADERSHIP_LOST, clock.nowMs());
                LOG.warning("traffic generator stopped: this node no longer leads the cluster");
                idle();
                return;
            }
            generator.tick(clock.nowMs());
            if (!generator.running()) {
                LOG.info("traffic generator stopped by itself: its duration is over");
                idle();
            }
        } catch (RuntimeException e) {
            // a bad tick must not end the ticking: the next one tries again
            LOG.log(Level.WARNING, "traffic generator tick failed", e);
        }
        publish();
    }

    private void idle() {
        if (ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
        publish();
    }

    private void publish() {
        status = generator.status();
    }

    private <T> T onThread(Callable<T> work) {
        try {
            return thread.submit(work).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the traffic generator worked", e);
        }
    }

    /** A drain's step: the run stops and ends its calls while ingest still takes them. */
    @Override
    public void close() {
        if (!thread.isShutdown()) {
            stop(TrafficGenerator.StopReason.SHUTDOWN);
            thread.shutdown();
        }
    }
}
