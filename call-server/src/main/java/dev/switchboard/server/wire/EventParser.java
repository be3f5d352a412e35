package dev.switchboard.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallType;
import dev.switchboard.core.call.EventType;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns one posted JSON event into a {@link CallEvent}, or into the list of everything wrong with
 * it (every field checked, not just the first error).
 *
 * <pre>
 * { "event_id": "evt-0001", "type": "call_initiated", "call_id": "123",
 *   "timestamp": "2026-11-24T10:00:00Z", "data": { "type": "video", "queue_id": "medical_spanish" } }
 * </pre>
 */
public final class EventParser {

    /** Longest id accepted (call, event, queue, agent). */
    public static final int MAX_ID_LENGTH = 128;

    /** Longest free-text value accepted (end reason, retransfer reason). */
    public static final int MAX_TEXT_LENGTH = 256;

    /** Largest reported duration accepted, in seconds (one week). */
    public static final double MAX_SECONDS = 7 * 24 * 3600;

    /** Latest timestamp accepted: the end of year 9999. */
    public static final Instant MAX_TIMESTAMP = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Event ids starting with this are the service's own history entries; clients may not use them. */
    public static final String SYSTEM_ID_PREFIX = "sys";

    private EventParser() {
    }

    /** The outcome: an event, or errors. */
    public sealed interface Parsed {
        record Ok(IncomingEvent event) implements Parsed {
        }

        record Invalid(List<FieldError> errors) implements Parsed {
        }
    }

    /** Parses an event a client posted. */
    public static Parsed parse(JsonNode node) {
        return parse(node, false);
    }

    /**
     * @param systemIds whether ids in the service's reserved space ({@code sys-…}, {@code sys:…})
     *                  are allowed: only when reading back the service's own history
     */
    public static Parsed parse(JsonNode node, boolean systemIds) {
        List<FieldError> errors = new ArrayList<>();
        if (node == null || !node.isObject()) {
            errors.add(new FieldError("", "an event must be a JSON object"));
            return new Parsed.Invalid(errors);
        }
        String eventId = id(node, "event_id", false, errors);
        if (!systemIds && eventId != null && (eventId.startsWith(SYSTEM_ID_PREFIX + "-") || eventId.startsWith(SYSTEM_ID_PREFIX + ":"))) {
            errors.add(new FieldError("event_id", "must not start with '" + SYSTEM_ID_PREFIX
                + "-' or '" + SYSTEM_ID_PREFIX + ":' (reserved for the service's own history entries)"));
            eventId = null;
        }
        String callIdOrNull = id(node, "call_id", true, errors);
        EventType type = null;
        JsonNode typeNode = node.get("type");
        if (typeNode == null || typeNode.isNull()) {
            errors.add(new FieldError("type", "is required"));
        } else if (!typeNode.isTextual()) {
            errors.add(new FieldError("type", "must be a string"));
        } else {
            type = EventType.fromWire(typeNode.asText()).orElse(null);
            if (type == null) {
                errors.add(new FieldError("type", "unknown event type '" + clip(typeNode.asText())
                    + "' (one of call_initiated, call_routed, call_retransfer, call_answered, call_hold, call_resumed, call_transferred, call_ended)"));
            }
        }
        Instant timestamp = null;
        JsonNode ts = node.get("timestamp");
        if (ts != null && !ts.isNull()) {
            if (!ts.isTextual()) {
                errors.add(new FieldError("timestamp", "must be an ISO-8601 instant string such as 2026-11-24T10:00:00Z"));
            } else {
                try {
                    timestamp = OffsetDateTime.parse(ts.asText()).toInstant();
                    if (timestamp.getEpochSecond() < 0 || timestamp.isAfter(MAX_TIMESTAMP)) {
                        errors.add(new FieldError("timestamp", "must be between 1970 and 9999"));
                        timestamp = null;
                    }
                } catch (DateTimeParseException e) {
                    errors.add(new FieldError("timestamp", "must be an ISO-8601 instant such as 2026-11-24T10:00:00Z"));
                }
            }
        }
        ObjectNode data;
        JsonNode dataNode = node.get("data");
        if (dataNode == null || dataNode.isNull()) {
            data = Wire.object();
        } else if (!dataNode.isObject()) {
            errors.add(new FieldError("data", "must be a JSON object"));
            data = Wire.object();
        } else {
            data = (ObjectNode) dataNode;
            String bad = nonFiniteNumber(data, "data");
            if (bad != null) {
                errors.add(new FieldError(bad, "must be a finite number"));
            }
        }
        CallEvent event = null;
        if (type != null) {
            // with a bad call_id the data is still checked (every error reported); the event is discarded
            String callId = callIdOrNull == null ? "" : callIdOrNull;
            event = switch (type) {
                case CALL_INITIATED -> {
                    String mediaType = text(data, "type", true, 16, errors);
                    CallType callType = null;
                    if (mediaType != null) {
                        callType = CallType.fromWire(mediaType).orElse(null);
                        if (callType == null) {
                            errors.add(new FieldError("data.type", "must be voice or video"));
                        }
                    }
                    String queue = id(data, "queue_id", true, errors, "data.");
                    yield callType == null || queue == null ? null
                        : new CallEvent.CallInitiated(eventId, callId, timestamp, callType, queue);
                }
                case CALL_ROUTED -> {
                    String agent = id(data, "agent_id", true, errors, "data.");
                    Double routing = seconds(data, "routing_time", errors);
                    yield agent == null ? null : new CallEvent.CallRouted(eventId, callId, timestamp, agent, routing);
                }
                case CALL_RETRANSFER -> new CallEvent.CallRetransfer(eventId, callId, timestamp,
                    text(data, "reason", false, MAX_TEXT_LENGTH, errors));
                case CALL_ANSWERED -> new CallEvent.CallAnswered(eventId, callId, timestamp, seconds(data, "wait_time", errors));
                case CALL_HOLD -> new CallEvent.CallHold(eventId, callId, timestamp, seconds(data, "hold_duration", errors));
                case CALL_RESUMED -> new CallEvent.CallResumed(eventId, callId, timestamp);
                case CALL_TRANSFERRED -> {
                    String queue = id(data, "queue_id", false, errors, "data.");
                    String agent = id(data, "agent_id", false, errors, "data.");
                    boolean hasQueue = data.hasNonNull("queue_id");
                    boolean hasAgent = data.hasNonNull("agent_id");
                    if (hasQueue == hasAgent) {
                        errors.add(new FieldError("data", "a transfer names exactly one of queue_id and agent_id"));
                        yield null;
                    }
                    yield queue == null && agent == null ? null
                        : new CallEvent.CallTransferred(eventId, callId, timestamp, queue, agent);
                }
                case CALL_ENDED -> {
                    String reason = text(data, "end_reason", true, 64, errors);
                    Double duration = seconds(data, "duration", errors);
                    yield reason == null ? null : new CallEvent.CallEnded(eventId, callId, timestamp, reason, duration);
                }
            };
        }
        if (!errors.isEmpty() || event == null || callIdOrNull == null) {
            if (errors.isEmpty()) {
                errors.add(new FieldError("", "invalid event"));
            }
            return new Parsed.Invalid(errors);
        }
        boolean clientId = eventId != null;
        if (!clientId) {
            event = withEventId(event, UUID.randomUUID().toString());
        }
        return new Parsed.Ok(new IncomingEvent(event, clientId, data, node));
    }

