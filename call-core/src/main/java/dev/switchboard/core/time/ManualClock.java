package dev.switchboard.core.time;

import java.time.Duration;
import java.time.Instant;

/**
 * A clock that only moves when told to: for tests, simulations and replays.
 * NOT thread safe.
 */
public final class ManualClock implements Clock {

    private long nowMs;

    public ManualClock(long startMs) {
        this.nowMs = startMs;
    }

    public ManualClock(Instant start) {
        this(start.toEpochMilli());
    }

    @Override
    public long nowMs() {
        return nowMs;
    }

    public Instant now() {
        return Instant.ofEpochMilli(nowMs);
    }

    /** Moves the clock forward; time never goes backwards. */
    public ManualClock advance(Duration by) {
        return advanceMs(by.toMillis());
    }

    public ManualClock advanceMs(long byMs) {
        if (byMs < 0) {
            throw new IllegalArgumentException("a clock cannot go backwards: " + byMs + " ms");
        }
        nowMs += byMs;
        return this;
    }
}
