package dev.switchboard.server.reports;

import dev.switchboard.server.http.ApiProblem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Intervals aligned to the center's midnight, on ordinary days and on daylight-saving changes. */
class ReportRangeTest {

    static final ZoneId MADRID = ZoneId.of("Europe/Madrid");

    static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void aDateIsLocalMidnightAndToDefaultsToTheNextOne() {
        ReportRange r = ReportRange.of("2026-12-02", null, "P1D", MADRID);
        assertEquals(ms("2026-12-01T23:00:00Z"), r.fromMs());
        assertEquals(ms("2026-12-02T23:00:00Z"), r.toMs());
        assertEquals(1, r.intervals());
    }

    @Test
    void theAutumnChangeMakesA25HourDayOf100QuarterHours() {
        ReportRange r = ReportRange.of("2026-10-25", null, "PT15M", MADRID);
        assertEquals(25 * 3600_000L, r.toMs() - r.fromMs());
        assertEquals(100, r.intervals());
        assertEquals(24, ReportRange.of("2026-03-29", null, "PT1H", MADRID).intervals() + 1, "spring: 23 hours");
    }

    @Test
    void intervalsAreAlignedToLocalMidnightAndClippedAtTheEnds() {
        // Kolkata is UTC+05:30: its quarter hours start at :00, :15 ... local, which is :30, :45 ... UTC
        ReportRange r = ReportRange.of("2026-12-02T03:40:00Z", "2026-12-02T04:20:00Z", "PT15M", ZoneId.of("Asia/Kolkata"));
        assertEquals(4, r.intervals());
        assertEquals(ms("2026-12-02T03:45:00Z"), r.boundaries()[1]);
        assertEquals(ms("2026-12-02T04:15:00Z"), r.boundaries()[3]);
        assertEquals(0, r.indexOf(ms("2026-12-02T03:44:59.999Z")));
        assertEquals(1, r.indexOf(ms("2026-12-02T03:45:00Z")));
        assertEquals(-1, r.indexOf(ms("2026-12-02T04:20:00Z")), "to is exclusive");
    }

    @Test
    void limitsAndBadValuesNameTheParameter() {
        assertEquals("to", field(() -> ReportRange.of("2026-12-01", "2027-01-02", "P1D", MADRID)));
        assertEquals(31, ReportRange.of("2026-12-01", "2027-01-01", "P1D", MADRID).intervals());
        assertEquals(2976, ReportRange.of("2026-12-01", "2027-01-01", "PT15M", MADRID).intervals());
        assertEquals("interval", field(() -> ReportRange.of("2026-12-01", null, "PT10M", MADRID)));
        assertEquals("from", field(() -> ReportRange.of(null, null, "PT1H", MADRID)));
        assertEquals("from", field(() -> ReportRange.of("02/12/2026", null, "PT1H", MADRID)));
        assertEquals("to", field(() -> ReportRange.of("2026-12-02", "2026-12-01", "PT1H", MADRID)));
    }

    static String field(Runnable r) {
        return assertThrows(ApiProblem.class, r::run).errors().get(0).field();
    }
}
