package dev.switchboard.core.metrics;

/**
 * What an agent is doing now: what the calls make of them (ringing, on a call, on hold) and,
 * between calls, their {@link Presence} ({@code on_break} is presence {@code not_ready}).
 */
public enum AgentState {
    AVAILABLE("available"),
    RINGING("ringing"),
    ON_CALL("on_call"),
    ON_HOLD("on_hold"),
    ON_BREAK("on_break"),
    WRAP_UP("wrap_up"),
    LOGGED_OUT("logged_out");

    private final String wireName;

    AgentState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
