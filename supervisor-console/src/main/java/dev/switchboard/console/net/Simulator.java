package dev.switchboard.console.net;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.console.wire.Call;
import dev.switchboard.console.wire.Json;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The simulator actions (demos and training): events as a telephony platform would post them,
 * sent with the console's own key, which must be an admin key (ingest and supervise). Each event
 * carries a fresh {@code event_id}, so a resend after a timeout is harmless.
 */
public final class Simulator {

    private final ServerApi api;

    public Simulator(ServerApi api) {
        this.api = api;
    }

    /** A new call waiting in {@code queueId}; {@code type} is {@code voice} or {@code video}. */
    public CompletableFuture<Call> newCall(String callId, String queueId, String type) {
        ObjectNode data = Json.object().put("type", type).put("queue_id", queueId);
        return post("call_initiated", callId, data);
    }

    public CompletableFuture<Call> route(String callId, String agentId) {
        return post("call_routed", callId, Json.object().put("agent_id", agentId));
    }

    public CompletableFuture<Call> answer(String callId) {
        return post("call_answered", callId, Json.object());
    }

    public CompletableFuture<Call> hold(String callId) {
        return post("call_hold", callId, Json.object());
    }

    public CompletableFuture<Call> resume(String callId) {
        return post("call_resumed", callId, Json.object());
    }

    public CompletableFuture<Call> transferToQueue(String callId, String queueId) {
        return post("call_transferred", callId, Json.object().put("queue_id", queueId));
    }

    public CompletableFuture<Call> transferToAgent(String callId, String agentId) {
        return post("call_transferred", callId, Json.object().put("agent_id", agentId));
    }

    public CompletableFuture<Call> end(String callId, String reason) {
        return post("call_ended", callId, Json.object().put("end_reason", reason));
    }

    /** A call id for a new simulated call: short enough to read on screen. */
    public static String newCallId() {
        return "sim-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private CompletableFuture<Call> post(String type, String callId, ObjectNode data) {
        ObjectNode event = Json.object()
            .put("event_id", "console-" + UUID.randomUUID())
            .put("type", type)
            .put("call_id", callId);
        event.set("data", data);
        return api.postEvent(event).thenApply(reply -> Call.fromJson(reply.path("call")));
    }
}
