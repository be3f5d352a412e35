package dev.switchboard.console.wire;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An agent with today's metrics and presence ({@code GET /api/agents}, {@code metrics.agents}, the
 * reply to a presence change). Times are seconds, counted for today in the center's time zone.
 *
 * @param state             what the agent is doing: {@code ringing}, {@code on_call}, {@code on_hold}
 *                          while a call is theirs; otherwise {@code available}, {@code on_break}
 *                          (presence {@code not_ready}), {@code wrap_up} or {@code logged_out}
 * @param talkTime          seconds talked in total
 * @param averageHandleTime seconds, {@code null} before the first handled call
 * @param consecutiveMisses rings missed in a row since last made available
 * @param presence          {@code available}, {@code not_ready}, {@code wrap_up} or {@code logged_out}
 *                          (from a server that does not send it: read from {@code state})
 * @param reason            why the agent is not ready ({@code lunch}, {@code missed_calls}, ...), else {@code null}
 * @param since             when the agent entered this presence
 * @param loggedInSince     when the agent logged in, {@code null} while logged out
 * @param occupancy         (talk + hold + wrap-up) ÷ logged-in time, {@code null} before any logged-in time
 */
public record AgentStats(String id, List<String> queues, String state, Instant stateSince, String currentCallId,
                         long offered, long answered, long missed, long handled, double talkTime, double holdTime,
                         Double averageHandleTime, long consecutiveMisses, String presence, String reason,
                         Instant since, Instant loggedInSince, double wrapUpTime, double loggedInTime,
                         double notReadyTime, Map<String, Double> notReadyByReason, Double occupancy) {

    public static final String AVAILABLE = "available";
    public static final String NOT_READY = "not_ready";
    public static final String WRAP_UP = "wrap_up";
    public static final String LOGGED_OUT = "logged_out";
    /** The agent state of presence {@code not_ready} while no call is theirs (its v1 name). */
    public static final String ON_BREAK = "on_break";

    public AgentStats {
        queues = List.copyOf(queues);
        notReadyByReason = Map.copyOf(notReadyByReason);
    }

    public static AgentStats fromJson(JsonNode n) {
        String state = Json.text(n, "state");
        String presence = Json.text(n, "presence");
        Map<String, Double> byReason = new LinkedHashMap<>();
        n.path("not_ready_by_reason").fields().forEachRemaining(f -> byReason.put(f.getKey(), f.getValue().asDouble(0)));
        return new AgentStats(Json.text(n, "id"), Json.strings(n, "queues"), state,
            Json.instant(n, "state_since"), Json.text(n, "current_call_id"), Json.whole(n, "offered"),
            Json.whole(n, "answered"), Json.whole(n, "missed"), Json.whole(n, "handled"),
            n.path("talk_time").asDouble(0), n.path("hold_time").asDouble(0), Json.seconds(n, "average_handle_time"),
            Json.whole(n, "consecutive_misses"), presence != null ? presence : presenceOfState(state),
            Json.text(n, "reason"), Json.instant(n, "since"), Json.instant(n, "logged_in_since"),
            n.path("wrap_up_time").asDouble(0), n.path("logged_in_time").asDouble(0),
            n.path("not_ready_time").asDouble(0), byReason, Json.seconds(n, "occupancy"));
    }

    /** A v1 server sends no presence: an agent on break is not ready, any other is available. */
    private static String presenceOfState(String state) {
        return switch (state == null ? "" : state) {
            case ON_BREAK -> NOT_READY;
            case WRAP_UP -> WRAP_UP;
            case LOGGED_OUT -> LOGGED_OUT;
            default -> AVAILABLE;
        };
    }

    /** Whether a call is theirs right now (ringing, talking or holding). */
    public boolean onCall() {
        return "ringing".equals(state) || "on_call".equals(state) || "on_hold".equals(state);
    }

    /** Whether the agent is signed in (any presence but {@code logged_out}). */
    public boolean loggedIn() {
        return !LOGGED_OUT.equals(presence);
    }

    /** The agent once a supervisor set it available at {@code at} (the v1 {@code agent_available} entry). */
    public AgentStats madeAvailable(Instant at) {
        return withPresence(AVAILABLE, null, at);
    }

    /**
     * The agent once its presence became {@code next} (with {@code nextReason} for {@code not_ready})
     * at {@code at}, as the server shows it: a call in progress goes on and keeps the state
     * ({@code on_call}, ...); otherwise the state follows the presence. Made available, the misses
     * in a row start again from zero. Setting the presence the agent is already in (same reason)
     * changes nothing; the since-times move only with what they time. Today's totals stay the
     * server's until its next {@code metrics}.
     */
    public AgentStats withPresence(String next, String nextReason, Instant at) {
        String reasonThen = NOT_READY.equals(next) ? nextReason : null;
        boolean same = next.equals(presence) && Objects.equals(reasonThen, reason);
        if (same && !AVAILABLE.equals(next)) {
            return this;
        }
        String nextState;
        if (onCall()) {
            nextState = state;
        } else if (ON_BREAK.equals(state) && currentCallId != null && AVAILABLE.equals(next)) {
            nextState = "ringing";   // a call rang them meanwhile (an external router): a v1 server says so
        } else {
            nextState = switch (next) {
                case NOT_READY -> ON_BREAK;
                case WRAP_UP -> WRAP_UP;
                case LOGGED_OUT -> LOGGED_OUT;
                default -> AVAILABLE;
            };
        }
        Instant loggedIn = LOGGED_OUT.equals(next) ? null : loggedInSince != null || !LOGGED_OUT.equals(presence) ? loggedInSince : at;
        return new AgentStats(id, queues, nextState, nextState.equals(state) ? stateSince : at, currentCallId, offered,
            answered, missed, handled, talkTime, holdTime, averageHandleTime,
            AVAILABLE.equals(next) ? 0 : consecutiveMisses, next, reasonThen, same ? since : at, loggedIn, wrapUpTime,
            loggedInTime, notReadyTime, notReadyByReason, occupancy);
    }
}
