package dev.switchboard.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.rules.Alert;
import dev.switchboard.core.rules.Thresholds;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.wire.QueueJson;
import dev.switchboard.server.wire.Wire;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The database: PostgreSQL in production, embedded H2 (PostgreSQL mode) by default; one schema,
 * migrated by Flyway at startup.
 *
 * <p>Reads go through Helidon's {@link DbClient}. The group commit of the ingest path uses JDBC
 * batches on a connection of the same Hikari pool, because DbClient 4.0 has no batch API: one
 * transaction writes the events, calls and alerts of many requests at once.
 */
public final class Store implements AutoCloseable {

    private final HikariDataSource pool;
    private final DbClient db;
    /** Cluster mode: every commit checks its epoch and notifies the followers. */
    private final boolean clustered;
    /** PostgreSQL: a commit writes each table with one statement over arrays (see {@link #commit}). */
    private final boolean postgres;

    private Store(HikariDataSource pool, boolean clustered, boolean postgres) {
        this.pool = pool;
        this.clustered = clustered;
        this.postgres = postgres;
        this.db = JdbcClientBuilder.create()
            .connectionPool(() -> {
                try {
                    return pool.getConnection();
                } catch (SQLException e) {
                    throw new DbClientException("cannot get a database connection: " + e.getMessage(), e);
                }
            })
            .build();
    }

    /** Migrates the schema and opens the pool. */
    public static Store open(ServerConfig config, io.micrometer.core.instrument.MeterRegistry meters) {
        Flyway.configure()
            .dataSource(config.dbUrl(), config.dbUser(), config.dbPassword())
            .locations("classpath:db/migration")
            .load()
            .migrate();
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.dbUrl());
        hc.setUsername(config.dbUser());
        hc.setPassword(config.dbPassword());
        hc.setMaximumPoolSize(config.dbPoolSize());
        hc.setPoolName("switchboard");
        hc.setMetricRegistry(meters);   // hikaricp_connections_active / idle / max / pending ...
        if (config.dbUrl().startsWith("jdbc:postgresql:")) {
            // one multi-row INSERT per batch instead of one statement per row (group commit)
            hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        hc.setConnectionTimeout(5_000);
        hc.setValidationTimeout(2_000);
        hc.setInitializationFailTimeout(10_000);
        if (config.clustered()) {
            // a leader paused in the middle of a commit must not hold the epoch row (and block the next
            // leader's takeover) for longer than the lease
            hc.setConnectionInitSql("SET idle_in_transaction_session_timeout = "
                + config.cluster().leaseTimeout().toMillis());
        }
        return new Store(new HikariDataSource(hc), config.clustered(), config.dbUrl().startsWith("jdbc:postgresql:"));
    }

    public DbClient db() {
        return db;
    }

    /** A connection of the pool, for the store's own helpers (snapshots, retention). */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    // ------------------------------------------------------------------ writes

    /** What one group commit writes. */
    public record Batch(List<StoredEvent> events, List<CallRow> calls, List<AlertRow> alerts, List<AckRow> acks,
                        List<ResolveRow> resolutions, Collection<String[]> newAgents, List<OutboxRow> outbox, List<QueueWrite> queues) {

        /** Whether the batch writes log rows and calls and nothing else (most commits). */
        boolean onlyLogAndCalls() {
            return !events.isEmpty() && alerts.isEmpty() && acks.isEmpty() && resolutions.isEmpty() && newAgents.isEmpty()
                && outbox.isEmpty() && queues.isEmpty();
        }
    }

    /** A queue written at runtime: created or changed ({@code queue}), or deleted ({@code queue} {@code null}). */
    public record QueueWrite(String queueId, QueueConfig queue) {
    }

    /** An alert acknowledged: when, by whom, the seq of its {@code alert_acked} entry, the note ({@code null}: none). */
    public record AckRow(String alertId, long atMs, String by, long seq, String note) {
    }

    /** An alert resolved by itself: when, the seq of its {@code alert_resolved} entry, what the call did. */
    public record ResolveRow(String alertId, long atMs, long seq, String reason) {
    }

    /** An outbound message to deliver to one subscription (see {@code Outbox}). */
    public record OutboxRow(String eventId, String subscriptionId, String type, String callId, String payload,
                            long createdMs) {
    }

    /** A call's row after the batch; {@code isNew} for a call the batch creates. */
    public record CallRow(Call call, long lastSeq, boolean isNew) {
    }

    /** An alert and the seq of its {@code alert_raised} history entry. */
    public record AlertRow(Alert alert, long seq) {
    }

