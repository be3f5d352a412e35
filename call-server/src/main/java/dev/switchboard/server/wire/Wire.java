package dev.switchboard.server.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.metrics.AgentMetrics;
import dev.switchboard.core.metrics.QueueMetrics;
import dev.switchboard.core.rules.Alert;
import dev.switchboard.core.rules.Thresholds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The wire contract's JSON (v1): how calls, events, alerts and metrics look to clients. snake_case,
 * ISO-8601 instants, durations in seconds as numbers. One place, so the REST replies, the audit
 * log and the Socket.io pushes always agree.
 */
public final class Wire {

    /** Deepest JSON nesting accepted in a request. */
    public static final int MAX_NESTING_DEPTH = 32;

    /** Longest JSON string value accepted in a request. */
    public static final int MAX_STRING_LENGTH = 64 * 1024;

    public static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNumberLength(64)
            .build())
        .build())
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Wire() {
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #write} as UTF-8 bytes, written as bytes (no String in between). */
    public static byte[] writeBytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON does not parse", e);
        }
    }

    /**
     * Milliseconds since the epoch as {@link Instant#toString} writes them
     * ({@code 2026-12-08T00:43:15.452Z}; no fraction when the milliseconds are 0), or {@code null}
     * for {@link Call#NONE}. Written by hand for the years 1970 to 9999: a call's text has five of
     * them and an event one, and {@code Instant.toString} (a {@code DateTimeFormatter} with a
     * date, a time and a builder per value) was 6 % of the request threads' time on the ingest path
     * (BENCHMARKS.md, "The fourth pass"). Other instants go through {@code Instant.toString}.
     */
    public static String instant(long epochMs) {
        if (epochMs == Call.NONE) {
            return null;
        }
        if (epochMs < 0 || epochMs >= YEAR_10000_MS) {
            return Instant.ofEpochMilli(epochMs).toString();
        }
        long seconds = epochMs / 1000;
        int millis = (int) (epochMs % 1000);
        int secondOfDay = (int) (seconds % 86_400);
        // the civil date of a day count (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms")
        long z = seconds / 86_400 + 719_468;
        long era = z / 146_097;
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        byte[] b = new byte[millis == 0 ? 20 : 24];
        digits(b, 0, year, 4);
        b[4] = '-';
        digits(b, 5, month, 2);
        b[7] = '-';
        digits(b, 8, day, 2);
        b[10] = 'T';
        digits(b, 11, secondOfDay / 3_600, 2);
        b[13] = ':';
        digits(b, 14, secondOfDay / 60 % 60, 2);
        b[16] = ':';
        digits(b, 17, secondOfDay % 60, 2);
        if (millis != 0) {
            b[19] = '.';
            digits(b, 20, millis, 3);
        }
        b[b.length - 1] = 'Z';
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** 10000-01-01T00:00:00Z: from here {@code Instant.toString} writes the year with a sign. */
    private static final long YEAR_10000_MS = 253_402_300_800_000L;

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Milliseconds as seconds (3 decimals); {@code null} for {@link Call#NONE}. */
    public static Double seconds(long ms) {
        return ms == Call.NONE ? null : ms / 1000.0;
    }

    private static void putSeconds(ObjectNode n, String field, Double seconds) {
        if (seconds == null) {
            n.putNull(field);
        } else {
            n.put(field, seconds);
        }
    }

    /**
     * A call: {@code {id, type, status, queue_id, agent_id, start_time, answer_time, end_time,
     * wait_time, duration, end_reason, flags}} plus {@code phase}, {@code hold_time},
     * {@code wait_start_time}, {@code last_event_time} and {@code last_event_type} (the transition at
     * {@code last_event_time}; {@code null} for a call last changed before this field existed)
     * (extensions for live clients).
     */
    public static ObjectNode call(Call c) {
        try (TokenBuffer tokens = new TokenBuffer(JSON, false)) {
            writeCall(tokens, c);
            return JSON.readTree(tokens.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link #call} serialized, written straight from the call without building a tree first
     * (the ingest path renders every decision's call once: the pushes, the reply and the webhooks
     * share the text).
     */
    public static String callText(Call c) {
        try (SegmentedStringWriter out = new SegmentedStringWriter(JSON.getFactory()._getBufferRecycler());
             JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            writeCall(g, c);
            g.flush();
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the fields of {@link #call}, in its order: the one definition of a call on the wire. */
    private static void writeCall(JsonGenerator g, Call c) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("type", c.type().wireName());
        g.writeStringField("status", c.status().wireName());
        g.writeStringField("queue_id", c.queueId());
        g.writeStringField("agent_id", c.agentId());
        g.writeStringField("start_time", instant(c.startMs()));
        g.writeStringField("answer_time", instant(c.answerMs()));
        g.writeStringField("end_time", instant(c.endMs()));
        long wait = c.waitMs() != Call.NONE ? c.waitMs() : c.isLive() ? Call.NONE : c.waitedMs(c.endMs());
        writeSeconds(g, "wait_time", wait);
        writeSeconds(g, "duration", c.durationMs());
        g.writeStringField("end_reason", c.endReason());
        g.writeArrayFieldStart("flags");
        for (CallFlag f : c.flags()) {
            if (f.onWire()) {
                g.writeString(f.wireName());
            }
        }
        g.writeEndArray();
        g.writeStringField("phase", c.phase().wireName());
        writeSeconds(g, "hold_time", c.holdMs());
        g.writeStringField("wait_start_time", instant(c.waitStartMs()));
        g.writeStringField("last_event_time", instant(c.lastEventMs()));
        g.writeStringField("last_event_type", c.lastEventType() == null ? null : c.lastEventType().wireName());
        g.writeEndObject();
    }

    /** Milliseconds as seconds, or null for {@link Call#NONE} (as {@link #seconds}). */
    private static void writeSeconds(JsonGenerator g, String field, long ms) throws IOException {
        if (ms == Call.NONE) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, ms / 1000.0);
        }
    }

    /** An audit-log entry: {@code {id, call_id, type, timestamp, metadata, seq}}. */
    public static ObjectNode event(String id, String callId, String type, long tsMs, JsonNode metadata, long seq) {
        ObjectNode n = object();
        n.put("id", id);
        n.put("call_id", callId);
        n.put("type", type);
        n.put("timestamp", instant(tsMs));
        n.set("metadata", metadata);
        n.put("seq", seq);
        return n;
    }

    /**
     * An acknowledged alert, as pushed in {@code alert_acked}: the alert with {@code acked_at},
     * {@code acked_by}, {@code note} and {@code ack_seq} (the seq of the acknowledgement's log entry);
     * {@code resolved_at} as stored.
     */
    public static ObjectNode alertAcked(dev.switchboard.server.store.Store.StoredAlert a, long atMs, String by, String note,
                                        long ackSeq) {
        ObjectNode n = alert(a.toAlert(), a.seq(), atMs);
        n.put("acked_by", by);
        n.put("note", note);
        n.put("resolved_at", a.resolvedAtMs() == null ? null : instant(a.resolvedAtMs()));
        n.put("ack_seq", ackSeq);
        return n;
    }

    /**
     * An alert that resolved itself, as pushed in {@code alert_resolved}: {@code {seq, id, kind,
     * call_id, queue_id, resolved_at, resolution}}, {@code seq} being the seq of its
     * {@code alert_resolved} entry (as {@code ack_seq} is an acknowledgement's).
     *
     * @param entry the entry's metadata ({@code alert_id}, {@code kind}, {@code queue_id}, {@code reason})
     */
    public static ObjectNode alertResolved(String callId, long atMs, JsonNode entry, long seq) {
        ObjectNode n = object();
        n.put("seq", seq);
        n.put("id", entry.path("alert_id").asText());
        n.put("kind", entry.path("kind").asText());
        n.put("call_id", callId);
        n.put("queue_id", entry.path("queue_id").asText(null));
        n.put("resolved_at", instant(atMs));
        n.put("resolution", entry.path("reason").asText(null));
        return n;
    }

    /**
     * An alert: {@code {seq, id, kind, call_id, queue_id, agent_id, at, message, acked_at,
     * resolved_at}} ({@code resolved_at} null: a raised alert is not resolved yet).
     */
    public static ObjectNode alert(Alert a, long seq, Long ackedAtMs) {
        ObjectNode n = object();
        n.put("seq", seq);
        n.put("id", a.id());
        n.put("kind", a.kind().wireName());
        n.put("call_id", a.callId());
        n.put("queue_id", a.queueId());
        n.put("agent_id", a.agentId());
        n.put("at", instant(a.atMs()));
        n.put("message", a.message());
        n.put("acked_at", ackedAtMs == null ? null : instant(ackedAtMs));
        n.putNull("resolved_at");
        return n;
    }

    public static ObjectNode thresholds(Thresholds t) {
        ObjectNode n = object();
        n.put("sla_max_wait", t.slaMaxWaitMs() / 1000.0);
        n.put("ring_timeout", t.ringTimeoutMs() / 1000.0);
        n.put("max_hold", t.maxHoldMs() / 1000.0);
        n.put("short_call", t.shortCallMs() / 1000.0);
        n.put("wrap_up", t.wrapUpMs() / 1000.0);
        n.put("short_abandon", t.shortAbandonMs() / 1000.0);
        n.put("sl_target", t.slTarget());
        return n;
    }

    /** A queue with its configuration and live metrics. */
    public static ObjectNode queue(QueueConfig q, Thresholds t, QueueMetrics m, java.time.ZoneId zone) {
        ObjectNode n = object();
        n.put("id", q.id());
        n.put("name", q.name());
        ArrayNode agents = n.putArray("agents");
        q.agentIds().forEach(agents::add);
        n.set("thresholds", thresholds(t));
        n.set("metrics", queueMetrics(m, zone));
        return n;
    }

    public static ObjectNode queueMetrics(QueueMetrics m, java.time.ZoneId zone) {
        ObjectNode n = object();
        n.put("queue_id", m.queueId());
        n.put("waiting_now", m.waitingNow());
        n.put("longest_wait", m.longestWaitMs() / 1000.0);
        n.put("offered", m.offered());
        n.put("answered", m.answered());
        n.put("answered_within_sla", m.answeredWithinSla());
        n.put("service_level", m.serviceLevel());
        putSeconds(n, "average_speed_of_answer", m.averageSpeedOfAnswerMs() == null ? null : m.averageSpeedOfAnswerMs() / 1000.0);
        n.put("abandoned", m.abandoned());
        n.put("abandoned_short", m.abandonedShort());
        n.put("abandon_rate", m.abandonRate());
        n.put("sl_target", m.slTarget());
        n.put("handled", m.handled());
        putSeconds(n, "average_handle_time", m.averageHandleTimeMs() == null ? null : m.averageHandleTimeMs() / 1000.0);
        n.put("day", day(m.dayStartMs(), zone));
        return n;
    }

    public static ObjectNode agent(AgentMetrics a) {
        ObjectNode n = object();
        n.put("id", a.agentId());
        ArrayNode queues = n.putArray("queues");
        a.queues().forEach(queues::add);
        n.put("state", a.state().wireName());
        n.put("state_since", instant(a.stateSinceMs()));
        n.put("current_call_id", a.currentCallId());
        n.put("offered", a.offered());
        n.put("answered", a.answered());
        n.put("missed", a.missed());
        n.put("consecutive_misses", a.consecutiveMisses());
        n.put("handled", a.handled());
        n.put("talk_time", a.talkMs() / 1000.0);
        n.put("hold_time", a.holdMs() / 1000.0);
        putSeconds(n, "average_handle_time", a.averageHandleTimeMs() == null ? null : a.averageHandleTimeMs() / 1000.0);
        n.put("presence", a.presence().wireName());
        n.put("reason", a.reason());
        n.put("since", instant(a.presenceSinceMs()));
        n.put("logged_in_since", instant(a.loggedInSinceMs()));
        n.put("wrap_up_time", a.wrapUpMs() / 1000.0);
        n.put("logged_in_time", a.loggedInMs() / 1000.0);
        n.put("not_ready_time", a.notReadyMs() / 1000.0);
        ObjectNode reasons = n.putObject("not_ready_by_reason");
        new java.util.TreeMap<>(a.notReadyByReasonMs()).forEach((r, ms) -> reasons.put(r, ms / 1000.0));
        n.put("occupancy", a.occupancyRatio());
        return n;
    }

    /** The local date (ISO) that began at {@code dayStartMs} in {@code zone}; {@code null} before any day. */
    public static String day(long dayStartMs, java.time.ZoneId zone) {
        return dayStartMs == Long.MIN_VALUE ? null : Instant.ofEpochMilli(dayStartMs).atZone(zone).toLocalDate().toString();
    }
}
