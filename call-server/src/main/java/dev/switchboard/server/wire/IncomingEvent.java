package dev.switchboard.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.CallEvent;

/**
 * A posted event that passed validation.
 *
 * @param event          the core's event ({@code eventId} filled by the server when the client sent none)
 * @param clientEventId  whether the client sent the id (only then can it be a resend)
 * @param data           the {@code data} object as sent, kept verbatim in the audit log
 * @param posted         the event as posted (what a cluster follower hands to the leader)
 */
public record IncomingEvent(CallEvent event, boolean clientEventId, ObjectNode data, JsonNode posted) {
}
