package db.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;

/**
 * Schema version 3: a compact audit log and what a fast start needs.
 *
 * <ul>
 *   <li>{@code call_events} loses the JSON of the call after each entry ({@code call_state}) and the
 *       stored reply ({@code reply}): both are derived again from the call's history (the state
 *       machine is deterministic), so resume and idempotent replies are unchanged on the wire. It
 *       gains {@code head}: the first entry of each decision, which is what the derivation needs
 *       (a decision's entries share the call state after it). {@code call_id} may be null for
 *       entries about no call (a supervisor making an agent available); {@code source} gets room
 *       for {@code supervisor}. Its indexes shrink to the primary key and one narrow index on
 *       {@code call_id} (history, duplicate lookup, retention): an event id is unique per call
 *       because the call's lane decides it (see {@code Ingestor}), not because of a constraint
 *       whose index cost more than the row itself.</li>
 *   <li>{@code calls} loses {@code calls_by_status} and gets {@code fillfactor = 80} on
 *       PostgreSQL: most updates change only the status, so they become HOT updates (no new index
 *       entries, no index bloat). Status filters read the newest-first index; live calls are
 *       recent (idle calls expire).</li>
 *   <li>{@code calls} gains {@code wait_start_time} and {@code last_event_time}, so the Call JSON of
 *       {@code GET /api/calls} is built from its columns.</li>
 *   <li>{@code alerts} gains who acknowledged ({@code acked_by}) and the seq of that log entry.</li>
 *   <li>{@code snapshots}: the engine state as of a seq (see {@code dev.switchboard.server.store.Snapshots}).</li>
 * </ul>
 *
 * Existing rows are converted in place (Java, because H2 has no JSON functions): a row starts a
 * decision when it was posted by a client, or when the row before it belongs to another call or
 * carried another call state.
 */
public class V3__Compact_log extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE call_events ADD COLUMN head BOOLEAN DEFAULT FALSE NOT NULL");
            s.execute("UPDATE call_events SET head = TRUE WHERE source = 'external'");
            s.execute("UPDATE call_events e SET head = TRUE WHERE e.head = FALSE AND NOT EXISTS (SELECT 1 FROM call_events p "
                + "WHERE p.seq = e.seq - 1 AND p.call_id = e.call_id AND p.call_state = e.call_state)");
            s.execute("ALTER TABLE calls ADD COLUMN wait_start_time TIMESTAMP WITH TIME ZONE");
            s.execute("ALTER TABLE calls ADD COLUMN last_event_time TIMESTAMP WITH TIME ZONE");
        }
        backfillCallTimes(c);
        try (Statement s = c.createStatement()) {
            s.execute("UPDATE calls SET wait_start_time = start_time WHERE wait_start_time IS NULL");
            s.execute("UPDATE calls SET last_event_time = start_time WHERE last_event_time IS NULL");
            s.execute("ALTER TABLE calls ALTER COLUMN wait_start_time SET NOT NULL");
            s.execute("ALTER TABLE calls ALTER COLUMN last_event_time SET NOT NULL");
            s.execute("DROP INDEX call_events_by_call");
            // one narrow index by call serves the history, the duplicate lookup and retention; on
            // PostgreSQL its entries of one call share a key (B-tree deduplication)
            s.execute("ALTER TABLE call_events DROP CONSTRAINT call_events_id_per_call");
            s.execute("CREATE INDEX call_events_by_call ON call_events (call_id)");
            // most updates of a call change its status: without an index on it they can be HOT
            // (no new index entries), given room in the page
            s.execute("DROP INDEX calls_by_status");
            if (c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
                s.execute("ALTER TABLE calls SET (fillfactor = 80)");
            }
            s.execute("ALTER TABLE call_events DROP COLUMN call_state");
            s.execute("ALTER TABLE call_events DROP COLUMN reply");
            s.execute("ALTER TABLE call_events ALTER COLUMN call_id DROP NOT NULL");
            s.execute("ALTER TABLE call_events ALTER COLUMN source SET DATA TYPE VARCHAR(16)");
            s.execute("ALTER TABLE alerts ADD COLUMN acked_by VARCHAR(128)");
            s.execute("ALTER TABLE alerts ADD COLUMN ack_seq BIGINT");
            s.execute("CREATE TABLE snapshots (seq BIGINT PRIMARY KEY, taken_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                + "live_calls INTEGER NOT NULL, data BYTEA NOT NULL)");
        }
    }

    /** wait_start_time and last_event_time from the JSON of each call's last entry. */
    private static void backfillCallTimes(Connection c) throws SQLException {
        ObjectMapper json = new ObjectMapper();
        try (PreparedStatement read = c.prepareStatement(
                 "SELECT c.id, e.call_state FROM calls c JOIN call_events e ON e.seq = c.last_seq");
             PreparedStatement write = c.prepareStatement(
                 "UPDATE calls SET wait_start_time = ?, last_event_time = ? WHERE id = ?")) {
            read.setFetchSize(1000);
            int pending = 0;
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    JsonNode state;
                    try {
                        state = json.readTree(rs.getString(2));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new SQLException("call " + rs.getString(1) + ": stored state is not JSON", e);
                    }
                    write.setObject(1, time(state.path("wait_start_time")));
                    write.setObject(2, time(state.path("last_event_time")));
                    write.setString(3, rs.getString(1));
                    write.addBatch();
                    if (++pending == 1000) {
                        write.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
    }

    private static OffsetDateTime time(JsonNode n) {
        return n.isTextual() ? OffsetDateTime.parse(n.asText()) : null;
    }
}
