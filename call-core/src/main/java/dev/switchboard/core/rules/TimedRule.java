package dev.switchboard.core.rules;

import dev.switchboard.core.call.Call;

/**
 * A rule with a live timer. The timer is derived from the call's state alone
 * ({@link #deadlineMs}), which is why timers can be rebuilt after a restart: the engine asks each
 * timed rule for its deadline after every transition and keeps the wheel in step.
 */
public interface TimedRule extends Rule {

    TimerKind timer();

    /** @return when this rule's timer should fire for {@code call}, or {@link Call#NONE} for no timer. */
    long deadlineMs(Call call, Thresholds thresholds);

    /** The deadline was reached (and the call's state still calls for it). */
    void onDeadline(RuleContext ctx);
}
