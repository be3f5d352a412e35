package dev.switchboard.core.rules;

import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallFlag;

/**
 * What a rule may see and do while the engine evaluates one event or timer for one call. Effects
 * are collected into the engine's decision; nothing is applied until the host applies it.
 */
public interface RuleContext {

    /** The call as it stands now in this evaluation (after the transition, after earlier rules). */
    Call call();

    /** Thresholds for the call's queue. */
    Thresholds thresholds();

    /** The effective time of the event or timer being evaluated. */
    long atMs();

    /** Raises {@code kind} for the call unless it was raised before; sets the matching flag. */
    default void raise(AlertKind kind, String message) {
        raise(kind, call().agentId(), message);
    }

    /** As {@link #raise(AlertKind, String)}, naming the agent concerned. */
    void raise(AlertKind kind, String agentId, String message);

    /** Sets a flag on the call. */
    void flag(CallFlag flag);

    void emit(Effect effect);

    /**
     * Applies one of the engine's own transitions (a system event) to the call.
     *
     * @return whether the state machine accepted it
     */
    boolean transition(CallEvent systemEvent);

    /** A fresh id for a system event of this call. */
    String systemEventId();

    /** Asks the {@code AgentRouter} for the next agent of the call's queue, never one who missed it. */
    String nextAgent();

    /** Consecutive rings {@code agentId} has missed since last made available, before this evaluation. */
    int consecutiveMisses(String agentId);

    /** Whether {@code agentId} is on break now. */
    boolean onBreak(String agentId);
}
