package dev.switchboard.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.Decision;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallFlag;
import dev.switchboard.core.call.CallStateMachine;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.EventType;
import dev.switchboard.core.rules.Alert;
import dev.switchboard.core.rules.Effect;

import java.util.ArrayList;
import java.util.List;

/**
 * A decision as entries of the call's history (the audit log): the event the source sent, then the
 * service's own decisions, each marked {@code metadata.source = "system"}: {@code call_retransfer}
 * and {@code call_routed} of a re-route, {@code alert_raised}, {@code alert_resolved}, {@code review_flagged},
 * {@code survey_requested}, {@code agent_on_break}. Also the way back, for replay at restart.
 */
public final class History {

    public static final String SOURCE_EXTERNAL = "external";
    public static final String SOURCE_SYSTEM = "system";

    public static final String ALERT_RAISED = "alert_raised";
    public static final String REVIEW_FLAGGED = "review_flagged";
    public static final String SURVEY_REQUESTED = "survey_requested";
    public static final String AGENT_ON_BREAK = "agent_on_break";
    /** A supervisor made an agent available (an entry about no call). */
    public static final String AGENT_AVAILABLE = "agent_available";
    /** A supervisor acknowledged one of the call's alerts. */
    public static final String ALERT_ACKED = "alert_acked";
    /** One of the call's alerts resolved itself: the call moved on (answered, resumed, transferred, ended). */
    public static final String ALERT_RESOLVED = "alert_resolved";
    public static final String SOURCE_SUPERVISOR = "supervisor";
    /** An agent's presence changed: set by the agent (source {@code agent}), a supervisor, or the system (wrap-up). */
    public static final String AGENT_PRESENCE = "agent_presence";
    /** The source of a presence change an agent's desktop or the telephony made (the ingest role). */
    public static final String SOURCE_AGENT = "agent";
    /** An admin created or changed a queue (an entry about no call). */
    public static final String QUEUE_CHANGED = "queue_changed";
    /** An admin deleted an empty queue (an entry about no call). */
    public static final String QUEUE_DELETED = "queue_deleted";

    private History() {
    }

    /**
     * One history entry.
     *
     * @param alert the alert for {@code alert_raised} entries, else {@code null}
     */
    public record Entry(String id, String type, long atMs, String source, ObjectNode metadata, Alert alert) {
    }

    /** @param incoming the posted event the decision is for, or {@code null} for a timer's decision */
    public static List<Entry> entries(IncomingEvent incoming, Decision.Accepted d) {
        List<Entry> out = new ArrayList<>(d.effects().size());
        for (Effect e : d.effects()) {
            out.add(switch (e) {
                case Effect.Transitioned t when !t.system() -> {
                    ObjectNode m = incoming == null ? Wire.object() : incoming.data().deepCopy();
                    m.put("source", SOURCE_EXTERNAL);
                    if (d.late()) {
                        m.put("late", true);
                    }
                    yield new Entry(t.event().eventId(), t.event().type().wireName(), t.atMs(), SOURCE_EXTERNAL, m, null);
                }
                case Effect.Transitioned t -> {
                    ObjectNode m = system();
                    switch (t.event()) {
                        case CallEvent.CallRetransfer r -> {
                            m.put("reason", r.reason());
                            m.put("agent_id", t.before().agentId());
                        }
                        case CallEvent.CallRouted r -> {
                            m.put("agent_id", r.agentId());
                            m.put("reason", "reroute");
                        }
                        default -> { }
                    }
                    yield new Entry(t.event().eventId(), t.event().type().wireName(), t.atMs(), SOURCE_SYSTEM, m, null);
                }
                case Effect.AlertRaised a -> {
                    Alert alert = a.alert();
                    ObjectNode m = system();
                    m.put("alert_id", alert.id());
                    m.put("kind", alert.kind().wireName());
                    m.put("message", alert.message());
                    m.put("queue_id", alert.queueId());
                    m.put("agent_id", alert.agentId());
                    yield new Entry("sys:alert:" + alert.kind().wireName(), ALERT_RAISED, alert.atMs(), SOURCE_SYSTEM, m, alert);
                }
                case Effect.AlertResolved r -> {
                    ObjectNode m = system();
                    m.put("alert_id", r.alertId());
                    m.put("kind", r.kind().wireName());
                    m.put("queue_id", r.queueId());
                    m.put("reason", r.reason());
                    yield new Entry("sys:resolved:" + r.kind().wireName(), ALERT_RESOLVED, r.atMs(), SOURCE_SYSTEM, m, null);
                }
                case Effect.ReviewFlagged r -> {
                    ObjectNode m = system();
                    m.put("duration", r.durationMs() / 1000.0);
                    m.put("threshold", r.thresholdMs() / 1000.0);
                    yield new Entry("sys:review", REVIEW_FLAGGED, r.atMs(), SOURCE_SYSTEM, m, null);
                }
                case Effect.SurveyRequested s -> {
                    ObjectNode m = system();
                    m.put("queue_id", s.queueId());
                    m.put("agent_id", s.agentId());
                    yield new Entry("sys:survey", SURVEY_REQUESTED, s.atMs(), SOURCE_SYSTEM, m, null);
                }
                case Effect.AgentOnBreak b -> {
                    ObjectNode m = system();
                    m.put("agent_id", b.agentId());
                    m.put("consecutive_misses", b.consecutiveMisses());
                    yield new Entry("sys:break:" + b.agentId(), AGENT_ON_BREAK, b.atMs(), SOURCE_SYSTEM, m, null);
                }
                case Effect.WrapUpStarted w -> {
                    ObjectNode m = system();
                    m.put("agent_id", w.agentId());
                    m.put("presence", dev.switchboard.core.metrics.Presence.WRAP_UP.wireName());
                    m.put("until", Wire.instant(w.untilMs()));
                    yield new Entry("sys:wrap:" + w.agentId() + ":" + w.atMs(), AGENT_PRESENCE, w.atMs(), SOURCE_SYSTEM, m, null);
                }
            });
        }
        return out;
    }

