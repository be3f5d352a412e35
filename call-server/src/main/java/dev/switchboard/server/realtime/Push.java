package dev.switchboard.server.realtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.switchboard.core.call.Call;
import dev.switchboard.server.wire.Wire;

import java.util.List;

/**
 * One message for Socket.io clients, after its commit.
 *
 * @param seq     the audit-log seq it belongs to (global, monotonic)
 * @param event   the Socket.io event name: {@code call_event}, {@code alert}, {@code alert_acked},
 *                {@code alert_resolved} or {@code agent_event}
 * @param payload the message
 * @param queueId the call's queue (clients subscribed to some queues get only theirs); {@code null}
 *                for an entry about no call, which every subscriber gets
 * @param fromQueueId the queue the call left with this event, if it changed queue, else {@code null}
 */
public record Push(long seq, String event, ObjectNode payload, String queueId, String fromQueueId) {

    public static final String CALL_EVENT = "call_event";
    public static final String ALERT = "alert";
    public static final String ALERT_ACKED = "alert_acked";
    /** An alert that resolved itself (since v2; older clients ignore it and keep the alert until acknowledged). */
    public static final String ALERT_RESOLVED = "alert_resolved";
    public static final String AGENT_EVENT = "agent_event";

    public boolean concerns(java.util.Set<String> queues) {
        return queues == null || queueId == null && fromQueueId == null || queues.contains(queueId)
            || (fromQueueId != null && queues.contains(fromQueueId));
    }

    /**
     * Where the push stands in the order of a session: two positions per seq, the entry's own
     * message first, then the alert message of the same entry (raised, acknowledged or resolved).
     */
    public long position() {
        return seq * 2 + (ALERT.equals(event) || ALERT_ACKED.equals(event) || ALERT_RESOLVED.equals(event) ? 1 : 0);
    }

    /** {@code alert_resolved} for the {@code alert_resolved} entry at {@code seq} (after its {@code call_event}). */
    public static Push alertResolved(long seq, ObjectNode resolved, String queueId) {
        return new Push(seq, ALERT_RESOLVED, resolved, queueId, null);
    }

    /** {@code call_event {seq, event, call}}. */
    public static Push callEvent(long seq, ObjectNode event, ObjectNode call, String fromQueueId) {
        ObjectNode payload = entry(seq, event);
        payload.set("call", call);
        return new Push(seq, CALL_EVENT, payload, call.path("queue_id").asText(null), fromQueueId);
    }

    /**
     * {@code call_event {seq, event, call}} with the call already serialized (the entries of one
     * decision share it: serialized once for all of them).
     */
    public static Push callEvent(long seq, ObjectNode event, RawValue call, String queueId, String fromQueueId) {
        ObjectNode payload = entry(seq, event);
        payload.putRawValue("call", call);
        return new Push(seq, CALL_EVENT, payload, queueId, fromQueueId);
    }

    /** {@code {seq, event}}: what every entry's push starts with. */
    private static ObjectNode entry(long seq, ObjectNode event) {
        ObjectNode payload = Wire.object();
        payload.put("seq", seq);
        payload.set("event", event);
        return payload;
    }

    /** {@code agent_event {seq, event}}: an entry about an agent, not a call. */
    public static Push agentEvent(long seq, ObjectNode event) {
        return new Push(seq, AGENT_EVENT, entry(seq, event), null, null);
    }

    /**
     * An acknowledgement: the {@code alert_acked} entry of the call's history as a
     * {@code call_event}, then {@code alert_acked} with the alert itself.
     *
     * @param call the call as of the entry, {@code null} if it is gone (then only the alert goes)
     */
    public static List<Push> alertAcked(long seq, ObjectNode event, Call call, ObjectNode ackedAlert) {
        String queue = ackedAlert.path("queue_id").asText(null);
        Push acked = new Push(seq, ALERT_ACKED, ackedAlert, call != null ? call.queueId() : queue, null);
        return call == null ? List.of(acked) : List.of(callEvent(seq, event, Wire.call(call), null), acked);
    }
}
