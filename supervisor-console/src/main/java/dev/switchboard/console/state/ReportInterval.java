package dev.switchboard.console.state;

/** The lengths a report is cut into ({@code interval=} of {@code GET /api/reports/intervals}). */
public enum ReportInterval {

    MINUTES_15("15 min", "PT15M"),
    MINUTES_30("30 min", "PT30M"),
    HOUR("1 h", "PT1H"),
    DAY("Day", "P1D");

    private final String label;
    private final String wire;

    ReportInterval(String label, String wire) {
        this.label = label;
        this.wire = wire;
    }

    /** The ISO-8601 duration the server takes. */
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return label;
    }
}
