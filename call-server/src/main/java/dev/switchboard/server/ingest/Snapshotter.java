package dev.switchboard.server.ingest;

import dev.switchboard.server.store.Snapshots;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes a snapshot when enough has happened since the last one: {@link #EVERY_ENTRIES} log
 * entries, or anything at all after {@link #EVERY}; and once more at a clean stop, so that the
 * next start replays nothing. A start therefore replays at most about {@link #EVERY_ENTRIES}
 * entries (well under a second here), whatever the size of the history.
 *
 * <p>The state is captured under the engine's lock (a copy of references and counters: about a
 * millisecond per 10,000 live calls) and encoded and written outside it, on this thread, so ingest
 * never waits for the database on its account. A failed snapshot is logged and retried at the
 * next turn; it costs only a longer replay at the next start.
 */
final class Snapshotter {

    private static final Logger LOG = Logger.getLogger(Snapshotter.class.getName());

    /** Entries after which a snapshot is due. */
    static final long EVERY_ENTRIES = 50_000;
    /** Time after which a snapshot is due if anything was committed since the last one. */
    static final Duration EVERY = Duration.ofMinutes(5);
    private static final long CHECK_MS = 1_000;

    private final Snapshots snapshots;
    private final Supplier<Snapshots.Snapshot> capture;
    private final LongSupplier appliedSeq;
    private volatile boolean running = true;
    /** Cluster mode: only the leader takes snapshots. */
    private volatile java.util.function.BooleanSupplier leading = () -> true;
    private volatile long savedSeq;
    private long savedAtMs;
    private Thread thread;

    /**
     * @param capture    the state as of the last applied entry, taken under the engine's lock
     * @param appliedSeq the last applied entry now (cheap; no lock)
     */
    Snapshotter(Snapshots snapshots, Supplier<Snapshots.Snapshot> capture, LongSupplier appliedSeq) {
        this.snapshots = snapshots;
        this.capture = capture;
        this.appliedSeq = appliedSeq;
    }

    /** @param savedSeq the seq of the snapshot the start used (0 for none) */
    void start(long savedSeq) {
        this.savedSeq = savedSeq;
        this.savedAtMs = System.currentTimeMillis();
        thread = Thread.ofPlatform().name("switchboard-snapshots").daemon().start(this::loop);
    }

    private void loop() {
        while (running) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(CHECK_MS));
            long behind = appliedSeq.getAsLong() - savedSeq;
            boolean due = behind >= EVERY_ENTRIES
                || behind > 0 && System.currentTimeMillis() - savedAtMs >= EVERY.toMillis();
            if (running && due) {
                take();
            }
        }
    }

    /** Takes snapshots only while {@code leading} says so (cluster mode: the leader's job). */
    void onlyWhile(java.util.function.BooleanSupplier leading) {
        this.leading = leading;
    }

    /** Takes one now if anything changed since the last. */
    synchronized void take() {
        if (appliedSeq.getAsLong() == savedSeq || !leading.getAsBoolean()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            Snapshots.Snapshot s = capture.get();
            int bytes = snapshots.save(s);
            savedSeq = s.seq();
            savedAtMs = System.currentTimeMillis();
            LOG.info(String.format("snapshot at seq %d: %d live calls, %d bytes, %.0f ms", s.seq(),
                s.engine().liveCalls().size(), bytes, (System.nanoTime() - t0) / 1e6));
        } catch (Exception e) {
            LOG.log(Level.WARNING, "snapshot failed (the next start replays more of the log): " + e.getMessage());
        }
    }

    long savedSeq() {
        return savedSeq;
    }

    /** Stops the thread, then takes a last snapshot (call after the last commit was applied). */
    void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        take();
    }
}