    private static ObjectNode system() {
        ObjectNode m = Wire.object();
        m.put("source", SOURCE_SYSTEM);
        return m;
    }

    /** The flag a stored entry sets on its call (alerts, review, survey), if any. */
    public static java.util.Optional<CallFlag> flagOf(String type, JsonNode metadata) {
        return switch (type) {
            case ALERT_RAISED -> dev.switchboard.core.rules.AlertKind.fromWire(metadata.path("kind").asText())
                .map(dev.switchboard.core.rules.AlertKind::flag);
            case ALERT_RESOLVED -> dev.switchboard.core.rules.AlertKind.fromWire(metadata.path("kind").asText())
                .map(dev.switchboard.core.rules.AlertKind::resolvedFlag);
            case REVIEW_FLAGGED -> java.util.Optional.of(CallFlag.REVIEW);
            case SURVEY_REQUESTED -> java.util.Optional.of(CallFlag.SURVEY_REQUESTED);
            default -> java.util.Optional.empty();
        };
    }

    /** The alert an {@code alert_raised} entry records (its metadata keeps every field). */
    public static java.util.Optional<Alert> alertOf(String callId, long tsMs, JsonNode metadata) {
        return dev.switchboard.core.rules.AlertKind.fromWire(metadata.path("kind").asText()).map(kind ->
            new Alert(metadata.path("alert_id").asText(), kind, callId, metadata.path("queue_id").asText(null),
                metadata.path("agent_id").asText(null), tsMs, metadata.path("message").asText()));
    }

    /**
     * The call after one stored entry of its history: the transition it stands for, or the flag
     * it sets, or the call unchanged (acknowledgements). The state machine is deterministic, so
     * replaying a call's entries in order gives back each state the service once decided.
     *
     * @param current the call before the entry, {@code null} before its first
     */
    public static Call next(Call current, String id, String callId, String type, long tsMs, JsonNode metadata) {
        CallEvent transition = transition(id, callId, type, metadata);
        if (transition != null) {
            return switch (CallStateMachine.apply(current, transition, tsMs, q -> true)) {
                case CallStateMachine.Transition.Accepted a -> a.call();
                case CallStateMachine.Transition.Rejected r ->
                    throw new IllegalStateException("history of call " + callId + " does not replay at " + id + ": "
                        + r.rejection().message());
            };
        }
        java.util.Optional<CallFlag> flag = flagOf(type, metadata);
        if (flag.isPresent() && current != null) {
            return current.toBuilder().flag(flag.get()).buildSameVersion();
        }
        return current;
    }

    /**
     * The state transition a stored entry stands for, or {@code null} if it is not one (alerts,
     * flags). Used to replay the log at startup.
     */
    public static CallEvent transition(String id, String callId, String type, JsonNode metadata) {
        if (EventType.fromWire(type).isEmpty()) {
            return null;
        }
        ObjectNode node = Wire.object();
        node.put("event_id", id);
        node.put("call_id", callId);
        node.put("type", type);
        node.set("data", metadata);
        return switch (EventParser.parse(node, true)) {
            case EventParser.Parsed.Ok ok -> ok.event().event();
            case EventParser.Parsed.Invalid bad ->
                throw new IllegalStateException("stored event " + id + " of call " + callId + " does not parse: " + bad.errors());
        };
    }
}
