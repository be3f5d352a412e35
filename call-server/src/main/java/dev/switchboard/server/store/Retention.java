package dev.switchboard.server.store;

import dev.switchboard.server.config.ServerConfig;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code SWITCHBOARD_RETENTION}: ended calls older than the retention (their end and their start
 * before the cutoff) are deleted with their whole history, their alerts and their webhook
 * deliveries; so are delivered or dead webhook deliveries and entries about no call older than it.
 * Live calls are never touched (a lost {@code call_ended} is settled by idle-call expiry first).
 *
 * <p><b>Without stalling ingest.</b> Deletion goes in small transactions of {@link #BATCH_CALLS}
 * calls, each through the indexes (the oldest end of {@code calls_newest_first}, the
 * {@code call_id} index of the log), with a pause between them, on its own thread and its own pool connection; the writer's
 * group commits interleave freely. A run starts {@link #FIRST_RUN} after the start, then every
 * {@link #EVERY}.
 */
public final class Retention implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Retention.class.getName());

    /** Calls deleted per transaction: small enough that each commit takes milliseconds. */
    static final int BATCH_CALLS = 500;
    /** Pause between two batches, so that ingest always gets the database in between. */
    static final Duration PAUSE = Duration.ofMillis(50);
    static final Duration FIRST_RUN = Duration.ofSeconds(30);
    static final Duration EVERY = Duration.ofMinutes(10);

    private final Store store;
    private final ServerConfig.Retention retention;
    private final LongAdder deletedCalls = new LongAdder();
    private volatile boolean running = true;
    /** Cluster mode: only the leader deletes (once per cluster). */
    private volatile java.util.function.BooleanSupplier leading = () -> true;
    private Thread thread;

    public Retention(Store store, ServerConfig.Retention retention) {
        this.store = store;
        this.retention = retention;
    }

    /** Runs only while {@code leading} says so (cluster mode: the leader's job). */
    public void onlyWhile(java.util.function.BooleanSupplier leading) {
        this.leading = leading;
    }

    /** Starts the periodic runs (nothing to do without a retention). */
    public void start() {
        if (retention == null) {
            return;
        }
        thread = Thread.ofPlatform().name("switchboard-retention").daemon().start(() -> {
            long waitMs = FIRST_RUN.toMillis();
            while (running) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(waitMs));
                if (!running) {
                    return;
                }
                if (!leading.getAsBoolean()) {
                    waitMs = FIRST_RUN.toMillis();   // a node that takes the lead runs soon after
                    continue;
                }
                try {
                    run(Instant.now());
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "retention run failed (retried at the next run): " + e.getMessage());
                }
                waitMs = EVERY.toMillis();
            }
        });
    }

    /** What one run deleted. */
    public record Deleted(int calls, int entries, int deliveries) {
    }

    /** Deletes everything older than the retention as of {@code now}, batch after batch. */
    public Deleted run(Instant now) throws SQLException {
        Instant cutoff = retention.cutoff(now);
        long t0 = System.nanoTime();
        int calls = 0;
        int entries = 0;
        int deliveries = 0;
        while (running) {
            int[] batch = deleteBatch(cutoff);
            if (batch[0] == 0) {
                break;
            }
            calls += batch[0];
            entries += batch[1];
            deliveries += batch[2];
            deletedCalls.add(batch[0]);
            pause();
        }
        entries += deleteInBatches("DELETE FROM call_events WHERE seq IN (SELECT seq FROM call_events "
            + "WHERE call_id IS NULL AND ts < ? ORDER BY seq LIMIT " + BATCH_CALLS + ")", cutoff);
        deliveries += deleteInBatches("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE state IN ('delivered', "
            + "'dead') AND next_attempt_at < ? LIMIT " + BATCH_CALLS + ")", cutoff);
        if (calls + entries + deliveries > 0) {
            LOG.info("retention " + retention.text() + ": deleted " + calls + " calls ended before " + cutoff + " ("
                + entries + " log entries, " + deliveries + " webhook deliveries) in "
                + String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9));
        }
        return new Deleted(calls, entries, deliveries);
    }

    /** One transaction: up to {@link #BATCH_CALLS} old ended calls and all that belongs to them. */
    private int[] deleteBatch(Instant cutoff) throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM calls WHERE status = 'ended' "
                    + "AND start_time < ? AND end_time < ? ORDER BY start_time LIMIT " + BATCH_CALLS)) {
                    ps.setObject(1, Store.odt(cutoff.toEpochMilli()));
                    ps.setObject(2, Store.odt(cutoff.toEpochMilli()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    c.rollback();
                    return new int[] {0, 0, 0};
                }
                String in = " IN (" + "?, ".repeat(ids.size() - 1) + "?)";
                int entries = delete(c, "DELETE FROM call_events WHERE call_id" + in, ids);
                delete(c, "DELETE FROM alerts WHERE call_id" + in, ids);
                int deliveries = delete(c, "DELETE FROM outbox WHERE call_id" + in, ids);
                int calls = delete(c, "DELETE FROM calls WHERE id" + in, ids);
                c.commit();
                return new int[] {calls, entries, deliveries};
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static int delete(Connection c, String sql, List<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(i + 1, ids.get(i));
            }
            return ps.executeUpdate();
        }
    }

    private int deleteInBatches(String sql, Instant cutoff) throws SQLException {
        int total = 0;
        while (running) {
            int n;
            try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, Store.odt(cutoff.toEpochMilli()));
                n = ps.executeUpdate();
            }
            total += n;
            if (n < BATCH_CALLS) {
                break;
            }
            pause();
        }
        return total;
    }

    private static void pause() {
        LockSupport.parkNanos(PAUSE.toNanos());
    }

    /** Calls deleted since the start (Prometheus). */
    public long deletedCalls() {
        return deletedCalls.sum();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
