package dev.switchboard.server.cluster;

import dev.switchboard.server.config.ServerConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Leadership as PostgreSQL keeps it: a session advisory lock held on a connection of its own, and
 * the {@code cluster_leader} row whose epoch each new leader bumps.
 *
 * <p><b>Lease.</b> The lock lives as long as its session. A process killed outright closes its
 * socket and PostgreSQL ends the session at once; one that hangs (SIGSTOP, a long pause) or is cut
 * off keeps the socket open, so the session sets PostgreSQL's {@code idle_session_timeout} to the
 * lease: the leader {@link #heartbeat heartbeats} well within it, and a leader that stops doing
 * so has its session ended by PostgreSQL, which frees the lock for another node. Safety does not
 * rest on this timing: commits are fenced by the epoch ({@code Store.commit}).
 *
 * <p>The session's {@code application_name} is {@code switchboard-lock <node id>}, so an operator
 * sees in {@code pg_stat_activity} which node holds (or polls for) the lock.
 *
 * <p>Not thread-safe: one thread (the cluster's) uses it.
 */
final class Leadership implements AutoCloseable {

    /** The advisory lock's key: "SWBD" in ASCII. */
    static final long LOCK_KEY = 0x53574244L;

    private final ServerConfig config;
    private final Executor timeouts = Executors.newVirtualThreadPerTaskExecutor();
    private Connection connection;
    private boolean held;

    Leadership(ServerConfig config) {
        this.config = config;
    }

    /** The leadership row as stored. */
    record Leader(long epoch, String nodeId, String url, java.time.Instant since, String config) {
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            held = false;
            Properties p = new Properties();
            p.setProperty("user", config.dbUser());
            p.setProperty("password", config.dbPassword() == null ? "" : config.dbPassword());
            p.setProperty("ApplicationName", "switchboard-lock " + config.cluster().nodeId());
            p.setProperty("tcpKeepAlive", "true");
            p.setProperty("connectTimeout", Long.toString(Math.max(1, lease() / 1000)));
            Connection c = DriverManager.getConnection(config.dbUrl(), p);
            try (Statement s = c.createStatement()) {
                s.execute("SET idle_session_timeout = " + lease());
                s.execute("SET idle_in_transaction_session_timeout = " + lease());
            }
            // a query that cannot reach PostgreSQL fails instead of hanging the cluster thread; twice the
            // lease, so that a takeover may wait for the old leader's frozen commit to be ended (after one lease)
            c.setNetworkTimeout(timeouts, (int) (2 * lease()));
            connection = c;
        }
        return connection;
    }

    private long lease() {
        return config.cluster().leaseTimeout().toMillis();
    }

    /** Tries to take the lock without waiting; {@code true} if this node holds it now. */
    boolean tryAcquire() throws SQLException {
        if (held && heartbeat()) {
            return true;   // still ours (a session that ended took the lock with it: then ask anew)
        }
        try (PreparedStatement ps = connection().prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                held = rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            drop();
            throw e;
        }
        return held;
    }

    /**
     * Takes over: bumps the epoch and records this node as leader (with its configuration), in one
     * transaction that waits for a commit of the old leader in flight (its {@code FOR SHARE} on the
     * row) and notifies the other nodes.
     *
     * @return the new epoch
     */
    long takeOver(String configJson) throws SQLException {
        Connection c = connection();
        c.setAutoCommit(false);
        try {
            long epoch;
            try (PreparedStatement ps = c.prepareStatement("UPDATE cluster_leader SET epoch = epoch + 1, node_id = ?, "
                + "url = ?, since = now(), config = ? WHERE id = 1 RETURNING epoch")) {
                ps.setString(1, config.cluster().nodeId());
                ps.setString(2, config.cluster().nodeUrl());
                ps.setString(3, configJson);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("the cluster_leader row is missing (schema not migrated?)");
                    }
                    epoch = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                ps.setString(1, Feed.LEADER_CHANNEL);
                ps.setString(2, Long.toString(epoch));
                ps.execute();
            }
            c.commit();
            return epoch;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is broken: the next use reconnects
            }
        }
    }

    /**
     * Proves the session (and with it the lock) is alive and keeps it from idling out.
     *
     * @return {@code false} when the session is gone: the lock is lost
     */
    boolean heartbeat() {
        try (Statement s = connection().createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next();
        } catch (SQLException e) {
            drop();
            return false;
        }
    }

    /** The leadership row (read on this node's own connection). */
    Optional<Leader> leader() throws SQLException {
        try (Statement s = connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT epoch, node_id, url, since, config FROM cluster_leader WHERE id = 1")) {
            if (!rs.next() || rs.getString(2) == null) {
                return Optional.empty();
            }
            java.sql.Timestamp since = rs.getTimestamp(4);
            return Optional.of(new Leader(rs.getLong(1), rs.getString(2), rs.getString(3),
                since == null ? null : since.toInstant(), rs.getString(5)));
        } catch (SQLException e) {
            drop();
            throw e;
        }
    }

    /** Whether this node believes it holds the lock. */
    boolean held() {
        return held;
    }

    /** Gives the lock up by ending the session (a node that steps down starts over as a candidate). */
    void drop() {
        held = false;
        if (connection != null) {
            try {
                connection.abort(timeouts);
            } catch (SQLException ignored) {
                // already gone
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // ending anyway
            }
            connection = null;
        }
        held = false;
    }
}
