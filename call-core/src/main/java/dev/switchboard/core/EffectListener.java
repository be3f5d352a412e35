package dev.switchboard.core;

import dev.switchboard.core.rules.Effect;

/** Told of every effect once it is applied, in order (a port). Runs on the engine's thread. */
@FunctionalInterface
public interface EffectListener {
    void onEffect(Effect effect);
}
