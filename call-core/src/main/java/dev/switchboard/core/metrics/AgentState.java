package dev.switchboard.core.metrics;

/** What an agent is doing now, as far as the calls tell. */
public enum AgentState {
    AVAILABLE("available"),
    RINGING("ringing"),
    ON_CALL("on_call"),
    ON_HOLD("on_hold"),
    ON_BREAK("on_break");

    private final String wireName;

    AgentState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
