package dev.switchboard.server;

import dev.switchboard.server.http.ApiProblem;
import dev.switchboard.server.http.Problems;
import dev.switchboard.server.observe.Readiness;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The graceful stop: an HTTP filter that counts the requests in flight and refuses new ones once
 * the stop has begun, and the ordered stop sequence that follows, bounded by
 * {@code SWITCHBOARD_DRAIN_TIMEOUT}.
 *
 * <p>What it guarantees, from the moment {@link #stop} begins:
 * <ul>
 *   <li>no new request reaches a handler: each gets {@code 503} problem+json with
 *       {@code Retry-After} and {@code Connection: close}; the {@code /observe} probes still answer,
 *       and readiness ({@link #readiness()}) is DOWN at once, so a load balancer stops sending;</li>
 *   <li>every request admitted before has finished (its commit made and its reply written) before
 *       the first step runs, unless the deadline passes first;</li>
 *   <li>the steps run one after another in the order given, each within what is left of the
 *       timeout; a step still running at the deadline is abandoned (its thread is a daemon, so it
 *       cannot hold the JVM), and each step after it still runs but is waited for only
 *       {@link #LATE_STEP_GRACE_MS}: the whole stop ends within the timeout plus that much per
 *       late step;</li>
 *   <li>one line at the end: INFO when all was drained in time, otherwise a WARNING naming what
 *       was cut off.</li>
 * </ul>
 * Not guaranteed: a request admitted in the moment before the stop began may still be answered
 * after readiness went DOWN (it was in flight); a client whose request was cut off at the deadline
 * got no reply and must resend (with its {@code event_id}, which is safe).
 *
 * <p>Admission is race-free without a lock: a request counts itself in flight <em>before</em> it
 * reads the draining flag, and the stop sets the flag <em>before</em> it waits for the count to
 * reach zero, so a request either sees the flag or is waited for.
 *
 * <p>Thread-safe; {@link #stop} runs once, later calls wait for the first one to end.
 */
public final class Drain implements Filter {

    private static final Logger LOG = Logger.getLogger(Drain.class.getName());
    /**
     * {@code Retry-After} on refusals: about what a restart of this server takes, so a client
     * without another node to go to comes back when it may be up again.
     */
    static final int RETRY_AFTER_SECONDS = 5;
    /**
     * How long a step that starts after the deadline is waited for: long enough for the quick ones
     * (closing a pool, a listener), so a slow step does not make the others count as cut off too.
     */
    static final long LATE_STEP_GRACE_MS = 100;
    /** Health probes pass during the drain: readiness must be able to say DOWN. */
    private static final String PROBES = "/observe/";

    /** One thing to stop, in order. */
    public record Step(String name, Runnable action) {
    }

    private final Duration timeout;
    private final LongSupplier committedSeq;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder finishedWhileDraining = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final Object idle = new Object();
    private final AtomicBoolean begun = new AtomicBoolean();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean draining;

    /**
     * @param timeout      the whole stop, from refusing intake to the last step
     * @param committedSeq the last committed audit-log seq, to report how much the drain committed
     */
    public Drain(Duration timeout, LongSupplier committedSeq) {
        this.timeout = timeout;
        this.committedSeq = committedSeq;
    }

    // ------------------------------------------------------------------ intake

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (req.path().absolute().path().startsWith(PROBES)) {
            chain.proceed();
            return;
        }
        inFlight.incrementAndGet();   // before reading the flag: see the class comment
        if (draining) {
            leave();
            refused.increment();
            refuse(req, res);
            return;
        }
        try {
            chain.proceed();
        } finally {
            if (draining) {
                finishedWhileDraining.increment();
            }
            leave();
        }
    }

    private void leave() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private static void refuse(RoutingRequest req, RoutingResponse res) {
        // the body is read and dropped so that the connection is never left mid-request
        req.content().consume();
        res.header(HeaderValues.CONNECTION_CLOSE);
        Problems.send(req, res, new ApiProblem(503, "Service Unavailable",
            "the server is stopping; retry in " + RETRY_AFTER_SECONDS + " s (here after a restart, or on another node)",
            List.of(), RETRY_AFTER_SECONDS));
    }

    /** Whether the stop has begun (new requests are refused). */
    public boolean draining() {
        return draining;
    }

    /** Requests being handled now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Readiness: DOWN from the moment the stop begins. */
    public HealthCheck readiness() {
        return new Readiness("drain", () -> {
            HealthCheckResponse.Builder b = HealthCheckResponse.builder()
                .status(draining ? HealthCheckResponse.Status.DOWN : HealthCheckResponse.Status.UP);
            if (draining) {
                b.detail("stopping", true);
            }
            return b.build();
        });
    }

    // ------------------------------------------------------------------ the stop

    /**
     * Refuses new requests, waits for those in flight, then runs {@code steps} in order, all within
     * the timeout. Safe from a JVM shutdown hook and from a plain call; runs once.
     */
    public void stop(List<Step> steps) {
        if (!begun.compareAndSet(false, true)) {
            try {
                ended.await(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            run(steps);
        } finally {
            ended.countDown();
        }
    }

    private void run(List<Step> steps) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        long seq0 = committedSeq.getAsLong();
        draining = true;
        List<String> cutOff = new ArrayList<>();
        List<String> took = new ArrayList<>();
        int left = awaitRequests(deadline);
        took.add("requests " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        if (left > 0) {
            cutOff.add(left + " request(s) in flight");
        }
        for (Step step : steps) {
            long s0 = System.nanoTime();
            if (!runWithin(step, deadline)) {
                cutOff.add(step.name());
            }
            took.add(step.name() + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s0) + " ms");
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        String figures = finishedWhileDraining.sum() + " request(s) in flight finished, " + refused.sum()
            + " refused, " + (committedSeq.getAsLong() - seq0) + " audit-log entries committed";
        if (cutOff.isEmpty()) {
            LOG.info("Drained in " + ms + " ms: " + figures + " (" + String.join(", ", took) + ")");
        } else {
            LOG.warning("Drain cut off at SWITCHBOARD_DRAIN_TIMEOUT (" + timeout + ") after " + ms + " ms; not finished: "
                + String.join(", ", cutOff) + "; " + figures + " (" + String.join(", ", took) + ")");
        }
    }

    /** Waits until no request is in flight or the deadline passes; how many are left. */
    private int awaitRequests(long deadline) {
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long waitMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (waitMs <= 0) {
                    break;
                }
                try {
                    idle.wait(waitMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return inFlight.get();
    }

    /**
     * Runs one step on a daemon thread of its own and waits for it until the deadline (past it,
     * {@link #LATE_STEP_GRACE_MS}); whether it finished. A step that throws is reported and counts as finished: the next one still runs.
     */
    private static boolean runWithin(Step step, long deadline) {
        Thread t = Thread.ofPlatform().name("switchboard-stop-" + step.name()).daemon().start(() -> {
            try {
                step.action().run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "stopping the " + step.name() + " failed: " + e);
            }
        });
        long waitMs = Math.max(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), LATE_STEP_GRACE_MS);
        try {
            t.join(waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }
}
