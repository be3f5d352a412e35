package dev.switchboard.core.time;

/**
 * The engine's only source of time (a port). The engine never reads the system clock itself, so
 * the same events and the same clock readings always give the same states, alerts and timers.
 */
@FunctionalInterface
public interface Clock {

    /** @return the current time in milliseconds since the epoch. */
    long nowMs();

    /** The wall clock, for hosts that run the engine in real time. */
    static Clock system() {
        return System::currentTimeMillis;
    }
}
