package dev.switchboard.console.state;

import dev.switchboard.console.wire.Call;

import java.util.function.Predicate;

/** The status chips above the calls table; {@link #LIVE} (every call not ended) is the default. */
public enum StatusFilter {
    LIVE("Live", Call::isLive),
    WAITING("Waiting", c -> Call.WAITING.equals(c.status())),
    ACTIVE("Active", c -> Call.ACTIVE.equals(c.status())),
    ON_HOLD("On hold", c -> Call.ON_HOLD.equals(c.status())),
    ENDED("Ended", c -> Call.ENDED.equals(c.status())),
    ALL("All", c -> true);

    private final String label;
    private final Predicate<Call> test;

    StatusFilter(String label, Predicate<Call> test) {
        this.label = label;
        this.test = test;
    }

    public String label() {
        return label;
    }

    public boolean test(Call c) {
        return test.test(c);
    }
}
