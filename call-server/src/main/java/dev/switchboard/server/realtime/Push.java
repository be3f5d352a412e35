package dev.switchboard.server.realtime;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message for Socket.io clients, after its commit.
 *
 * @param seq     the audit-log seq it belongs to (global, monotonic)
 * @param event   the Socket.io event name: {@code call_event} or {@code alert}
 * @param payload the message
 * @param queueId the call's queue (clients subscribed to some queues get only theirs)
 * @param fromQueueId the queue the call left with this event, if it changed queue, else {@code null}
 */
public record Push(long seq, String event, ObjectNode payload, String queueId, String fromQueueId) {

    public static final String CALL_EVENT = "call_event";
    public static final String ALERT = "alert";

    public boolean concerns(java.util.Set<String> queues) {
        return queues == null || queues.contains(queueId) || (fromQueueId != null && queues.contains(fromQueueId));
    }
}
