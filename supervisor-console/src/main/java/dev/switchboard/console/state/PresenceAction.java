package dev.switchboard.console.state;

import dev.switchboard.console.wire.AgentStats;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a supervisor may set an agent's presence to, and when each is offered: the wire contract's
 * {@code POST /api/agents/{id}/presence} states (wrap-up is the system's, never set by hand).
 * Setting the presence an agent is already in would change nothing, so it is not offered, except
 * not ready: a supervisor may change its reason.
 */
public enum PresenceAction {

    /** Back to taking calls (the v1 "set available", {@code POST /api/agents/{id}/available}). */
    AVAILABLE("Set available", AgentStats.AVAILABLE),
    NOT_READY("Not ready…", AgentStats.NOT_READY),
    LOG_OUT("Log out", AgentStats.LOGGED_OUT);

    /** Reasons offered in the not-ready dialog; any other valid reason may be typed. */
    public static final List<String> COMMON_REASONS = List.of("break", "lunch", "training", "meeting", "coaching", "admin");
    /** The contract's reason: 1–64 letters, digits, {@code _}, {@code -} or spaces. */
    private static final Pattern REASON = Pattern.compile("[\\p{L}\\p{N}_\\- ]{1,64}");

    private final String label;
    private final String wire;

    PresenceAction(String label, String wire) {
        this.label = label;
        this.wire = wire;
    }

    public String label() {
        return label;
    }

    /** The {@code state} sent to the server. */
    public String wire() {
        return wire;
    }

    /** Whether this is offered for {@code agent} ({@code null}: no agent selected, nothing offered). */
    public boolean offeredFor(AgentStats agent) {
        if (agent == null) {
            return false;
        }
        return switch (this) {
            case AVAILABLE -> !AgentStats.AVAILABLE.equals(agent.presence());
            case NOT_READY -> true;
            case LOG_OUT -> agent.loggedIn();
        };
    }

    /**
     * Checks a typed not-ready reason against the contract before it is sent.
     *
     * @return a message for the supervisor, or {@code null} when it may be sent
     */
    public static String reasonProblem(String reason) {
        String r = reason == null ? "" : reason.trim();
        if (r.isEmpty()) {
            return "Enter a reason, such as lunch or training";
        }
        if (r.length() > 64) {
            return "A reason is at most 64 characters";
        }
        return REASON.matcher(r).matches() ? null : "A reason may hold letters, digits, spaces, _ and - only";
    }
}
