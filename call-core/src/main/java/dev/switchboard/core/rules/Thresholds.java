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
 * @param wrapUp               after a call, how long its agent stays in wrap-up before being available
 *                             again; zero (the default) for none
 * @param shortAbandon         a caller who hangs up within this wait is a short abandon, not counted
 *                             against the service level (5 s by default: a misdial, a caller who
 *                             changed their mind before anyone could answer)
 * @param slTarget             the service level the queue aims at, in [0, 1] (0.8 by default)
 */
public record Thresholds(Duration slaMaxWait, Duration ringTimeout, Duration maxHold, Duration shortCall,
                         int autoBreakAfterMisses, Duration maxIdle, Duration wrapUp, Duration shortAbandon,
                         double slTarget) {

    /** The default {@link #maxIdle()}: four hours. */
    public static final Duration DEFAULT_MAX_IDLE = Duration.ofHours(4);

    /** The default {@link #shortAbandon()}: five seconds. */
    public static final Duration DEFAULT_SHORT_ABANDON = Duration.ofSeconds(5);

    /** The default {@link #slTarget()}: 80 %. */
    public static final double DEFAULT_SL_TARGET = 0.8;

    public static final Thresholds DEFAULTS = new Thresholds(Duration.ofSeconds(30), Duration.ofSeconds(15),
        Duration.ofSeconds(60), Duration.ofSeconds(10), 3, DEFAULT_MAX_IDLE);

    /** Thresholds with no wrap-up and the default short abandon and service-level target. */
    public Thresholds(Duration slaMaxWait, Duration ringTimeout, Duration maxHold, Duration shortCall,
                      int autoBreakAfterMisses, Duration maxIdle) {
        this(slaMaxWait, ringTimeout, maxHold, shortCall, autoBreakAfterMisses, maxIdle, Duration.ZERO,
            DEFAULT_SHORT_ABANDON, DEFAULT_SL_TARGET);
    }

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
        notNegative(wrapUp, "wrapUp");
        notNegative(shortAbandon, "shortAbandon");
        if (!(slTarget >= 0 && slTarget <= 1)) {
            throw new IllegalArgumentException("slTarget must be in [0, 1]: " + slTarget);
        }
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

    public long wrapUpMs() {
        return wrapUp.toMillis();
    }

    public long shortAbandonMs() {
        return shortAbandon.toMillis();
    }

    public Thresholds withSlaMaxWait(Duration d) {
        return new Thresholds(d, ringTimeout, maxHold, shortCall, autoBreakAfterMisses, maxIdle, wrapUp, shortAbandon,
            slTarget);
    }

    public Thresholds withRingTimeout(Duration d) {
        return new Thresholds(slaMaxWait, d, maxHold, shortCall, autoBreakAfterMisses, maxIdle, wrapUp, shortAbandon,
            slTarget);
    }

    public Thresholds withMaxHold(Duration d) {
        return new Thresholds(slaMaxWait, ringTimeout, d, shortCall, autoBreakAfterMisses, maxIdle, wrapUp, shortAbandon,
            slTarget);
    }

    public Thresholds withShortCall(Duration d) {
        return new Thresholds(slaMaxWait, ringTimeout, maxHold, d, autoBreakAfterMisses, maxIdle, wrapUp, shortAbandon,
            slTarget);
    }

    public Thresholds withAutoBreakAfterMisses(int n) {
        return new Thresholds(slaMaxWait, ringTimeout, maxHold, shortCall, n, maxIdle, wrapUp, shortAbandon, slTarget);
    }

    public Thresholds withMaxIdle(Duration d) {
        return new Thresholds(slaMaxWait, ringTimeout, maxHold, shortCall, autoBreakAfterMisses, d, wrapUp, shortAbandon,
            slTarget);
    }

    public Thresholds withWrapUp(Duration d) {
        return new Thresholds(slaMaxWait, ringTimeout, maxHold, shortCall, autoBreakAfterMisses, maxIdle, d, shortAbandon,
            slTarget);
    }

    public Thresholds withShortAbandon(Duration d) {
        return new Thresholds(slaMaxWait, ringTimeout, maxHold, shortCall, autoBreakAfterMisses, maxIdle, wrapUp, d,
            slTarget);
    }

    public Thresholds withSlTarget(double target) {
        return new Thresholds(slaMaxWait, ringTimeout, maxHold, shortCall, autoBreakAfterMisses, maxIdle, wrapUp,
            shortAbandon, target);
    }

    private static void notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
