package dev.switchboard.server.reports;

import dev.switchboard.server.store.Store;
import dev.switchboard.server.store.StoredEvent;
import dev.switchboard.server.wire.History;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the reports read from the audit log: the histories of the calls whose life overlaps the
 * report's time, the agents' presence entries, and when each agent was first seen.
 *
 * <p>Cost (see docs/reports.md): the calls are found on {@code calls.start_time} / {@code end_time},
 * their histories read {@value #CALLS_PER_READ} calls at a time through the index on
 * {@code call_events.call_id} (so memory holds one page of histories, not the month); the
 * presence entries are found by type, which no index covers: a scan of the log, kept because a
 * presence before {@code from} (an agent on lunch since yesterday) decides the time after it.
 */
final class ReportSource {

    /** Calls whose histories are read in one query (the IN list of {@link Store#callEvents}). */
    static final int CALLS_PER_READ = 500;

    private static final String PRESENCE_TYPES = "'" + History.AGENT_PRESENCE + "', '" + History.AGENT_AVAILABLE + "', '"
        + History.AGENT_ON_BREAK + "'";

    private final Store store;

    ReportSource(Store store) {
        this.store = store;
    }

    /**
     * The histories (each in seq order) of the calls that started before {@code toMs} and were
     * still live at {@code fromMs} or later, a page of calls at a time.
     */
    long forEachCallHistory(long fromMs, long toMs, Consumer<List<StoredEvent>> history) {
        List<String> ids = store.db().execute()
            .query("SELECT id FROM calls WHERE start_time < ? AND (end_time IS NULL OR end_time >= ?)", odt(toMs), odt(fromMs))
            .map(r -> r.column("id").get(String.class))
            .toList();
        for (int from = 0; from < ids.size(); from += CALLS_PER_READ) {
            Map<String, List<StoredEvent>> page = store.callEvents(ids.subList(from, Math.min(ids.size(), from + CALLS_PER_READ)),
                Long.MAX_VALUE);
            page.values().forEach(history);
        }
        return ids.size();
    }

    /** Every presence entry ({@code agent_presence}, {@code agent_on_break}, {@code agent_available}) before {@code toMs}. */
    void forEachPresence(long toMs, Consumer<StoredEvent> entry) {
        store.db().execute()
            .query("SELECT seq, id, call_id, type, ts, source, metadata, head FROM call_events WHERE type IN ("
                + PRESENCE_TYPES + ") AND ts < ? ORDER BY seq", odt(toMs))
            .map(ReportSource::event)
            .forEach(entry);
    }

    /** Each registered agent and when it was first seen. */
    void forEachAgent(BiConsumer<String, Long> agent) {
        store.db().execute().query("SELECT id, first_seen FROM agents")
            .forEach(r -> agent.accept(r.column("id").get(String.class), Store.millis(r.column("first_seen").get(Object.class))));
    }

    private static StoredEvent event(DbRow r) {
        return new StoredEvent(r.column("seq").get(Long.class), r.column("id").get(String.class),
            r.column("call_id").get(String.class), r.column("type").get(String.class),
            Store.millis(r.column("ts").get(Object.class)), r.column("source").get(String.class),
            r.column("metadata").get(String.class), r.column("head").get(Boolean.class));
    }

    private static OffsetDateTime odt(long ms) {
        return Instant.ofEpochMilli(ms).atOffset(ZoneOffset.UTC);
    }
}
