/**
 * Switchboard's call lifecycle engine: a deterministic library with no dependencies beyond
 * {@code java.base}. Entry point: {@link dev.switchboard.core.CallEngine}.
 */
module dev.switchboard.core {
    exports dev.switchboard.core;
    exports dev.switchboard.core.call;
    exports dev.switchboard.core.rules;
    exports dev.switchboard.core.time;
    exports dev.switchboard.core.metrics;
}