    private static CallEvent withEventId(CallEvent e, String id) {
        return switch (e) {
            case CallEvent.CallInitiated x -> new CallEvent.CallInitiated(id, x.callId(), x.timestamp(), x.callType(), x.queueId());
            case CallEvent.CallRouted x -> new CallEvent.CallRouted(id, x.callId(), x.timestamp(), x.agentId(), x.routingTimeSeconds());
            case CallEvent.CallRetransfer x -> new CallEvent.CallRetransfer(id, x.callId(), x.timestamp(), x.reason());
            case CallEvent.CallAnswered x -> new CallEvent.CallAnswered(id, x.callId(), x.timestamp(), x.waitTimeSeconds());
            case CallEvent.CallHold x -> new CallEvent.CallHold(id, x.callId(), x.timestamp(), x.holdDurationSeconds());
            case CallEvent.CallResumed x -> new CallEvent.CallResumed(id, x.callId(), x.timestamp());
            case CallEvent.CallTransferred x -> new CallEvent.CallTransferred(id, x.callId(), x.timestamp(), x.queueId(), x.agentId());
            case CallEvent.CallEnded x -> new CallEvent.CallEnded(id, x.callId(), x.timestamp(), x.endReason(), x.durationSeconds());
        };
    }

    private static String id(JsonNode node, String field, boolean required, List<FieldError> errors) {
        return id(node, field, required, errors, "");
    }

    /** An identifier: a non-blank string of at most 128 characters, no control characters. */
    private static String id(JsonNode node, String field, boolean required, List<FieldError> errors, String prefix) {
        String value = text(node, field, required, MAX_ID_LENGTH, errors, prefix);
        if (value != null && value.isBlank()) {
            errors.add(new FieldError(prefix + field, "must not be blank"));
            return null;
        }
        return value;
    }

    private static String text(JsonNode node, String field, boolean required, int maxLength, List<FieldError> errors) {
        return text(node, field, required, maxLength, errors, "data.");
    }

    private static String text(JsonNode node, String field, boolean required, int maxLength, List<FieldError> errors,
                               String prefix) {
        JsonNode v = node.get(field);
        String name = prefix + field;
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new FieldError(name, "is required"));
            }
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError(name, "must be a string"));
            return null;
        }
        String s = v.asText();
        if (s.isEmpty()) {
            errors.add(new FieldError(name, "must not be empty"));
            return null;
        }
        if (s.length() > maxLength) {
            errors.add(new FieldError(name, "must be at most " + maxLength + " characters (got " + s.length() + ")"));
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                errors.add(new FieldError(name, "must not contain control characters"));
                return null;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                errors.add(new FieldError(name, "must be valid Unicode text (an unpaired surrogate)"));
                return null;
            }
        }
        return s;
    }

    /** A reported duration: a non-negative number of seconds, at most a week. */
    private static Double seconds(JsonNode data, String field, List<FieldError> errors) {
        JsonNode v = data.get(field);
        String name = "data." + field;
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            errors.add(new FieldError(name, "must be a number of seconds"));
            return null;
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d) || d < 0) {
            errors.add(new FieldError(name, "must not be negative"));
            return null;
        }
        if (d > MAX_SECONDS) {
            errors.add(new FieldError(name, "must be at most " + (long) MAX_SECONDS + " seconds"));
            return null;
        }
        return d;
    }

    /** The path of the first number in {@code node} that is not finite (1e400), or {@code null}. */
    private static String nonFiniteNumber(JsonNode node, String path) {
        if (node.isNumber()) {
            return Double.isFinite(node.doubleValue()) ? null : path;
        }
        if (node.isContainerNode()) {
            var fields = node.fields();
            int i = 0;
            for (JsonNode child : node) {
                String childPath = node.isObject() ? path + "." + fields.next().getKey() : path + "[" + i + "]";
                String bad = nonFiniteNumber(child, childPath);
                if (bad != null) {
                    return bad;
                }
                i++;
            }
        }
        return null;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
