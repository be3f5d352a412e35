package dev.switchboard.server.store;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallType;
import dev.switchboard.server.TestServer;
import dev.switchboard.server.config.ServerConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A commit of log rows and calls only, on one PostgreSQL node, is one statement that is its own
 * transaction: it stores all or nothing, a broken constraint is known to have stored nothing, and a
 * connection lost while it runs is reported as an unknown outcome (which the ingestor settles by
 * asking the database) and not as a plain failure that would be retried with the same seqs.
 */
class OneStatementCommitPostgresTest {

    private static final Config EMPTY = Config.just(ConfigSources.create(Map.of())).get("switchboard");

    private String database;
    private Store store;

    @BeforeEach
    void open() {
        database = "sb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestServer.createDatabase(database);
        store = Store.open(ServerConfig.load(Map.of("SWITCHBOARD_DB_URL", url(), "SWITCHBOARD_DB_USER", "postgres"), EMPTY),
            new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        store.close();
        TestServer.dropDatabase(database);
    }

    private String url() {
        return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }

    private static Store.Batch batch(List<StoredEvent> events, List<Store.CallRow> calls) {
        return new Store.Batch(events, calls, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private static StoredEvent event(long seq, String callId, String type) {
        return new StoredEvent(seq, callId + "-" + seq, callId, type, 1_765_000_000_000L + seq, "api", "{}", seq == 1);
    }

    /** call-1 initiated (seq 1) and routed (seq 2), stored by the one-statement commit. */
    private Call storeACall() throws SQLException {
        Call call = Call.initiated("call-1", CallType.VOICE, "medical_english", 1_765_000_000_001L);
        store.commit(batch(List.of(event(1, "call-1", "call_initiated"), event(2, "call-1", "call_routed")),
            List.of(new Store.CallRow(call, 2, true))), 0);
        return call;
    }

    @Test
    void logRowsAndCallsAreStoredTogether() throws Exception {
        storeACall();
        assertEquals(2, store.maxSeq());
        assertEquals(List.of(1L, 2L), store.callEvents("call-1").stream().map(StoredEvent::seq).toList());
        assertEquals("medical_english", store.call("call-1").orElseThrow().queueId(), "the call is stored");
        assertTrue(autocommitted(), "no transaction was left open on the pooled connection");
    }

    @Test
    void aStatementHasOnlyThePartsACommitHasAndEachMixIsStored() throws Exception {
        Call first = storeACall();                                   // log rows and a new call
        Call second = Call.initiated("call-2", CallType.VIDEO, "legal_french", 1_765_000_000_003L);
        store.commit(batch(List.of(event(3, "call-2", "call_initiated"), event(4, "call-1", "call_hold")),
            List.of(new Store.CallRow(second, 3, true), new Store.CallRow(first, 4, false))), 0);   // all three parts
        store.commit(batch(List.of(event(5, "call-2", "note")), List.of()), 0);                   // log rows only
        store.commit(batch(List.of(event(6, "call-1", "call_unhold")), List.of(new Store.CallRow(first, 6, false))), 0);
        assertEquals(6, store.maxSeq());
        assertEquals(List.of(1L, 2L, 4L, 6L), store.callEvents("call-1").stream().map(StoredEvent::seq).toList());
        assertEquals(List.of(3L, 5L), store.callEvents("call-2").stream().map(StoredEvent::seq).toList());
        assertEquals("legal_french", store.call("call-2").orElseThrow().queueId(), "the new call is stored");
        try (Connection c = DriverManager.getConnection(url(), "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_seq FROM calls WHERE id = 'call-1'")) {
            assertTrue(rs.next());
            assertEquals(6, rs.getLong(1), "the changed call is stored as its last commit left it");
        }
        assertTrue(autocommitted(), "no transaction was left open on the pooled connection");
    }

    @Test
    void aBrokenConstraintStoresNothingAndIsKnownToHaveStoredNothing() throws Exception {
        Call call = storeACall();
        // seq 2 is taken: the statement fails as a whole, the new seq 3 and the call's change with it
        SQLException e = assertThrows(SQLException.class, () -> store.commit(batch(
            List.of(event(3, "call-1", "call_answered"), event(2, "call-1", "call_hold")),
            List.of(new Store.CallRow(call, 3, false))), 0));
        assertFalse(e instanceof Store.CommitOutcomeUnknown, "a constraint fails before the commit: " + e);
        assertTrue(Store.isConstraintViolation(e), e.toString());
        assertEquals(2, store.maxSeq());
        assertEquals(2, store.callEvents("call-1").size());
    }

    @Test
    void aConnectionLostWhileTheStatementRunsIsAnUnknownOutcome() throws Exception {
        Call call = storeACall();
        try (Connection locker = DriverManager.getConnection(url(), "postgres", "")) {
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("SELECT id FROM calls WHERE id = 'call-1' FOR UPDATE");   // the commit's upsert waits for it
            }
            CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
                try {
                    store.commit(batch(List.of(event(3, "call-1", "call_answered")), List.of(new Store.CallRow(call, 3, false))), 0);
                } catch (SQLException x) {
                    throw new java.util.concurrent.CompletionException(x);
                }
            });
            long pid = waitingBackend(locker);
            try (Statement s = locker.createStatement()) {
                s.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            ExecutionException failed = assertThrows(ExecutionException.class, () -> commit.get(20, TimeUnit.SECONDS));
            assertInstanceOf(Store.CommitOutcomeUnknown.class, failed.getCause(), "the statement may have committed");
            locker.rollback();
        }
        assertEquals(2, store.maxSeq(), "and here it had not: nothing of it is stored");
    }

    /** The pid of the backend waiting for {@code locker}'s row lock (the commit's statement). */
    private static long waitingBackend(Connection locker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Statement s = locker.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                     + "AND wait_event_type = 'Lock' AND query LIKE 'WITH log_rows%'")) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the commit never waited for the lock");
    }

    private boolean autocommitted() throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 + "AND state = 'idle in transaction'")) {
            rs.next();
            return rs.getLong(1) == 0;
        }
    }
}
