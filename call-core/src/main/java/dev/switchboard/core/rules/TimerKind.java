package dev.switchboard.core.rules;

/** The live timers a call can have, one of each at most. */
public enum TimerKind {
    /** Maximum wait while waiting (queued or ringing). */
    SLA,
    /** Ring timeout while ringing an agent. */
    RING,
    /** Maximum hold while on hold. */
    HOLD,
    /** No event for {@link Thresholds#maxIdle()}: the call is ended as expired. */
    IDLE,
    /**
     * A queued call the system routes (it re-routed it before and found nobody free) is offered
     * to an agent who became available. Set by the engine when an agent frees up, not derived
     * from the call alone: no {@link TimedRule} owns it.
     */
    OFFER
}
