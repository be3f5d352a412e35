package dev.switchboard.console.state;

import dev.switchboard.console.wire.Call;

import java.util.Set;

/**
 * The simulator's actions on a selected call, each allowed only in the phases the server's state
 * machine accepts it from (design: the call state table), so the console never offers a button
 * that can only earn a 409.
 */
public enum CallAction {
    ROUTE("Route…", "call_routed", Set.of("queued")),
    ANSWER("Answer", "call_answered", Set.of("ringing")),
    HOLD("Hold", "call_hold", Set.of("active")),
    RESUME("Resume", "call_resumed", Set.of("on_hold")),
    TRANSFER("Transfer…", "call_transferred", Set.of("active", "on_hold")),
    END("End", "call_ended", Set.of("queued", "ringing", "active", "on_hold"));

    private final String label;
    private final String eventType;
    private final Set<String> fromPhases;

    CallAction(String label, String eventType, Set<String> fromPhases) {
        this.label = label;
        this.eventType = eventType;
        this.fromPhases = fromPhases;
    }

    public String label() {
        return label;
    }

    public String eventType() {
        return eventType;
    }

    public boolean allowedFor(Call call) {
        return call != null && fromPhases.contains(call.phase());
    }
}
