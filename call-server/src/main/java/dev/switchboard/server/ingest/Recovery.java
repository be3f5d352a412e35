package dev.switchboard.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.CallEngine;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.EventType;
import dev.switchboard.server.store.Snapshots;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.store.StoredEvent;
import dev.switchboard.core.metrics.Presence;
import dev.switchboard.server.wire.History;
import dev.switchboard.server.wire.QueueJson;
import dev.switchboard.server.wire.Wire;

import java.sql.SQLException;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A start: the newest snapshot, then the log entries after it, then the timers.
 *
 * <p><b>Invariant.</b> The engine after {@link #run} equals one that replayed the whole log (live
 * calls, metrics, agent state and timers; ended calls are not retained), because a snapshot is
 * taken under the engine's lock as of exactly its seq and the entries after it are replayed in
 * seq order. Without a readable snapshot, or with one ahead of the log (a database restored from
 * an older backup), the whole log is replayed as before.
 *
 * <p>Deadlines that passed while the service was down fire at the first poll after the start.
 */
final class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class.getName());

    /** What a start found. */
    record Recovered(long lastSeq, long snapshotSeq, long replayed) {
    }

    private final Store store;
    private final Snapshots snapshots;

    Recovery(Store store, Snapshots snapshots) {
        this.store = store;
        this.snapshots = snapshots;
    }

    /** Rebuilds {@code engine} and {@code ids}; the caller holds the engine (nothing runs yet). */
    Recovered run(CallEngine engine, EventIds ids) throws SQLException {
        long maxSeq = store.maxSeq();
        long from = 0;
        Optional<Snapshots.Snapshot> snapshot = snapshots.newest();
        if (snapshot.isPresent() && snapshot.get().seq() > maxSeq) {
            LOG.warning("the newest snapshot (seq " + snapshot.get().seq() + ") is ahead of the log (seq " + maxSeq
                + "): the database was restored to an older state; replaying the whole log");
            snapshots.dropFrom(maxSeq + 1);
            snapshot = Optional.empty();
        }
        if (snapshot.isPresent()) {
            engine.restore(snapshot.get().engine());
            ids.restore(snapshot.get().eventIds());
            from = snapshot.get().seq();
        }
        long[] replayed = {0};
        long[] last = {from};
        // one query, one snapshot of the table: a prefix of the log made of whole commits, which in
        // cluster mode may reach past maxSeq (the leader commits on while this node starts)
        store.forEachEvent(from, e -> {
            replay(engine, ids, e);
            replayed[0]++;
            last[0] = e.seq();
        });
        engine.armTimers();
        return new Recovered(Math.max(maxSeq, last[0]), from, replayed[0]);
    }

    static void replay(CallEngine engine, EventIds ids, StoredEvent e) {
        JsonNode metadata = Wire.read(e.metadata());
        CallEvent transition = e.callId() == null ? null : History.transition(e.id(), e.callId(), e.type(), metadata);
        if (transition != null) {
            boolean first = engine.call(e.callId()).isEmpty();
            engine.replay(transition, e.tsMs());
            if (History.SOURCE_EXTERNAL.equals(e.source())) {
                ids.remember(e.callId(), e.id(), first, transition.type() == EventType.CALL_ENDED);
            } else if (transition.type() == EventType.CALL_ENDED) {
                ids.callEnded(e.callId());
            }
            return;
        }
        Optional<dev.switchboard.core.call.CallFlag> flag = History.flagOf(e.type(), metadata);
        if (flag.isPresent()) {
            engine.replayFlag(e.callId(), flag.get());
            return;
        }
        switch (e.type()) {
            case History.AGENT_ON_BREAK -> engine.replayAgentOnBreak(metadata.path("agent_id").asText(), e.tsMs());
            case History.AGENT_AVAILABLE -> engine.replayAgentAvailable(metadata.path("agent_id").asText(), e.tsMs());
            case History.AGENT_PRESENCE -> replayPresence(engine, e, metadata);
            case History.QUEUE_CHANGED -> engine.putQueue(QueueJson.read(metadata.path("queue_id").asText(),
                metadata.path("queue"), engine.defaultThresholds()), e.tsMs());
            case History.QUEUE_DELETED -> engine.removeQueue(metadata.path("queue_id").asText());
            case History.ALERT_ACKED -> { }   // the alerts table has it; the engine keeps no alerts
            // (alert_resolved sets its call's internal resolved flag: flagOf above)
            default -> LOG.warning("unknown history entry type " + e.type() + " (seq " + e.seq() + ") skipped at replay");
        }
    }

    /** An {@code agent_presence} entry: the system's wrap-up (with its end) or a change an agent or supervisor made. */
    private static void replayPresence(CallEngine engine, StoredEvent e, JsonNode metadata) {
        String agent = metadata.path("agent_id").asText();
        Presence presence;
        try {
            presence = Presence.fromWire(metadata.path("presence").asText());
        } catch (IllegalArgumentException unknown) {
            LOG.warning("agent_presence entry with an unknown presence (seq " + e.seq() + ") skipped at replay");
            return;
        }
        long until = presence == Presence.WRAP_UP
            ? java.time.Instant.parse(metadata.path("until").asText()).toEpochMilli() : dev.switchboard.core.call.Call.NONE;
        engine.replayPresence(agent, presence, metadata.path("reason").isTextual() ? metadata.path("reason").asText() : null,
            e.tsMs(), until);
    }
}
