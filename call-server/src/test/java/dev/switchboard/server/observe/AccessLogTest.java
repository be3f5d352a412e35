package dev.switchboard.server.observe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AccessLogTest {

    @Test
    void durationsAreMillisecondsWithOneDecimalRoundedHalfUp() {
        assertEquals("0.0", AccessLog.tenthsOfMs(0));
        assertEquals("0.0", AccessLog.tenthsOfMs(49_999));
        assertEquals("0.1", AccessLog.tenthsOfMs(50_000));
        assertEquals("1.2", AccessLog.tenthsOfMs(1_234_567));
        assertEquals("10.0", AccessLog.tenthsOfMs(9_960_000));
        assertEquals("1500.3", AccessLog.tenthsOfMs(1_500_300_000L));
        assertEquals("0.0", AccessLog.tenthsOfMs(-5), "a clock step back is no negative duration");
    }
}
