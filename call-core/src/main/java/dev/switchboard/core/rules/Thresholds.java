package dev.switchboard.core.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * The center's rule thresholds, for one queue or as the defaults.
 *
 * <p>Why the defaults are what they are: the 30 s maximum wait, 15 s ring timeout, 60 s maximum
 * hold and 10 s short-call review come from the business (the center's service promise to
 * patients); three missed rings in a row sends an agent on break so calls stop ringing at an empty
 * desk.
 *
 * @param slaMaxWait           longest a caller may wait unanswered (SLA breach at this wait)
 * @param ringTimeout          how long an agent's phone rings before the call is re-routed
 * @param maxHold              longest a call may stay on hold
 * @param shortCall            calls shorter than this are flagged for review
 * @param autoBreakAfterMisses consecutive missed rings that put an agent on break; 0 = never
 * @param maxIdle              a live call with no event for this long is ended by the system
 *                             ({@code end_reason: "expired"}): its {@code call_ended} was lost.
 *                             Four hours by default: longer than any real interpreted call, short
 *                             enough that lost calls do not pile up over a day.
 */
public record Thresholds(Duration slaMaxWait, Duration ringTimeout, Duration maxHold, Duration shortCall,
                         int autoBreakAfterMisses, Duration maxIdle) {

    /** The default {@link #maxIdle()}: four hours. */
    public static final Duration DEFAULT_MAX_IDLE = Duration.ofHours(4);

    public static final Thresholds DEFAULTS = new Thresholds(Duration.ofSeconds(30), Duration.ofSeconds(15),
        Duration.ofSeconds(60), Duration.ofSeconds(10), 3, DEFAULT_MAX_IDLE);

    /** Thresholds with the default {@link #maxIdle()}. */
    public Thresholds(Duration slaMaxWait, Duration ringTimeout, Duration maxHold, Duration shortCall,
                      int autoBreakAfterMisses) {
        this(slaMaxWait, ringTimeout, maxHold, shortCall, autoBreakAfterMisses, DEFAULT_MAX_IDLE);
    }

    public Thresholds {
        positive(slaMaxWait, "slaMaxWait");
        positive(ringTimeout, "ringTimeout");
        positive(maxHold, "maxHold");
        positive(shortCall, "shortCall");
        positive(maxIdle, "maxIdle");
        if (autoBreakAfterMisses < 0) {
            throw new IllegalArgumentException("autoBreakAfterMisses must be >= 0: " + autoBreakAfterMisses);
        }
    }

    public long slaMaxWaitMs() {
        return slaMaxWait.toMillis();
    }

    public long ringTimeoutMs() {
        return ringTimeout.toMillis();
    }

    public long maxHoldMs() {
        return maxHold.toMillis();
    }

    public long shortCallMs() {
        return shortCall.toMillis();
    }

    public long maxIdleMs() {
        return maxIdle.toMillis();
    }

    public Thresholds withSlaMaxWait(Duration d) {
        return new Thresholds(d, ringTimeout, maxHold, shortCall, autoBreakAfterMisses, maxIdle);
    }

    public Thresholds withRingTimeout(Duration d) {
        return new Thresholds(slaMaxWait, d, maxHold, shortCall, autoBreakAfterMisses, maxIdle);
    }

    public Thresholds withMaxHold(Duration d) {
        return new Thresholds(slaMaxWait, ringTimeout, d, shortCall, autoBreakAfterMisses, maxIdle);
    }

    public Thresholds withShortCall(Duration d) {
        return new Thresholds(slaMaxWait, ringTimeout, maxHold, d, autoBreakAfterMisses, maxIdle);
    }

    public Thresholds withAutoBreakAfterMisses(int n) {
        return new Thresholds(slaMaxWait, ringTimeout, maxHold, shortCall, n, maxIdle);
    }

    public Thresholds withMaxIdle(Duration d) {
        return new Thresholds(slaMaxWait, ringTimeout, maxHold, shortCall, autoBreakAfterMisses, d);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
