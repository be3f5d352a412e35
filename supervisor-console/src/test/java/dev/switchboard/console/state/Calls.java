package dev.switchboard.console.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.console.wire.Alert;
import dev.switchboard.console.wire.Call;
import dev.switchboard.console.wire.CallEvent;
import dev.switchboard.console.wire.Json;

import java.time.Instant;
import java.util.List;

/** Wire values for view-model tests, as the server would send them. */
final class Calls {

    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private Calls() {
    }

    static Call waiting(String id, String queue) {
        return new Call(id, "voice", "waiting", "queued", queue, null, T0, null, null, null, null, null, null,
            List.of(), T0, T0);
    }

    static Call ringing(String id, String queue, String agent) {
        return new Call(id, "voice", "waiting", "ringing", queue, agent, T0, null, null, null, null, null, null,
            List.of(), T0, T0.plusSeconds(2));
    }

    static Call active(String id, String queue, String agent) {
        return new Call(id, "video", "active", "active", queue, agent, T0, T0.plusSeconds(12), null, 12.0, null, 0.0,
            null, List.of(), T0, T0.plusSeconds(12));
    }

    static Call ended(String id, String queue, String agent, Instant end) {
        return new Call(id, "voice", "ended", "ended", queue, agent, T0, T0.plusSeconds(5), end, 5.0, 60.0, 0.0,
            "completed", List.of("survey_requested"), T0, end);
    }

    static Call flagged(Call c, String flag) {
        return new Call(c.id(), c.type(), c.status(), c.phase(), c.queueId(), c.agentId(), c.startTime(), c.answerTime(),
            c.endTime(), c.waitTime(), c.duration(), c.holdTime(), c.endReason(), List.of(flag), c.waitStartTime(),
            c.lastEventTime());
    }

    static CallEvent event(long seq, String callId, String type) {
        ObjectNode metadata = Json.object().put("source", type.equals("alert_raised") ? "system" : "external");
        return new CallEvent("e" + seq, callId, type, T0.plusSeconds(seq), metadata, seq);
    }

    /**
     * An agent of medical_spanish as a v1 server sends it (no presence fields: the console reads
     * the presence from the state), in {@code state} since {@link #T0}, 3 offered.
     */
    static dev.switchboard.console.wire.AgentStats agent(String id, String state, String callId, long misses) {
        return dev.switchboard.console.wire.AgentStats.fromJson(Json.parse("""
            {"id": "%s", "queues": ["medical_spanish"], "state": "%s", "state_since": "%s", "current_call_id": %s,
             "offered": 3, "answered": %d, "missed": %d, "handled": 0, "talk_time": 0, "hold_time": 0,
             "average_handle_time": null, "consecutive_misses": %d}"""
            .formatted(id, state, T0, callId == null ? "null" : "\"" + callId + "\"", 3 - misses, misses, misses)));
    }

    static Alert alert(long seq, String id, String callId) {
        return new Alert(seq, id, "sla_breach", callId, "medical_spanish", null, T0.plusSeconds(seq),
            "Call " + callId + " has waited 30 s", null);
    }
}
