package dev.switchboard.server.observe;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LineFormatterTest {

    /** The SimpleFormatter pattern the server's log used before LineFormatter. */
    private static final String PATTERN = "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL %4$s %3$s: %5$s%6$s%n";

    /** What SimpleFormatter makes of a record with PATTERN (its own code path: String.format). */
    private static String simple(LogRecord r, ZoneId zone) {
        String thrown = "";
        if (r.getThrown() != null) {
            StringWriter sw = new StringWriter();
            PrintWriter pw = new PrintWriter(sw);
            pw.println();
            r.getThrown().printStackTrace(pw);
            pw.close();
            thrown = sw.toString();
        }
        return String.format(PATTERN, ZonedDateTime.ofInstant(r.getInstant(), zone), r.getSourceClassName(),
            r.getLoggerName(), r.getLevel().getLocalizedName(), new java.util.logging.SimpleFormatter().formatMessage(r),
            thrown);
    }

    private static LogRecord record(Level level, String msg, Instant at, Object... params) {
        LogRecord r = new LogRecord(level, msg);
        r.setLoggerName("switchboard.access");
        r.setInstant(at);
        r.setParameters(params.length == 0 ? null : params);
        return r;
    }

    @Test
    void writesWhatTheSimpleFormatterPatternWrote() {
        ZoneId zone = ZoneId.of("America/New_York");
        LineFormatter f = new LineFormatter(zone);
        Instant[] ats = {
            Instant.parse("2026-12-07T17:31:03.004Z"), Instant.parse("2026-12-07T17:31:03.999Z"),
            Instant.parse("2026-12-07T17:31:04.050Z"), Instant.parse("2027-01-01T00:00:00Z"),
            Instant.parse("0999-03-09T08:07:06.123456789Z"), Instant.parse("2026-03-08T06:59:59.500Z"),
            Instant.parse("2026-03-08T07:00:00.500Z")};
        for (Instant at : ats) {
            LogRecord r = record(Level.INFO, "POST /api/events 201 1.2ms call=c-1", at);
            assertEquals(simple(r, zone), f.format(r), at.toString());
        }
        LogRecord params = record(Level.WARNING, "node {0} took {1} ms", ats[0], "n-2", 12);
        assertEquals(simple(params, zone), f.format(params));
        LogRecord thrown = record(Level.SEVERE, "writer failed on a batch", ats[1]);
        thrown.setThrown(new IllegalStateException("boom"));
        assertEquals(simple(thrown, zone), f.format(thrown));
    }

    @Test
    void theSecondChangesWithTheClock() {
        LineFormatter f = new LineFormatter(ZoneId.of("UTC"));
        assertEquals("2026-12-07T17:31:59.999 INFO switchboard.access: a" + System.lineSeparator(),
            f.format(record(Level.INFO, "a", Instant.parse("2026-12-07T17:31:59.999Z"))));
        assertEquals("2026-12-07T17:32:00.000 INFO switchboard.access: b" + System.lineSeparator(),
            f.format(record(Level.INFO, "b", Instant.parse("2026-12-07T17:32:00Z"))));
        assertEquals("2026-12-07T17:31:59.001 INFO switchboard.access: c" + System.lineSeparator(),
            f.format(record(Level.INFO, "c", Instant.parse("2026-12-07T17:31:59.001Z"))));
    }
}
