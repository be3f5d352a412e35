package dev.switchboard.console.state;

/** The live feed's link to the server, as the indicator in the top bar shows it. */
public enum ConnectionState {
    CONNECTING("Connecting"),
    LIVE("Live"),
    RECONNECTING("Reconnecting"),
    OFFLINE("Offline");

    private final String label;

    ConnectionState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
