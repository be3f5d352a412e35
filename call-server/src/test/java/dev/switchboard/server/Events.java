package dev.switchboard.server;

/** JSON bodies of the wire contract's events, for tests. */
public final class Events {

    private Events() {
    }

    public static String initiated(String eventId, String callId, String queue) {
        return "{\"event_id\":\"" + eventId + "\",\"type\":\"call_initiated\",\"call_id\":\"" + callId
            + "\",\"data\":{\"type\":\"video\",\"queue_id\":\"" + queue + "\"}}";
    }

    public static String routed(String eventId, String callId, String agent) {
        return "{\"event_id\":\"" + eventId + "\",\"type\":\"call_routed\",\"call_id\":\"" + callId
            + "\",\"data\":{\"agent_id\":\"" + agent + "\",\"routing_time\":2}}";
    }

    public static String simple(String eventId, String type, String callId) {
        return "{\"event_id\":\"" + eventId + "\",\"type\":\"" + type + "\",\"call_id\":\"" + callId + "\",\"data\":{}}";
    }

    public static String ended(String eventId, String callId, String reason) {
        return "{\"event_id\":\"" + eventId + "\",\"type\":\"call_ended\",\"call_id\":\"" + callId
            + "\",\"data\":{\"end_reason\":\"" + reason + "\"}}";
    }

    /** {@code event} (one of the above) with a {@code timestamp}: the source's time of it. */
    public static String at(String event, java.time.Instant ts) {
        return event.substring(0, event.length() - 1) + ",\"timestamp\":\"" + ts + "\"}";
    }
}