    private static final String INSERT_EVENT = "INSERT INTO call_events (seq, id, call_id, type, ts, source, metadata, "
        + "head) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    /** The columns a Call is read back from (see {@link #call(DbRow)}), in {@link #bindCall}'s order. */
    static final String CALL_COLUMNS = "type, status, phase, queue_id, agent_id, start_time, answer_time, "
        + "end_time, wait_ms, duration_ms, hold_ms, end_reason, flags, version, last_seq, wait_start_time, last_event_time, "
        + "last_event_type";
    private static final String INSERT_CALL = "INSERT INTO calls (" + CALL_COLUMNS + ", id) VALUES "
        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_CALL = "UPDATE calls SET type = ?, status = ?, phase = ?, queue_id = ?, "
        + "agent_id = ?, start_time = ?, answer_time = ?, end_time = ?, wait_ms = ?, duration_ms = ?, hold_ms = ?, "
        + "end_reason = ?, flags = ?, version = ?, last_seq = ?, wait_start_time = ?, last_event_time = ?, "
        + "last_event_type = ? WHERE id = ?";
    private static final String ACK_ALERT = "UPDATE alerts SET acked_at = ?, acked_by = ?, ack_seq = ?, note = ? "
        + "WHERE id = ? AND acked_at IS NULL";
    private static final String RESOLVE_ALERT = "UPDATE alerts SET resolved_at = ?, resolved_seq = ?, resolution = ? "
        + "WHERE id = ? AND resolved_at IS NULL";
    private static final String INSERT_ALERT = "INSERT INTO alerts (id, kind, call_id, queue_id, agent_id, raised_at, "
        + "message, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_OUTBOX = "INSERT INTO outbox (event_id, subscription_id, type, call_id, payload, "
        + "state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_AGENT = "INSERT INTO agents (id, queue_id, first_seen) VALUES (?, ?, ?)";

    /** The channel a cluster leader notifies after each commit (payload: the last seq committed). */
    public static final String LOG_CHANNEL = "switchboard_log";
    private static final String FENCE = "SELECT epoch FROM cluster_leader WHERE id = 1 FOR SHARE";

    /** Writes a batch in one transaction; on failure nothing of it is stored (a single node). */
    public void commit(Batch b) throws SQLException {
        commit(b, 0);
    }

    /**
     * Writes a batch in one transaction; on failure nothing of it is stored.
     *
     * <p>In cluster mode the transaction first reads the leadership row {@code FOR SHARE}: a
     * takeover's epoch bump waits for a commit in flight, and a commit after the bump finds the new
     * epoch and is rolled back ({@link Fenced}); so an old leader can never commit once another has
     * taken over. It ends by notifying {@link #LOG_CHANNEL} (delivered at commit).
     *
     * <p>On a single node on PostgreSQL, a batch of log rows and calls only is one statement that is
     * its own transaction ({@link #commitAsOneStatement}).
     *
     * @param epoch the leader's epoch (cluster mode); ignored on a single node
     * @throws CommitOutcomeUnknown if the batch may or may not have been stored
     */
    public void commit(Batch b, long epoch) throws SQLException {
        if (postgres && !clustered && b.onlyLogAndCalls()) {
            commitAsOneStatement(b);
            return;
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (clustered) {
                    try (PreparedStatement ps = c.prepareStatement(FENCE); ResultSet rs = ps.executeQuery()) {
                        long current = rs.next() ? rs.getLong(1) : -1;
                        if (current != epoch) {
                            throw new Fenced(epoch, current);
                        }
                    }
                }
                if (postgres) {
                    writeLogAndCalls(c, b.events(), b.calls());
                } else {
                    insertEventsAsBatch(c, b.events());
                    writeCallsAsBatch(c, b.calls());
                }
                if (!b.alerts().isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(INSERT_ALERT)) {
                        for (AlertRow r : b.alerts()) {
                            Alert a = r.alert();
                            ps.setString(1, a.id());
                            ps.setString(2, a.kind().wireName());
                            ps.setString(3, a.callId());
                            ps.setString(4, a.queueId());
                            ps.setString(5, a.agentId());
                            ps.setObject(6, odt(a.atMs()));
                            ps.setString(7, a.message());
                            ps.setLong(8, r.seq());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                if (!b.acks().isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(ACK_ALERT)) {
                        for (AckRow a : b.acks()) {
                            ps.setObject(1, odt(a.atMs()));
                            ps.setString(2, a.by());
                            ps.setLong(3, a.seq());
                            ps.setString(4, a.note());
                            ps.setString(5, a.alertId());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                if (!b.resolutions().isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(RESOLVE_ALERT)) {
                        for (ResolveRow r : b.resolutions()) {
                            ps.setObject(1, odt(r.atMs()));
                            ps.setLong(2, r.seq());
                            ps.setString(3, r.reason());
                            ps.setString(4, r.alertId());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                if (!b.newAgents().isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(INSERT_AGENT)) {
                        for (String[] agent : b.newAgents()) {
                            ps.setString(1, agent[0]);
                            ps.setString(2, agent[1]);
                            ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                if (!b.queues().isEmpty()) {
                    writeQueues(c, b.queues());
                }
                if (!b.outbox().isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(INSERT_OUTBOX)) {
                        for (OutboxRow o : b.outbox()) {
                            ps.setString(1, o.eventId());
                            ps.setString(2, o.subscriptionId());
                            ps.setString(3, o.type());
                            ps.setString(4, o.callId());
                            ps.setString(5, o.payload());
                            ps.setString(6, "pending");
                            ps.setInt(7, 0);
                            ps.setObject(8, odt(o.createdMs()));
                            ps.setObject(9, odt(o.createdMs()));
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                if (clustered && !b.events().isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                        ps.setString(1, LOG_CHANNEL);
                        ps.setString(2, Long.toString(b.events().getLast().seq()));
                        ps.execute();
                    }
                }
                try {
                    c.commit();
                } catch (SQLException e) {
                    throw new CommitOutcomeUnknown(e);
                }
            } catch (CommitOutcomeUnknown e) {
                throw e;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    /*
     * Most commits write log rows and calls only, which is one statement (WRITE_PG).
     * Sent with autocommit on it is a transaction of its own: PostgreSQL commits it before it
     * answers, in one round trip where BEGIN ... COMMIT took two (the COMMIT a wake-up of the backend
     * and of the writer more, on a busy machine: BENCHMARKS.md, "The third pass"). The statement and
     * its commit are one, so a failure after it was sent may come after the commit: only a broken
     * constraint is known to have stored nothing (it fails before the commit); anything else is
     * CommitOutcomeUnknown, which the ingestor settles by asking the database.
     */
    private void commitAsOneStatement(Batch b) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            try {
                writeLogAndCalls(c, b.events(), b.calls());
            } catch (SQLException e) {
                if (isConstraintViolation(e)) {
                    throw e;
                }
                throw new CommitOutcomeUnknown(e);
            } catch (RuntimeException e) {
                throw new CommitOutcomeUnknown(new SQLException(e.toString(), e));
            }
        }
    }

    /** Cluster mode: the epoch of the leadership row now (-1 if it is missing). */
    public long leaderEpoch() {
        return db.execute().get("SELECT epoch FROM cluster_leader WHERE id = 1")
            .map(r -> r.column("epoch").get(Long.class)).orElse(-1L);
    }

    /** Cluster mode: another node has taken the lead since this one's epoch; nothing was written. */
    public static final class Fenced extends SQLException {
        Fenced(long mine, long current) {
            super("fenced: this node leads epoch " + mine + " but the cluster is at epoch " + current);
        }
    }

    /** The commit itself (or a one-statement commit) failed: the transaction may or may not have been committed. */
    public static final class CommitOutcomeUnknown extends SQLException {
        CommitOutcomeUnknown(SQLException cause) {
            super("commit failed: " + cause.getMessage(), cause.getSQLState(), cause);
        }
    }

    /** Whether a failure is a broken constraint (SQLSTATE class 23), which no retry can mend. */
    public static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException x = sql; x != null; x = x.getNextException()) {
                    if (x.getSQLState() != null && x.getSQLState().startsWith("23")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /*
     * PostgreSQL: each table is written with one statement whose parameters are arrays, one per
     * column, taken apart by unnest(): one parse, one bind and one executor run per commit, however
     * many rows. A JDBC batch of UPDATEs runs one statement per row (reWriteBatchedInserts only
     * rewrites INSERTs), which was most of PostgreSQL's time per event (BENCHMARKS.md, "Ingest at the
     * machine's limit"). Times go as epoch milliseconds: exact, and no timestamp array type needed.
     */

    private static final String TS = "(TIMESTAMPTZ 'epoch' + %s * INTERVAL '1 millisecond')";
    private static final String INSERT_EVENTS_PG = "INSERT INTO call_events (seq, id, call_id, type, ts, source, metadata, "
        + "head) SELECT seq, id, call_id, type, " + TS.formatted("ts") + ", source, metadata, head FROM unnest("
        + "?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[], ?::text[], ?::boolean[]) "
        + "AS v(seq, id, call_id, type, ts, source, metadata, head)";
    private static final String CALL_ARRAYS = " FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], "
        + "?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], "
        + "?::varchar[], ?::int[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::varchar[]) AS v(id, type, status, "
        + "phase, queue_id, agent_id, start_time, answer_time, end_time, wait_ms, duration_ms, hold_ms, end_reason, "
        + "flags, version, last_seq, wait_start_time, last_event_time, last_event_type)";
    private static final String INSERT_CALLS_PG = "INSERT INTO calls (id, " + CALL_COLUMNS + ") SELECT id, type, status, "
        + "phase, queue_id, agent_id, " + TS.formatted("start_time") + ", " + TS.formatted("answer_time") + ", "
        + TS.formatted("end_time") + ", wait_ms, duration_ms, hold_ms, end_reason, flags, version, last_seq, "
        + TS.formatted("wait_start_time") + ", " + TS.formatted("last_event_time") + ", last_event_type" + CALL_ARRAYS;
    /*
     * The update of existing rows is an upsert on the primary key: an UPDATE ... FROM unnest() is a
     * join whose plan PostgreSQL picks from an estimate of the array's length, and it picked hash
     * joins over a sequential scan of calls (seen: 3,459 scans reading 9.9 million rows in 20 s); an
     * ON CONFLICT finds each row through the key's index by construction. Every row of this
     * statement exists (calls are never deleted while live), so nothing is inserted by it.
     */
    private static final String UPDATE_CALLS_PG = INSERT_CALLS_PG + " ON CONFLICT (id) DO UPDATE SET "
        + "type = EXCLUDED.type, status = EXCLUDED.status, phase = EXCLUDED.phase, queue_id = EXCLUDED.queue_id, "
        + "agent_id = EXCLUDED.agent_id, start_time = EXCLUDED.start_time, answer_time = EXCLUDED.answer_time, "
        + "end_time = EXCLUDED.end_time, wait_ms = EXCLUDED.wait_ms, duration_ms = EXCLUDED.duration_ms, "
        + "hold_ms = EXCLUDED.hold_ms, end_reason = EXCLUDED.end_reason, flags = EXCLUDED.flags, "
        + "version = EXCLUDED.version, last_seq = EXCLUDED.last_seq, wait_start_time = EXCLUDED.wait_start_time, "
        + "last_event_time = EXCLUDED.last_event_time, last_event_type = EXCLUDED.last_event_type";

    /*
     * The log rows, the new calls and the changed calls in one statement (data-modifying WITH
     * clauses): one round trip to the database per commit where there were three, each a wake-up
     * of the backend and of the writer on a busy machine. The three parts touch different rows:
     * a call is either new in the commit or stored before it, and is written once per commit.
     *
     * A part with no rows is left out of the statement: its 8 or 19 arrays cost the writer their
     * binding, and PostgreSQL an executor run of an empty unnest() into a table with its indexes
     * opened (a commit without a new call: 0.197 ms on average against 0.276 ms with all three
     * parts, BENCHMARKS.md "The fourth pass"; about a quarter of the commits at 16 connections).
     * WRITE_PG holds the seven statements, by which parts are in.
     */
    private static final int EVENTS = 1;
    private static final int NEW_CALLS = 2;
    private static final int CHANGED_CALLS = 4;
    private static final String[] WRITE_PG = new String[8];

    static {
        for (int parts = 1; parts < WRITE_PG.length; parts++) {
            List<String> names = new ArrayList<>();
            List<String> statements = new ArrayList<>();
            if ((parts & EVENTS) != 0) {
                names.add("log_rows");
                statements.add(INSERT_EVENTS_PG);
            }
            if ((parts & NEW_CALLS) != 0) {
                names.add("new_calls");
                statements.add(INSERT_CALLS_PG);
            }
            if ((parts & CHANGED_CALLS) != 0) {
                names.add("changed_calls");
                statements.add(UPDATE_CALLS_PG);
            }
            StringBuilder sql = new StringBuilder();
            for (int i = 0; i < statements.size() - 1; i++) {
                sql.append(i == 0 ? "WITH " : ", ").append(names.get(i)).append(" AS (").append(statements.get(i)).append(')');
            }
            WRITE_PG[parts] = sql.append(sql.isEmpty() ? "" : " ").append(statements.getLast()).toString();
        }
    }

    private static void writeLogAndCalls(Connection c, List<StoredEvent> events, List<CallRow> calls) throws SQLException {
        List<CallRow> inserts = new ArrayList<>();
        List<CallRow> updates = new ArrayList<>();
        for (CallRow row : calls) {
            (row.isNew() ? inserts : updates).add(row);
        }
        int parts = (events.isEmpty() ? 0 : EVENTS) | (inserts.isEmpty() ? 0 : NEW_CALLS)
            | (updates.isEmpty() ? 0 : CHANGED_CALLS);
        if (parts == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(WRITE_PG[parts])) {
            int at = 1;
            if (!events.isEmpty()) {
                at = bindEvents(c, ps, at, events);
            }
            if (!inserts.isEmpty()) {
                at = bindCalls(c, ps, at, inserts);
            }
            if (!updates.isEmpty()) {
                bindCalls(c, ps, at, updates);
            }
            ps.executeUpdate();
        }
    }

    /** Binds the log rows as {@link #INSERT_EVENTS_PG}'s arrays from parameter {@code at}; returns the next. */
    private static int bindEvents(Connection c, PreparedStatement ps, int at, List<StoredEvent> events) throws SQLException {
        int n = events.size();
        Long[] seq = new Long[n];
        String[] id = new String[n];
        String[] callId = new String[n];
        String[] type = new String[n];
        Long[] ts = new Long[n];
        String[] source = new String[n];
        String[] metadata = new String[n];
        Boolean[] head = new Boolean[n];
        for (int i = 0; i < n; i++) {
            StoredEvent e = events.get(i);
            seq[i] = e.seq();
            id[i] = e.id();
            callId[i] = e.callId();
            type[i] = e.type();
            ts[i] = e.tsMs();
            source[i] = e.source();
            metadata[i] = e.metadata();
            head[i] = e.head();
        }
        ps.setArray(at, c.createArrayOf("bigint", seq));
        ps.setArray(at + 1, c.createArrayOf("varchar", id));
        ps.setArray(at + 2, c.createArrayOf("varchar", callId));
        ps.setArray(at + 3, c.createArrayOf("varchar", type));
        ps.setArray(at + 4, c.createArrayOf("bigint", ts));
        ps.setArray(at + 5, c.createArrayOf("varchar", source));
        ps.setArray(at + 6, c.createArrayOf("text", metadata));
        ps.setArray(at + 7, c.createArrayOf("boolean", head));
        return at + 8;
    }

    private static final String[] CALL_ARRAY_TYPES = {"varchar", "varchar", "varchar", "varchar", "varchar", "varchar",
        "bigint", "bigint", "bigint", "bigint", "bigint", "bigint", "varchar", "int", "int", "bigint", "bigint", "bigint",
        "varchar"};

    /** Binds calls as {@link #CALL_ARRAYS}' arrays from parameter {@code at}; returns the next. */
    private static int bindCalls(Connection c, PreparedStatement ps, int at, List<CallRow> rows) throws SQLException {
        int n = rows.size();
        String[] types = CALL_ARRAY_TYPES;
        Object[][] col = new Object[types.length][];
        for (int k = 0; k < col.length; k++) {
            col[k] = types[k].equals("varchar") ? new String[n] : types[k].equals("int") ? new Integer[n] : new Long[n];
        }
        for (int i = 0; i < n; i++) {
            Call call = rows.get(i).call();
            col[0][i] = call.id();
            col[1][i] = call.type().wireName();
            col[2][i] = call.status().wireName();
            col[3][i] = call.phase().wireName();
            col[4][i] = call.queueId();
            col[5][i] = call.agentId();
            col[6][i] = orNull(call.startMs());
            col[7][i] = orNull(call.answerMs());
            col[8][i] = orNull(call.endMs());
            col[9][i] = orNull(call.waitMs());
            col[10][i] = orNull(call.durationMs());
            col[11][i] = call.holdMs();
            col[12][i] = call.endReason();
            col[13][i] = call.flagBits();
            col[14][i] = call.version();
            col[15][i] = rows.get(i).lastSeq();
            col[16][i] = orNull(call.waitStartMs());
            col[17][i] = orNull(call.lastEventMs());
            col[18][i] = call.lastEventType() == null ? null : call.lastEventType().wireName();
        }
        for (int k = 0; k < col.length; k++) {
            ps.setArray(at + k, c.createArrayOf(types[k], col[k]));
        }
        return at + col.length;
    }

    private static Long orNull(long v) {
        return v == Call.NONE ? null : v;
    }

    /* Other databases (embedded H2): JDBC batches. */

    private static void insertEventsAsBatch(Connection c, List<StoredEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            for (StoredEvent e : events) {
                ps.setLong(1, e.seq());
                ps.setString(2, e.id());
                ps.setString(3, e.callId());
                ps.setString(4, e.type());
                ps.setObject(5, odt(e.tsMs()));
                ps.setString(6, e.source());
                ps.setString(7, e.metadata());
                ps.setBoolean(8, e.head());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void writeCallsAsBatch(Connection c, List<CallRow> rows) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_CALL);
             PreparedStatement update = c.prepareStatement(UPDATE_CALL)) {
            int inserts = 0;
            int updates = 0;
            for (CallRow row : rows) {
                PreparedStatement ps = row.isNew() ? insert : update;
                bindCall(ps, row.call(), row.lastSeq());
                ps.addBatch();
                if (row.isNew()) {
                    inserts++;
                } else {
                    updates++;
                }
            }
            if (inserts > 0) {
                insert.executeBatch();
            }
            if (updates > 0) {
                update.executeBatch();
            }
        }
    }

    private static void bindCall(PreparedStatement ps, Call call, long lastSeq) throws SQLException {
        ps.setString(1, call.type().wireName());
        ps.setString(2, call.status().wireName());
        ps.setString(3, call.phase().wireName());
        ps.setString(4, call.queueId());
        ps.setString(5, call.agentId());
        ps.setObject(6, odt(call.startMs()));
        ps.setObject(7, odt(call.answerMs()));
        ps.setObject(8, odt(call.endMs()));
        setLong(ps, 9, call.waitMs());
        setLong(ps, 10, call.durationMs());
        ps.setLong(11, call.holdMs());
        ps.setString(12, call.endReason());
        ps.setInt(13, call.flagBits());
        ps.setInt(14, call.version());
        ps.setLong(15, lastSeq);
        ps.setObject(16, odt(call.waitStartMs()));
        ps.setObject(17, odt(call.lastEventMs()));
        ps.setString(18, call.lastEventType() == null ? null : call.lastEventType().wireName());
        ps.setString(19, call.id());
    }

    /**
     * A call as its row keeps it: every field of the Call JSON. What the row does not keep
     * (the agents who missed it, since when it is in its phase) is not on the wire; the engine
     * has it from the history.
     */
    static Call call(DbRow r) {
        String id = r.column("id").get(String.class);
        long lastEvent = ms(r.column("last_event_time").get(Object.class));
        return new Call(id,
            dev.switchboard.core.call.CallType.fromWire(r.column("type").get(String.class)).orElseThrow(),
            r.column("queue_id").get(String.class), r.column("agent_id").get(String.class),
            dev.switchboard.core.call.Phase.fromWire(r.column("phase").get(String.class)),
            ms(r.column("start_time").get(Object.class)), ms(r.column("wait_start_time").get(Object.class)), lastEvent,
            ms(r.column("answer_time").get(Object.class)), ms(r.column("end_time").get(Object.class)),
            longOrNone(r, "wait_ms"), longOrNone(r, "duration_ms"), r.column("hold_ms").get(Long.class),
            r.column("end_reason").get(String.class), r.column("flags").get(Integer.class), List.of(), lastEvent,
            dev.switchboard.core.call.EventType.fromWire(r.column("last_event_type").get(String.class)).orElse(null),
            r.column("version").get(Integer.class));
    }

    private static long longOrNone(DbRow r, String column) {
        Long v = r.column(column).get(Long.class);
        return v == null ? Call.NONE : v;
    }

    private static void setLong(PreparedStatement ps, int i, long v) throws SQLException {
        if (v == Call.NONE) {
            ps.setNull(i, java.sql.Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    /** The advisory lock cluster nodes take while they write their start-up rows (queues, subscriptions). */
    private static final long STARTUP_LOCK = 0x53574253L;   // "SWBS"

    /**
     * Cluster mode: holds a lock that makes the nodes' start-up writes (queues, agents, the default
     * webhook subscription) one after the other, not racing on the same rows; a no-op on a single
     * node. Close it to release.
     */
    public AutoCloseable startupLock() throws SQLException {
        if (!clustered) {
            return () -> { };
        }
        Connection c = pool.getConnection();
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
            ps.setLong(1, STARTUP_LOCK);
            ps.execute();
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return () -> {
            try (c; PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, STARTUP_LOCK);
                ps.execute();
            }
        };
    }

    private static final String DELETE_QUEUE = "DELETE FROM queues WHERE id = ?";
    private static final String INSERT_QUEUE = "INSERT INTO queues (id, name, sla_ms, ring_ms, hold_ms, updated_at, "
        + "agents, thresholds, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** A queue keeps its place when changed; a new one goes last. */
    private static final String QUEUE_POSITION = "SELECT COALESCE((SELECT position FROM queues WHERE id = ?), "
        + "(SELECT COALESCE(MAX(position), -1) + 1 FROM queues)) AS p";

    /** Writes queues created, changed or deleted (in the caller's transaction). */
    private static void writeQueues(Connection c, List<QueueWrite> writes) throws SQLException {
        try (PreparedStatement del = c.prepareStatement(DELETE_QUEUE); PreparedStatement ins = c.prepareStatement(INSERT_QUEUE);
             PreparedStatement pos = c.prepareStatement(QUEUE_POSITION)) {
            for (QueueWrite w : writes) {
                int position;
                pos.setString(1, w.queueId());
                try (ResultSet rs = pos.executeQuery()) {
                    rs.next();
                    position = rs.getInt(1);
                }
                del.setString(1, w.queueId());
                del.executeUpdate();
                if (w.queue() != null) {
                    QueueConfig q = w.queue();
                    Thresholds t = q.thresholds();
                    ObjectNode kept = QueueJson.of(q, t);
                    ins.setString(1, q.id());
                    ins.setString(2, q.name());
                    ins.setLong(3, t.slaMaxWaitMs());
                    ins.setLong(4, t.ringTimeoutMs());
                    ins.setLong(5, t.maxHoldMs());
                    ins.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
                    ins.setString(7, Wire.write(kept.get("agents")));
                    ins.setString(8, Wire.write(kept.get("thresholds")));
                    ins.setInt(9, position);
                    ins.executeUpdate();
                }
            }
        }
    }

    /**
     * The queues a start runs with: the database's own, or, for a database that has none yet
     * (new, or written by a version that kept no queue members), {@code configured}, which are
     * then stored as its own (the configuration only seeds). Cluster nodes call it under
     * {@link #startupLock()}, so that one seeds and the others read.
     *
     * @param defaults the center's thresholds (what a queue's missing threshold takes)
     * @return the queues and whether they were seeded from the configuration now
     */
    public Queues queues(List<QueueConfig> configured, Thresholds defaults) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<QueueConfig> own = new ArrayList<>();
                boolean legacy = false;
                try (PreparedStatement ps = c.prepareStatement(
                         "SELECT id, name, agents, thresholds FROM queues ORDER BY position, id");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String agents = rs.getString(3);
                        if (agents == null) {
                            legacy = true;
                            continue;
                        }
                        ObjectNode kept = Wire.object();
                        kept.put("name", rs.getString(2));
                        kept.set("agents", Wire.read(agents));
                        String thresholds = rs.getString(4);
                        if (thresholds != null) {
                            kept.set("thresholds", Wire.read(thresholds));
                        }
                        own.add(QueueJson.read(rs.getString(1), kept, defaults));
                    }
                }
                if (!own.isEmpty()) {
                    c.commit();
                    return new Queues(List.copyOf(own), false, legacy);
                }
                try (PreparedStatement clear = c.prepareStatement("DELETE FROM queues")) {
                    clear.executeUpdate();
                }
                List<QueueWrite> writes = new ArrayList<>();
                for (QueueConfig q : configured) {
                    writes.add(new QueueWrite(q.id(), q.thresholds() == null
                        ? new QueueConfig(q.id(), q.name(), q.agentIds(), defaults) : q));
                }
                writeQueues(c, writes);
                try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM agents WHERE id = ?");
                     PreparedStatement ins = c.prepareStatement(INSERT_AGENT)) {
                    for (QueueConfig q : configured) {
                        for (String agent : q.agentIds()) {
                            exists.setString(1, agent);
                            try (ResultSet rs = exists.executeQuery()) {
                                if (!rs.next()) {
                                    ins.setString(1, agent);
                                    ins.setString(2, q.id());
                                    ins.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                                    ins.executeUpdate();
                                }
                            }
                        }
                    }
                }
                c.commit();
                return new Queues(List.copyOf(configured), true, legacy);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * @param seeded whether the configuration's queues were stored now (an empty database)
     * @param legacy whether rows of an older version (no members kept) were found
     */
    public record Queues(List<QueueConfig> queues, boolean seeded, boolean legacy) {
    }

    // ------------------------------------------------------------------ reads

    public long openAlertCount() {
        return db.execute().get("SELECT COUNT(*) AS n FROM alerts WHERE " + OPEN)
            .map(r -> r.column("n").get(Long.class)).orElse(0L);
    }

    public long maxSeq() {
        return db.execute().get("SELECT COALESCE(MAX(seq), 0) AS m FROM call_events")
            .map(r -> r.column("m").get(Long.class)).orElse(0L);
    }

    public List<String> knownAgents() {
        return db.execute().query("SELECT id FROM agents").map(r -> r.column("id").get(String.class)).toList();
    }

    /**
     * What the database knows of a client's event and its call, in one round trip.
     *
     * @param seq        the seq of the event, if it was already accepted
     * @param callExists whether the call has a row (it may be ended and no longer in memory)
     */
    public record Seen(java.util.OptionalLong seq, boolean callExists) {
    }

    /** The seq of {@code eventId} of {@code callId} if stored, and whether the call exists. */
    public Seen seen(String callId, String eventId) {
        return db.execute().get("SELECT (SELECT seq FROM call_events WHERE call_id = ? AND id = ?) AS seq,"
                + " (SELECT COUNT(*) FROM calls WHERE id = ?) AS calls", callId, eventId, callId)
            .map(r -> {
                Long seq = r.column("seq").get(Long.class);
                return new Seen(seq == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(seq),
                    r.column("calls").get(Long.class) > 0);
            })
            .orElse(new Seen(java.util.OptionalLong.empty(), false));
    }

    /** Streams the id of every stored call (in no order); returns how many. */
    public long forEachCallId(Consumer<String> consumer) throws SQLException {
        long n = 0;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);   // lets PostgreSQL stream with a cursor
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM calls")) {
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(rs.getString(1));
                        n++;
                    }
                }
            } finally {
                c.rollback();
            }
        }
        return n;
    }

    /** About how many calls are stored: PostgreSQL's estimate (no scan), else a count. */
    public long approximateCallCount() {
        if (postgres) {
            long estimate = db.execute().get("SELECT reltuples::bigint AS n FROM pg_class WHERE oid = 'calls'::regclass")
                .map(r -> r.column("n").get(Long.class)).orElse(-1L);
            if (estimate >= 0) {
                return estimate;
            }
        }
        return db.execute().get("SELECT COUNT(*) AS n FROM calls").map(r -> r.column("n").get(Long.class)).orElse(0L);
    }

    public boolean callExists(String callId) {
        return db.execute().get("SELECT 1 AS one FROM calls WHERE id = ?", callId).isPresent();
    }

    private static final String EVENT_COLUMNS = "seq, id, call_id, type, ts, source, metadata, head";

    /**
     * Streams the audit log after {@code afterSeq} in seq order (0 for all: the replay of a start
     * without a snapshot).
     */
    public void forEachEvent(long afterSeq, Consumer<StoredEvent> consumer) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);   // lets PostgreSQL stream with a cursor
            try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + EVENT_COLUMNS + " FROM call_events WHERE seq > ? ORDER BY seq")) {
                ps.setLong(1, afterSeq);
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            ms(rs.getObject(5)), rs.getString(6), rs.getString(7), rs.getBoolean(8)));
                    }
                }
            } finally {
                c.rollback();
            }
        }
    }

    /** Audit rows after {@code seq}, oldest first (for a Socket.io resume). */
    public List<StoredEvent> eventsAfter(long seq, long upToSeq, int limit) {
        return db.execute().query("SELECT " + EVENT_COLUMNS + " FROM call_events "
                + "WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?", seq, upToSeq, limit)
            .map(Store::storedEvent).toList();
    }

    /** The whole stored history of a call, in order. */
    public List<StoredEvent> callEvents(String callId) {
        return callEvents(callId, Long.MAX_VALUE);
    }

    /** A call's history up to {@code upToSeq}, in order. */
    public List<StoredEvent> callEvents(String callId, long upToSeq) {
        return db.execute().query("SELECT " + EVENT_COLUMNS + " FROM call_events WHERE call_id = ? AND seq <= ? "
                + "ORDER BY seq", callId, upToSeq)
            .map(Store::storedEvent).toList();
    }

    /** The histories of several calls up to {@code upToSeq}: by call, each in order. */
    public Map<String, List<StoredEvent>> callEvents(Collection<String> callIds, long upToSeq) {
        Map<String, List<StoredEvent>> out = new java.util.HashMap<>();
        List<String> ids = List.copyOf(callIds);
        for (int from = 0; from < ids.size(); from += IN_LIST) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + IN_LIST));
            List<Object> params = new ArrayList<>(part);
            params.add(upToSeq);
            db.execute().query("SELECT " + EVENT_COLUMNS + " FROM call_events WHERE call_id IN ("
                    + "?, ".repeat(part.size() - 1) + "?) AND seq <= ? ORDER BY seq", params.toArray())
                .map(Store::storedEvent)
                .forEach(e -> out.computeIfAbsent(e.callId(), k -> new ArrayList<>()).add(e));
        }
        return out;
    }

    /** Most ids in one {@code IN (...)} list. */
    private static final int IN_LIST = 500;

    /** A call as stored now. */
    public Optional<Call> call(String callId) {
        return db.execute().get("SELECT id, " + CALL_COLUMNS + " FROM calls WHERE id = ?", callId).map(Store::call);
    }

    /** A page of calls, newest first, with optional filters. */
    public record CallPage(List<Call> calls, String nextCursor) {
    }

    /**
     * What {@code GET /api/calls} filters on; {@code null} (or empty) for no filter.
     *
     * @param fromMs   calls that started at or after this (epoch ms)
     * @param toMs     calls that started before this
     * @param flag     calls with this flag
     * @param idPrefix calls whose id starts with this (taken literally: {@code %} and {@code _} are no wildcards)
     */
    public record CallFilter(List<String> statuses, String queueId, String agentId, Long fromMs, Long toMs,
                             dev.switchboard.core.call.CallFlag flag, String endReason, String idPrefix) {
        public CallFilter {
            statuses = statuses == null ? List.of() : List.copyOf(statuses);
        }
    }

    /** The escape character of {@link CallFilter#idPrefix}'s LIKE pattern. */
    private static final char LIKE_ESCAPE = '\\';

    /** {@code prefix} as a LIKE pattern matching the ids that start with it, wildcards escaped. */
    static String likePrefix(String prefix) {
        StringBuilder p = new StringBuilder(prefix.length() + 2);
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
                p.append(LIKE_ESCAPE);
            }
            p.append(c);
        }
        return p.append('%').toString();
    }

    public CallPage calls(CallFilter f, int limit, Cursor after) {
        StringBuilder sql = new StringBuilder("SELECT id, " + CALL_COLUMNS + " FROM calls c WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (!f.statuses().isEmpty()) {
            sql.append(" AND c.status IN (").append("?, ".repeat(f.statuses().size() - 1)).append("?)");
            params.addAll(f.statuses());
        }
        if (f.queueId() != null) {
            sql.append(" AND c.queue_id = ?");
            params.add(f.queueId());
        }
        if (f.agentId() != null) {
            sql.append(" AND c.agent_id = ?");
            params.add(f.agentId());
        }
        if (f.fromMs() != null) {
            sql.append(" AND c.start_time >= ?");
            params.add(odt(f.fromMs()));
        }
        if (f.toMs() != null) {
            sql.append(" AND c.start_time < ?");
            params.add(odt(f.toMs()));
        }
        if (f.flag() != null) {
            // flags is a bit set; integer division and MOD read one bit on PostgreSQL and H2 alike
            sql.append(" AND MOD(c.flags / ?, 2) = 1");
            params.add(f.flag().bit());
        }
        if (f.endReason() != null) {
            sql.append(" AND c.end_reason = ?");
            params.add(f.endReason());
        }
        if (f.idPrefix() != null) {
            sql.append(" AND c.id LIKE ? ESCAPE '").append(LIKE_ESCAPE).append("'");
            params.add(likePrefix(f.idPrefix()));
        }
        if (after != null) {
            sql.append(" AND (c.start_time < ? OR (c.start_time = ? AND c.id < ?))");
            params.add(odt(after.startMs()));
            params.add(odt(after.startMs()));
            params.add(after.id());
        }
        sql.append(" ORDER BY c.start_time DESC, c.id DESC LIMIT ?");
        params.add(limit + 1);
        List<DbRow> rows = db.execute().query(sql.toString(), params.toArray()).toList();
        List<Call> calls = new ArrayList<>();
        String next = null;
        for (int i = 0; i < rows.size() && i < limit; i++) {
            calls.add(call(rows.get(i)));
        }
        if (rows.size() > limit) {
            Call last = calls.get(limit - 1);
            next = new Cursor(last.startMs(), last.id()).encode();
        }
        return new CallPage(calls, next);
    }

    /**
     * A stored alert with its acknowledgement and resolution.
     *
     * @param ackedAtMs    when it was acknowledged, or {@code null}
     * @param ackedBy      who acknowledged it (a key's fingerprint, never the key), or {@code null}
     * @param note         the note given on acknowledging, or {@code null}
     * @param resolvedAtMs when it resolved itself (its call moved on), or {@code null}
     * @param resolution   what the call did then ({@code answered}, {@code resumed}, {@code transferred},
     *                     {@code ended}), or {@code null}
     */
    public record StoredAlert(String id, String kind, String callId, String queueId, String agentId, long atMs,
                              String message, long seq, Long ackedAtMs, String ackedBy, String note, Long resolvedAtMs,
                              String resolution) {

        /** Neither acknowledged nor resolved: what {@code GET /api/alerts?open=true} lists. */
        public boolean open() {
            return ackedAtMs == null && resolvedAtMs == null;
        }

        public dev.switchboard.core.rules.Alert toAlert() {
            return new dev.switchboard.core.rules.Alert(id, dev.switchboard.core.rules.AlertKind.fromWire(kind).orElseThrow(),
                callId, queueId, agentId, atMs, message);
        }
    }

    private static final String ALERT_COLUMNS = "id, kind, call_id, queue_id, agent_id, raised_at, message, seq, "
        + "acked_at, acked_by, note, resolved_at, resolution";
    /** An open alert: neither acknowledged nor resolved. */
    private static final String OPEN = "acked_at IS NULL AND resolved_at IS NULL";

    public List<StoredAlert> alerts(boolean openOnly, int limit) {
        String sql = "SELECT " + ALERT_COLUMNS + " FROM alerts"
            + (openOnly ? " WHERE " + OPEN : "") + " ORDER BY seq DESC LIMIT ?";
        return db.execute().query(sql, limit).map(Store::storedAlert).toList();
    }

    /**
     * Open alerts, oldest first, of a queue and/or kind ({@code null}: any), at most {@code limit}:
     * what a bulk acknowledgement by queue, kind or "all" takes.
     */
    public List<StoredAlert> openAlerts(String queueId, String kind, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + ALERT_COLUMNS + " FROM alerts WHERE " + OPEN);
        List<Object> params = new ArrayList<>();
        if (queueId != null) {
            sql.append(" AND queue_id = ?");
            params.add(queueId);
        }
        if (kind != null) {
            sql.append(" AND kind = ?");
            params.add(kind);
        }
        sql.append(" ORDER BY seq LIMIT ?");
        params.add(limit);
        return db.execute().query(sql.toString(), params.toArray()).map(Store::storedAlert).toList();
    }

    public Optional<StoredAlert> alert(String id) {
        return db.execute().get("SELECT " + ALERT_COLUMNS + " FROM alerts WHERE id = ?", id).map(Store::storedAlert);
    }

    private static StoredAlert storedAlert(DbRow r) {
        Object acked = r.column("acked_at").get(Object.class);
        Object resolved = r.column("resolved_at").get(Object.class);
        return new StoredAlert(r.column("id").get(String.class), r.column("kind").get(String.class),
            r.column("call_id").get(String.class), r.column("queue_id").get(String.class),
            r.column("agent_id").get(String.class), ms(r.column("raised_at").get(Object.class)),
            r.column("message").get(String.class), r.column("seq").get(Long.class), acked == null ? null : ms(acked),
            r.column("acked_by").get(String.class), r.column("note").get(String.class), resolved == null ? null : ms(resolved),
            r.column("resolution").get(String.class));
    }

    private static StoredEvent storedEvent(DbRow r) {
        return new StoredEvent(r.column("seq").get(Long.class), r.column("id").get(String.class),
            r.column("call_id").get(String.class), r.column("type").get(String.class), ms(r.column("ts").get(Object.class)),
            r.column("source").get(String.class), r.column("metadata").get(String.class),
            r.column("head").get(Boolean.class));
    }

    /** TIMESTAMP WITH TIME ZONE as read (H2: OffsetDateTime, pgjdbc: Timestamp) in epoch ms; NONE for null. */
    public static long millis(Object o) {
        return ms(o);
    }

    static long ms(Object o) {
        return switch (o) {
            case OffsetDateTime odt -> odt.toInstant().toEpochMilli();
            case Timestamp ts -> ts.toInstant().toEpochMilli();
            case Instant i -> i.toEpochMilli();
            case null -> Call.NONE;
            default -> throw new IllegalStateException("unexpected timestamp type " + o.getClass());
        };
    }

    static OffsetDateTime odt(long ms) {
        return ms == Call.NONE ? null : Instant.ofEpochMilli(ms).atOffset(ZoneOffset.UTC);
    }

    /** Checks the database answers (readiness). */
    public boolean ping() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
