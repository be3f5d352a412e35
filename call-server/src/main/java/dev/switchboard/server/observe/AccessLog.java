package dev.switchboard.server.observe;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One log line per request: method, path, status, latency, and the call id when there is one
 * (path parameter, or what {@code POST /api/events} noted). Never headers, so never keys. The
 * method, path and call id come from the request: each is escaped ({@link LogText}), so a request
 * cannot write a line of its own into the log.
 *
 * <p><b>Off the request path.</b> A request only formats its line and queues it; one thread
 * writes the lines to the log (the console handler's synchronous write was measured on the
 * ingest path, BENCHMARKS.md). When the queue is full (the log cannot keep up), lines are
 * dropped and counted ({@link #dropped}), never the request held. {@code SWITCHBOARD_ACCESS_LOG=off}
 * switches it off altogether; {@code SWITCHBOARD_LOG_LEVEL=WARNING} silences it too.
 */
public final class AccessLog implements Filter, AutoCloseable {

    private static final Logger LOG = Logger.getLogger("switchboard.access");
    /** Lines waiting for the writer at most. */
    static final int QUEUE = 65_536;

    /** The request-context value a handler registers to name the call(s) a request concerned. */
    public record CallNote(String callId) {
    }

    private final boolean enabled;
    private final ArrayBlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE);
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean running = true;

    /** @param enabled {@code SWITCHBOARD_ACCESS_LOG} */
    public AccessLog(boolean enabled) {
        this.enabled = enabled;
        this.writer = enabled ? Thread.ofPlatform().name("switchboard-access-log").daemon().start(this::write) : null;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!enabled) {
            chain.proceed();
            return;
        }
        long t0 = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            if (LOG.isLoggable(Level.INFO)) {
                String path = req.path().absolute().path();
                String call = req.context().get(CallNote.class).map(CallNote::callId).orElseGet(() -> callOf(path));
                String line = LogText.escape(req.prologue().method().text()) + ' ' + LogText.escape(path) + ' '
                    + res.status().code() + ' ' + tenthsOfMs(System.nanoTime() - t0) + "ms"
                    + (call == null ? "" : " call=" + LogText.escape(call));
                if (!lines.offer(line)) {
                    dropped.increment();
                }
            }
        }
    }

    private void write() {
        List<String> batch = new ArrayList<>(256);
        while (running || !lines.isEmpty()) {
            try {
                String first = lines.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                lines.drainTo(batch, 255);
                for (String line : batch) {
                    // named source: without one, every record walks the stack to find its caller
                    LOG.logp(Level.INFO, SOURCE, "request", line);
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Lines dropped because the log could not keep up. */
    public long dropped() {
        return dropped.sum();
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        running = false;
        if (writer != null) {
            try {
                writer.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final String SOURCE = AccessLog.class.getName();

    /** Nanoseconds as milliseconds with one decimal ("12.3"), without a Formatter per request. */
    static String tenthsOfMs(long nanos) {
        long tenths = Math.max(0, (nanos + 50_000) / 100_000);
        return (tenths / 10) + "." + (tenths % 10);
    }

    private static String callOf(String path) {
        if (path.startsWith("/api/calls/")) {
            String rest = path.substring("/api/calls/".length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        return null;
    }
}
