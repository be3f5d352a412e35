package dev.switchboard.server.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The server's log line: {@code 2026-12-07T17:31:03.123 INFO logger: message}, and the stack
 * trace of a throwable on the lines after it. The same text as the {@code SimpleFormatter} pattern
 * {@code %1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL %4$s %3$s: %5$s%6$s%n} that configured it before,
 * without a {@code java.util.Formatter} per record: the access log writes a line per request, and
 * {@code String.format} was most of its cost (BENCHMARKS.md, "Ingest at the machine's limit").
 * The date and time are local, to the millisecond; the part up to the second is made once per second.
 */
public final class LineFormatter extends Formatter {

    private final ZoneId zone;
    /** The text of the second last formatted: {@code "2026-12-07T17:31:03."}. */
    private volatile Second second = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {
    }

    public LineFormatter() {
        this(ZoneId.systemDefault());
    }

    LineFormatter(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String format(LogRecord record) {
        Instant at = record.getInstant();
        StringBuilder sb = new StringBuilder(128);
        sb.append(secondOf(at.getEpochSecond()));
        int ms = at.getNano() / 1_000_000;
        sb.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
        sb.append(' ').append(record.getLevel().getLocalizedName()).append(' ').append(record.getLoggerName())
            .append(": ").append(formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter pw = new PrintWriter(trace)) {
                pw.println();
                record.getThrown().printStackTrace(pw);
            }
            sb.append(trace);
        }
        return sb.append(System.lineSeparator()).toString();
    }

    private String secondOf(long epochSecond) {
        Second s = second;
        if (s.epochSecond() != epochSecond) {
            LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone);
            StringBuilder sb = new StringBuilder(20);
            pad(sb, t.getYear(), 4).append('-');
            pad(sb, t.getMonthValue(), 2).append('-');
            pad(sb, t.getDayOfMonth(), 2).append('T');
            pad(sb, t.getHour(), 2).append(':');
            pad(sb, t.getMinute(), 2).append(':');
            pad(sb, t.getSecond(), 2).append('.');
            s = new Second(epochSecond, sb.toString());
            second = s;
        }
        return s.text();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits);
    }
}
