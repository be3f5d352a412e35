package dev.switchboard.server.ingest;

import dev.switchboard.server.Events;
import dev.switchboard.server.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A commit whose outcome is unknown is settled by asking the log whether its own entries are
 * there, not whether anything is at its seqs: in cluster mode PostgreSQL ends the transaction of a
 * leader paused in the middle of a commit, and the next leader writes the same seqs. Here the
 * other writer is the test: it holds {@code call_events} while the server's commit waits, puts an
 * entry of its own at the seq the commit would take, and lets go only once the server's commit
 * has failed and the server is asking.
 */
class UnknownOutcomePostgresTest {

    @Test
    void aSeqTakenByAnotherWriterIsNotMistakenForTheLostCommit() throws Exception {
        try (TestServer s = TestServer.start(TestServer.Backend.POSTGRES)) {
            assertEquals(201, s.postEvent(Events.initiated("e1", "call-1", "medical_english")).statusCode());
            long seq;
            try (Connection c = s.jdbc(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT MAX(seq) FROM call_events")) {
                rs.next();
                seq = rs.getLong(1) + 1;   // the seq the next commit takes
            }
            // the watcher is a connection of its own: inside other's transaction, pg_stat_activity would not change
            try (Connection other = s.jdbc(); Connection watcher = s.jdbc()) {
                other.setAutoCommit(false);
                try (Statement st = other.createStatement()) {
                    st.execute("LOCK TABLE call_events IN ACCESS EXCLUSIVE MODE");
                    st.execute("INSERT INTO call_events (seq, id, call_id, type, ts, source, metadata, head) VALUES ("
                        + seq + ", 'another-writers', 'call-elsewhere', 'call_initiated', now(), 'external', '{}', true)");
                }
                CompletableFuture<HttpResponse<String>> post = CompletableFuture.supplyAsync(
                    () -> s.postEvent(Events.initiated("e2", "call-2", "medical_english")));
                long commit = backendWaitingWith(watcher, "WITH log_rows%");
                try (Statement st = watcher.createStatement()) {
                    st.execute("SELECT pg_terminate_backend(" + commit + ")");   // the commit's outcome is unknown
                }
                backendWaitingWith(watcher, "SELECT %FROM call_events%");   // and the server asks the log
                other.commit();

                HttpResponse<String> answer = post.get(30, TimeUnit.SECONDS);
                assertEquals(503, answer.statusCode(), "the event was not stored, so it is not acknowledged: "
                    + answer.body());
            }
            try (Connection c = s.jdbc(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT COUNT(*) FROM call_events WHERE call_id = 'call-2'")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "nothing of call-2 is in the log");
            }
            assertTrue(s.get("/api/calls/call-2", TestServer.SUPERVISOR_KEY).statusCode() == 404,
                "and the server does not think it has call-2 either");
        }
    }

    /** The pid of a backend of this database waiting for a lock with a query like {@code pattern}. */
    private static long backendWaitingWith(Connection c, String pattern) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                     + "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE '" + pattern + "'")) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
            Thread.sleep(20);
        }
        StringBuilder seen = new StringBuilder();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT state, wait_event_type, query FROM pg_stat_activity "
                 + "WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                seen.append("\n  ").append(rs.getString(1)).append(" / ").append(rs.getString(2)).append(": ")
                    .append(rs.getString(3));
            }
        }
        throw new AssertionError("no backend waited for the lock with a query like " + pattern + "; backends:" + seen);
    }
}
