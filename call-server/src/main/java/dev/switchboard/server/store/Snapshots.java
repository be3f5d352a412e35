package dev.switchboard.server.store;

import dev.switchboard.core.EngineState;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallType;
import dev.switchboard.core.call.EventType;
import dev.switchboard.core.call.Phase;
import dev.switchboard.core.metrics.AgentState;
import dev.switchboard.core.metrics.CenterMetrics;
import dev.switchboard.core.metrics.Presence;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Snapshots of what a start needs, as of one seq: the engine's {@link EngineState} (live calls,
 * agents, queue counters) and the live calls' event ids (the duplicate check). A start reads the
 * newest snapshot and replays only the log entries after its seq.
 *
 * <p><b>Format.</b> A small versioned binary encoding (DataOutput, gzip): a snapshot of 1,000 live
 * calls is a few tens of KB, 100,000 a few MB. A snapshot whose format this version does not read
 * is ignored (the start replays the whole log, as without one), never misread.
 *
 * <p>The newest {@link #KEPT} are kept; older ones are deleted when a new one is saved.
 */
public final class Snapshots {

    /**
     * Version of the encoding; bump it with any change to {@link #encode}. 3 added each live call's
     * last event type; format 2 is still read (its calls' last event type is unknown).
     */
    static final int FORMAT = 3;
    /** The previous format, read for a start after an upgrade. */
    static final int FORMAT_2 = 2;
    /** Snapshots kept: the newest, and one before it in case the newest cannot be read. */
    static final int KEPT = 2;

    private final Store store;

    public Snapshots(Store store) {
        this.store = store;
    }

    /**
     * @param seq      the last log entry the state includes
     * @param eventIds the live calls' client event ids
     */
    public record Snapshot(long seq, long takenAtMs, EngineState engine, Map<String, List<String>> eventIds) {
    }

    /** Stores a snapshot, then deletes all but the newest {@link #KEPT}. */
    public int save(Snapshot s) throws SQLException {
        byte[] data = encode(s);
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement same = c.prepareStatement("DELETE FROM snapshots WHERE seq = ?");
                 PreparedStatement ins = c.prepareStatement(
                     "INSERT INTO snapshots (seq, taken_at, live_calls, data) VALUES (?, ?, ?, ?)");
                 PreparedStatement del = c.prepareStatement("DELETE FROM snapshots WHERE seq < "
                     + "(SELECT MIN(seq) FROM (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT " + KEPT + ") newest)")) {
                same.setLong(1, s.seq());
                same.executeUpdate();
                ins.setLong(1, s.seq());
                ins.setObject(2, Store.odt(s.takenAtMs()));
                ins.setInt(3, s.engine().liveCalls().size());
                ins.setBytes(4, data);
                ins.executeUpdate();
                del.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return data.length;
    }

    /** The newest snapshot this version can read, if any. */
    public Optional<Snapshot> newest() throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, data FROM snapshots ORDER BY seq DESC")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Optional<Snapshot> s = decode(rs.getBytes(2));
                    if (s.isPresent()) {
                        return s;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Deletes every snapshot at or after {@code seq} (a database restored to an older log). */
    public void dropFrom(long seq) {
        store.db().execute().dml("DELETE FROM snapshots WHERE seq >= ?", seq);
    }

    // ------------------------------------------------------------------ encoding

    static byte[] encode(Snapshot s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes, 64 * 1024))) {
            out.writeInt(FORMAT);
            out.writeLong(s.seq());
            out.writeLong(s.takenAtMs());
            EngineState e = s.engine();
            out.writeInt(e.liveCalls().size());
            for (Call c : e.liveCalls()) {
                out.writeUTF(c.id());
                out.writeUTF(c.type().wireName());
                out.writeUTF(c.queueId());
                nullable(out, c.agentId());
                out.writeUTF(c.phase().wireName());
                out.writeLong(c.startMs());
                out.writeLong(c.waitStartMs());
                out.writeLong(c.phaseSinceMs());
                out.writeLong(c.answerMs());
                out.writeLong(c.endMs());
                out.writeLong(c.waitMs());
                out.writeLong(c.durationMs());
                out.writeLong(c.holdMs());
                nullable(out, c.endReason());
                out.writeInt(c.flagBits());
                strings(out, c.missedAgents());
                out.writeLong(c.lastEventMs());
                nullable(out, c.lastEventType() == null ? null : c.lastEventType().wireName());   // since format 3
                out.writeInt(c.version());
            }
            out.writeInt(e.agents().size());
            for (CenterMetrics.AgentRecord a : e.agents()) {
                out.writeUTF(a.agentId());
                strings(out, a.queues());
                out.writeUTF(a.activity().name());
                out.writeUTF(a.presence().name());
                nullable(out, a.reason());
                out.writeLong(a.presenceSinceMs());
                out.writeLong(a.loggedInSinceMs());
                out.writeLong(a.wrapUntilMs());
                out.writeLong(a.stateSinceMs());
                nullable(out, a.currentCallId());
                out.writeLong(a.offered());
                out.writeLong(a.answered());
                out.writeLong(a.missed());
                out.writeInt(a.consecutiveMisses());
                out.writeLong(a.handled());
                out.writeLong(a.talkMs());
                out.writeLong(a.holdMs());
                out.writeLong(a.wrapUpMs());
                out.writeLong(a.loggedInMs());
                out.writeInt(a.notReadyByReasonMs().size());
                for (Map.Entry<String, Long> r : a.notReadyByReasonMs().entrySet()) {
                    out.writeUTF(r.getKey());
                    out.writeLong(r.getValue());
                }
            }
            out.writeInt(e.queues().size());
            for (CenterMetrics.QueueCounters q : e.queues()) {
                out.writeUTF(q.queueId());
                out.writeLong(q.offered());
                out.writeLong(q.answered());
                out.writeLong(q.answeredWithinSla());
                out.writeLong(q.totalAnswerWaitMs());
                out.writeLong(q.abandoned());
                out.writeLong(q.abandonedShort());
                out.writeLong(q.handled());
                out.writeLong(q.totalHandleMs());
            }
            out.writeLong(e.dayStartMs());
            out.writeInt(s.eventIds().size());
            for (Map.Entry<String, List<String>> ids : s.eventIds().entrySet()) {
                out.writeUTF(ids.getKey());
                strings(out, ids.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a snapshot", e);
        }
        return bytes.toByteArray();
    }

    static Optional<Snapshot> decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(data), 64 * 1024))) {
            int format = in.readInt();
            if (format != FORMAT && format != FORMAT_2) {
                return Optional.empty();
            }
            long seq = in.readLong();
            long takenAt = in.readLong();
            int n = in.readInt();
            List<Call> calls = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                CallType type = CallType.fromWire(in.readUTF()).orElseThrow();
                String queue = in.readUTF();
                String agent = nullable(in);
                Phase phase = Phase.fromWire(in.readUTF());
                long start = in.readLong();
                long waitStart = in.readLong();
                long phaseSince = in.readLong();
                long answer = in.readLong();
                long end = in.readLong();
                long waitMs = in.readLong();
                long duration = in.readLong();
                long hold = in.readLong();
                String endReason = nullable(in);
                int flags = in.readInt();
                List<String> missed = strings(in);
                long lastEvent = in.readLong();
                // format 2 has no last event type: unknown until the call's next event
                EventType lastType = format == FORMAT_2 ? null : EventType.fromWire(nullable(in)).orElse(null);
                calls.add(new Call(id, type, queue, agent, phase, start, waitStart, phaseSince, answer, end, waitMs,
                    duration, hold, endReason, flags, missed, lastEvent, lastType, in.readInt()));
            }
            n = in.readInt();
            List<CenterMetrics.AgentRecord> agents = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                List<String> queues = strings(in);
                AgentState activity = AgentState.valueOf(in.readUTF());
                Presence presence = Presence.valueOf(in.readUTF());
                String reason = nullable(in);
                long presenceSince = in.readLong();
                long loggedInSince = in.readLong();
                long wrapUntil = in.readLong();
                long stateSince = in.readLong();
                String currentCall = nullable(in);
                long offered = in.readLong();
                long answered = in.readLong();
                long missed = in.readLong();
                int consecutive = in.readInt();
                long handled = in.readLong();
                long talk = in.readLong();
                long hold = in.readLong();
                long wrapUp = in.readLong();
                long loggedIn = in.readLong();
                int reasons = in.readInt();
                Map<String, Long> notReady = new HashMap<>(reasons * 2);
                for (int r = 0; r < reasons; r++) {
                    notReady.put(in.readUTF(), in.readLong());
                }
                agents.add(new CenterMetrics.AgentRecord(id, queues, activity, presence, reason, presenceSince,
                    loggedInSince, wrapUntil, stateSince, currentCall, offered, answered, missed, consecutive, handled,
                    talk, hold, wrapUp, loggedIn, notReady));
            }
            n = in.readInt();
            List<CenterMetrics.QueueCounters> queues = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                queues.add(new CenterMetrics.QueueCounters(in.readUTF(), in.readLong(), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong()));
            }
            long dayStartMs = in.readLong();
            n = in.readInt();
            Map<String, List<String>> ids = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                ids.put(in.readUTF(), strings(in));
            }
            return Optional.of(new Snapshot(seq, takenAt, new EngineState(calls, agents, queues, dayStartMs), ids));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();   // unreadable: the start falls back to a longer replay
        }
    }

    private static void nullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String nullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void strings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            out.writeUTF(s);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readUTF());
        }
        return out;
    }
}
