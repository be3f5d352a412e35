package dev.switchboard.server.cluster;

import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.ingest.Ingestor;
import dev.switchboard.server.realtime.SocketHub;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.store.StoredEvent;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A follower's tail of the committed log: woken by the leader's {@code NOTIFY} after each commit
 * (or every {@link #POLL_MS} without one), it reads the entries after the last applied seq, applies
 * them to the hot-standby engine and publishes their pushes to this node's Socket.io hub, in seq
 * order, whole decisions at a time.
 *
 * <p>Commits are serial on the leader and each is one transaction, so what a query sees is a
 * prefix of the log without holes; only a page cut by {@link #PAGE} may end inside a decision, and
 * then its last decision waits for the next page.
 */
final class Feed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Feed.class.getName());

    /** The channel a new leader notifies (payload: its epoch). */
    static final String LEADER_CHANNEL = "switchboard_leader";
    /** Rows read per query. */
    static final int PAGE = 2_000;
    /** The longest wait for a notification before reading anyway. */
    static final int POLL_MS = 250;

    private final ServerConfig config;
    private final Store store;
    private final Ingestor ingestor;
    private final SocketHub hub;
    private final Runnable leaderChanged;
    private final ReentrantLock round = new ReentrantLock();
    private volatile boolean paused = true;
    private volatile boolean running = true;
    private volatile long caughtUpAtMs;
    private Connection listener;
    private Thread thread;

    /** @param leaderChanged called when a node announces it took the lead */
    Feed(ServerConfig config, Store store, Ingestor ingestor, SocketHub hub, Runnable leaderChanged) {
        this.config = config;
        this.store = store;
        this.ingestor = ingestor;
        this.hub = hub;
        this.leaderChanged = leaderChanged;
    }

    void start() {
        thread = Thread.ofPlatform().name("switchboard-feed").daemon().start(this::loop);
    }

    /** Stops applying (this node takes the lead); returns once a round in progress has ended. */
    void pause() {
        paused = true;
        round.lock();
        round.unlock();
    }

    /** Applies again (this node follows). */
    void resume() {
        paused = false;
        if (thread != null) {
            java.util.concurrent.locks.LockSupport.unpark(thread);
        }
    }

    /**
     * Applies every entry committed so far (the caller has paused the feed and holds the lead, so
     * nothing more can be committed by anyone else).
     *
     * @return entries applied
     */
    long catchUp() {
        round.lock();
        try {
            return readAll();
        } finally {
            round.unlock();
        }
    }

    /** When the last round found nothing more to read (ms since the epoch; 0: never). */
    long caughtUpAtMs() {
        return caughtUpAtMs;
    }

    private void loop() {
        while (running) {
            try {
                if (!paused) {
                    round.lock();
                    try {
                        if (!paused) {
                            readAll();
                        }
                    } finally {
                        round.unlock();
                    }
                }
                awaitNotification();
            } catch (Throwable e) {
                // nothing may end the feed: a follower that stops applying serves a frozen state
                if (!running) {
                    return;
                }
                if (e instanceof Exception) {
                    LOG.log(Level.WARNING, "log feed round failed (retrying): " + e.getMessage());
                } else {
                    LOG.log(Level.SEVERE, "log feed round failed (retrying)", e);
                }
                closeListener();
                sleep(POLL_MS);
            }
        }
    }

    private long readAll() {
        long applied = 0;
        while (true) {
            List<StoredEvent> rows = store.eventsAfter(ingestor.appliedSeq(), Long.MAX_VALUE, PAGE);
            boolean full = rows.size() == PAGE;
            if (full) {
                int lastHead = rows.size() - 1;
                while (lastHead > 0 && !rows.get(lastHead).head()) {
                    lastHead--;
                }
                if (lastHead > 0) {
                    rows = rows.subList(0, lastHead);   // the last decision may go on in the next page
                }
            }
            if (!rows.isEmpty()) {
                ingestor.applyCommitted(rows, hub::pushesOf);
                applied += rows.size();
            }
            if (!full) {
                caughtUpAtMs = System.currentTimeMillis();
                return applied;
            }
        }
    }

    private void awaitNotification() throws SQLException {
        PGConnection pg = listener().unwrap(PGConnection.class);
        PGNotification[] got = pg.getNotifications(POLL_MS);
        if (got == null) {
            return;
        }
        for (PGNotification n : got) {
            if (LEADER_CHANNEL.equals(n.getName())) {
                leaderChanged.run();
            }
        }
    }

    private Connection listener() throws SQLException {
        if (listener == null || listener.isClosed()) {
            Properties p = new Properties();
            p.setProperty("user", config.dbUser());
            p.setProperty("password", config.dbPassword() == null ? "" : config.dbPassword());
            p.setProperty("ApplicationName", "switchboard-feed " + config.cluster().nodeId());
            p.setProperty("tcpKeepAlive", "true");
            Connection c = DriverManager.getConnection(config.dbUrl(), p);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + Store.LOG_CHANNEL);
                s.execute("LISTEN " + LEADER_CHANNEL);
            }
            listener = c;
        }
        return listener;
    }

    private void closeListener() {
        if (listener != null) {
            try {
                listener.close();
            } catch (SQLException ignored) {
                // reconnecting anyway
            }
            listener = null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        paused = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeListener();
    }
}
