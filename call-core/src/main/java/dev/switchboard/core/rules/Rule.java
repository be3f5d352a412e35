package dev.switchboard.core.rules;

/**
 * A business rule: a small named object that reacts to an accepted transition and produces
 * effects through its {@link RuleContext}. Rules must be deterministic: the same call, event and
 * clock reading give the same effects.
 */
public interface Rule {

    /** A short name for logs and docs, e.g. {@code "sla-breach"}. */
    String name();

    /** Reacts to a transition the source sent (not to the engine's own system transitions). */
    default void onTransition(RuleContext ctx, Effect.Transitioned transition) {
    }
}
