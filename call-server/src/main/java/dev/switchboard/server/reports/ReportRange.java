package dev.switchboard.server.reports;

import dev.switchboard.server.http.ApiProblem;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The time a report covers, {@code [from, to)}, cut into intervals aligned to midnight in the
 * center's time zone.
 *
 * <p>Why aligned to local midnight and not to the epoch: supervisors read "08:00–08:15" on their
 * wall clock, and a day (P1D) is their day, 23 or 25 hours long on a daylight-saving change. A
 * day is cut into its own intervals from its own midnight, so a 25-hour day has 100 quarter
 * hours. A {@code from} or {@code to} between two boundaries clips the first or last interval: an
 * item never claims time the report did not look at.
 *
 * @param boundaries the interval edges in epoch ms, first {@code from}, last {@code to}, increasing
 */
public record ReportRange(long fromMs, long toMs, ZoneId zone, long[] boundaries) {

    /** At most this many days per request: a month of quarter hours is 2,976 intervals. */
    public static final int MAX_DAYS = 31;
    /** At most this many intervals per request (times the queues: the items of one answer). */
    public static final int MAX_INTERVALS = 3000;

    /** The interval lengths a report may be cut into. */
    public enum Interval {
        PT15M(Duration.ofMinutes(15)), PT30M(Duration.ofMinutes(30)), PT1H(Duration.ofHours(1)), P1D(null);

        /** The fixed length, or {@code null} for a local day. */
        private final Duration length;

        Interval(Duration length) {
            this.length = length;
        }

        /** @throws ApiProblem 400 naming {@code interval} for anything else */
        static Interval parse(String value) {
            if (value == null) {
                return PT1H;
            }
            for (Interval i : values()) {
                if (i.name().equals(value)) {
                    return i;
                }
            }
            throw ApiProblem.badRequest("interval", "must be PT15M, PT30M, PT1H or P1D, got '" + value + "'");
        }
    }

    /** The covered time as one interval (the agent report). */
    public static ReportRange of(String from, String to, ZoneId zone) {
        long[] ft = window(from, to, zone);
        return new ReportRange(ft[0], ft[1], zone, new long[] {ft[0], ft[1]});
    }

    /** The covered time cut into {@code interval}s (the interval report). */
    public static ReportRange of(String from, String to, String interval, ZoneId zone) {
        Interval length = Interval.parse(interval);
        long[] ft = window(from, to, zone);
        List<Long> edges = new ArrayList<>();
        edges.add(ft[0]);
        ZonedDateTime day = Instant.ofEpochMilli(ft[0]).atZone(zone).toLocalDate().atStartOfDay(zone);
        while (day.toInstant().toEpochMilli() < ft[1]) {
            ZonedDateTime nextDay = day.toLocalDate().plusDays(1).atStartOfDay(zone);
            long dayEnd = nextDay.toInstant().toEpochMilli();
            long edge = length.length == null ? dayEnd : day.toInstant().toEpochMilli() + length.length.toMillis();
            while (edge <= dayEnd) {
                if (edge > ft[0] && edge < ft[1]) {
                    edges.add(edge);
                    if (edges.size() > MAX_INTERVALS) {
                        throw ApiProblem.badRequest("interval", "makes more than " + MAX_INTERVALS
                            + " intervals between from and to; take a longer interval or a shorter time");
                    }
                }
                if (edge == dayEnd) {
                    break;
                }
                edge = Math.min(dayEnd, edge + length.length.toMillis());
            }
            day = nextDay;
        }
        edges.add(ft[1]);
        return new ReportRange(ft[0], ft[1], zone, edges.stream().mapToLong(Long::longValue).toArray());
    }

    /** {from, to} in epoch ms, checked. */
    private static long[] window(String from, String to, ZoneId zone) {
        if (from == null || from.isBlank()) {
            throw ApiProblem.badRequest("from", "is required: an ISO-8601 instant (2026-12-02T08:00:00Z) or date (2026-12-02)");
        }
        ZonedDateTime start = time("from", from, zone);
        ZonedDateTime end = to == null ? start.toLocalDateTime().plusDays(1).atZone(zone) : time("to", to, zone);
        if (!end.toInstant().isAfter(start.toInstant())) {
            throw ApiProblem.badRequest("to", "must be after from");
        }
        if (end.toInstant().isAfter(start.plusDays(MAX_DAYS).toInstant())) {
            throw ApiProblem.badRequest("to", "must be at most " + MAX_DAYS + " days after from");
        }
        return new long[] {start.toInstant().toEpochMilli(), end.toInstant().toEpochMilli()};
    }

    /** An instant, or a date: that day's midnight in {@code zone}. */
    private static ZonedDateTime time(String name, String value, ZoneId zone) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(zone);
            }
            return Instant.parse(value).atZone(zone);
        } catch (DateTimeException e) {
            throw ApiProblem.badRequest(name, "must be an ISO-8601 instant (2026-12-02T08:00:00Z) or date (2026-12-02), got '"
                + value + "'");
        }
    }

    /** How many intervals. */
    public int intervals() {
        return boundaries.length - 1;
    }

    /** The interval {@code atMs} falls in, or -1 outside {@code [from, to)}. */
    public int indexOf(long atMs) {
        if (atMs < fromMs || atMs >= toMs) {
            return -1;
        }
        int i = Arrays.binarySearch(boundaries, atMs);
        return i >= 0 ? i : -i - 2;
    }

    /** Whether {@code atMs} is in {@code [from, to)}. */
    public boolean covers(long atMs) {
        return atMs >= fromMs && atMs < toMs;
    }

    /** The part of {@code [sinceMs, untilMs)} inside the report's time, in ms (0 if none). */
    public long clipped(long sinceMs, long untilMs) {
        return Math.max(0, Math.min(untilMs, toMs) - Math.max(sinceMs, fromMs));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReportRange r && r.fromMs == fromMs && r.toMs == toMs && r.zone.equals(zone)
            && Arrays.equals(r.boundaries, boundaries);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(fromMs) * 31 + Arrays.hashCode(boundaries);
    }

    @Override
    public String toString() {
        return "ReportRange[" + Instant.ofEpochMilli(fromMs) + ", " + Instant.ofEpochMilli(toMs) + ") in " + zone + ", "
            + intervals() + " intervals";
    }
}
