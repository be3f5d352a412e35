package dev.switchboard.server.wire;

import dev.switchboard.core.call.Call;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link Wire#instant} writes exactly what {@link Instant#toString} writes, for any millisecond. */
class WireInstantTest {

    private static void same(long ms) {
        if (ms == Call.NONE) {
            return;   // -1 is "no time" in a call, never an instant (noneIsNull)
        }
        assertEquals(Instant.ofEpochMilli(ms).toString(), Wire.instant(ms), "epoch ms " + ms);
    }

    @Test
    void edgesOfDaysMonthsYearsLeapYearsAndTheFastRange() {
        long[] edges = {0, 1, 999, 1_000, 59_999, 86_399_999, 86_400_000,
            951_782_400_000L,         // 2000-02-29, a leap day of a year divisible by 400
            4_107_542_399_999L,       // 2100-02-28T23:59:59.999, 2100 is no leap year
            4_107_542_400_000L,       // 2100-03-01
            1_765_152_195_452L,       // a time of today
            1_798_761_599_999L,       // the last ms of a year
            1_798_761_600_000L,       // the first of the next
            253_402_300_799_999L,     // 9999-12-31T23:59:59.999, the last hand-written one
            253_402_300_800_000L,     // +10000-01-01: Instant.toString's own
            -2, -86_400_001, -62_167_219_200_000L, Long.MAX_VALUE / 1_000_000};
        for (long ms : edges) {
            same(ms);
        }
    }

    @Test
    void randomMillisecondsAcrossTheYears() {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 200_000; i++) {
            same(random.nextLong(-100_000_000_000_000L, 300_000_000_000_000L));
            same(random.nextLong(0, 4_102_444_800_000L) / 1_000 * 1_000);   // whole seconds: no fraction
        }
    }

    @Test
    void noneIsNull() {
        assertNull(Wire.instant(Call.NONE));
    }
}
